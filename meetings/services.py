"""Every change to meetings: scheduling, agendas, attendance, decisions, minutes.

Each function is atomic: it locks the meeting row, decides on it as it is then, and either makes
the whole change or raises `MeetingError` (a translatable message) and changes nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Assignment
from petitions.models import Petition, PetitionEvent
from petitions.photos import photos_stored
from petitions.services.intake import open_petition, saved_once

from .models import (
    RESIDENT_CAPACITY_REFUSED,
    Attendee,
    FollowUp,
    Meeting,
    MeetingPhoto,
    MeetingSchedule,
    Topic,
)

WEEKS_AHEAD = 8  # a schedule keeps the next eight weeks' meetings in the calendar


class MeetingError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


CANCELLED = gettext_lazy("This meeting was cancelled: nothing can be added to it.")
NOT_YET = gettext_lazy("The meeting has not taken place yet: record it on its day.")


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _refuse_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(CANCELLED)


def _refuse_future(meeting: Meeting) -> None:
    if not meeting.has_come:
        raise MeetingError(NOT_YET)


@transaction.atomic
def schedule_meeting(
    *, by, community, kind, starts_at, place, grid=None, compound=None, chair=None, key=None
) -> Meeting:
    """Put one meeting in the calendar of `community` (optionally in one of its grids or
    compounds). `key`: the form's idempotency key (AlreadyRecorded when it was sent before)."""
    if grid is not None and grid.community_id != community.pk:
        raise MeetingError(_("The grid is not in this community."))
    if compound is not None and compound.community_id != community.pk:
        raise MeetingError(_("The compound is not in this community."))
    with saved_once(Meeting, key, created_by=by):
        return Meeting.objects.create(
            community=community, grid=grid, compound=compound, kind=kind, starts_at=starts_at,
            place=place, chair=chair, created_by=by, idempotency_key=key,
        )  # fmt: skip


@transaction.atomic
def create_schedule(
    *, by, community, kind, weekday, time, place, chair=None, key=None
) -> MeetingSchedule:
    """A recurring meeting ("every Tuesday"), and its meetings of the next weeks. `key`: the
    form's idempotency key (AlreadyRecorded when it was sent before)."""
    with saved_once(MeetingSchedule, key, created_by=by):
        schedule = MeetingSchedule.objects.create(
            community=community, kind=kind, weekday=weekday, time=time, place=place,
            chair=chair, created_by=by, idempotency_key=key,
        )  # fmt: skip
    generate_meetings(schedule)
    return schedule


def _dates(schedule: MeetingSchedule, today: datetime.date, weeks: int):
    first = today + datetime.timedelta(days=(schedule.weekday - today.weekday()) % 7)
    for week in range(weeks):
        day = first + datetime.timedelta(weeks=week)
        yield timezone.make_aware(datetime.datetime.combine(day, schedule.time))


@transaction.atomic
def generate_meetings(schedule: MeetingSchedule, *, weeks=WEEKS_AHEAD, today=None) -> int:
    """Create the schedule's meetings from `today` for `weeks` weeks that do not exist yet;
    returns how many were created. Run again, it adds nothing (one meeting per schedule and
    time, a unique constraint)."""
    if not schedule.active:
        return 0
    times = list(_dates(schedule, today or timezone.localdate(), weeks))
    existing = set(
        Meeting.objects.filter(schedule=schedule, starts_at__in=times).values_list(
            "starts_at", flat=True
        )
    )
    missing = [
        Meeting(
            community_id=schedule.community_id,
            kind=schedule.kind,
            starts_at=at,
            place=schedule.place,
            chair_id=schedule.chair_id,
            schedule=schedule,
            created_by_id=schedule.created_by_id,
        )  # fmt: skip
        for at in times
        if at not in existing
    ]
    Meeting.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by) -> Meeting:
    """Cancel a meeting that has not been held."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise MeetingError(_("Only a scheduled meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    return meeting


def _petition_topic_title(petition: Petition) -> str:
    return f"{petition.category.name}：{petition.description}"[:100]


@transaction.atomic
def put_on_agenda(meeting: Meeting, *, by, petition: Petition) -> Topic:
    """Make an open petition of the meeting's community a topic of the meeting."""
    meeting = _locked(meeting)
    _refuse_cancelled(meeting)
    if not petition.is_open:
        raise MeetingError(_("Only an open petition can be put on an agenda."))
    if petition.grid.community_id != meeting.community_id:
        raise MeetingError(_("The petition is not in the meeting's community."))
    if Topic.objects.filter(meeting=meeting, petition=petition).exists():
        raise MeetingError(_("This petition is already on the meeting's agenda."))
    return Topic.objects.create(
        meeting=meeting, petition=petition, title=_petition_topic_title(petition),
        description=petition.description, created_by=by,
    )  # fmt: skip


