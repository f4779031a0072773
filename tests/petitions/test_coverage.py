"""Coverage, households not visited, overdue care visits and the visit ledger, checked by hand."""

import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from grids.models import Household, Tag
from petitions.periods import Period, period_from
from petitions.services.visits import refresh_last_visits
from petitions.visit_coverage import (
    coverage_rows,
    households_not_visited,
    overdue_care_count,
    overdue_care_visits,
)
from tests import clock
from tests import factories as f

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def visit(household, author, at, kind="routine"):
    """A visit loaded directly (as the demo and the generator do), last-visit date refreshed."""
    made = f.make_visit(household, by=author, at=at, kind=kind)
    refresh_last_visits(Household.objects.filter(pk=household.pk))
    return made


@pytest.fixture
def homes(grid_a1, grid_a2, grid_b1):
    return {
        "a1": [f.make_household(grid_a1) for _ in range(3)],
        "a2": [f.make_household(grid_a2)],
        "b1": [f.make_household(grid_b1) for _ in range(2)],
    }


OCTOBER = Period("custom", datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


def at(day, hour=10, minute=0, month=10):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def test_coverage_counts_households_visited_once_or_more_per_grid_and_rolls_up(
    street_a_staff, grid_worker, homes
):
    a1 = homes["a1"]
    visit(a1[0], grid_worker, at(3))
    visit(a1[0], grid_worker, at(20))
    visit(a1[1], grid_worker, at(31, 23, 30))  # still October in Shanghai (15:30 UTC)
    visit(a1[2], grid_worker, at(1, 0, 30, month=11))  # November
    visit(homes["b1"][0], grid_worker, at(5))  # another street: never counted here
    [street] = coverage_rows(street_a_staff, OCTOBER)
    [community] = street.children
    grid1, grid2 = community.children
    assert (grid1.households, grid1.visited, grid1.visits) == (3, 2, 3)
    assert (grid2.households, grid2.visited, grid2.visits) == (1, 0, 0)
    assert (street.households, street.visited, street.visits) == (4, 2, 3)
    assert community.share == pytest.approx(0.5)


def test_period_boundaries_are_local_days():
    today = datetime.date(2026, 11, 28)  # a Saturday
    assert period_from({"period": "this_week"}, today) == Period(
        "this_week", datetime.date(2026, 11, 23), today
    )
    assert period_from({"period": "last_month"}, today).start == datetime.date(2026, 10, 1)
    assert period_from({"period": "last_month"}, today).end == datetime.date(2026, 10, 31)
    assert period_from({"period": "this_year"}, today).start == datetime.date(2026, 1, 1)
    bad = period_from({"period": "custom", "start": "2026-12-01", "end": "2026-01-01"}, today)
    assert bad.key == "this_month"
    assert period_from({"period": "custom", "start": "x"}, today).key == "this_month"


def test_households_not_visited_never_visited_first_then_oldest(
    community_staff, grid_worker, homes
):
    a1 = homes["a1"]
    now = timezone.now()
    visit(a1[0], grid_worker, now - datetime.timedelta(days=200))
    visit(a1[1], grid_worker, now - datetime.timedelta(days=100))
    visit(a1[2], grid_worker, now - datetime.timedelta(days=5))
    listed = list(households_not_visited(community_staff, days=90))
    assert listed == [homes["a2"][0], a1[0], a1[1]]


def test_overdue_care_visits_use_the_shortest_key_group_interval(
    community_staff, grid_worker, grid_a1, casework_defaults
):
    alone = Tag.objects.get(name="独居老人")  # every 30 days (default frequencies)
    now = timezone.now()
    overdue = f.make_household(grid_a1)
    f.make_resident(overdue).tags.add(alone)
    visit(overdue, grid_worker, now - datetime.timedelta(days=40))
    fine = f.make_household(grid_a1)
    f.make_resident(fine).tags.add(alone)
    visit(fine, grid_worker, now - datetime.timedelta(days=10))
    never = f.make_household(grid_a1)
    f.make_resident(never).tags.add(alone)
    ordinary = f.make_household(grid_a1)
    f.make_resident(ordinary)
    due = overdue_care_visits(community_staff)
    assert [d.household for d in due] == [never, overdue]
    assert due[1].groups == ["独居老人"] and due[1].interval_days == 30
    assert due[1].days_overdue == 10
    assert overdue_care_count(community_staff) == 2  # the dashboard's figure
    assert overdue_care_count(community_staff, now=now + datetime.timedelta(days=25)) == 3


def test_coverage_page_query_count_is_the_same_for_one_grid_and_many(
    client_for, street_a_staff, street_a, grid_a1, grid_worker, django_assert_num_queries
):
    client = client_for(street_a_staff)
    url = reverse("petitions:coverage")
    visit(f.make_household(grid_a1), grid_worker, timezone.now())
    client.get(url)  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications);
    # grids, households per grid, visits per grid,
    # visits per official as author and as co-visitor, one page of households not visited
    # (no count)
    with django_assert_num_queries(11):
        client.get(url)
    for _ in range(5):
        community = f.make_community(street_a)
        for _ in range(3):
            grid = f.make_grid(community)
            visit(f.make_household(grid), grid_worker, timezone.now())
            f.make_household(grid)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200


