"""Helpers of the safety tests: days, turnouts and incidents made directly (the services have
their own tests)."""

import datetime

import pytest
from django.utils import timezone

from disputes.defaults import ensure_kinds
from disputes.models import Dispute, DisputeKind
from disputes.services.intake import PartyData, open_dispute
from safety.models import Incident, PoliceDay, Turnout


def make_day(by, *, street=None, date=None, theme="警力下沉日"):
    return PoliceDay.objects.create(
        date=date or timezone.localdate() - datetime.timedelta(days=1), theme=theme,
        street=street, scheduled_by=by,
    )  # fmt: skip


def make_turnout(day, community, by, *, officers=3, services=(2, 1, 1)):
    c, p, d = services
    return Turnout.objects.create(
        day=day, community=community, other_officers=officers, officer_count=officers,
        households_visited=10, consultations=c, publicity=p, document_help=d, recorded_by=by,
    )  # fmt: skip


def at(date, hour):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))


def make_found_dispute(grid, by, *, on, agreed_on=None, found_by="police_day"):
    """A dispute found (`found_by`) in `grid` on the date `on`, at 00:30 local time (the day
    before in UTC: the day is the local one), its agreement reached on `agreed_on` if given."""
    ensure_kinds(DisputeKind)
    dispute = open_dispute(
        by=by, kind=DisputeKind.objects.order_by("pk").first(), found_by=found_by,
        description="警力下沉日现场排查:邻里噪音", grid=grid,
        parties=[PartyData("applicant", name="张三"), PartyData("respondent", name="李四")],
    )  # fmt: skip
    changes = {"created_at": at(on, 0) + datetime.timedelta(minutes=30)}
    if agreed_on:
        changes |= {"status": "agreed", "outcome": "success", "agreed_at": at(agreed_on, 16)}
    Dispute.objects.filter(pk=dispute.pk).update(**changes)
    return dispute


def make_incident(community, by, *, goal="accident", kind="fire", occurred_on=None, **kw):
    kw.setdefault("summary", "楼道电动车充电起火")
    return Incident.objects.create(
        goal=goal, kind=kind, community=community, recorded_by=by,
        occurred_on=occurred_on or timezone.localdate(), **kw,
    )  # fmt: skip


@pytest.fixture
def district_day(organizer):
    return make_day(organizer)
