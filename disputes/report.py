"""The monthly 矛盾纠纷排查调处情况表: for an area and a month, disputes screened (recorded),
mediated (a session held), resolved (an agreement reached) and the success rate, by kind and by
people involved, with the earlier months. Reads only; a fixed number of queries whatever the
number of disputes (grouped counts, no row is loaded).

Definitions (the same in the page, the print and the Excel file):
- screened: disputes recorded in the month (排查);
- mediated: disputes with at least one mediation session held in the month (调解);
- resolved: disputes whose agreement was reached in the month (调解成功);
- success rate: resolved / mediated of the month.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import PEOPLE_BANDS, DisputeKind

EARLIER_MONTHS = 5
MEASURES = ("screened", "mediated", "resolved")


def _band_expression(path="people_involved"):
    whens = [
        When(**{f"{path}__gte": low, f"{path}__lte": high}, then=Value(label))
        for low, high, label in PEOPLE_BANDS
        if high is not None
    ]
    return Case(*whens, default=Value(PEOPLE_BANDS[-1][2]), output_field=CharField())


def month_bounds(month: datetime.date):
    """The month's first instant and the next month's, in the local time zone."""
    first = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, timezone.make_aware(datetime.datetime(following.year, following.month, 1))


def shift_month(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Line:
    label: str
    screened: int = 0
    mediated: int = 0
    resolved: int = 0

    @property
    def rate(self) -> str:
        return f"{self.resolved * 100 / self.mediated:.0f}%" if self.mediated else "—"

    def add(self, measure, count):
        setattr(self, measure, getattr(self, measure) + count)


@dataclass
class Report:
    month: datetime.date
    total: Line
    by_kind: list[Line]
    by_band: list[Line]
    months: list[Line] = field(default_factory=list)


def _measures(disputes, first, after):
    """(measure, queryset restricted to the measure's rows, the dispute path) per measure."""
    return {
        "screened": disputes.filter(created_at__gte=first, created_at__lt=after),
        "mediated": disputes.filter(
            mediations__held_on__gte=first.date(), mediations__held_on__lt=after.date()
        ),
        "resolved": disputes.filter(agreed_at__gte=first, agreed_at__lt=after),
    }


def monthly_report(disputes, month: datetime.date) -> Report:
    """The report of `disputes` (already scoped and narrowed to the area) for `month`.

    Queries: the kinds, one grouped count per measure for the month, one per measure for the
    months before (7 in all)."""
    kinds = list(DisputeKind.objects.all())
    by_kind = {kind.pk: Line(kind.name) for kind in kinds}
    by_band = {label: Line(label) for _low, _high, label in PEOPLE_BANDS}
    total = Line("")
    first, after = month_bounds(month)
    for measure, rows in _measures(disputes, first, after).items():
        grouped = (
            rows.order_by()
            .annotate(band=_band_expression())
            .values("kind_id", "band")
            .annotate(n=Count("pk", distinct=True))
        )
        for row in grouped:
            by_kind[row["kind_id"]].add(measure, row["n"])
            by_band[row["band"]].add(measure, row["n"])
            total.add(measure, row["n"])
    report = Report(month, total, list(by_kind.values()), list(by_band.values()))
    report.months = _earlier(disputes, month)
    return report


def _earlier(disputes, month):
    """The totals of the months before `month`, oldest first."""
    start = shift_month(month, -EARLIER_MONTHS)
    first, _after = month_bounds(start)
    _first, after = month_bounds(shift_month(month, -1))
    months = {shift_month(start, i): Line(f"{shift_month(start, i):%Y-%m}")
              for i in range(EARLIER_MONTHS)}  # fmt: skip
    truncated = {
        "screened": TruncMonth("created_at"),
        "mediated": TruncMonth("mediations__held_on"),
        "resolved": TruncMonth("agreed_at"),
    }
    for measure, rows in _measures(disputes, first, after).items():
        grouped = (
            rows.order_by()
            .annotate(m=truncated[measure])
            .values("m")
            .annotate(n=Count("pk", distinct=True))
        )
        for row in grouped:
            value = row["m"]
            key = value.date() if isinstance(value, datetime.datetime) else value
            if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                key = timezone.localtime(value).date()
            line = months.get(key.replace(day=1))
            if line is not None:
                line.add(measure, row["n"])
    return list(months.values())


def in_area(disputes, area):
    """`disputes` of `area` (a Street or a Community; None: all of them)."""
    if area is None:
        return disputes
    if area._meta.model_name == "community":
        return disputes.filter(grid__community=area)
    return disputes.filter(grid__community__street=area)
