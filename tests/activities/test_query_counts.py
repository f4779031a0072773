"""The activity pages cost the same number of queries for 1 row and for 50."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityPhoto,
    Finding,
    Place,
    PlaceCheck,
    ServiceTeam,
    TeamMember,
)
from communities.models import Department
from petitions.models import Petition

ROWS = pytest.mark.parametrize("rows", [1, 50])


def measured(client, url, django_assert_num_queries, expected, **params):
    client.get(url, params)  # warm up: the first request stamps the session
    with django_assert_num_queries(expected):
        return client.get(url, params)


def add_activities(grid, user, category, n):
    """n patrols of `grid`, each with a partner, a photo, a place checked and a finding."""
    department = Department.objects.get_or_create(
        district=grid.community.street.district, name="统计局"
    )[0]
    for i in range(n):
        activity = Activity.objects.create(
            kind="patrol", title=f"巡查{i}", community=grid.community, grid=grid,
            held_on=timezone.localdate(), participants=3, what_was_done="巡查", created_by=user,
        )  # fmt: skip
        activity.partners.add(department)
        ActivityPhoto.objects.create(activity=activity, image="a.jpg", thumbnail="a.jpg")
        place = Place.objects.create(grid=grid, kind="shop", name=f"商铺{Place.objects.count()}")
        PlaceCheck.objects.create(activity=activity, place=place, result="problems")
        petition = Petition.objects.create(
            source="patrol", category=category, grid=grid, description="飞线充电",
            created_by=user,
        )  # fmt: skip
        Finding.objects.create(activity=activity, place=place, petition=petition)


@ROWS
def test_ledger_query_count_is_the_same_for_one_activity_and_fifty(
    rows, client_for, community_staff, grid_a1, safety, django_assert_num_queries
):
    add_activities(grid_a1, community_staff, safety, rows)
    # session, user, official, areas, unread notifications; the activities, their partners,
    # their photos, their findings counted; the communities to filter by (50 rows a page
    # chosen: 20 by default)
    response = measured(
        client_for(community_staff), reverse("activities:ledger"), django_assert_num_queries, 10,
        per=50,
    )  # fmt: skip
    assert len(response.context["page"]) == rows


@ROWS
def test_place_list_query_count_is_the_same_for_one_place_and_fifty(
    rows, client_for, community_staff, grid_a1, safety, django_assert_num_queries
):
    add_activities(grid_a1, community_staff, safety, rows)
    # session, user, official, areas, unread notifications; the places, their last check;
    # the communities
    response = measured(
        client_for(community_staff), reverse("activities:place_list"),
        django_assert_num_queries, 8,
    )  # fmt: skip
    assert len(response.context["page"]) == rows


@ROWS
def test_team_list_query_count_is_the_same_for_one_team_and_fifty(
    rows, client_for, community_staff, community_a, django_assert_num_queries
):
    for i in range(rows):
        team = ServiceTeam.objects.create(community=community_a, kind="patrol", name=f"巡逻队{i}")
        TeamMember.objects.create(team=team, name="李明", kind="police", is_leader=True)
        TeamMember.objects.create(team=team, name="周强", kind="property")
    # session, user, official, areas, unread notifications; the teams; their leaders
    response = measured(
        client_for(community_staff), reverse("activities:team_list"),
        django_assert_num_queries, 7,
    )  # fmt: skip
    assert len(response.context["teams"]) == rows


@ROWS
def test_place_page_query_count_does_not_grow_with_inspections(
    rows, client_for, community_staff, grid_a1, safety, django_assert_num_queries
):
    add_activities(grid_a1, community_staff, safety, 1)
    place = Place.objects.get()
    for i in range(rows - 1):
        activity = Activity.objects.create(
            kind="food", title=f"检查{i}", community=grid_a1.community,
            held_on=timezone.localdate(), participants=2, what_was_done="检查",
            created_by=community_staff,
        )  # fmt: skip
        PlaceCheck.objects.create(activity=activity, place=place, result="passed")
    # session, user, official, areas, unread notifications; the place; its checks; its findings
    response = measured(
        client_for(community_staff), place.get_absolute_url(), django_assert_num_queries, 8
    )
    assert len(response.context["checks"]) == rows


def test_the_ledger_shows_20_rows_until_the_official_chooses_more_and_remembers(
    client_for, community_staff, grid_a1, safety
):
    add_activities(grid_a1, community_staff, safety, 25)
    client = client_for(community_staff)
    url = reverse("activities:ledger")
    assert len(client.get(url).context["page"]) == 20
    assert len(client.get(url, {"per": 50}).context["page"]) == 25
    assert len(client.get(url).context["page"]) == 25  # remembered in the session
    response = client.get(url, {"per": 7})  # not one of the choices
    assert response.status_code == 400
