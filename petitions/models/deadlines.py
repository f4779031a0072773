"""Deadlines in working days: the calendar of holidays and make-up working days (调休), and the
time limits per category and level. Both are tables editable in the admin."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day that differs from the usual week: a statutory holiday on a weekday, or a weekend
    day made a working day (调休). Other days: Monday to Friday work, weekends rest."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(
        _("note"), max_length=40, blank=True, help_text=_("e.g. 国庆节, 调休上班")
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.note}"


class DeadlineRule(models.Model):
    """Working days to resolve, and hours to respond, per category (empty: any) and level."""

    category = models.ForeignKey(
        "petitions.Category", models.CASCADE, null=True, blank=True, related_name="deadline_rules",
        verbose_name=_("category"), help_text=_("Empty: every category without a rule of its own."),
    )  # fmt: skip
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=[
            ("compound", _("compound")),
            ("community", _("community")),
            ("street", _("street")),
            ("district", _("district")),
        ],
    )
    working_days = models.PositiveSmallIntegerField(_("working days to resolve"))
    response_hours = models.PositiveSmallIntegerField(_("hours to respond"), default=24)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "level"], condition=Q(category__isnull=False),
                name="one_rule_per_category_level",
            ),
            models.UniqueConstraint(
                fields=["level"], condition=Q(category__isnull=True),
                name="one_default_rule_per_level",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.category or '*'} {self.level}: {self.working_days}"


def is_workday(day: datetime.date, overrides: dict[datetime.date, bool]) -> bool:
    return overrides.get(day, day.weekday() < 5)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (holidays and make-up days from CalendarDay)."""
    horizon = start + datetime.timedelta(days=days * 3 + 30)
    overrides = dict(
        CalendarDay.objects.filter(date__gt=start, date__lte=horizon).values_list(
            "date", "is_workday"
        )
    )
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day, overrides):
            left -= 1
    return day
