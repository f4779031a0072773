"""Reading an uploaded workbook into rows of raw cells, refusing files that cannot be imported."""

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import openpyxl
from django.utils.translation import gettext
from openpyxl.utils.exceptions import InvalidFileException

from .layout import MAX_ROWS, SHEETS, Sheet
from .results import RowError

Cells = tuple[Any, ...]
# What a damaged or foreign file makes openpyxl raise, while opening it or reading its rows.
_UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError)
_PROGRESS_EVERY = 5_000


class Refused(Exception):
    """The file as a whole cannot be imported; `error` says why."""

    def __init__(self, error: RowError):
        super().__init__(error.message)
        self.error = error


@dataclass
class SheetRows:
    sheet: Sheet
    # (row number as Excel shows it, cells in the order of `sheet.columns`)
    rows: list[tuple[int, Cells]]


def read_workbook(file: IO[bytes], report: Callable[[str], None]) -> list[SheetRows]:
    """The non-empty data rows of each known sheet present, in `SHEETS` order.

    Raises `Refused` for a file that is not an .xlsx workbook, has none of the sheets,
    has a sheet whose header row differs, or has more than `MAX_ROWS` data rows in all.
    """
    try:
        return _read(file, report)
    except _UNREADABLE as exc:
        raise Refused(_file_error(gettext("This file is not an Excel workbook (.xlsx)."))) from exc


def _read(file: IO[bytes], report: Callable[[str], None]) -> list[SheetRows]:
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        sheets = [sheet for sheet in SHEETS if sheet.title in workbook.sheetnames]
        if not sheets:
            message = gettext("The workbook has none of the sheets %(sheets)s.")
            titles = "、".join(sheet.title for sheet in SHEETS)
            raise Refused(_file_error(message % {"sheets": titles}))
        read: list[SheetRows] = []
        for sheet in sheets:
            budget = MAX_ROWS - sum(len(done.rows) for done in read)
            rows = _read_sheet(workbook[sheet.title], sheet, budget, report)
            read.append(SheetRows(sheet, rows))
        return read
    finally:
        workbook.close()


def _read_sheet(worksheet, sheet: Sheet, budget: int, report) -> list[tuple[int, Cells]]:
    # The stored dimensions may be wrong (some programs write none or stale ones): read every row.
    worksheet.reset_dimensions()
    lines = worksheet.iter_rows(values_only=True)
    header = _header(next(lines, ()))
    if header != sheet.headers:
        message = gettext("The header row must be: %(headers)s.")
        raise Refused(RowError(sheet.title, 1, "", message % {"headers": "、".join(sheet.headers)}))
    rows = []
    for number, cells in _data_rows(lines, len(sheet.columns)):
        if len(rows) == budget:
            message = gettext("The workbook has more than %(max)d data rows; split it.")
            raise Refused(_file_error(message % {"max": MAX_ROWS}))
        rows.append((number, cells))
        if len(rows) % _PROGRESS_EVERY == 0:
            report(
                gettext("%(sheet)s: %(count)d rows read")
                % {"sheet": sheet.title, "count": len(rows)}
            )
    return rows


def _data_rows(lines: Iterator[Cells], width: int) -> Iterator[tuple[int, Cells]]:
    """Rows after the header, cut or padded to `width` cells; empty rows are skipped."""
    for number, cells in enumerate(lines, start=2):
        cells = (tuple(cells) + (None,) * width)[:width]
        if any(cell is not None and str(cell).strip() for cell in cells):
            yield number, cells


def _header(cells: Cells) -> tuple[str, ...]:
    """Header cells as text, without a trailing `*` (a usual "required" mark) or empty cells."""
    names = [str(cell).strip().rstrip("*").strip() if cell is not None else "" for cell in cells]
    while names and not names[-1]:
        names.pop()
    return tuple(names)


def _file_error(message: str) -> RowError:
    return RowError("", None, "", message)
