"""Petitions counted per community and day, and open per due day (petitions.daily_petitions):
kept by the database on every write, equal to a recount of the petitions, and read by the
dashboards of those who serve whole communities, whose figures stay what the petitions say."""

import datetime
import io
import threading
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from petitions.daily_petitions import (
    counted_by_community,
    kept,
    rebuild_petition_counts,
    recount,
)
from petitions.dashboard import figures, weekly_trends
from petitions.dashboard.figures import Figures, _counts_from_petitions
from petitions.headline import follow_through_board
from petitions.models import DailyPetitions, OpenPetitions, Petition
from petitions.models.daily import NO_DEADLINE
from petitions.periods import Period
from petitions.services import transitions as t
from tests import factories as f

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(day, hour=10, month=11):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def written(grid, by, created, **fields):
    return f.make_petition(grid, by=by, created=created, category="其他", **fields)


def day_row(community, day):
    row = DailyPetitions.objects.get(community=community, day=day)
    return {
        name: getattr(row, name)
        for name in ("received", "accepted", "accepted_on_time", "resolved", "resolved_on_time",
                     "closed_compound", "closed_community", "closed_street", "closed_district")
    }  # fmt: skip


def test_each_count_on_its_local_day(grid_a1, grid_worker, community_a, casework_defaults):
    # Received at 23:30 on the 2nd in Shanghai (15:30 UTC), accepted 25 hours later (late),
    # resolved on time, closed at community level on the 5th.
    p = written(
        grid_a1, grid_worker, local(2, 23).replace(minute=30), level="community", status="closed",
        accepted_at=local(4, 0).replace(minute=30), due_at=local(9), resolved_at=local(4, 20),
        closed_at=local(5),
    )  # fmt: skip
    assert day_row(community_a, datetime.date(2026, 11, 2))["received"] == 1
    assert day_row(community_a, datetime.date(2026, 11, 4)) == {
        "received": 0, "accepted": 1, "accepted_on_time": 0, "resolved": 1,
        "resolved_on_time": 1, "closed_compound": 0, "closed_community": 0, "closed_street": 0,
        "closed_district": 0,
    }  # fmt: skip
    assert day_row(community_a, datetime.date(2026, 11, 5))["closed_community"] == 1
    assert not OpenPetitions.objects.filter(open__gt=0).exists()
    # Reopened: open again, due on the 9th, no longer closed on the 5th.
    Petition.objects.filter(pk=p.pk).update(status="in_progress", closed_at=None)
    assert day_row(community_a, datetime.date(2026, 11, 5))["closed_community"] == 0
    due = OpenPetitions.objects.get(community=community_a, due_day=datetime.date(2026, 11, 9))
    assert due.open == 1
    assert kept() == recount()


def test_an_open_petition_without_a_deadline_counts_on_no_day(
    grid_a1, grid_worker, community_a, casework_defaults
):
    written(grid_a1, grid_worker, local(2), supervised_at=local(3))
    row = OpenPetitions.objects.get(community=community_a)
    assert (row.due_day, row.open, row.supervised) == (NO_DEADLINE, 1, 1)


def test_the_whole_casework_loop_keeps_the_counts(petition, grid_worker, organizer):
    p = petition
    steps = [
        lambda: t.accept(p, by=grid_worker),
        lambda: t.start_work(p, by=grid_worker),
        lambda: t.respond(p, by=grid_worker, note="电话联系"),
        lambda: t.resolve(p, by=grid_worker, what_was_done="疏通"),
        lambda: t.follow_up(p, by=grid_worker, satisfaction="not", comment="仍然堵"),
        lambda: t.resolve(p, by=grid_worker, what_was_done="更换管道"),
        lambda: t.follow_up(p, by=grid_worker, satisfaction="satisfied", comment="好了"),
        lambda: t.close(p, by=grid_worker),
    ]
    for step in steps:
        step()
        assert kept() == recount()
    assert Petition.objects.get(pk=p.pk).status == "closed"
    today = timezone.localdate()
    assert day_row(p.grid.community, today)["closed_compound"] == 1
    assert day_row(p.grid.community, today)["resolved"] == 1  # resolved twice: its latest day


