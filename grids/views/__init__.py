"""Registry pages, one module per page group: `registry` (areas, households, search, export) and
`roles` (the "5+3" chain: appointing and ending roles, the roster export)."""
