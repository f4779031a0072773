"""The ground the apps stand on: helpers with no knowledge of communities, grids or petitions.

Excel writing, form fields and bad-request pages, pagination, bulk inserts, the shared cache's
one door, the client's address behind the proxy, personal numbers (normalising, checking,
masking), and the machinery of a casework's transitions (`workflow`). Nothing here imports an
app or the project package `weidu`; the apps import it.
"""
