"""Helpers of the safety tests: days, turnouts and incidents made directly (the services have
their own tests)."""

import datetime

import pytest
from django.utils import timezone

from safety.models import Incident, PoliceDay, Turnout


def make_day(by, *, street=None, date=None, theme="警力下沉日"):
    return PoliceDay.objects.create(
        date=date or timezone.localdate() - datetime.timedelta(days=1), theme=theme,
        street=street, scheduled_by=by,
    )  # fmt: skip


def make_turnout(day, community, by, *, officers=3, screened=5, resolved=4, services=(2, 1, 1)):
    c, p, d = services
    return Turnout.objects.create(
        day=day, community=community, other_officers=officers, officer_count=officers,
        households_visited=10, disputes_screened=screened, disputes_resolved=resolved,
        consultations=c, publicity=p, document_help=d, recorded_by=by,
    )  # fmt: skip


def make_incident(community, by, *, goal="accident", kind="fire", occurred_on=None, **kw):
    kw.setdefault("summary", "楼道电动车充电起火")
    return Incident.objects.create(
        goal=goal, kind=kind, community=community, recorded_by=by,
        occurred_on=occurred_on or timezone.localdate(), **kw,
    )  # fmt: skip


@pytest.fixture
def district_day(organizer):
    return make_day(organizer)
