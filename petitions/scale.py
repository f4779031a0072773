"""Synthetic visits at scale: about five per household over two years, by the officials of
each grid, written in large bulk inserts."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from grids.models import Household

from .models import Visit

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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE petitions_visit")
    progress(f"visits: {made:,}")
    return made
