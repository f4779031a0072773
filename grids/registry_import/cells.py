"""Typed access to the cells of one data row; every bad cell is recorded as a `RowError`.

Each reader returns the parsed value, `None`/`""` for an empty optional cell, and `None` after
recording an error. Callers need not tell the two `None`s apart: any error stops the whole
import before anything is written, so a value after an error is never used.
"""

import datetime
import re
from typing import Any

from django.utils.translation import gettext

from core.personal_data import clean_name, normalize_id_number, normalize_phone

from .layout import Sheet
from .results import RowError

_DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_DIGITS_RE = re.compile(r"^\d+$")


class Row:
    def __init__(self, sheet: Sheet, number: int, cells: tuple, errors: list[RowError]):
        self.sheet = sheet
        self.number = number
        self._cells = dict(zip((column.key for column in sheet.columns), cells, strict=True))
        self._errors = errors

    def error(self, key: str, message: str) -> None:
        header = self.sheet.column(key).header
        self._errors.append(RowError(self.sheet.title, self.number, header, str(message)))

    def raw(self, key: str) -> Any:
        return self._cells[key]

    def filled(self, key: str) -> bool:
        return as_text(self.raw(key)) != ""

    def text(self, key: str) -> str | None:
        """The cell as trimmed text: "" if empty and optional, None if required and empty."""
        column = self.sheet.column(key)
        value = as_text(self.raw(key))
        if not value and column.required:
            self.error(key, gettext("This cell is required."))
            return None
        if column.max_length and len(value) > column.max_length:
            self.error(key, gettext("At most %(max)d characters.") % {"max": column.max_length})
            return None
        return value

    def phone(self, key: str) -> str:
        """The cell as a phone number in its stored form ("" if empty); not yet validated."""
        return normalize_phone(as_text(self.raw(key)))

    def id_number(self, key: str) -> str:
        """The cell as an ID-card number in its stored form ("" if empty); not yet validated."""
        return normalize_id_number(as_text(self.raw(key)))

    def whole_number(self, key: str, low: int, high: int) -> int | None:
        value = self.text(key)
        if not value:
            return None
        number = int(value) if _DIGITS_RE.match(value) else None
        if number is None or not low <= number <= high:
            message = gettext("Enter a whole number from %(low)d to %(high)d.")
            self.error(key, message % {"low": low, "high": high})
            return None
        return number

    def date(self, key: str) -> datetime.date | None:
        value = self.raw(key)
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = self.text(key)
        if not text:
            return None
        try:
            if _DATE_RE.match(text):
                return datetime.datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            pass
        self.error(key, gettext("Enter a date as YYYY-MM-DD."))
        return None

    def choice(self, key: str, labels: dict[str, str], default: str | None = None) -> str | None:
        """The value whose label the cell holds; `default` when the cell is empty."""
        text = self.text(key)
        if not text:
            return default
        if text not in labels:
            message = gettext("Choose one of: %(choices)s.")
            self.error(key, message % {"choices": "、".join(labels)})
            return None
        return labels[text]


def as_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", dates as YYYY-MM-DD.

    Every cell is one line of a name, a number, a date or a choice: invisible and direction
    characters go and spaces are single (`clean_name`), as when the same value is typed in a form.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return clean_name(str(value))
