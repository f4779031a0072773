"""The casework: door-to-door visits, petitions and their events."""
