"""The safety app's writes: who may make them, what they refuse, and that a refusal changes
nothing."""

import datetime

import pytest
from django.utils import timezone

from safety import services
from safety.models import Incident, PoliceDay, Turnout, TurnoutPhoto
from tests.petitions.test_photos import image_file

from .conftest import make_day


def today():
    return timezone.localdate()


def test_a_street_official_schedules_a_day_for_their_own_street_only(
    street_a_staff, street_a, street_b
):
    day = services.schedule_police_day(
        by=street_a_staff, date=today(), theme="警力下沉日", street=street_a
    )
    assert day.street == street_a
    for street in (street_b, None):
        with pytest.raises(services.SafetyError):
            services.schedule_police_day(by=street_a_staff, date=today(), theme="x", street=street)
    assert PoliceDay.objects.count() == 1


def test_a_community_official_does_not_schedule_days(community_staff, street_a):
    with pytest.raises(services.SafetyError, match="街道或区里"):
        services.schedule_police_day(by=community_staff, date=today(), theme="x", street=street_a)


def test_a_community_records_its_turnout_and_officers_add_accounts_and_others(
    community_staff, community_a, district_day, grid_worker
):
    officer = grid_worker.official
    turnout = services.record_turnout(
        by=community_staff, day=district_day, community=community_a, officers=[officer],
        other_officers=4, households_visited=30, consultations=3, publicity=1, document_help=2,
    )  # fmt: skip
    assert turnout.officer_count == 5 and turnout.legal_services == 6
    assert list(turnout.officers.all()) == [officer]
    # Recording again corrects the same row.
    services.record_turnout(
        by=community_staff, day=district_day, community=community_a, other_officers=2
    )
    turnout.refresh_from_db()
    assert Turnout.objects.count() == 1 and turnout.officer_count == 2


def test_a_community_cannot_record_for_another(community_staff, community_b, district_day):
    with pytest.raises(services.SafetyError, match="服务的社区"):
        services.record_turnout(by=community_staff, day=district_day, community=community_b)
    assert not Turnout.objects.exists()


def test_another_streets_day_and_a_day_still_to_come_are_refused(organizer, community_a, street_b):
    other = make_day(organizer, street=street_b)
    with pytest.raises(services.SafetyError, match="其他街道"):
        services.record_turnout(by=organizer, day=other, community=community_a)
    future = make_day(organizer, date=today() + datetime.timedelta(days=3))
    with pytest.raises(services.SafetyError, match="还没到"):
        services.record_turnout(by=organizer, day=future, community=community_a)
    assert not Turnout.objects.exists()


def test_disputes_are_not_typed_on_a_turnout(community_staff, community_a, district_day):
    """They are counted from the disputes found on the day (test_views)."""
    with pytest.raises(TypeError):
        services.record_turnout(
            by=community_staff, day=district_day, community=community_a, disputes_screened=1
        )
    assert not Turnout.objects.exists()


def test_the_photos_of_a_refused_turnout_are_not_kept(
    settings, community_staff, community_b, district_day
):
    from petitions.photos import clean_photo

    photo = clean_photo(image_file(size=(32, 24)))
    with pytest.raises(services.SafetyError):
        services.record_turnout(
            by=community_staff, day=district_day, community=community_b, photos=[photo]
        )
    media = settings.MEDIA_ROOT
    assert not TurnoutPhoto.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True


def test_only_the_district_records_a_petition_beyond_the_district(
    organizer, community_staff, community_a
):
    with pytest.raises(services.SafetyError, match="区里登记"):
        services.record_incident(
            by=community_staff, goal="petition", kind="to_city", occurred_on=today(),
            community=community_a, summary="赴市上访",
        )  # fmt: skip
    incident = services.record_incident(
        by=organizer, goal="petition", kind="to_city", occurred_on=today(),
        community=community_a, summary="赴市上访", persons=2,
    )  # fmt: skip
    assert incident.recorded_by == organizer


def test_an_incident_in_the_future_or_of_a_wrong_kind_is_refused(community_staff, community_a):
    with pytest.raises(services.SafetyError, match="不能晚于今天"):
        services.record_incident(
            by=community_staff, goal="accident", kind="fire", community=community_a,
            occurred_on=today() + datetime.timedelta(days=1), summary="x",
        )  # fmt: skip
    with pytest.raises(services.SafetyError, match="不符"):
        services.record_incident(
            by=community_staff, goal="accident", kind="theft", community=community_a,
            occurred_on=today(), summary="x",
        )  # fmt: skip
    assert not Incident.objects.exists()


def test_a_grid_worker_records_no_incident_and_nobody_records_outside_their_areas(
    grid_worker, street_a_staff, community_a, community_b
):
    with pytest.raises(services.SafetyError):
        services.record_incident(
            by=grid_worker, goal="case", kind="theft", community=community_a,
            occurred_on=today(), summary="x",
        )  # fmt: skip
    with pytest.raises(services.SafetyError, match="服务的社区"):
        services.record_incident(
            by=street_a_staff, goal="case", kind="theft", community=community_b,
            occurred_on=today(), summary="x",
        )  # fmt: skip
    assert not Incident.objects.exists()
