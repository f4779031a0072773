"""Synthetic casework at scale: about five visits per household over two years, and petitions
in realistic shares of statuses, levels and overdue ones; written in large bulk inserts."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from grids.models import Household

from .models import Visit
from .services.visits import refresh_last_visits

BATCH = 10_000
KINDS = ["routine"] * 6 + ["care"] * 3 + ["follow_up", "dispute"]


def generate_visits(per_household: float, *, seed: int, progress) -> int:
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    author = get_user_model().objects.get(username="grid")
    now = timezone.now()
    span = datetime.timedelta(days=730).total_seconds()
    rows = Household.objects.values_list("pk", "grid_id").order_by("pk").iterator(chunk_size=BATCH)
    batch, made = [], 0
    for household_id, grid_id in rows:
        for _ in range(int(per_household * 2 * rng.random() + 0.5)):
            batch.append(
                Visit(
                    household_id=household_id,
                    grid_id=grid_id,
                    visited_at=now - datetime.timedelta(seconds=rng.random() * span),
                    kind=rng.choice(KINDS),
                    author=author,
                )
            )
        if len(batch) >= BATCH:
            Visit.objects.bulk_create(batch)
            made += len(batch)
            batch = []
            if made % 100_000 < BATCH:
                progress(f"visits: {made:,}")
    Visit.objects.bulk_create(batch)
    made += len(batch)
    progress(f"visits: {made:,}; last visit per household")
    refresh_last_visits()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE petitions_visit")
            cursor.execute("ANALYZE grids_household")
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
                )  # fmt: skip
            )
        recorded = [
            p.accepted_at or now - datetime.timedelta(hours=rng.randint(1, 72)) for p in batch
        ]
        created = Petition.objects.bulk_create(batch)
        for petition, when in zip(created, recorded, strict=True):
            petition.created_at = when - datetime.timedelta(hours=1)
        # auto_now_add stamped them all "now": spread them over the two years again.
        Petition.objects.bulk_update(created, ["created_at"], batch_size=1000)
        PetitionEvent.objects.bulk_create(
            PetitionEvent(petition=p, actor=author, action="created", to_status="new")
            for p in created
        )
        made += len(batch)
        progress(f"petitions: {made:,}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE petitions_petition")
    return made
