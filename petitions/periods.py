"""Reporting periods in local time (Asia/Shanghai): this week, this month, last month, this
year, or custom dates, read from the query string."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHOICES = [
    ("this_week", _("this week")),
    ("this_month", _("this month")),
    ("last_month", _("last month")),
    ("this_year", _("this year")),
    ("custom", _("custom")),
]


def day_bounds(start: datetime.date, end: datetime.date):
    """The instants (first, after) of local dates start..end inclusive: compared as instants,
    not as dates of a converted column, so that the indexes on the timestamps serve."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return first, after


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date
    end: datetime.date

    @property
    def bounds(self):
        return day_bounds(self.start, self.end)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def query(self):
        return f"period={self.key}&start={self.start:%Y-%m-%d}&end={self.end:%Y-%m-%d}"


def period_from(params, today=None) -> Period:
    """The period the query string asks for; bad or missing values fall back to this month."""
    today = today or timezone.localdate()
    key = params.get("period", "this_month")
    if key == "this_week":
        return Period(key, today - datetime.timedelta(days=today.weekday()), today)
    if key == "last_month":
        end = today.replace(day=1) - datetime.timedelta(days=1)
        return Period(key, end.replace(day=1), end)
    if key == "this_year":
        return Period(key, today.replace(month=1, day=1), today)
    if key == "custom":
        try:
            start = datetime.date.fromisoformat(params.get("start", ""))
            end = datetime.date.fromisoformat(params.get("end", ""))
        except ValueError:
            start = end = None
        if start and end and start <= end and (end - start).days <= 3660:
            return Period(key, start, end)
    return Period("this_month", today.replace(day=1), today)
