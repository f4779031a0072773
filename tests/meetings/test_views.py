import datetime
import re

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingSchedule, Topic
from petitions.models import PetitionEvent


def test_community_staff_schedules_a_meeting(client_for, community_staff, community_a):
    response = client_for(community_staff).post(
        reverse("meetings:create"),
        {"community": community_a.pk, "kind": "day", "starts_at": "2026-12-01T09:00",
         "place": "社区议事厅"},
    )  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.created_by == community_staff


@pytest.mark.parametrize(
    ("url", "data", "model"),
    [("meetings:create", {"kind": "day", "starts_at": f"{datetime.date.today()}T09:00",
                          "place": "社区议事厅"},
      Meeting),
     ("meetings:schedule", {"kind": "day", "weekday": "1", "time": "09:00", "place": "议事厅"},
      MeetingSchedule)],
)  # fmt: skip
def test_a_meeting_form_sent_twice_saves_once(
    client_for, community_staff, community_a, url, data, model
):
    """A double tap, or a retry after no answer came: the second finds what the first saved."""
    client = client_for(community_staff)
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"',
                    client.get(reverse(url)).text)[1]  # fmt: skip
    sent = {**data, "community": community_a.pk, "idempotency_key": key}
    assert client.post(reverse(url), sent).status_code == 302
    again = client.post(reverse(url), sent, follow=True)
    assert model.objects.count() == 1 and "已经保存过，没有重复保存。" in again.text
    assert client.post(reverse(url), {**sent, "idempotency_key": ""}).status_code == 302
    assert model.objects.count() == 2  # without a key (an old page), nothing is held back


def test_a_future_meeting_offers_no_minutes_or_decisions_until_its_day(
    client_for, community_staff, future_meeting, meeting_a
):
    """They would only be refused on submit ("not yet"): the page says when they open instead."""
    services.add_topic(future_meeting, by=community_staff, title="停车难")
    page = client_for(community_staff).get(reverse("meetings:detail", args=[future_meeting.pk]))
    assert 'id="action-record_minutes"' not in page.text and "/decide/" not in page.text
    assert "会议尚未召开" in page.text
    services.add_topic(meeting_a, by=community_staff, title="停车难")
    page = client_for(community_staff).get(reverse("meetings:detail", args=[meeting_a.pk]))
    assert 'id="action-record_minutes"' in page.text and "/decide/" in page.text


def test_bad_input_gets_a_chinese_message_and_saves_nothing(client_for, community_staff):
    response = client_for(community_staff).post(
        reverse("meetings:create"), {"kind": "nope", "starts_at": "2026-02-30T25:00"}
    )
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not Meeting.objects.exists()


def test_another_streets_official_gets_404(client_for, street_b_staff, meeting_a):
    client = client_for(street_b_staff)
    assert client.get(reverse("meetings:detail", args=[meeting_a.pk])).status_code == 404
    assert client.get(reverse("meetings:minutes", args=[meeting_a.pk])).status_code == 404
    url = reverse("meetings:change", args=[meeting_a.pk, "add_topic"])
    assert client.post(url, {"title": "x"}).status_code == 404
    assert not Topic.objects.exists()


@pytest.mark.parametrize("role", ["organizer", "street_a_staff", "community_staff"])
def test_who_serves_the_community_sees_its_meeting(request, client_for, role, meeting_a):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("meetings:detail", args=[meeting_a.pk])).status_code == 200
    assert meeting_a.place in client.get(reverse("meetings:list")).content.decode()


@pytest.mark.parametrize("role", ["grid_worker", "department_staff", "outsider"])
def test_who_does_not_serve_the_community_does_not(request, client_for, role, meeting_a):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("meetings:detail", args=[meeting_a.pk])).status_code == 404
    assert meeting_a.place not in client.get(reverse("meetings:list")).content.decode()


