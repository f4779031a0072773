"""Casework pages, one module per page group: `visits` (recording and reading visits, photos)
and `coverage` (coverage, overdue care visits, the visit ledger)."""
