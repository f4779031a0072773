"""Synthetic meetings at scale: a 议事日 every Tuesday in every community for two years (and the
eight weeks ahead), most held, a few cancelled, with their topics and decisions; written with
COPY on PostgreSQL (core.bulk_insert)."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from communities.models import Community
from core.bulk_insert import insert_rows

from .models import Attendee, Meeting, Topic

WEEKS_BACK, WEEKS_AHEAD = 104, 8
TOPICS = ["小区管理", "老旧小区改造", "卫生创建", "安全整治", "矛盾调解", "停车管理", "飞线充电"]
DECIDED = ["consensus"] * 7 + ["vote"] * 2 + ["deferred"]


def generate_meeting_calendar(*, seed: int, progress) -> int:
    """Returns how many meetings were written."""
    rng = random.Random(seed + 19)  # noqa: S311 - synthetic data
    author = get_user_model().objects.get(username="community").pk
    communities = list(Community.objects.values_list("pk", flat=True).order_by("pk"))
    today = timezone.localdate()
    tuesday = today - datetime.timedelta(days=(today.weekday() - 1) % 7)
    first_new = Meeting.objects.aggregate(last=Max("pk"))["last"] or 0
    now = timezone.now()

    def meetings():
        for community in communities:
            for week in range(-WEEKS_BACK, WEEKS_AHEAD):
                day = tuesday + datetime.timedelta(weeks=week)
                at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
                status = "scheduled"
                if at < now:
                    status = "cancelled" if rng.random() < 0.05 else "held"
                residents = rng.randint(8, 40) if status == "held" else 0
                yield (community, "day", at, "社区议事厅", status, residents, "", author, at)

    made = insert_rows(
        Meeting,
        ["community", "kind", "starts_at", "place", "status", "unnamed_residents", "minutes",
         "created_by", "created_at"],
        meetings(),
    )  # fmt: skip
    progress(f"meetings: {made:,}")
    held = list(
        Meeting.objects.filter(pk__gt=first_new, status="held").values_list("pk", "starts_at")
    )
    topics = insert_rows(
        Topic,
        ["meeting", "title", "description", "decision", "decided_how", "votes_for",
         "votes_against", "abstentions", "decided_at", "created_by"],
        _topics(rng, held, author),
    )  # fmt: skip
    progress(f"meeting topics: {topics:,}")
    insert_rows(
        Attendee,
        ["meeting", "capacity", "name", "headcount"],
        ((pk, "police", "社区民警", 1) for pk, _at in held),
    )
    return made


def _topics(rng, held, author):
    for meeting, at in held:
        for _ in range(rng.randint(1, 4)):
            how = rng.choice(DECIDED)
            votes = (rng.randint(10, 40), rng.randint(0, 5), rng.randint(0, 3))
            if how != "vote":
                votes = (None, None, None)
            yield (meeting, rng.choice(TOPICS), "", "合成数据:议定事项", how, *votes,
                   at + datetime.timedelta(hours=2), author)  # fmt: skip
