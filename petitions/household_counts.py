"""Households counted per community and the day of their latest visit (LastVisitDays), so that
a cold district dashboard does not count 1.5 million households to say how many there are and
how many were visited this period (bench/RESULTS.md, issue 22).

The database keeps the counts (`core.count_triggers`): a household written, deleted, moved to
another grid or visited moves its count. `manage.py rebuild_counts` recounts after what row
triggers do not see (a TRUNCATE, a restore of the households' table, a grid moved to another
community). Read for those who serve whole communities (`scoping.serves_whole_communities`): a
grid worker counts their grids' households directly.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from communities.models import Grid
from core import count_triggers
from grids.models import Household

from .models import CommunityHouseholds, LastVisitDays
from .models.daily import NEVER_VISITED

TRIGGER = "grids_household_counts"
REBUILD_BATCH = 5000


def contribution_sql(d: count_triggers.Dialect, row: str, sign: str) -> list[str]:
    """The statements that add (`sign` "1") or take away ("-1") the household `row`: to its
    community's households and to the day of its latest visit."""
    via_grid = (Grid._meta.db_table, "community_id", "grid_id")
    total = d.upsert(
        CommunityHouseholds._meta.db_table, None, "", {"households": sign}, row=row,
        condition="TRUE", columns=["households"], owner=via_grid,
    )  # fmt: skip
    last_visit = d.upsert(
        LastVisitDays._meta.db_table, "day",
        f"COALESCE({d.day(f'{row}.last_visited_at')}, '{NEVER_VISITED.isoformat()}')",
        {"households": sign}, row=row, condition="TRUE", columns=["households"],
        owner=via_grid,
    )  # fmt: skip
    return [total, last_visit]


def install_trigger(schema_editor) -> None:
    """Create the trigger (a migration's step)."""
    count_triggers.run(schema_editor, count_triggers.trigger_sql(
        schema_editor.connection.vendor, table=Household._meta.db_table, name=TRIGGER,
        watched=("grid_id", "last_visited_at"), contribution=contribution_sql,
    ))  # fmt: skip


def drop_trigger(schema_editor) -> None:
    count_triggers.run(schema_editor, count_triggers.drop_trigger_sql(
        schema_editor.connection.vendor, table=Household._meta.db_table, name=TRIGGER,
    ))  # fmt: skip


def recount(households=None) -> tuple[dict, dict]:
    """({community: households}, {(community, day of the latest visit): households}) counted
    from the households."""
    households = Household.objects.all() if households is None else households
    rows = (
        households.annotate(day=TruncDate("last_visited_at"))
        .values_list("grid__community_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    totals, by_day = {}, {}
    for community, day, n in rows:
        by_day[(community, day or NEVER_VISITED)] = n
        totals[community] = totals.get(community, 0) + n
    return totals, by_day


def kept() -> tuple[dict, dict]:
    """The counts as kept, in `recount`'s shape (rows of 0 left out)."""
    totals = CommunityHouseholds.objects.filter(households__gt=0)
    by_day = LastVisitDays.objects.filter(households__gt=0)
    return (
        dict(totals.values_list("community_id", "households")),
        {(c, day): n for c, day, n in by_day.values_list("community_id", "day", "households")},
    )


@transaction.atomic
def rebuild_household_counts(models=(Household, CommunityHouseholds, LastVisitDays)) -> int:
    """Replace every count by a recount of the households; the number of rows written.
    `models`: (Household, CommunityHouseholds, LastVisitDays), historical in a migration."""
    Household, CommunityHouseholds, LastVisitDays = models  # noqa: N806 - maybe historical
    totals, by_day = recount(Household.objects.all())
    CommunityHouseholds.objects.all().delete()
    LastVisitDays.objects.all().delete()
    CommunityHouseholds.objects.bulk_create(
        (CommunityHouseholds(community_id=c, households=n) for c, n in totals.items()),
        batch_size=REBUILD_BATCH,
    )
    LastVisitDays.objects.bulk_create(
        (LastVisitDays(community_id=c, day=day, households=n) for (c, day), n in by_day.items()),
        batch_size=REBUILD_BATCH,
    )
    return len(totals) + len(by_day)


def households_in(user) -> int:
    """The households of the communities `user` serves whole (one query of a row each)."""
    return CommunityHouseholds.objects.visible_to(user).aggregate(n=Sum("households"))["n"] or 0


def households_and_visited(user, first_day) -> tuple[int, int]:
    """(households, of them visited on `first_day` or later) in the communities `user` serves
    whole (2 queries, the second of a few hundred rows for a recent day)."""
    visited = (
        LastVisitDays.objects.visible_to(user)
        .filter(day__gte=first_day)
        .aggregate(n=Sum("households"))["n"]
    )
    return households_in(user), visited or 0