@transaction.atomic
def add_topic(meeting: Meeting, *, by, title: str, description: str = "") -> Topic:
    """A new topic, not from a petition."""
    meeting = _locked(meeting)
    _refuse_cancelled(meeting)
    return Topic.objects.create(
        meeting=meeting, title=title, description=description, created_by=by
    )


@transaction.atomic
def add_attendees(
    meeting: Meeting, *, by, capacity, officials=(), residents=(), departments=(), name="",
    headcount=1,
) -> int:  # fmt: skip
    """Record who came; returns how many were added (someone already recorded is not added
    twice). Officials come as officials (the community's police officer as police) and units as
    units; `capacity` is that of the residents (5+3 member, party member or resident) and of the
    person typed by `name`."""
    if residents and capacity not in Attendee.RESIDENT_CAPACITIES:
        raise MeetingError(RESIDENT_CAPACITY_REFUSED)
    meeting = _locked(meeting)
    _refuse_cancelled(meeting)
    officials = list(officials)
    police = set(
        Assignment.objects.current(timezone.localdate(meeting.starts_at))
        .filter(kind=Assignment.Kind.POLICE, official__in=officials)
        .filter(Q(community=meeting.community_id) | Q(grid__community=meeting.community_id))
        .values_list("official_id", flat=True)
    ) if officials else set()  # fmt: skip
    rows = [
        Attendee(official=o, capacity=Attendee.Capacity.POLICE if o.pk in police
                 else Attendee.Capacity.OFFICIAL)
        for o in officials
    ]  # fmt: skip
    rows += [
        Attendee(resident=r, household_id=r.household_id, capacity=capacity) for r in residents
    ]
    rows += [Attendee(department=d, capacity=Attendee.Capacity.UNIT) for d in departments]
    if name:
        rows.append(Attendee(name=name, capacity=capacity, headcount=headcount))
    if not rows:
        raise MeetingError(_("Choose someone, or type a name."))
    present = meeting.attendees.all()
    known = {
        ("official", a.official_id) for a in present if a.official_id
    } | {("resident", a.resident_id) for a in present if a.resident_id} | {
        ("department", a.department_id) for a in present if a.department_id
    }  # fmt: skip
    new = [
        row for row in rows
        if not any((who, getattr(row, f"{who}_id")) in known
                   for who in ("official", "resident", "department"))
    ]  # fmt: skip
    for row in new:
        row.meeting = meeting
    Attendee.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def remove_attendee(attendee: Attendee, *, by) -> None:
    meeting = _locked(attendee.meeting)
    _refuse_cancelled(meeting)
    Attendee.objects.filter(pk=attendee.pk).delete()


