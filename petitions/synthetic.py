"""Synthetic casework at scale: about five visits per household over two years, and petitions
in realistic shares of statuses, levels and overdue ones; written with COPY on PostgreSQL."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from core.bulk_insert import insert_instances, insert_rows
from grids.models import Household

from .models import Visit
from .services.visits import refresh_last_visits

BATCH = 10_000
HOUSEHOLD_CHUNK = 50_000
KINDS = ["routine"] * 6 + ["care"] * 3 + ["follow_up", "dispute"]


def generate_visits(per_household: float, *, seed: int, progress) -> int:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    author_id = get_user_model().objects.get(username="grid").pk
    now = timezone.now()
    span = datetime.timedelta(days=730).total_seconds()
    fields = ["household_id", "grid_id", "visited_at", "kind", "notes", "author_id"]
    fields += ["created_at", "updated_at"]
    households = Household.objects.values_list("pk", "grid_id").order_by("pk")
    made, last_pk = 0, 0
    # A COPY holds the connection, so households are read a chunk at a time between them.
    while chunk := list(households.filter(pk__gt=last_pk)[:HOUSEHOLD_CHUNK]):
        rows = []
        for household_id, grid_id in chunk:
            for _ in range(int(per_household * 2 * rng.random() + 0.5)):
                visited = now - datetime.timedelta(seconds=rng.random() * span)
                kind = rng.choice(KINDS)
                rows.append((household_id, grid_id, visited, kind, "", author_id, visited, visited))
        made += insert_rows(Visit, fields, rows)
        last_pk = chunk[-1][0]
        progress(f"visits: {made:,}")
    progress(f"visits: {made:,}; last visit per household")
    refresh_last_visits()
    progress(f"visits: {made:,}")
    return made


# Share of petitions per status, and of levels, in a district that has run for two years.
STATUS_WEIGHTS = {"closed": 60, "followed_up": 3, "resolved": 6, "in_progress": 12,
                  "accepted": 8, "new": 6, "rejected": 2, "withdrawn": 2, "merged": 1}  # fmt: skip
LEVEL_WEIGHTS = {"compound": 55, "community": 30, "street": 11, "district": 4}
OVERDUE_SHARE = 0.15


def generate_petitions(count: int, *, seed: int, progress) -> int:
    from .models import Category, Petition, PetitionEvent

    rng = random.Random(seed + 7)  # noqa: S311 - synthetic data
    author = get_user_model().objects.get(username="grid")
    categories = list(Category.objects.values_list("pk", flat=True))
    households = list(Household.objects.values_list("pk", "grid_id").order_by("pk"))
    statuses, status_w = zip(*STATUS_WEIGHTS.items(), strict=True)
    levels, level_w = zip(*LEVEL_WEIGHTS.items(), strict=True)
    now = timezone.now()
    first_new = Petition.objects.aggregate(last=Max("pk"))["last"] or 0
    made = 0
    while made < count:
        batch = []
        for _ in range(min(BATCH, count - made)):
            household_id, grid_id = rng.choice(households)
            status = rng.choices(statuses, status_w)[0]
            created = now - datetime.timedelta(seconds=rng.random() * 730 * 86400)
            accepted = created + datetime.timedelta(hours=rng.randint(1, 48))
            working = status in ("accepted", "in_progress")
            late = working and rng.random() < OVERDUE_SHARE / 0.2
            recorded = accepted
            if status == "new":
                recorded = now - datetime.timedelta(hours=rng.randint(1, 72))
            if late:
                due = now - datetime.timedelta(days=rng.randint(1, 30))
            elif working:
                due = now + datetime.timedelta(days=rng.randint(1, 9))
            else:
                due = accepted + datetime.timedelta(days=9)
            batch.append(
                Petition(
                    source=rng.choice(["visit", "wechat", "walk_in", "hotline", "meeting"]),
                    category_id=rng.choice(categories),
                    grid_id=grid_id,
                    household_id=household_id,
                    description="合成数据:居民诉求",
                    level=rng.choices(levels, level_w)[0],
                    status=status,
                    created_by=author,
                    accepted_at=None if status == "new" else accepted,
                    due_at=None if status == "new" else due,
                    created_at=recorded - datetime.timedelta(hours=1),
                )  # fmt: skip
            )
        insert_instances(batch)
        made += len(batch)
        progress(f"petitions: {made:,}")
    # Each petition's history starts with its recording, like one made through the app.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PetitionEvent._meta.db_table}"  # noqa: S608 - names from the models
            " (petition_id, actor_id, at, action, from_status, to_status, note, public)"
            " SELECT id, created_by_id, created_at, %s, %s, %s, %s, %s"
            f" FROM {Petition._meta.db_table} WHERE id > %s",
            ["created", "", Petition.Status.NEW, "", True, first_new],
        )
    return made
