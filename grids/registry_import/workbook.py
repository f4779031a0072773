"""Reading an uploaded workbook into rows of raw cells, refusing files that cannot be imported."""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from xml.etree.ElementTree import ParseError

import openpyxl
from django.conf import settings
from django.utils.translation import gettext
from openpyxl.utils.exceptions import InvalidFileException

from .layout import MAX_ROWS, NOTES_SHEET, SHEETS, SHEETS_BY_TITLE, Sheet
from .results import RowError

Cells = tuple[Any, ...]
# What a damaged or foreign file makes openpyxl raise, while opening it or reading its rows.
_UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError)
_PROGRESS_EVERY = 5_000
# What a workbook may inflate to, checked on the zip's directory before anything is inflated.
# The largest real file (200,000 rows of 15 cells, strings inline as openpyxl writes them) is
# about 150 MB inflated, at a ratio of 12; a 1.5 MB "zip bomb" inflating to 1.5 GiB took 104 s
# and 3.2 GB of memory before the row limit was reached. Settings may lower both (tests do).
MAX_UNCOMPRESSED_BYTES = 300 * 10**6
MAX_COMPRESSION_RATIO = 100
# Members smaller than this are not held to the ratio (a few kB of styles compress very well).
_RATIO_FROM_BYTES = 2**20


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

    Raises `Refused` for a file that is not an .xlsx workbook, would inflate too much, has
    none of the sheets, has a sheet whose header row differs, or has more than `MAX_ROWS`
    rows after the headers in all (empty rows count: they cost as much to read).
    """
    try:
        _check_inflated_size(file)
        return _read(file, report)
    except _UNREADABLE as exc:
        raise Refused(_file_error(gettext("This file is not an Excel workbook (.xlsx)."))) from exc


def _check_inflated_size(file: IO[bytes]) -> None:
    """Refuse, from the zip's directory alone, a file that would inflate past the caps.

    The sizes a zip declares bound the work: Python's zipfile (which openpyxl reads through)
    never inflates a member past its declared size, and fails on a member that lies.
    """
    limit = getattr(settings, "REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES)
    ratio = getattr(settings, "REGISTRY_IMPORT_MAX_COMPRESSION_RATIO", MAX_COMPRESSION_RATIO)
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
    file.seek(0)
    if sum(member.file_size for member in members) > limit:
        message = gettext(
            "This workbook would take more than %(max)d MB once unpacked; split it or remove "
            "formatting and empty rows."
        )
        raise Refused(_file_error(message % {"max": limit // 10**6}))
    for member in members:
        if member.file_size > _RATIO_FROM_BYTES and member.file_size > ratio * max(
            member.compress_size, 1
        ):
            message = gettext(
                "This workbook is compressed more than %(ratio)d times, which no registry is; "
                "it is refused."
            )
            raise Refused(_file_error(message % {"ratio": ratio}))


def _read(file: IO[bytes], report: Callable[[str], None]) -> list[SheetRows]:
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        # A sheet is known by its title, spaces around it aside ("居民 " is 居民).
        names = {name.strip(): name for name in workbook.sheetnames}
        titles = "、".join(sheet.title for sheet in SHEETS)
        for stripped, name in names.items():
            if (
                stripped not in SHEETS_BY_TITLE
                and stripped != NOTES_SHEET
                and _has_data(workbook[name])
            ):
                # A renamed sheet ("居民信息") would be skipped and its rows silently lost.
                message = gettext(
                    "The sheet “%(name)s” is not one the import knows: name it one of %(sheets)s, "
                    "or remove it. Nothing was imported."
                )
                raise Refused(_file_error(message % {"name": name, "sheets": titles}))
        sheets = [sheet for sheet in SHEETS if sheet.title in names]
        if not sheets:
            message = gettext("The workbook has none of the sheets %(sheets)s.")
            raise Refused(_file_error(message % {"sheets": titles}))
        # Every row after the header counts, empty or not; the sheets share one budget.
        declared = sum(_declared_rows(workbook[names[sheet.title]]) for sheet in sheets)
        if declared > MAX_ROWS:
            raise Refused(_too_many_rows())
        read: list[SheetRows] = []
        budget = MAX_ROWS
        for sheet in sheets:
            rows, counted = _read_sheet(workbook[names[sheet.title]], sheet, budget, report)
            budget -= counted
            read.append(SheetRows(sheet, rows))
        return read
    finally:
        workbook.close()


def _has_data(worksheet) -> bool:
    """Does the sheet hold anything in its first rows (a new workbook's empty Sheet1 does not)?"""
    rows = worksheet.iter_rows(max_row=20, max_col=30, values_only=True)
    return any(value not in (None, "") for row in rows for value in row)


def _declared_rows(worksheet) -> int:
    """The rows after the header that the sheet's stored <dimension> declares (0 if none)."""
    return max((worksheet.max_row or 0) - 1, 0)


def _read_sheet(
    worksheet, sheet: Sheet, budget: int, report
) -> tuple[list[tuple[int, Cells]], int]:
    """The sheet's non-empty rows, and how many rows after the header it has in all."""
    width = len(sheet.columns)
    # The stored dimensions may be wrong (some programs write none or stale ones): read every
    # row, but never more cells a row than the sheet's columns.
    worksheet.reset_dimensions()
    lines = worksheet.iter_rows(max_col=width, values_only=True)
    header = _header(next(lines, ()))
    if header != sheet.headers:
        message = gettext("The header row must be: %(headers)s.")
        raise Refused(RowError(sheet.title, 1, "", message % {"headers": "、".join(sheet.headers)}))
    rows = []
    counted = 0
    for number, cells in enumerate(lines, start=2):
        counted = number - 1
        if counted > budget:
            raise Refused(_too_many_rows())
        cells = (tuple(cells) + (None,) * width)[:width]
        if any(cell is not None and str(cell).strip() for cell in cells):
            rows.append((number, cells))
        if counted % _PROGRESS_EVERY == 0:
            report(
                gettext("%(sheet)s: %(count)d rows read") % {"sheet": sheet.title, "count": counted}
            )
    return rows, counted


def _too_many_rows() -> RowError:
    message = gettext(
        "The workbook has more than %(max)d rows after the headers (empty rows count too); "
        "delete the empty rows or split it."
    )
    return _file_error(message % {"max": MAX_ROWS})


def _header(cells: Cells) -> tuple[str, ...]:
    """Header cells as text, without a trailing `*` (a usual "required" mark) or empty cells."""
    names = [str(cell).strip().rstrip("*").strip() if cell is not None else "" for cell in cells]
    while names and not names[-1]:
        names.pop()
    return tuple(names)


def _file_error(message: str) -> RowError:
    return RowError("", None, "", message)
