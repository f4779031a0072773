"""Keeping `DailyVisits`: one upsert per recorded visit, and a rebuild from the visits after
bulk loads (the demo, generated data) or anything written around `record_visit`.

The dashboards use the counts only for officials who serve whole communities (or more): for
them the visits they may see are exactly the visits of those communities' days. An official
who serves single grids counts their grids' visits directly, a cheap query.
"""

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from communities.models import Grid

from .models import DailyVisits, Visit

REBUILD_BATCH = 5000


def count_visit(visit: Visit) -> None:
    """Add `visit` to its community's day (1 query): an upsert that adds 1, so that two visits
    recorded at once in one community both count (each holds the row until it commits)."""
    table = DailyVisits._meta.db_table
    grids = Grid._meta.db_table
    day = timezone.localdate(visit.visited_at)
    with connection.cursor() as cursor:
        # The WHERE keeps SQLite from reading ON CONFLICT as a join's ON (its upsert syntax).
        cursor.execute(
            f"INSERT INTO {table} (community_id, day, visits) "  # noqa: S608 - table names only
            f"SELECT community_id, %s, 1 FROM {grids} WHERE id = %s "
            f"ON CONFLICT (community_id, day) DO UPDATE SET visits = {table}.visits + 1",
            [day, visit.grid_id],
        )


def recount() -> dict[tuple[int, object], int]:
    """{(community id, local day): visits} counted from the visits themselves."""
    rows = (
        Visit.objects.annotate(day=TruncDate("visited_at"))
        .values_list("grid__community_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(community, day): n for community, day, n in rows}


@transaction.atomic
def rebuild_daily_visits() -> int:
    """Replace every count by a recount of the visits; the number of rows written."""
    DailyVisits.objects.all().delete()
    rows = [
        DailyVisits(community_id=community, day=day, visits=n)
        for (community, day), n in recount().items()
    ]
    DailyVisits.objects.bulk_create(rows, batch_size=REBUILD_BATCH)
    return len(rows)


def visits_in(user, first_day, last_day) -> int:
    """The visits `user` may see on local days first_day..last_day, from the daily counts
    (callers check `scoping.serves_whole_communities` first)."""
    total = (
        DailyVisits.objects.visible_to(user)
        .filter(day__gte=first_day, day__lte=last_day)
        .aggregate(n=Sum("visits"))["n"]
    )
    return total or 0


def visits_per_day(user, first_day) -> dict:
    """{local day: visits} from `first_day` on, from the daily counts."""
    return dict(
        DailyVisits.objects.visible_to(user)
        .filter(day__gte=first_day)
        .values_list("day")
        .annotate(n=Sum("visits"))
        .order_by()
    )
