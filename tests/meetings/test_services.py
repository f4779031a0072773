import datetime

import pytest
from django.utils import timezone

from meetings import services
from meetings.models import Attendee, Meeting, MeetingSchedule, Topic
from petitions.models import Category, Petition, PetitionEvent
from tests import factories as f


def test_a_schedule_makes_the_next_weeks_meetings_once(community_a, community_staff):
    schedule = services.create_schedule(
        by=community_staff, community=community_a, kind="day", weekday=1,
        time=datetime.time(9, 0), place="社区议事厅",
    )  # fmt: skip
    meetings = Meeting.objects.filter(schedule=schedule)
    assert meetings.count() == services.WEEKS_AHEAD
    assert {timezone.localtime(m.starts_at).weekday() for m in meetings} == {1}
    assert services.generate_meetings(schedule) == 0
    assert meetings.count() == services.WEEKS_AHEAD
    # A week later one more week comes into view, and only that one is added.
    later = timezone.localdate() + datetime.timedelta(days=7)
    assert services.generate_meetings(schedule, today=later) == 1


def test_an_inactive_schedule_makes_nothing(community_a, community_staff):
    schedule = MeetingSchedule.objects.create(
        community=community_a, kind="day", weekday=1, time=datetime.time(9), place="厅",
        created_by=community_staff, active=False,
    )  # fmt: skip
    assert services.generate_meetings(schedule) == 0


def test_putting_a_petition_on_the_agenda_and_deciding_it_writes_its_timeline(
    meeting_a, petition_a, community_staff
):
    topic = services.put_on_agenda(meeting_a, by=community_staff, petition=petition_a)
    assert topic.petition == petition_a
    services.decide_topic(
        topic, by=community_staff, decision="由物业三日内更换路灯", decided_how="vote",
        votes_for=23, votes_against=2, abstentions=1,
        follow_ups=[("更换路灯", None, "物业经理", timezone.localdate())],
    )  # fmt: skip
    event = PetitionEvent.objects.get(petition=petition_a, action="meeting_decision")
    assert "由物业三日内更换路灯" in event.note and "23" in event.note
    assert event.from_status == event.to_status == petition_a.status
    meeting_a.refresh_from_db()
    assert meeting_a.status == "held"
    assert topic.follow_ups.get().owner_name == "物业经理"


def test_a_petition_is_put_on_an_agenda_once(meeting_a, petition_a, community_staff):
    services.put_on_agenda(meeting_a, by=community_staff, petition=petition_a)
    with pytest.raises(services.MeetingError):
        services.put_on_agenda(meeting_a, by=community_staff, petition=petition_a)
    assert Topic.objects.count() == 1


def test_a_closed_or_foreign_petition_is_refused(meeting_a, petition_a, community_staff, grid_b1):
    Petition.objects.filter(pk=petition_a.pk).update(status="closed")
    petition_a.refresh_from_db()
    with pytest.raises(services.MeetingError):
        services.put_on_agenda(meeting_a, by=community_staff, petition=petition_a)
    Petition.objects.filter(pk=petition_a.pk).update(status="new", grid=grid_b1)
    petition_a.refresh_from_db()
    with pytest.raises(services.MeetingError):
        services.put_on_agenda(meeting_a, by=community_staff, petition=petition_a)
    assert not Topic.objects.exists()


def test_a_future_meeting_cannot_decide_and_nothing_changes(future_meeting, community_staff):
    topic = services.add_topic(future_meeting, by=community_staff, title="停车难")
    with pytest.raises(services.MeetingError):
        services.decide_topic(topic, by=community_staff, decision="x", decided_how="consensus",
                              follow_ups=[("y", None, "z", timezone.localdate())])  # fmt: skip
    topic.refresh_from_db()
    assert topic.decided_at is None and not topic.follow_ups.exists()


def test_a_show_of_hands_needs_its_counts(meeting_a, community_staff):
    topic = services.add_topic(meeting_a, by=community_staff, title="停车难")
    with pytest.raises(services.MeetingError):
        services.decide_topic(topic, by=community_staff, decision="x", decided_how="vote")
    services.decide_topic(topic, by=community_staff, decision="下次再议", decided_how="deferred")
    topic.refresh_from_db()
    assert not topic.is_decided  # deferred: may be decided later
    services.decide_topic(topic, by=community_staff, decision="划线", decided_how="consensus")
    with pytest.raises(services.MeetingError):
        services.decide_topic(topic, by=community_staff, decision="y", decided_how="consensus")


