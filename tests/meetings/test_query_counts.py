"""The meeting pages run a fixed number of queries: the same for one row and for fifty."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.bulk_insert import insert_rows
from meetings.models import Attendee, FollowUp, Meeting, Topic
from tests.test_query_counts import measured

ROWS = pytest.mark.parametrize("rows", [1, 50])


def make_meetings(community, by, n):
    start = timezone.now() - datetime.timedelta(days=1)
    insert_rows(
        Meeting,
        ["community", "kind", "starts_at", "place", "status", "unnamed_residents", "minutes",
         "created_by", "created_at"],
        ([community.pk, "day", start - datetime.timedelta(weeks=i), f"议事厅{i}", "held", 3, "",
          by.pk, start] for i in range(n)),
    )  # fmt: skip
    return list(Meeting.objects.order_by("pk"))


@ROWS
def test_the_ledger_query_count_does_not_grow_with_meetings(
    rows, client_for, community_staff, community_a, django_assert_num_queries
):
    meetings = make_meetings(community_a, community_staff, rows)
    Topic.objects.bulk_create(
        Topic(meeting=m, title="停车", created_by=community_staff) for m in meetings
    )
    # session, user, scope (official, areas), meetings page, communities of the filter,
    # unread notifications (the header); 50 rows a page chosen (20 by default)
    response = measured(
        client_for(community_staff), reverse("meetings:list"), django_assert_num_queries, 7,
        per=50,
    )  # fmt: skip
    assert response.content.decode().count('href="/meetings/') >= min(rows, 50)


@ROWS
def test_the_meeting_page_query_count_does_not_grow_with_topics_or_attendees(
    rows, client_for, community_staff, community_a, department, django_assert_num_queries
):
    meeting = make_meetings(community_a, community_staff, 1)[0]
    topics = Topic.objects.bulk_create(
        Topic(meeting=meeting, title=f"议题{i}", created_by=community_staff,
              decided_how="consensus", decision="同意", decided_at=timezone.now())
        for i in range(rows)
    )  # fmt: skip
    FollowUp.objects.bulk_create(
        FollowUp(topic=t, action="落实", owner=community_staff.official, due=timezone.localdate())
        for t in topics
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, capacity="police", name=f"民警{i}") for i in range(rows)
    )
    # session, user, scope (official, areas), meeting, the minutes form's photo count, unread
    # notifications, topics, follow-ups, their owners, open petitions to put on the agenda,
    # attendees, photos (the attendee choices are on the attendees' own page)
    response = measured(
        client_for(community_staff), reverse("meetings:detail", args=[meeting.pk]),
        django_assert_num_queries, 13,
    )  # fmt: skip
    assert response.content.decode().count("议题") >= rows
    # session, user, scope (official, areas), meeting, the ids of the residents offered (one
    # union; none here, so no query of the residents), unread notifications, attendees, the
    # officials and the units offered
    response = measured(
        client_for(community_staff), reverse("meetings:attendees", args=[meeting.pk]),
        django_assert_num_queries, 10,
    )  # fmt: skip
    assert response.content.decode().count("民警") >= rows
    # session, user, scope (official, areas), meeting, attendees, unread notifications, topics,
    # follow-ups, their owners, photos
    response = measured(
        client_for(community_staff), reverse("meetings:minutes", args=[meeting.pk]),
        django_assert_num_queries, 11,
    )  # fmt: skip
    assert f"民警{rows - 1}" in response.content.decode()
