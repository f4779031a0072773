"""Synthetic police-down days and incidents for `generate_scale` (benchmarks, query plans).

Lightly: the district holds a police-down day a month for the last twelve months and every
community records a turnout on each; about one community-month in thirty breaks a zero.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from communities.models import Community

from .models import Incident, PoliceDay, Turnout

BATCH = 5_000
MONTHS = 12
INCIDENT_SHARE = 1 / 30


def generate_police_days(*, seed: int, progress) -> int:
    """Add the twelve monthly days, their turnouts and the incidents; returns the turnouts."""
    rng = random.Random(seed + 20)  # noqa: S311 - synthetic data
    author = get_user_model().objects.get(username="organizer")
    communities = list(Community.objects.values_list("pk", flat=True).order_by("pk"))
    today = timezone.localdate()
    first = today.replace(day=1)
    days, incidents, turnouts = [], [], []
    for _ in range(MONTHS):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        days.append(PoliceDay(date=first + datetime.timedelta(days=14), theme="常态化警力下沉日",
                              scheduled_by=author))  # fmt: skip
    days = PoliceDay.objects.bulk_create(days)
    goals = list(Incident.KINDS.items())
    for day in days:
        for community_id in communities:
            officers = rng.randint(1, 12)
            turnouts.append(Turnout(
                day=day, community_id=community_id, other_officers=officers,
                officer_count=officers, households_visited=officers * rng.randint(2, 8),
                consultations=rng.randint(0, 4), publicity=rng.randint(0, 2),
                document_help=rng.randint(0, 2), recorded_by=author,
            ))  # fmt: skip
            if rng.random() < INCIDENT_SHARE:
                goal, kinds = rng.choice(goals)
                incidents.append(Incident(
                    goal=goal, kind=rng.choice(kinds), community_id=community_id,
                    occurred_on=day.date + datetime.timedelta(days=rng.randint(-10, 10)),
                    summary="合成数据", persons=rng.randint(0, 5), recorded_by=author,
                ))  # fmt: skip
    Turnout.objects.bulk_create(turnouts, batch_size=BATCH)
    Incident.objects.bulk_create(incidents, batch_size=BATCH)
    progress(f"police-down days: {len(turnouts)} turnouts, {len(incidents)} incidents")
    return len(turnouts)
