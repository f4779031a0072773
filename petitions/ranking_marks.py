"""Marks that apps built on the casework put on the ranking's rows, without the casework
depending on them (as `grids.panels` does for the household page).

A marker is called with the ranked level ("street", "community" or "grid"), the rows (each with
`pk`) and the period, and appends to `row.marks` dicts {"key", "ok", "label"}. The safety app's
three zeros are one: an area that broke a zero in the period is never on the red list
(一票否决), whatever its score; its rank and score are unchanged.
"""

from collections.abc import Callable

RankingMarker = Callable[..., None]
_markers: list[RankingMarker] = []


def ranking_marker(func: RankingMarker) -> RankingMarker:
    """Register `func` to mark the ranking's rows."""
    _markers.append(func)
    return func


def mark_rows(level: str, rows, period) -> None:
    for marker in _markers:
        marker(level, rows, period)


def vetoed(row) -> bool:
    """A row with a failed mark may not be on the red list."""
    return any(not mark["ok"] for mark in row.marks)