def test_the_petition_page_puts_it_on_the_agenda_and_shows_the_decision(
    client_for, community_staff, meeting_a, petition_a
):
    client = client_for(community_staff)
    page = client.get(reverse("petitions:detail", args=[petition_a.pk])).content.decode()
    assert "put-on-agenda" in page
    response = client.post(
        reverse("meetings:change", args=[meeting_a.pk, "put_on_agenda"]),
        {"petition": petition_a.pk, "back": "petition"},
    )
    assert response.url == reverse("petitions:detail", args=[petition_a.pk])
    topic = Topic.objects.get(petition=petition_a)
    response = client.post(
        reverse("meetings:decide", args=[topic.pk]),
        {"decided_how": "consensus", "decision": "物业负责维修路灯", "action": "维修路灯",
         "owner": community_staff.official.pk, "due": "2026-12-10"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("petitions:detail", args=[petition_a.pk])).content.decode()
    assert "物业负责维修路灯" in page
    assert PetitionEvent.objects.filter(action="meeting_decision").count() == 1


def test_a_vote_without_counts_is_refused_in_chinese(client_for, community_staff, meeting_a):
    topic = services.add_topic(meeting_a, by=community_staff, title="停车")
    response = client_for(community_staff).post(
        reverse("meetings:decide", args=[topic.pk]), {"decided_how": "vote", "decision": "x"}
    )
    assert response.status_code == 400
    assert "举手表决需要填写赞成和反对票数" in response.content.decode()
    topic.refresh_from_db()
    assert topic.decided_at is None


def test_community_page_shows_the_next_deliberation_day(
    client_for, community_staff, community_a, future_meeting
):
    page = client_for(community_staff).get(reverse("grids:community", args=[community_a.pk]))
    assert reverse("meetings:detail", args=[future_meeting.pk]) in page.content.decode()


def test_the_ledger_exports_the_meetings(client_for, community_staff, meeting_a):
    response = client_for(community_staff).get(reverse("meetings:ledger"), {"month": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_bad_month_is_a_400_in_chinese(client_for, community_staff):
    response = client_for(community_staff).get(reverse("meetings:list"), {"month": "13-2026"})
    assert response.status_code == 400
    assert "2026-11" in response.content.decode()


def test_attendees_and_minutes_through_the_page(client_for, community_staff, meeting_a, department):
    client = client_for(community_staff)
    response = client.post(
        reverse("meetings:change", args=[meeting_a.pk, "add_attendees"]),
        {"capacity": "unit", "departments": [department.pk]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("meetings:change", args=[meeting_a.pk, "record_minutes"]),
        {"minutes": "到会居民40人", "unnamed_residents": "40"},
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:minutes", args=[meeting_a.pk])).content.decode()
    assert "到会居民40人" in page and department.name in page


def test_attendees_are_recorded_on_their_own_page(client_for, community_staff, meeting_a):
    """The meeting page links to it; a form with a mistake comes back there, in Chinese, with
    what was typed, and records nothing."""
    client = client_for(community_staff)
    url = reverse("meetings:attendees", args=[meeting_a.pk])
    assert url in client.get(reverse("meetings:detail", args=[meeting_a.pk])).text
    page = client.get(url)
    assert page.status_code == 200
    assert community_staff.official.name in page.text  # offered to tick
    response = client.post(
        reverse("meetings:change", args=[meeting_a.pk, "add_attendees"]),
        {"capacity": "police", "name": "王警官", "headcount": "0"},
    )
    assert response.status_code == 400
    assert 'id="attendees-form"' in response.text and 'value="王警官"' in response.text
    assert "请检查填写的内容。" in response.text
    assert not meeting_a.attendees.exists()


def test_ticking_a_resident_as_an_official_comes_back_with_the_reason_by_the_field(
    client_for, community_staff, meeting_a, household_a, petition_a
):
    services.put_on_agenda(meeting_a, by=community_staff, petition=petition_a)  # 陈华 offered
    resident = household_a.residents.get()
    response = client_for(community_staff).post(
        reverse("meetings:change", args=[meeting_a.pk, "add_attendees"]),
        {"capacity": "official", "residents": [resident.pk],
         "officials": [community_staff.official.pk]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "辖区居民只能以居民、5+3成员或党员身份出席" in response.text
    assert not meeting_a.attendees.exists()


def test_a_cancelled_meetings_attendees_page_leads_back_to_it(
    client_for, community_staff, meeting_a
):
    services.cancel_meeting(meeting_a, by=community_staff)
    response = client_for(community_staff).get(reverse("meetings:attendees", args=[meeting_a.pk]))
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting_a.pk])


def test_a_get_on_a_change_is_refused(client_for, community_staff, meeting_a):
    url = reverse("meetings:change", args=[meeting_a.pk, "cancel"])
    assert client_for(community_staff).get(url).status_code == 405


def test_a_district_ledger_offers_streets_then_a_streets_communities(
    client_for, organizer, street_a_staff, community_a, community_b, community_staff
):
    from tests.meetings.test_query_counts import make_meetings

    make_meetings(community_a, community_staff, 1)
    make_meetings(community_b, organizer, 1)
    client = client_for(organizer)
    response = client.get(reverse("meetings:list"))
    assert len(response.context["streets"]) == 2 and response.context["communities"] == []
    assert len(response.context["page"]) == 2
    response = client.get(reverse("meetings:list"), {"street": community_a.street_id})
    assert response.context["communities"] == [(community_a.pk, community_a.name)]
    assert [m.community_id for m in response.context["page"]] == [community_a.pk]
    # Another street's id shows none of its meetings to a street official.
    response = client_for(street_a_staff).get(
        reverse("meetings:list"), {"street": community_b.street_id}
    )
    assert list(response.context["page"]) == [] and response.context["communities"] == []
