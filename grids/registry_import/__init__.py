"""Importing the household registry from an Excel workbook (居民台账导入).

A workbook has one sheet per object type (`SHEETS`): compounds, buildings, units, resident
groups, households, residents. The import runs in two phases. Phase 1 checks every row of
every sheet against the file and the registry and collects every error; if there is one,
nothing is written. Phase 2 writes everything in one transaction, in bulk, matching rows by
natural key (a compound by community and name, a resident by ID-card number…), so that
importing the same file twice changes nothing.
"""

from collections.abc import Callable
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext

from communities.models import Community

from .checks import check_rows
from .existing import load_existing
from .layout import MAX_ROWS, SHEETS, Column, Sheet
from .results import ImportResult, RowError, SheetCounts
from .template import build_template
from .workbook import Refused, read_workbook
from .writes import write_plan

__all__ = [
    "MAX_ROWS",
    "SHEETS",
    "Column",
    "ImportResult",
    "RowError",
    "Sheet",
    "SheetCounts",
    "build_template",
    "import_registry",
]


def import_registry(
    file: IO[bytes],
    *,
    progress: Callable[[str], None] | None = None,
    steps: Callable[[int, int], None] | None = None,
    communities: QuerySet[Community] | None = None,
) -> ImportResult:
    """Import the workbook `file` (.xlsx): everything, or nothing and every error.

    `progress(message)` is told each phase and every 5,000 rows. `steps(done, total)` is told
    how far the import is for a progress bar: reading, checking and writing count the rows read
    once each (writing, one transaction, counts them all at its end). `communities` limits the
    import to those communities (say `Community.objects.visible_to(user)`); any other is
    reported as unknown, as it would be to that user elsewhere.
    """
    report = progress or _silent
    report(gettext("Reading the workbook…"))
    try:
        sheets = read_workbook(file, report)
    except Refused as refusal:
        return ImportResult(errors=[refusal.error])
    rows = sum(len(sheet.rows) for sheet in sheets)
    step = steps or _no_steps
    step(rows, 3 * rows)
    report(gettext("Checking the rows…"))
    existing = load_existing(sheets, communities)
    plan, errors = check_rows(sheets, existing, report, lambda done: step(rows + done, 3 * rows))
    if errors:
        return ImportResult(errors=errors)
    report(gettext("Writing the registry in one go…"))
    counts = write_plan(plan, existing, report)
    step(3 * rows, 3 * rows)
    report(gettext("Import finished."))
    return ImportResult(counts=counts)


def _silent(message: str) -> None:
    pass


def _no_steps(done: int, total: int) -> None:
    pass