def test_a_refused_transition_changes_no_count(petition, grid_worker):
    before = kept()
    with pytest.raises(t.TransitionError):
        t.close(petition, by=grid_worker)  # not followed up yet
    assert kept() == before == recount()


def test_writes_around_the_app_count_and_a_moved_grid_needs_the_rebuild(
    grid_a1, grid_b1, grid_worker, casework_defaults
):
    a = written(grid_a1, grid_worker, local(2), status="accepted", due_at=local(3))
    b = written(grid_a1, grid_worker, local(3))
    Petition.objects.bulk_create([
        Petition(grid=grid_b1, category=a.category, created_by=grid_worker, source="walk_in",
                 description="批量"),
    ])  # fmt: skip
    Petition.objects.filter(pk=a.pk).update(level="street", grid=grid_b1)
    b.delete()
    assert kept() == recount()
    # A grid moved to another community moves its petitions without writing them.
    written(grid_a1, grid_worker, local(4))
    grid_a1.community, grid_a1.number = grid_b1.community, 99
    grid_a1.save()
    assert kept() != recount()
    out = io.StringIO()
    call_command("rebuild_counts", stdout=out)
    assert kept() == recount()
    rows = DailyPetitions.objects.count() + OpenPetitions.objects.count()
    assert out.getvalue().startswith(f"{rows} petition rows and ")
    assert rebuild_petition_counts() == rows


@pytest.fixture
def mixed(grid_a1, grid_a2, grid_b1, grid_worker, department, casework_defaults):
    """Petitions of every state over two months, in two streets: some due earlier today, some
    later today, some resolved late, some closed at each level."""
    now = timezone.now()
    today = timezone.localdate(now)
    statuses = ["new", "accepted", "in_progress", "resolved", "followed_up", "closed", "rejected"]
    levels = ["compound", "community", "street", "district"]
    for n in range(42):
        created = now - datetime.timedelta(days=n * 1.5, hours=n % 5)
        status = statuses[n % len(statuses)]
        fields = {"status": status, "level": levels[n % 4]}
        if status != "new":
            fields["accepted_at"] = created + datetime.timedelta(hours=6 + 10 * (n % 4))
            fields["due_at"] = created + datetime.timedelta(days=n % 9)
        if n % 6 == 1:  # due today, before or after now
            start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
            fields["due_at"] = start + datetime.timedelta(hours=n % 24)
        if status in ("resolved", "followed_up", "closed"):
            fields["resolved_at"] = created + datetime.timedelta(days=n % 11)
        if status == "closed":
            fields["closed_at"] = created + datetime.timedelta(days=n % 13)
        if n % 5 == 0:
            fields["supervised_at"] = created + datetime.timedelta(days=1)
            fields["supervision_grade"] = "yellow" if n % 10 == 0 else "red"
        if n % 8 == 2:  # on the district's ledger, due before or after today
            fields["ledger_owner"] = department
            fields["ledger_target"] = today + datetime.timedelta(days=n % 3 - 1)
        grid = (grid_a1, grid_a2, grid_b1)[n % 3]
        written(grid, grid_worker, created, **fields)