@transaction.atomic
def decide_topic(
    topic: Topic, *, by, decision: str, decided_how: str, votes_for=None, votes_against=None,
    abstentions=None, follow_ups=(),
) -> Topic:  # fmt: skip
    """Record what the meeting decided on `topic` and what must follow, by whom and when. The
    meeting is then held; a topic from a petition adds the decision to that petition's
    timeline."""
    meeting = _locked(topic.meeting)
    _refuse_cancelled(meeting)
    _refuse_future(meeting)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.is_decided:
        raise MeetingError(_("This topic is already decided."))
    if decided_how == Topic.Decided.VOTE:
        if votes_for is None or votes_against is None:
            raise MeetingError(_("A show of hands needs the votes for and against."))
    else:
        votes_for = votes_against = abstentions = None
    topic.decision, topic.decided_how = decision, decided_how
    topic.votes_for, topic.votes_against, topic.abstentions = votes_for, votes_against, abstentions
    topic.decided_at = timezone.now()
    topic.save(update_fields=["decision", "decided_how", "votes_for", "votes_against",
                              "abstentions", "decided_at"])  # fmt: skip
    FollowUp.objects.bulk_create(
        FollowUp(topic=topic, action=action, owner=owner, owner_name=owner_name, due=due)
        for action, owner, owner_name, due in follow_ups
    )
    if meeting.status == Meeting.Status.SCHEDULED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
    if topic.petition_id:
        _decision_on_petition(topic, meeting, by)
    return topic


def _decision_on_petition(topic: Topic, meeting: Meeting, by) -> None:
    petition = Petition.objects.select_for_update(of=("self",)).get(pk=topic.petition_id)
    how = topic.get_decided_how_display()
    if topic.decided_how == Topic.Decided.VOTE:
        how += " " + _("%(for)s for, %(against)s against, %(abstain)s abstaining") % {
            "for": topic.votes_for, "against": topic.votes_against,
            "abstain": topic.abstentions or 0,
        }  # fmt: skip
    note = f"{meeting.get_kind_display()} {timezone.localtime(meeting.starts_at):%Y-%m-%d}" \
        f"（{how}）：{topic.decision}"  # fmt: skip
    PetitionEvent.objects.create(
        petition=petition, actor=by, action="meeting_decision", from_status=petition.status,
        to_status=petition.status, note=note[:4000],
    )  # fmt: skip


@transaction.atomic
def raise_petition(
    topic: Topic, *, by, category, description, household=None, building=None
) -> Petition:
    """Open a new petition (source: deliberation meeting) for what the topic decided must be
    done, and link it to the topic."""
    meeting = _locked(topic.meeting)
    _refuse_cancelled(meeting)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.raised_petition_id:
        raise MeetingError(_("A petition was already raised from this topic."))
    place = household.grid if household is not None else building.grid if building else None
    if place is None or place.community_id != meeting.community_id:
        raise MeetingError(_("Choose a place in the meeting's community."))
    petition = open_petition(
        by=by, source=Petition.Source.MEETING, category=category, description=description,
        household=household, building=building,
        note=_("Raised at %(meeting)s.") % {"meeting": meeting},
    )  # fmt: skip
    topic.raised_petition = petition
    topic.save(update_fields=["raised_petition"])
    return petition


def record_minutes(meeting: Meeting, *, by, minutes: str, unnamed_residents: int, photos=()):
    """Write the minutes, the residents present who are not named and photos; the meeting is
    then held. Photo files are written first and deleted again if the change fails."""
    with photos_stored(photos, MeetingPhoto) as stored:
        return _record_minutes(meeting, minutes, unnamed_residents, stored)


@transaction.atomic
def _record_minutes(meeting, minutes, unnamed_residents, stored):
    meeting = _locked(meeting)
    _refuse_cancelled(meeting)
    _refuse_future(meeting)
    from petitions.photos import max_photos

    if meeting.photos.count() + len(stored) > max_photos():
        raise MeetingError(_("At most %(max)d photos in all.") % {"max": max_photos()})
    meeting.minutes, meeting.unnamed_residents = minutes, unnamed_residents
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["minutes", "unnamed_residents", "status"])
    MeetingPhoto.objects.bulk_create(
        MeetingPhoto(meeting=meeting, image=p.image, thumbnail=p.thumbnail) for p in stored
    )
    return meeting
