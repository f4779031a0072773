"""Households counted per community and day of their latest visit (petitions.household_counts):
kept by the database on every write to the households, equal to a recount, and read by the
dashboards of those who serve whole communities."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from grids.models import Household
from petitions.dashboard import figures
from petitions.household_counts import kept, rebuild_household_counts, recount
from petitions.models import CommunityHouseholds, LastVisitDays
from petitions.models.daily import NEVER_VISITED
from petitions.periods import Period
from petitions.services.visits import VisitRecord, record_visit
from tests import factories as f


def visit(household, by, at):
    return record_visit(VisitRecord(household=household, visited_at=at, kind="routine"), by=by)


def test_a_visit_moves_its_household_to_the_day_of_its_latest_visit(
    grid_a1, grid_worker, community_a
):
    home = f.make_household(grid_a1)
    assert kept() == ({community_a.pk: 1}, {(community_a.pk, NEVER_VISITED): 1})
    earlier = timezone.now() - datetime.timedelta(days=3)
    visit(home, grid_worker, earlier)
    assert kept()[1] == {(community_a.pk, timezone.localdate(earlier)): 1}
    visit(home, grid_worker, timezone.now())
    visit(home, grid_worker, earlier - datetime.timedelta(days=1))  # not its latest: stays
    assert kept() == ({community_a.pk: 1}, {(community_a.pk, timezone.localdate()): 1})
    assert kept() == recount()


def test_households_written_moved_and_deleted_count_and_the_rebuild_recounts(
    grid_a1, grid_b1, grid_worker
):
    homes = [f.make_household(grid_a1) for _ in range(3)]
    Household.objects.bulk_create([Household(grid=grid_b1, unit=homes[2].unit, room="1101")])
    Household.objects.filter(pk=homes[0].pk).update(grid=grid_b1)
    homes[1].delete()
    assert kept() == recount()
    grid_a1.community, grid_a1.number = grid_b1.community, 99
    grid_a1.save()  # moves its households without writing them
    assert kept() != recount()
    out = io.StringIO()
    call_command("rebuild_counts", stdout=out)
    assert kept() == recount()
    totals, by_day = recount()
    assert out.getvalue().endswith(f" and {len(totals) + len(by_day)} household rows counted.\n")
    assert rebuild_household_counts() == len(totals) + len(by_day)


def _counter_rows_written(table):
    """Rows of `table` this transaction updated so far (PostgreSQL's statistics)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="statement triggers: PostgreSQL")
def test_a_bulk_update_writes_each_counter_row_once_not_once_a_household(grid_a1):
    """On PostgreSQL the trigger sums a statement's rows: 60 households visited in one UPDATE
    take 60 from the never-visited row in one write and add a row for the day, where a row
    trigger wrote 119 times (quadratic in one transaction: every version of a row is kept until
    it commits); their community's total, which a visit leaves as it was, is not written."""
    homes = [f.make_household(grid_a1) for _ in range(60)]
    by_day, totals = LastVisitDays._meta.db_table, CommunityHouseholds._meta.db_table
    before = _counter_rows_written(by_day), _counter_rows_written(totals)
    Household.objects.filter(pk__in=[h.pk for h in homes]).update(last_visited_at=timezone.now())
    after = _counter_rows_written(by_day), _counter_rows_written(totals)
    assert (after[0] - before[0], after[1] - before[1]) == (1, 0)
    assert kept() == recount()


@pytest.mark.parametrize(
    "who", ["street_a_staff", "community_staff", "organizer", "grid_worker", "admin_user"]
)
@pytest.mark.parametrize("days", [0, 7, 40])
def test_the_dashboards_households_equal_those_counted(
    request, grid_a1, grid_a2, grid_b1, grid_worker, street_b_staff, who, days
):
    now = timezone.now()
    for n in range(24):
        home = f.make_household((grid_a1, grid_a2, grid_b1)[n % 3])
        if n % 4:
            by = street_b_staff if home.grid == grid_b1 else grid_worker
            f.make_visit(home, by=by, at=now - datetime.timedelta(days=n * 2, hours=n))
    user = request.getfixturevalue(who)
    today = timezone.localdate()
    result = figures(user, Period("custom", today - datetime.timedelta(days=days), today))
    first = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
    )
    counted = Household.objects.visible_to(user).aggregate(
        n=Count("id"), visited=Count("id", filter=Q(last_visited_at__gte=first))
    )
    assert (result.households, result.households_visited) == (counted["n"], counted["visited"])
    assert counted["n"] and (counted["visited"] or days == 0)
    assert kept() == recount()