@pytest.mark.parametrize("who", ["street_a_staff", "community_staff", "organizer", "admin_user"])
@pytest.mark.parametrize("days", [0, 6, 30, 60])
def test_the_dashboards_figures_equal_those_counted_from_the_petitions(request, mixed, who, days):
    user = request.getfixturevalue(who)
    assert counted_by_community(user)
    today = timezone.localdate()
    period = Period("custom", today - datetime.timedelta(days=days), today)
    now = timezone.now()
    kept_figures = figures(user, period, now=now)
    counted = Figures()
    _counts_from_petitions(counted, Petition.objects.visible_to(user), *period.bounds, now)
    names = ("received", "open", "overdue", "supervised", "resolved", "resolved_on_time",
             "closed", "closed_by_level", "accepted", "accepted_on_time")  # fmt: skip
    assert {n: getattr(kept_figures, n) for n in names} == {n: getattr(counted, n) for n in names}
    if days == 60:  # not vacuous
        assert kept_figures.open and kept_figures.closed and kept_figures.overdue
        assert len(kept_figures.closed_by_level) > 1
    trends = weekly_trends(user)
    petitions = Petition.objects.visible_to(user)
    first = datetime.date.fromisoformat(f"{today.year}-{trends['weeks'][0]}")
    if first > today:  # the weeks began last year
        first = first.replace(year=today.year - 1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    assert sum(trends["received"]) == petitions.filter(created_at__gte=since).count()
    assert sum(trends["closed"]) == petitions.filter(status="closed", closed_at__gte=since).count()


def test_the_follow_through_chain_waits_on_what_the_petitions_say(mixed, organizer):
    today = timezone.localdate()
    now = timezone.now()
    waiting = follow_through_board(organizer, Period("custom", today, today), now=now)["waiting"]
    open_now = ~Q(status__in=Petition.CLOSED_STATUSES)
    on_ledger = Q(ledger_owner__isnull=False, ledger_signed_off_at__isnull=True)
    counted = Petition.objects.visible_to(organizer).aggregate(
        to_triage=Count("id", filter=open_now & Q(level="district", department__isnull=True)),
        district_open=Count("id", filter=open_now & Q(level="district")),
        ledger_open=Count("id", filter=on_ledger),
        ledger_overdue=Count("id", filter=on_ledger & Q(ledger_target__lt=today)),
        overdue=Count("id", filter=open_now & Q(due_at__lt=now)),
        yellow=Count("id", filter=open_now & Q(supervision_grade="yellow")),
        red=Count("id", filter=open_now & Q(supervision_grade="red")),
    )
    assert waiting == counted
    assert all(counted.values()), counted  # not vacuous


def test_overdue_today_is_counted_to_the_minute(
    grid_a1, grid_worker, street_a_staff, casework_defaults
):
    noon = local(20, 12)
    for due in (local(19, 18), local(20, 11), local(20, 13), local(21, 9)):
        written(grid_a1, grid_worker, local(10), status="accepted", due_at=due)
    written(grid_a1, grid_worker, local(10), status="closed", due_at=local(19), closed_at=noon)
    result = figures(street_a_staff, Period("custom", noon.date(), noon.date()), now=noon)
    assert (result.open, result.overdue) == (4, 2)
    later = local(20, 14)
    assert (
        figures(street_a_staff, Period("custom", noon.date(), noon.date()), now=later).overdue == 3
    )


@pytest.mark.parametrize(
    ("who", "by_community"),
    [("organizer", True), ("street_a_staff", True), ("community_staff", True),
     ("grid_worker", False), ("department_staff", False), ("zuzhibu", False),
     ("quweiban", False)],
)  # fmt: skip
def test_who_reads_the_kept_counts(request, who, by_community):
    """Grid workers see part of a community; departments and district bodies see petitions
    outside their own areas: they count from the petitions."""
    assert counted_by_community(request.getfixturevalue(who)) is by_community


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_petitions_written_at_once_in_one_community_all_count(grid_a1, grid_worker):
    from petitions.models import Category

    category = Category.objects.create(name="其他")
    barrier = threading.Barrier(4)

    def write():
        try:
            barrier.wait()
            Petition.objects.create(
                grid=grid_a1, category=category, created_by=grid_worker, source="walk_in",
                description="同时", status="new",
            )  # fmt: skip
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert kept() == recount()
    assert DailyPetitions.objects.get().received == 4


def test_the_count_triggers_are_there_after_the_migrations(db):
    """SQLite drops a table's triggers with it, and Django remakes a table on SQLite to alter a
    column: a migration that alters the petitions' or households' table must install the
    trigger again (`install_trigger` of petitions.daily_petitions or .household_counts)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        found = {name for (name,) in cursor.fetchall()}
    expected = {
        f"{name}{suffix}"
        for name in ("petitions_petition_counts", "grids_household_counts")
        for suffix in ("_insert", "_update", "_delete")
    }
    assert expected <= found
