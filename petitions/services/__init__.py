"""Every change of the casework goes through these functions: views and the admin call them.

- `visits`: recording a visit with the petitions it collects, correcting it within 24 hours
"""
