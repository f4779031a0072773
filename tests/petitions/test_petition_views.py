"""Petition pages: the list and detail scoped, only the viewer's actions shown, transitions by
POST with a version check, and the residents' tracking page without personal data."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from petitions.models import Category, Petition
from petitions.services import transitions as t
from tests import factories as f


@pytest.fixture
def petition(grid_a1, grid_worker, casework_defaults):
    household = f.make_household(grid_a1, room="301")
    resident = f.make_resident(household, name="陈华", phone="13812345678")
    return Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        household=household, resident=resident, description="6号楼下水管道堵塞",
        created_by=grid_worker,
    )  # fmt: skip


def act(client, petition, action, **data):
    petition.refresh_from_db()
    url = reverse("petitions:act", args=[petition.pk, action])
    return client.post(url, {"version": petition.version, **data}, follow=True)


def test_list_and_detail_are_scoped(client_for, community_staff, street_b_staff, petition):
    assert "下水管道堵塞" in client_for(community_staff).get(reverse("petitions:list")).text
    assert "下水管道堵塞" not in client_for(street_b_staff).get(reverse("petitions:list")).text
    detail = reverse("petitions:detail", args=[petition.pk])
    assert client_for(street_b_staff).get(detail).status_code == 404


def test_detail_offers_only_what_the_viewer_may_do_now(client_for, grid_worker, petition):
    response = client_for(grid_worker).get(reverse("petitions:detail", args=[petition.pk]))
    for action in ("accept", "escalate", "reject", "withdraw"):
        assert reverse("petitions:act", args=[petition.pk, action]) in response.text
    for action in ("resolve", "close", "follow_up", "dispatch"):
        assert reverse("petitions:act", args=[petition.pk, action]) not in response.text


def test_grid_worker_accepts_resolves_follows_up_and_closes(client_for, grid_worker, petition):
    client = client_for(grid_worker)
    assert "已完成" in act(client, petition, "accept").text
    act(client, petition, "resolve", what_was_done="发动23户集资疏通")
    act(client, petition, "follow_up", satisfaction="satisfied", comment="满意")
    response = act(client, petition, "close")
    petition.refresh_from_db()
    assert petition.status == "closed"
    assert "已结案" in response.text


def test_a_refused_transition_says_why_and_changes_nothing(client_for, grid_worker, petition):
    response = act(client_for(grid_worker), petition, "escalate", reason="")
    assert "请填写原因" in response.text
    petition.refresh_from_db()
    assert (petition.status, petition.level) == ("new", "compound")


def test_two_officials_on_the_same_petition_only_one_succeeds(
    client_for, grid_worker, community_staff, petition
):
    seen = petition.version
    url = reverse("petitions:act", args=[petition.pk, "accept"])
    assert "已完成" in client_for(grid_worker).post(url, {"version": seen}, follow=True).text
    second = client_for(community_staff).post(url, {"version": seen}, follow=True)
    assert "已被修改" in second.text
    petition.refresh_from_db()
    assert petition.assignee == grid_worker and petition.events.count() == 1


def test_transitions_need_post(client_for, grid_worker, petition):
    url = reverse("petitions:act", args=[petition.pk, "accept"])
    assert client_for(grid_worker).get(url).status_code == 405


def test_tracking_shows_status_and_public_steps_without_personal_data(
    client, grid_worker, petition
):
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="陈华家门口管道已疏通")
    response = client.get(reverse("petitions:track"), {"code": petition.tracking_code.lower()})
    assert response.status_code == 200
    assert "已办结" in response.text and "签收" in response.text
    for private in ("陈华", "13812345678", "301", "下水管道堵塞", "疏通"):
        assert private not in response.text


def test_wrong_tracking_codes_are_rate_limited(client, db):
    cache.clear()
    for _ in range(10):
        assert client.get(reverse("petitions:track"), {"code": "WRONGCODE2"}).status_code == 200
    assert client.get(reverse("petitions:track"), {"code": "WRONGCODE3"}).status_code == 429
