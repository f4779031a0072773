"""What an import answers: the counts per sheet, or every error found."""

from dataclasses import dataclass, field

from django.utils.translation import gettext


@dataclass(frozen=True)
class RowError:
    """One problem of the workbook: where Excel shows it, and why (in the active language).

    `row` and `column` are empty for a problem of the file or of a whole sheet.
    """

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        place = " ".join(
            part
            for part in (self.sheet, f"第{self.row}行" if self.row else "", self.column)
            if part
        )
        return f"{place}: {self.message}" if place else self.message


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    """Counts by sheet title when the import was written; otherwise the errors, and no counts."""

    counts: dict[str, SheetCounts] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[str]:
        """One line per imported sheet: `居民: 3 created, 1 updated, 40 unchanged`."""
        return [
            gettext("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % {"sheet": sheet, **vars(counts)}
            for sheet, counts in self.counts.items()
        ]