def test_a_cancelled_meeting_takes_nothing(future_meeting, community_staff):
    services.cancel_meeting(future_meeting, by=community_staff)
    with pytest.raises(services.MeetingError):
        services.add_topic(future_meeting, by=community_staff, title="x")
    with pytest.raises(services.MeetingError):
        services.cancel_meeting(future_meeting, by=community_staff)


def test_attendees_are_recorded_once(meeting_a, community_staff, department, household_a):
    official = community_staff.official
    resident = household_a.residents.get()
    added = services.add_attendees(
        meeting_a, by=community_staff, capacity="official", officials=[official]
    )
    assert added == 1
    assert services.add_attendees(meeting_a, by=community_staff, capacity="official",
                                  officials=[official], departments=[department]) == 1  # fmt: skip
    services.add_attendees(meeting_a, by=community_staff, capacity="resident",
                           residents=[resident])  # fmt: skip
    services.add_attendees(meeting_a, by=community_staff, capacity="police", name="王警官")
    assert Attendee.objects.get(resident=resident).household == household_a
    assert meeting_a.attendees.count() == 4
    with pytest.raises(services.MeetingError):
        services.add_attendees(meeting_a, by=community_staff, capacity="resident")


def test_each_attendee_is_recorded_in_the_capacity_that_fits_them(
    meeting_a, community_staff, department, household_a
):
    """One submission may tick officials, units and residents: officials stay officials and
    units units whatever capacity was chosen for the residents (a resident ticked with the
    default once came out as 干部 and skewed the attendance figures)."""
    resident = household_a.residents.get()
    services.add_attendees(
        meeting_a, by=community_staff, capacity="party", officials=[community_staff.official],
        departments=[department], residents=[resident],
    )  # fmt: skip
    capacities = {
        ("official" if a.official_id else "unit" if a.department_id else "resident"): a.capacity
        for a in meeting_a.attendees.all()
    }
    assert capacities == {"official": "official", "unit": "unit", "resident": "party"}


@pytest.mark.parametrize("capacity", ["official", "police", "unit"])
def test_a_resident_is_never_recorded_as_an_official_a_police_officer_or_a_unit(
    meeting_a, community_staff, household_a, capacity
):
    with pytest.raises(services.MeetingError, match="居民"):
        services.add_attendees(meeting_a, by=community_staff, capacity=capacity,
                               residents=[household_a.residents.get()])  # fmt: skip
    assert not meeting_a.attendees.exists()


def test_raising_a_petition_from_a_topic(meeting_a, household_a, community_staff):
    topic = services.add_topic(meeting_a, by=community_staff, title="楼道堆物")
    building = household_a.unit.building
    petition = services.raise_petition(
        topic, by=community_staff, category=Category.objects.get(name="其他"),
        description="清理楼道堆物", building=building,
    )  # fmt: skip
    assert petition.source == "meeting" and petition.building == building
    topic.refresh_from_db()
    assert topic.raised_petition == petition
    with pytest.raises(services.MeetingError):
        services.raise_petition(topic, by=community_staff, category=petition.category,
                                description="again", building=building)  # fmt: skip
    assert Petition.objects.filter(source="meeting").count() == 1


def test_minutes_mark_the_meeting_held(meeting_a, community_staff):
    services.record_minutes(meeting_a, by=community_staff, minutes="到会40人", unnamed_residents=34)
    meeting_a.refresh_from_db()
    assert (meeting_a.status, meeting_a.unnamed_residents) == ("held", 34)


def test_the_weekly_command_fills_every_schedule_once(community_a, community_staff):
    import io

    from django.core.management import call_command

    MeetingSchedule.objects.create(
        community=community_a, kind="day", weekday=1, time=datetime.time(9), place="厅",
        created_by=community_staff,
    )  # fmt: skip
    out = io.StringIO()
    call_command("generate_meetings", stdout=out)
    assert Meeting.objects.count() == services.WEEKS_AHEAD
    call_command("generate_meetings", stdout=out)
    assert Meeting.objects.count() == services.WEEKS_AHEAD


def test_the_communitys_police_officer_ticked_comes_as_police(
    meeting_a, community_staff, community_a
):
    """民警 with an account (assigned to the community, 三官一律) are police, not 干部."""
    from tests.cadres.conftest import assign

    police = f.make_department(community_a.street.district, name="区公安分局")
    officer = f.make_official("officer", name="王警官", department=police)
    assign(officer, community_a, kind="police")
    services.add_attendees(meeting_a, by=community_staff, capacity="resident",
                           officials=[officer.official, community_staff.official])  # fmt: skip
    capacities = dict(meeting_a.attendees.values_list("official__name", "capacity"))
    assert capacities == {"王警官": "police", community_staff.official.name: "official"}