def test_visit_ledger_is_scoped_and_names_scope_and_period(
    client_for, street_a_staff, grid_worker, homes
):
    visit(homes["a1"][0], grid_worker, timezone.now())
    visit(homes["b1"][0], grid_worker, timezone.now())
    response = client_for(street_a_staff).get(reverse("petitions:visit_ledger"))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert "北大街街道" in rows[0][0]
    assert len(rows) == 3 + 1  # title, exported by, header, one visit of street A
    assert rows[3][1] == "新村社区"


@pytest.mark.parametrize(
    "name", ["coverage", "care_visits_due", "visit_ledger", "my_visits", "visit_create"]
)
def test_official_without_area_sees_nothing_of_anyone(
    client_for, department_staff, grid_worker, homes, name
):
    visit(homes["a1"][0], grid_worker, timezone.now())
    # follow: the visit form sends someone without an area home (tests/petitions/test_visits.py)
    response = client_for(department_staff).get(reverse(f"petitions:{name}"), follow=True)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert "新村社区".encode() not in body


def test_a_district_sees_its_streets_and_opens_one_for_its_communities_and_grids(
    client_for, organizer, street_a, street_b, grid_a1, grid_b1, grid_worker, homes
):
    visit(homes["a1"][0], grid_worker, timezone.now() - clock.recently())
    client = client_for(organizer)
    page = client.get(reverse("petitions:coverage")).text
    assert f"street={street_a.pk}" in page and f"street={street_b.pk}" in page
    assert 'class="row--community"' not in page and 'class="row--grid"' not in page
    response = client.get(reverse("petitions:coverage"), {"street": street_a.pk})
    [street] = response.context["rows"]
    assert street.name == street_a.name and (street.households, street.visited) == (4, 1)
    assert grid_a1.name in response.text and grid_b1.community.name not in response.text
    # Households not visited are the chosen street's too.
    assert {h.grid_id for h in response.context["not_visited"]} <= {
        grid_a1.pk,
        homes["a2"][0].grid_id,
    }


def test_another_streets_id_shows_nothing_of_it(client_for, street_a_staff, street_b, homes):
    response = client_for(street_a_staff).get(
        reverse("petitions:coverage"), {"street": street_b.pk}
    )
    assert response.context["rows"] == [] and list(response.context["not_visited"]) == []


def test_coverage_figures_are_kept_for_the_areas_and_period(
    settings, client_for, street_a_staff, street_b_staff, street_b, grid_worker, homes,
    django_assert_num_queries,
):  # fmt: skip
    settings.FIGURES_CACHE_SECONDS = 300
    client = client_for(street_a_staff)
    url = reverse("petitions:coverage")
    assert client.get(url).context["rows"][0].visits == 0
    visit(homes["a1"][0], grid_worker, timezone.now() - clock.recently())
    # the page header (5) and one page of households not visited: the figures come from the cache
    with django_assert_num_queries(6):
        assert client.get(url).context["rows"][0].visits == 0
    # Street B has its own figures, never street A's kept ones.
    assert [r.name for r in client_for(street_b_staff).get(url).context["rows"]] == [street_b.name]
    settings.FIGURES_CACHE_SECONDS = 0
    assert client_for(street_a_staff).get(url).context["rows"][0].visits == 1


@pytest.mark.parametrize("page", ["petitions:coverage", "grids:area_list"])
def test_a_department_is_told_where_its_work_is_not_to_ask_for_an_area(
    client, department_staff, page
):
    client.force_login(department_staff)
    with translation.override("zh-hans"):
        body = client.get(reverse(page)).content.decode()
    assert "住建局 不分管辖区" in body
    assert "尚未分配负责区域" not in body


def test_a_street_sees_its_communities_and_opens_one_for_its_grids(
    client_for, street_a_staff, street_a, grid_a1, grid_a2, grid_b1, grid_worker, homes
):
    other = f.make_grid(f.make_community(street_a, name="东关社区"), name="东关第一网格")
    visit(f.make_household(other), grid_worker, timezone.now() - clock.recently())
    client = client_for(street_a_staff)
    response = client.get(reverse("petitions:coverage"))
    [street] = response.context["rows"]
    assert [c.name for c in street.children] == ["新村社区", "东关社区"]
    assert 'class="row--grid"' not in response.text
    assert f"community={grid_a1.community_id}" in response.text
    response = client.get(reverse("petitions:coverage"), {"community": other.community_id})
    [street] = response.context["rows"]
    [community] = street.children
    assert [g.name for g in community.children] == ["东关第一网格"]
    assert (community.households, community.visited, community.visits) == (1, 1, 1)
    assert {h.grid_id for h in response.context["not_visited"]} <= {other.pk}
    assert "全部社区" in response.text
    # Another street's community opens nothing.
    response = client.get(reverse("petitions:coverage"), {"community": grid_b1.community_id})
    assert response.context["rows"] == [] and list(response.context["not_visited"]) == []
