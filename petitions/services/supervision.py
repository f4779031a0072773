"""督办 grades raised on time limits: a yellow card when the deadline of a petition still being
worked on (new, accepted, in progress: not yet resolved) passes, a red card
`SupervisionRule.red_after()` working days later.

Run by the `raise_supervision` management command and the `raise_supervision_grades` task
(jobs). Idempotent: a petition already at a grade is never raised to it again, and each
raise is a conditional update on the grade it had, so two runs at once raise it once.
Each raise writes an internal event (by the clock's own user) and notifies the handler.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Petition, PetitionEvent, SupervisionGrade, SupervisionRule, add_working_days
from ..models.petitions import BEING_WORKED_ON
from .inbox import notify

# The timeline names who acted: the clock acts under this (inactive, password-less) user.
CLOCK_USERNAME = "时限督办"


def clock_user():
    user, created = get_user_model().objects.get_or_create(
        username=CLOCK_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def grade_due(due_at, now, red_after, red_day=None) -> str:
    """The grade an open petition with deadline `due_at` has earned by `now`."""
    if due_at is None or now <= due_at:
        return ""
    local = timezone.localtime(due_at)
    day = (red_day or add_working_days)(local.date(), red_after)
    red_at = local.replace(year=day.year, month=day.month, day=day.day)
    return SupervisionGrade.RED if now >= red_at else SupervisionGrade.YELLOW


def raise_due_grades(now: datetime.datetime | None = None) -> dict[str, int]:
    """Raise every overdue petition still being worked on to the grade its deadline has
    earned; the counts of yellow and red cards given now."""
    now = now or timezone.now()
    red_after = SupervisionRule.red_after()
    days: dict[datetime.date, datetime.date] = {}

    def red_day(day, n):
        if day not in days:
            days[day] = add_working_days(day, n)
        return days[day]

    candidates = (
        Petition.objects.filter(status__in=BEING_WORKED_ON, due_at__lt=now)
        .exclude(supervision_grade=SupervisionGrade.RED)
        .values_list("pk", "due_at", "supervision_grade")
        .order_by("pk")
    )
    counts = {SupervisionGrade.YELLOW.value: 0, SupervisionGrade.RED.value: 0}
    clock = None
    for pk, due_at, grade in candidates.iterator(chunk_size=500):
        earned = grade_due(due_at, now, red_after, red_day)
        if not earned or earned == grade:
            continue
        clock = clock or clock_user()
        if _raise(pk, grade, earned, clock, now, _("The deadline has passed.")):
            counts[earned] += 1
    return counts


@transaction.atomic
def _raise(pk, grade, earned, by, now, note) -> bool:
    """Raise petition `pk` from `grade` to `earned` unless someone else changed its grade."""
    updated = Petition.objects.filter(
        Q(supervision_grade=grade), pk=pk, status__in=BEING_WORKED_ON
    ).update(
        supervision_grade=earned,
        supervised_at=Coalesce(F("supervised_at"), now),
        version=F("version") + 1,
    )
    if not updated:
        return False
    petition = Petition.objects.select_related("grid__community__street").get(pk=pk)
    PetitionEvent.objects.create(
        petition=petition, actor=by, action="raise_grade", from_status=petition.status,
        to_status=petition.status, public=False,
        note=f"{SupervisionGrade(earned).label}: {note}",
    )  # fmt: skip
    notify(petition, "raise_grade", by)
    return True
