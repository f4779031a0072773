"""Every write of the safety app: scheduling a police-down day, recording a community's
turnout on it, recording an incident. Each is atomic and checks who may write on the rows as
read inside its transaction; a refusal raises SafetyError with a message to show."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community, Street
from communities.scoping import get_scope
from petitions.photos import photos_stored
from petitions.services.intake import saved_once

from .models import Incident, PoliceDay, Turnout, TurnoutPhoto


class SafetyError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def may_schedule(user, street=None) -> bool:
    """Street officials schedule their street's days; the district schedules any."""
    if get_scope(user).is_organizer:
        return True
    # A community's official never sees its street as a whole: only street officials pass.
    return street is not None and Street.objects.visible_to(user).filter(pk=street.pk).exists()


def schedule_police_day(*, by, date: datetime.date, theme: str, street=None, key=None) -> PoliceDay:
    """Schedule a 警力下沉日 for `street` (None: the whole district). `key`: the form's
    idempotency key (AlreadyRecorded when it was sent before)."""
    if not may_schedule(by, street):
        raise SafetyError(_("Only the street or the district schedules a police-down day."))
    with saved_once(PoliceDay, key, scheduled_by=by):
        return PoliceDay.objects.create(
            date=date, theme=theme, street=street, scheduled_by=by, idempotency_key=key
        )


def _writable_community(by, community_pk: int) -> Community:
    """The community, as locked, if `by` serves it (or its street, or the district)."""
    community = Community.objects.visible_to(by).select_for_update().filter(pk=community_pk).first()
    if community is None:
        raise SafetyError(_("You may only record for the communities you serve."))
    return community


# A turnout without an officer is not one (the community would leave the "to record" list).
NO_OFFICER = gettext_lazy("Tick the officers who came, or count those without an account.")


def record_turnout(
    *, by, day: PoliceDay, community: Community, officers=(), other_officers=0,
    households_visited=0, consultations=0, publicity=0, document_help=0, note="", photos=(),
) -> Turnout:  # fmt: skip
    """Record (or correct) what `day` did in `community`. Photos are added to those it has;
    their files are written before the transaction and deleted if it fails. The disputes of
    the day are not recorded here: they are disputes found on it (`dispute_counts`)."""
    if day.street_id is not None and day.street_id != community.street_id:
        raise SafetyError(_("This police-down day is another street's."))
    if day.date > timezone.localdate():
        raise SafetyError(_("The day has not come yet: record its turnout on or after it."))
    with photos_stored(photos, TurnoutPhoto) as stored, transaction.atomic():
        community = _writable_community(by, community.pk)
        if not officers and not other_officers:
            raise SafetyError(NO_OFFICER)
        turnout = Turnout.objects.select_for_update().filter(day=day, community=community).first()
        turnout = turnout or Turnout(day=day, community=community)
        officers = list(officers)
        for name, value in {
            "other_officers": other_officers, "households_visited": households_visited,
            "consultations": consultations, "publicity": publicity,
            "document_help": document_help, "note": note,
        }.items():  # fmt: skip
            setattr(turnout, name, value)
        turnout.officer_count = len(officers) + other_officers
        turnout.recorded_by = by
        turnout.save()
        turnout.officers.set(officers)
        TurnoutPhoto.objects.bulk_create(
            TurnoutPhoto(turnout=turnout, image=p.image, thumbnail=p.thumbnail) for p in stored
        )
        return turnout


def may_record_incident(user, goal: str) -> bool:
    """越级上访 is recorded by the district, which is told of it; cases and accidents by anyone
    serving the community (its police officer, its staff), its street or the district."""
    scope = get_scope(user)
    if goal == Incident.Goal.PETITION:
        return scope.is_organizer
    return scope.is_organizer or scope.serves("street") or scope.serves("community")


def record_incident(
    *, by, goal: str, kind: str, occurred_on: datetime.date, community: Community,
    summary: str, persons: int = 1, petition=None, key=None,
) -> Incident:  # fmt: skip
    """Record an incident that breaks `goal` in `community` (零上访 / 零案件 / 零事故). `key`:
    the form's idempotency key (AlreadyRecorded when it was sent before)."""
    if not may_record_incident(by, goal):
        raise SafetyError(_("Only the district records a petition taken beyond the district."))
    if kind not in Incident.KINDS.get(goal, ()):
        raise SafetyError(_("This kind does not go with this goal."))
    if occurred_on > timezone.localdate():
        raise SafetyError(_("An incident cannot be dated in the future."))
    with saved_once(Incident, key, recorded_by=by):
        community = _writable_community(by, community.pk)
        return Incident.objects.create(
            goal=goal, kind=kind, occurred_on=occurred_on, community=community,
            summary=summary, persons=persons, petition=petition, recorded_by=by,
            idempotency_key=key,
        )  # fmt: skip
