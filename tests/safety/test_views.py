"""The safety pages: who may see and use each, the Chinese messages for bad input, and query
counts that do not grow with the rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safety.models import Incident, PoliceDay, Turnout, TurnoutPhoto
from tests import factories as f

from .conftest import make_day, make_found_dispute, make_incident, make_turnout

THIS_YEAR = {"period": "this_year"}


# --- police-down days: the totals page -----------------------------------------------------


def _found(day, grid, by, screened, resolved):
    for n in range(screened):
        make_found_dispute(grid, by, on=day.date, agreed_on=day.date if n < resolved else None)


def test_the_district_page_adds_up_every_street_and_a_street_only_its_own(
    client_for, organizer, street_a_staff, community_a, community_b, grid_a1, grid_b1
):
    day = make_day(organizer)
    make_turnout(day, community_a, organizer, officers=7)
    make_turnout(day, community_b, organizer, officers=5)
    _found(day, grid_a1, organizer, 3, 2)
    _found(day, grid_b1, organizer, 2, 2)
    page = client_for(organizer).get(reverse("safety:police_days"), THIS_YEAR)
    assert page.context["totals"]["officers"] == 12 and page.context["totals"]["screened"] == 5
    assert page.context["totals"]["resolved"] == 4
    assert {(r["name"], r["screened"], r["resolved"]) for r in page.context["breakdown"]} == {
        ("北大街街道", 3, 2),
        ("文峰街道", 2, 2),
    }
    assert [d.screened for d in page.context["days"]] == [5]
    assert page.context["totals"]["legal_services"] == 8
    assert {r["name"] for r in page.context["breakdown"]} == {"北大街街道", "文峰街道"}
    page = client_for(street_a_staff).get(reverse("safety:police_days"), THIS_YEAR)
    assert page.context["totals"]["officers"] == 7 and "河西社区" not in page.text


def test_a_day_counts_the_disputes_found_on_it_where_it_reached_and_those_agreed_that_day(
    client_for, organizer, community_a, community_b, grid_a1, grid_b1
):
    day = make_day(organizer, date=timezone.localdate() - datetime.timedelta(days=3))
    turnout = make_turnout(day, community_a, organizer)
    the_day, next_day = day.date, day.date + datetime.timedelta(days=1)
    make_found_dispute(grid_a1, organizer, on=the_day, agreed_on=the_day)  # screened, resolved
    make_found_dispute(grid_a1, organizer, on=the_day, agreed_on=next_day)  # screened only
    make_found_dispute(grid_a1, organizer, on=the_day)  # screened only
    # Not the day's: found the day before, found another way, or where the day did not reach.
    make_found_dispute(grid_a1, organizer, on=the_day - datetime.timedelta(days=1))
    make_found_dispute(grid_a1, organizer, on=the_day, agreed_on=the_day, found_by="wechat")
    make_found_dispute(grid_b1, organizer, on=the_day, agreed_on=the_day)
    client = client_for(organizer)
    totals = client.get(reverse("safety:police_days"), THIS_YEAR).context["totals"]
    assert (totals["screened"], totals["resolved"]) == (3, 1)
    page = client.get(reverse("safety:police_day", args=[day.pk]))
    assert (page.context["totals"]["screened"], page.context["totals"]["resolved"]) == (3, 1)
    (shown,) = page.context["turnouts"]
    assert (shown.pk, shown.disputes_screened, shown.disputes_resolved) == (turnout.pk, 3, 1)
    assert "排查矛盾纠纷 3 件，化解 1 件" in page.text
    form = client.get(reverse("safety:turnout_record", args=[day.pk, community_a.pk]))
    assert "disputes_screened" not in form.context["form"].fields
    assert form.context["disputes"] == {"screened": 3, "resolved": 1}


def test_the_totals_page_refuses_a_bad_period_in_chinese(client_for, organizer):
    page = client_for(organizer).get(
        reverse("safety:police_days"), {"period": "custom", "start": "2026-10-31", "end": "x"}
    )
    assert page.status_code == 400 and "日期" in page.text


@pytest.mark.parametrize("rows", [1, 50])
def test_the_totals_page_makes_the_same_queries_for_1_and_50_days(
    rows, client_for, organizer, community_a, django_assert_num_queries
):
    for n in range(rows):
        make_turnout(make_day(organizer, date=datetime.date(2026, 1, 1) + datetime.timedelta(n)),
                     community_a, organizer)  # fmt: skip
    client = client_for(organizer)
    client.get("/")  # the session is stamped on the first request
    # session, user, official, areas, unread notifications; communities in the areas, totals,
    # breakdown, days (with their sums)
    with django_assert_num_queries(9):
        page = client.get(reverse("safety:police_days"), THIS_YEAR)
    assert len(page.context["days"]) == rows


# --- one day --------------------------------------------------------------------------------


def test_a_day_shows_only_the_turnouts_of_the_areas_served(
    client_for, organizer, community_staff, community_a, community_b
):
    day = make_day(organizer)
    make_turnout(day, community_a, organizer)
    make_turnout(day, community_b, organizer)
    page = client_for(community_staff).get(reverse("safety:police_day", args=[day.pk]))
    assert page.status_code == 200 and "新村社区" in page.text and "河西社区" not in page.text


def test_another_streets_day_is_a_404_and_department_staff_see_no_day(
    client_for, organizer, street_a_staff, community_staff, department_staff, street_b
):
    day = make_day(organizer, street=street_b)
    for user in (street_a_staff, community_staff):
        assert client_for(user).get(reverse("safety:police_day", args=[day.pk])).status_code == 404
    district = make_day(organizer)
    url = reverse("safety:police_day", args=[district.pk])
    assert client_for(department_staff).get(url).status_code == 404


@pytest.mark.parametrize("rows", [1, 50])
def test_a_day_makes_the_same_queries_for_1_and_50_communities(
    rows, client_for, organizer, street_a, community_a, django_assert_num_queries
):
    day = make_day(organizer)
    officer = f.make_official("officer", areas=[community_a]).official
    for n in range(rows):
        community = community_a if n == 0 else f.make_community(street_a)
        make_turnout(day, community, organizer).officers.add(officer)
    client = client_for(organizer)
    client.get("/")
    # page header (5); the day; turnouts, their officers, their photos; totals; communities
    with django_assert_num_queries(11):
        page = client.get(reverse("safety:police_day", args=[day.pk]))
    assert len(page.context["turnouts"]) == rows


# --- recording a turnout ---------------------------------------------------------------------


def _turnout_data(**changes):
    data = {
        "other_officers": "3", "households_visited": "20", "consultations": "2",
        "publicity": "1", "document_help": "0",
        "note": "",
    }  # fmt: skip
    return {**data, **changes}


def test_a_community_records_its_turnout_with_photos_and_the_totals_change(
    client_for, organizer, community_staff, community_a
):
    from tests.petitions.test_photos import image_file

    day = make_day(organizer)
    client = client_for(community_staff)
    url = reverse("safety:turnout_record", args=[day.pk, community_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**_turnout_data(), "photos": [image_file(size=(40, 30))]})
    assert response.status_code == 302
    turnout = Turnout.objects.get()
    assert turnout.officer_count == 3 and TurnoutPhoto.objects.filter(turnout=turnout).count() == 1
    totals = client.get(reverse("safety:police_days"), THIS_YEAR).context["totals"]
    assert totals["officers"] == 3 and totals["legal_services"] == 3
    photo = TurnoutPhoto.objects.get()
    assert client.get(reverse("safety:turnout_photo", args=[photo.pk, "thumb"])).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("other_officers", "-1", "0 或更大"),
        ("households_visited", "100000", "不超过 10000"),
        ("consultations", "三", "整数"),
    ],
)
def test_bad_counts_are_refused_in_chinese_and_nothing_is_saved(
    client_for, organizer, community_staff, community_a, field, value, message
):
    day = make_day(organizer)
    url = reverse("safety:turnout_record", args=[day.pk, community_a.pk])
    response = client_for(community_staff).post(url, _turnout_data(**{field: value}))
    assert response.status_code == 200 and message in response.text
    assert not Turnout.objects.exists()


def test_a_turnout_without_an_officer_is_refused_and_the_community_stays_to_record(
    client_for, organizer, community_staff, community_a
):
    day = make_day(organizer)
    url = reverse("safety:turnout_record", args=[day.pk, community_a.pk])
    response = client_for(community_staff).post(url, _turnout_data(other_officers="0"))
    assert response.status_code == 200
    assert "请勾选到场的干警，或填写没有账号的干警人数。" in response.text
    assert not Turnout.objects.exists()


def test_nobody_records_for_a_community_they_do_not_serve(
    client_for, organizer, community_staff, street_a_staff, grid_worker, community_b, community_a
):
    day = make_day(organizer)
    url = reverse("safety:turnout_record", args=[day.pk, community_b.pk])
    for user in (community_staff, street_a_staff):
        assert client_for(user).post(url, _turnout_data()).status_code == 404
    # a grid worker does not serve the community as a whole
    own = reverse("safety:turnout_record", args=[day.pk, community_a.pk])
    assert client_for(grid_worker).get(own).status_code == 404
    assert not Turnout.objects.exists()


def test_another_streets_photo_is_a_404(client_for, organizer, street_a_staff, community_b):
    from petitions.photos import clean_photo
    from tests.petitions.test_photos import image_file

    turnout = make_turnout(make_day(organizer), community_b, organizer)
    photo = clean_photo(image_file(size=(32, 24)))
    stored = TurnoutPhoto.objects.create(
        turnout=turnout, image=photo.image, thumbnail=photo.thumbnail
    )
    url = reverse("safety:turnout_photo", args=[stored.pk, "full"])
    assert client_for(street_a_staff).get(url).status_code == 404
    assert client_for(organizer).get(url).status_code == 200


# --- scheduling ---------------------------------------------------------------------------------


def test_a_street_schedules_a_day_and_a_community_may_not(
    client_for, street_a_staff, community_staff, street_a, street_b
):
    url = reverse("safety:police_day_create")
    assert client_for(community_staff).get(url).status_code == 403
    client = client_for(street_a_staff)
    date = timezone.localdate().isoformat()
    refused = client.post(url, {"date": date, "theme": "x", "street": street_b.pk})
    assert refused.status_code == 200 and not PoliceDay.objects.exists()
    response = client.post(url, {"date": date, "theme": "警力下沉日", "street": street_a.pk})
    assert response.status_code == 302 and PoliceDay.objects.get().street == street_a


def test_only_the_district_is_offered_a_day_for_the_whole_district(
    client_for, organizer, street_a_staff, street_a
):
    url = reverse("safety:police_day_create")
    assert "全区" in client_for(organizer).get(url).text
    form = client_for(street_a_staff).get(url)
    assert "全区" not in form.text
    assert form.context["form"].fields["street"].required
    response = client_for(street_a_staff).post(
        url, {"date": timezone.localdate().isoformat(), "theme": "警力下沉日"}
    )
    assert response.status_code == 200 and not PoliceDay.objects.exists()


def test_a_police_day_and_an_incident_sent_twice_are_saved_once(
    client_for, street_a_staff, community_staff, street_a, community_a
):
    today = timezone.localdate().isoformat()
    key = "0d6f8a0e-6c1b-4b8e-8f55-2f4f7f0b9c21"
    client = client_for(street_a_staff)
    day = {"date": today, "theme": "警力下沉日", "street": street_a.pk, "idempotency_key": key}
    client.post(reverse("safety:police_day_create"), day)
    again = client.post(reverse("safety:police_day_create"), day, follow=True)
    assert PoliceDay.objects.count() == 1 and "已经保存过，没有重复保存。" in again.text
    incident = {"goal": "accident", "kind": "fire", "community": community_a.pk,
                "persons": "0", "summary": "电动车楼道充电起火", "occurred_on": today,
                "idempotency_key": key}  # fmt: skip
    client = client_for(community_staff)
    client.post(reverse("safety:incident_create"), incident)
    again = client.post(reverse("safety:incident_create"), incident, follow=True)
    assert Incident.objects.count() == 1 and "已经保存过，没有重复保存。" in again.text


# --- the three zeros and incidents ----------------------------------------------------------


def test_an_accident_turns_the_communitys_zero_accidents_red_with_a_link(
    client_for, organizer, street_a_staff, community_a
):
    client = client_for(street_a_staff)
    url = reverse("safety:three_zeros")
    assert "zeros--held" in client.get(url).text
    incident = make_incident(community_a, organizer)
    page = client.get(url).text
    assert "zeros--broken" in page
    assert f"goal=accident&amp;community={community_a.pk}" in page
    listed = client.get(reverse("safety:incidents"), {"goal": "accident",
                                                      "community": community_a.pk})  # fmt: skip
    assert list(listed.context["page"]) == [incident]


def test_a_bad_month_is_refused_in_chinese(client_for, organizer):
    for url in (reverse("safety:three_zeros"), reverse("safety:incidents")):
        response = client_for(organizer).get(url, {"month": "2026-13"})
        assert response.status_code == 400 and "请选择" in response.text


@pytest.mark.parametrize("rows", [1, 50])
def test_the_three_zeros_make_the_same_queries_for_1_and_50_communities(
    rows, client_for, organizer, street_a, community_a, django_assert_num_queries
):
    for n in range(rows):
        community = community_a if n == 0 else f.make_community(street_a)
        make_incident(community, organizer)
    client = client_for(organizer)
    client.get("/")
    # page header (5); incidents grouped, communities, the six months
    with django_assert_num_queries(8):
        page = client.get(reverse("safety:three_zeros"))
    assert len(page.context["communities"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_the_incident_list_makes_the_same_queries_for_1_and_50_rows(
    rows, client_for, organizer, community_a, django_assert_num_queries
):
    for _ in range(rows):
        make_incident(community_a, organizer)
    client = client_for(organizer)
    client.get("/")
    with django_assert_num_queries(6):  # page header (5); the page of incidents
        page = client.get(reverse("safety:incidents"))
    assert len(page.context["page"]) == rows


def test_incidents_of_another_street_are_not_listed(
    client_for, organizer, street_a_staff, community_b
):
    make_incident(community_b, organizer)
    page = client_for(street_a_staff).get(reverse("safety:incidents"))
    assert list(page.context["page"]) == [] and "河西社区" not in page.text


def test_a_community_records_an_accident_but_not_one_in_the_future(
    client_for, community_staff, community_a, community_b
):
    client = client_for(community_staff)
    url = reverse("safety:incident_create")
    data = {
        "goal": "accident", "kind": "fire", "community": community_a.pk, "persons": "0",
        "summary": "电动车楼道充电起火", "occurred_on": timezone.localdate().isoformat(),
    }  # fmt: skip
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    refused = client.post(url, {**data, "occurred_on": tomorrow})
    assert refused.status_code == 200 and "日期不能晚于今天" in refused.text
    refused = client.post(url, {**data, "kind": "theft"})
    assert "不符" in refused.text
    refused = client.post(url, {**data, "community": community_b.pk})
    assert refused.status_code == 200
    refused = client.post(url, {**data, "goal": "petition", "kind": "to_city"})
    assert "区里登记" in refused.text
    assert not Incident.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Incident.objects.get().community == community_a


@pytest.mark.parametrize("role", ["grid_worker", "department_staff", "outsider"])
def test_those_who_serve_no_community_record_no_incident(request, client_for, role):
    user = request.getfixturevalue(role)
    assert client_for(user).get(reverse("safety:incident_create")).status_code == 403


def _as_a_browser_sends_it(html):
    """The values an untouched form sends: each select's selected option (else its first), each
    input's value."""
    import re

    data = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        options = re.findall(r'<option value="([^"]*)"( selected)?', body)
        chosen = [value for value, selected in options if selected] or [options[0][0]]
        data[name] = chosen[0]
    for tag in re.findall(r"<(?:input|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and name[1] != "csrfmiddlewaretoken":
            value = re.search(r'value="([^"]*)"', tag)
            data[name[1]] = value[1] if value else ""
    return data


def test_the_untouched_incident_form_only_says_what_is_required(client_for, community_staff):
    client = client_for(community_staff)
    url = reverse("safety:incident_create")
    sent = _as_a_browser_sends_it(client.get(url).text)
    assert sent["goal"] == "accident" and sent["kind"] == ""
    for data in (sent, dict.fromkeys(sent, "")):
        refused = client.post(url, data)
        assert refused.status_code == 200
        errors = refused.context["form"].errors
        assert "不符" not in refused.text
        assert {"kind", "community", "summary", "occurred_on"} <= set(errors)
        assert all(message == "这个字段是必填项。" for m in errors.values() for message in m)
    assert not Incident.objects.exists()


def test_a_district_sees_its_streets_and_the_communities_that_broke_a_zero_then_opens_a_street(
    client_for, organizer, street_a, street_b, community_a, community_b, street_a_staff
):
    held = f.make_community(street_a, name="八西社区")
    make_incident(community_a, organizer)
    client = client_for(organizer)
    response = client.get(reverse("safety:three_zeros"))
    assert [row.pk for row in response.context["communities"]] == [community_a.pk]
    assert f"street={street_a.pk}" in response.text and f"street={street_b.pk}" in response.text
    assert "未达标的社区" in response.text
    response = client.get(reverse("safety:three_zeros"), {"street": street_a.pk})
    assert [row.pk for row in response.context["communities"]] == [community_a.pk, held.pk]
    assert community_b.name not in response.text
    # A street's official asking for another street's id sees none of it.
    response = client_for(street_a_staff).get(
        reverse("safety:three_zeros"), {"street": street_b.pk}
    )
    assert response.context["communities"] == [] and community_b.name not in response.text
