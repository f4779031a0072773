"""Fixtures of the registry tests: a rural community, the tags and a good workbook's sheets
(defined with the workbook builders in `registry_sheets`)."""

from tests.grids.registry_sheets import good_sheets, rural_community, tags

__all__ = ["good_sheets", "rural_community", "tags"]
