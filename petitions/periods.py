"""Reporting periods in local time (Asia/Shanghai): this week, this month, last month, this
year, or custom dates, read from the query string through `PeriodForm`."""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHOICES = [
    ("this_week", _("this week")),
    ("this_month", _("this month")),
    ("last_month", _("last month")),
    ("this_year", _("this year")),
    ("custom", _("custom")),
]


# Custom dates are bounded: year 0001 or 9999 overflowed the conversion to instants (a 500).
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)
MAX_DAYS = 3660


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
    # What was wrong with the period asked for, when this one replaces it (shown by the form).
    errors: tuple[str, ...] = field(default=(), compare=False)

    @property
    def bounds(self):
        return day_bounds(self.start, self.end)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    # The dates a custom period may take (the date inputs' min and max).
    first_day, last_day = FIRST_DAY, LAST_DAY

    @property
    def query(self):
        """The query string that asks for this period (links to lists and pages)."""
        return f"period={self.key}&start={self.start:%Y-%m-%d}&end={self.end:%Y-%m-%d}"


class PeriodForm(forms.Form):
    """The period of a query string: the one place that decides which periods may be asked for."""

    period = forms.ChoiceField(choices=CHOICES, required=False)
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom" or self.errors:
            return data
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            raise forms.ValidationError(_("Enter both dates of the period."))
        if not (FIRST_DAY <= start <= LAST_DAY and FIRST_DAY <= end <= LAST_DAY):
            raise forms.ValidationError(
                _("Choose dates from %(first)s to %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
            )
        if start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("A period is at most ten years."))
        return data


def period_from(params, today=None) -> Period:
    """The period the query string asks for. Missing, it is this month; refused, it is this
    month too, carrying the reasons in `errors` (views show them, or answer 400)."""
    today = today or timezone.localdate()
    key = params.get("period", "")
    # The dates count only for a custom period (the other periods' forms send them along too).
    dates = {name: params.get(name, "") for name in ("start", "end")} if key == "custom" else {}
    form = PeriodForm({"period": key, **dates})
    if not form.is_valid():
        errors = tuple(str(e) for errors in form.errors.values() for e in errors)
        return Period("this_month", today.replace(day=1), today, errors)
    data = form.cleaned_data
    key = data["period"] or "this_month"
    if key == "this_week":
        return Period(key, today - datetime.timedelta(days=today.weekday()), today)
    if key == "last_month":
        end = today.replace(day=1) - datetime.timedelta(days=1)
        return Period(key, end.replace(day=1), end)
    if key == "this_year":
        return Period(key, today.replace(month=1, day=1), today)
    if key == "custom":
        return Period(key, data["start"], data["end"])
    return Period("this_month", today.replace(day=1), today)
