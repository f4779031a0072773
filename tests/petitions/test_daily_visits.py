"""Visits counted per community and local day (DailyVisits): kept by record_visit, equal to a
recount of the visits, used by the dashboard for whole communities and never for single grids."""

import datetime
import io
import threading
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from communities.scoping import serves_whole_communities
from petitions.daily_visits import rebuild_daily_visits, recount
from petitions.dashboard import figures, weekly_trends
from petitions.models import DailyVisits, Visit
from petitions.periods import Period
from petitions.services.visits import VisitRecord, record_visit
from tests import factories as f
from tests.petitions.test_visits import post_visit

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def kept():
    return {(d.community_id, d.day): d.visits for d in DailyVisits.objects.all()}


def visit(household, by, at):
    return record_visit(VisitRecord(household=household, visited_at=at, kind="routine"), by=by)


@pytest.fixture
def homes(grid_a1, grid_a2, grid_b1):
    return [f.make_household(grid_a1), f.make_household(grid_a2), f.make_household(grid_b1)]


def test_recorded_visits_are_counted_per_community_and_local_day(
    homes, grid_worker, street_b_staff, community_a
):
    a1, a2, b1 = homes
    late = datetime.datetime(2026, 11, 2, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC: still the 2nd
    visit(a1, grid_worker, late)
    visit(a1, grid_worker, late + datetime.timedelta(hours=1))  # 00:30 on the 3rd
    f.make_visit(a2, by=grid_worker, at=late)  # another grid, the same community and day
    f.make_visit(b1, by=street_b_staff, at=late)
    assert kept() == {
        (community_a.pk, datetime.date(2026, 11, 2)): 2,
        (community_a.pk, datetime.date(2026, 11, 3)): 1,
        (b1.grid.community_id, datetime.date(2026, 11, 2)): 1,
    }
    assert kept() == recount()


def test_a_refused_visit_is_not_counted(homes, grid_worker):
    with pytest.raises(ValueError):
        visit(homes[0], grid_worker, timezone.now() + datetime.timedelta(hours=1))
    assert not DailyVisits.objects.exists()


def test_rebuild_replaces_counts_written_around_record_visit(homes, grid_worker):
    a1, a2, _ = homes
    for n in range(3):
        f.make_visit(a1, by=grid_worker, at=timezone.now() - datetime.timedelta(days=n))
    # Written around the services: a bulk load, a row deleted by SQL.
    Visit.objects.bulk_create([Visit(household=a2, grid=a2.grid, author=grid_worker)])
    Visit.objects.filter(pk=Visit.objects.order_by("visited_at").first().pk).delete()
    assert kept() != recount()
    out = io.StringIO()
    call_command("rebuild_daily_visits", stdout=out)
    assert out.getvalue() == f"{len(recount())} community days counted.\n"
    assert kept() == recount()
    assert rebuild_daily_visits() == len(recount())


def test_dashboard_counts_equal_the_visits_for_a_street_and_a_grid(
    homes, grid_worker, street_a_staff, street_b_staff
):
    a1, a2, b1 = homes
    now = timezone.now()
    for days in (0, 1, 8, 20, 40, 100):
        f.make_visit(a1, by=grid_worker, at=now - datetime.timedelta(days=days))
        f.make_visit(a2, by=grid_worker, at=now - datetime.timedelta(days=days, hours=1))
        f.make_visit(b1, by=street_b_staff, at=now - datetime.timedelta(days=days))
    today = timezone.localdate()
    year = Period("custom", today - datetime.timedelta(days=60), today)
    assert serves_whole_communities(street_a_staff)
    assert not serves_whole_communities(grid_worker)
    for user in (street_a_staff, grid_worker):
        visible = Visit.objects.visible_to(user).in_period(year.start, year.end)
        result = figures(user, year)
        assert result.visits == visible.count()
        assert result.households_visited == visible.values("household").distinct().count()
        trends = weekly_trends(user)
        first = datetime.date.fromisoformat(f"{today.year}-{trends['weeks'][0]}")
        recent = Visit.objects.visible_to(user).in_period(first, today)
        assert sum(trends["visits"]) == recent.count()
    assert figures(street_a_staff, year).visits == 10
    assert figures(grid_worker, year).visits == 5


def test_a_period_in_the_past_counts_the_households_visited_then(
    homes, grid_worker, street_a_staff
):
    a1, a2, _ = homes
    now = timezone.now()
    f.make_visit(a1, by=grid_worker, at=now - datetime.timedelta(days=30))
    f.make_visit(a2, by=grid_worker, at=now - datetime.timedelta(days=30))
    f.make_visit(a1, by=grid_worker, at=now)  # a1's latest visit is after the period
    day = timezone.localdate(now - datetime.timedelta(days=30))
    past = Period("custom", day, day)
    result = figures(street_a_staff, past)
    assert (result.visits, result.households_visited) == (2, 2)


def test_recording_a_visit_query_count(client_for, grid_worker, homes, django_assert_num_queries):
    client = client_for(grid_worker)
    post_visit(client, homes[0])  # the session and the caches warmed
    with django_assert_num_queries(19):
        response = post_visit(client, homes[0])
    assert response.status_code == 302
    assert kept() == recount()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_visits_recorded_at_once_in_one_community_all_count(homes, grid_worker):
    household = homes[0]
    at = timezone.now() - datetime.timedelta(minutes=5)
    barrier = threading.Barrier(4)

    def record():
        try:
            barrier.wait()
            visit(household, grid_worker, at)
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert kept() == {(household.grid.community_id, timezone.localdate(at)): 4} == recount()
