"""Excel exports (台账): a title block naming the scope, who exported it and when, then a table.

Every cell of every export is made by `cell()`, the one place that decides what reaches Excel:

- text is always a text cell, never a formula: a value beginning with = + - @, a tab or a
  carriage return is stored unchanged as a string with Excel's "quote prefix" style (what Excel
  itself sets when one types '=...), so it shows as typed and stays text when edited;
- invisible and direction characters are removed, and phone- and ID-card-shaped numbers in
  free text are masked (core.personal_data), as on the pages;
- dates and times are real Excel dates, numbers real numbers, rates percentages, each with a
  number format.

The table has a bold, frozen header row with an autofilter, and columns sized to their content.
openpyxl's write-only mode keeps memory flat however many rows there are; the file goes to a
spooled temporary file (in memory while small) that the view streams to the browser.
"""

import datetime
import decimal
import enum
import itertools
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.personal_data import free_text_for_display, neutralise_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)

# Rows read ahead to size the columns (write-only sheets fix widths before the first row).
_SIZING_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 6, 60
# The ledgers used to pass dates as text; such text is turned back into a real date.
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Kind(enum.Enum):
    """How a column's values are written. AUTO goes by each value's Python type."""

    AUTO = "auto"
    TEXT = "text"  # a fixed label (no masking of numbers)
    FREE_TEXT = "free_text"  # what someone typed: numbers in it masked
    DATE = "date"
    DATETIME = "datetime"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    PERCENT = "percent"  # a rate from 0 to 1


NUMBER_FORMATS = {
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.INTEGER: "0",
    Kind.DECIMAL: "0.00",
    Kind.MONEY: "#,##0.00",
    Kind.PERCENT: "0.0%",
}
_FIXED_WIDTHS = {Kind.DATE: 12, Kind.DATETIME: 17, Kind.PERCENT: 10, Kind.MONEY: 14}


@dataclass(frozen=True)
class Column:
    """A header with the kind of its values (and a width, if it should not be measured)."""

    header: str
    kind: Kind = Kind.AUTO
    width: int | None = None


def _as_column(header) -> Column:
    return header if isinstance(header, Column) else Column(str(header))


def _kind_of(value, kind: Kind) -> Kind:
    """The kind a value is written as: the column's, or for AUTO the value's own type."""
    if kind is not Kind.AUTO:
        return kind
    if isinstance(value, bool):
        return Kind.TEXT
    if isinstance(value, datetime.datetime):
        return Kind.DATETIME
    if isinstance(value, datetime.date):
        return Kind.DATE
    if isinstance(value, int):
        return Kind.INTEGER
    if isinstance(value, float | decimal.Decimal):
        return Kind.DECIMAL
    if isinstance(value, str) and _DATETIME_TEXT.match(value):
        return Kind.DATETIME
    if isinstance(value, str) and _DATE_TEXT.match(value):
        return Kind.DATE
    return Kind.FREE_TEXT


def _excel_value(value, kind: Kind):
    """The value as Excel should hold it for `kind` (text, a naive local datetime, a number)."""
    if value is None or value == "":
        return None
    if kind in (Kind.DATETIME, Kind.DATE) and isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return _text(value, Kind.FREE_TEXT)
        return value.date() if kind is Kind.DATE else value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):  # Excel has no time zones: local time, as on the pages
            value = timezone.make_naive(value)
        return value.date() if kind is Kind.DATE else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | decimal.Decimal) and kind in NUMBER_FORMATS:
        return value
    return _text(str(value), kind)


def _text(value: str, kind: Kind) -> str:
    return neutralise_text(value) if kind is Kind.TEXT else free_text_for_display(value)


def cell(worksheet, value, kind: Kind = Kind.AUTO, *, font: Font | None = None):
    """The one way a value becomes a cell of an export (see the module's docstring).

    Returns a cell, or the bare value where openpyxl writes it as it should be written anyway
    (empty, or text that cannot start a formula, without a font): half the time of a ledger
    goes into making cells.
    """
    kind = _kind_of(value, kind)
    value = _excel_value(value, kind)
    if font is None and (
        value is None or (isinstance(value, str) and not value.startswith(FORMULA_STARTS))
    ):
        return value  # openpyxl writes such text as text
    result = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        # Never a formula, whatever the text begins with: openpyxl would otherwise write a
        # string starting with "=" as one. The quote prefix keeps it text when edited in Excel.
        result.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            result.quotePrefix = True
    elif value is not None and kind in NUMBER_FORMATS:
        result.number_format = NUMBER_FORMATS[kind]
    if font is not None:
        result.font = font
    return result


def row_cells(worksheet, values: Iterable, kinds: Sequence[Kind] = (), *, font=None) -> list:
    """A row of cells; `kinds` gives each column's kind (AUTO for the rest)."""
    kinds = list(kinds)
    return [
        cell(worksheet, value, kinds[i] if i < len(kinds) else Kind.AUTO, font=font)
        for i, value in enumerate(values)
    ]


def display_width(value) -> int:
    """Characters as Excel measures them: a Chinese character is about two Latin ones."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    longest = max((line for line in text.split("\n")), key=len, default="")
    return sum(2 if ord(char) > 0x2E7F else 1 for char in longest)


def ledger_workbook(*, sheet: str, title: str, exported: str, headers: list, rows: Iterable[list]):
    """An .xlsx file: `title`, the `exported` line (who and when), then `headers` and `rows`.

    `headers` are strings or `Column`s (a string is a column of kind AUTO). Returns the file,
    rewound (spooled: in memory while small), and how many rows it holds.
    """
    columns = [_as_column(h) for h in headers]
    kinds = [c.kind for c in columns]
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    rows = iter(rows)
    first_rows = [list(row) for row in itertools.islice(rows, _SIZING_ROWS)]
    _size_columns(worksheet, columns, first_rows)
    worksheet.freeze_panes = "A4"  # the title block and the header row stay in sight
    worksheet.append([cell(worksheet, title, Kind.TEXT, font=TITLE)])
    worksheet.append([cell(worksheet, exported, Kind.TEXT)])
    labels = [c.header for c in columns]
    worksheet.append(row_cells(worksheet, labels, [Kind.TEXT] * len(labels), font=BOLD))
    count = 0
    for row in itertools.chain(first_rows, rows):
        worksheet.append(row_cells(worksheet, row, kinds))
        count += 1
    last = get_column_letter(max(len(columns), 1))
    worksheet.auto_filter.ref = f"A3:{last}{3 + count}"
    stream = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - streamed
    workbook.save(stream)
    stream.seek(0)
    return stream, count


def _size_columns(worksheet, columns: list[Column], rows: list[list]) -> None:
    """Each column as wide as its header or its widest value among the first rows (capped)."""
    for index, column in enumerate(columns):
        width = column.width or _FIXED_WIDTHS.get(column.kind)
        if width is None:
            values = (row[index] for row in rows if index < len(row))
            width = max([display_width(column.header), *map(display_width, values)]) + 2
        letter = get_column_letter(index + 1)
        worksheet.column_dimensions[letter].width = max(_MIN_WIDTH, min(width, _MAX_WIDTH))
