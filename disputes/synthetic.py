"""Synthetic disputes at scale (benchmarks, query plans): a year and a half of disputes in
every grid, in realistic shares of status, kind and people involved, each with its two parties,
its recording event and, when mediated, its mediation session; written with COPY on PostgreSQL.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from core.bulk_insert import insert_instances
from grids.models import Building

from .defaults import ensure_kinds
from .models import Dispute, DisputeEvent, DisputeKind, Mediation, Party

BATCH = 10_000
# Share per status in a district that has mediated for some time; with their outcome.
STATUS_WEIGHTS = {"closed": 55, "followed_up": 5, "agreed": 10, "referred": 6, "failed": 3,
                  "mediating": 5, "accepted": 8, "new": 5, "withdrawn": 3}  # fmt: skip
OUTCOME = {"closed": "success", "followed_up": "success", "agreed": "success",
           "referred": "failed", "failed": "failed", "mediating": "partial"}  # fmt: skip
LEVEL_WEIGHTS = {"grid": 60, "community": 30, "street": 8, "district": 2}
FOUND_BY = (
    ["wechat"] * 4 + ["screening"] * 3 + ["reported"] * 2 + ["visit", "police_day", "hotline"]
)


def generate_disputes(count: int, *, seed: int, progress) -> int:
    rng = random.Random(seed + 20)  # noqa: S311 - synthetic data
    ensure_kinds(DisputeKind)
    author = get_user_model().objects.get(username="grid")
    kinds = list(DisputeKind.objects.values_list("pk", flat=True))
    kind_weights = [6] + [1] * (len(kinds) - 1)  # neighbours' quarrels first
    places = list(Building.objects.values_list("pk", "grid_id", "compound_id").order_by("pk"))
    statuses, status_w = zip(*STATUS_WEIGHTS.items(), strict=True)
    levels, level_w = zip(*LEVEL_WEIGHTS.items(), strict=True)
    now = timezone.now()
    first_new = Dispute.objects.aggregate(last=Max("pk"))["last"] or 0
    made = 0
    while made < count:
        batch = []
        for _ in range(min(BATCH, count - made)):
            building_id, grid_id, compound_id = rng.choice(places)
            status = rng.choices(statuses, status_w)[0]
            created = now - datetime.timedelta(seconds=rng.random() * 540 * 86400)
            outcome = OUTCOME.get(status, "")
            agreed = created + datetime.timedelta(days=rng.randint(1, 10))
            batch.append(
                Dispute(
                    kind_id=rng.choices(kinds, kind_weights)[0],
                    found_by=rng.choice(FOUND_BY),
                    description="合成数据:矛盾纠纷",
                    grid_id=grid_id,
                    compound_id=compound_id,
                    building_id=building_id,
                    level=rng.choices(levels, level_w)[0],
                    status=status,
                    people_involved=rng.choice([2, 2, 2, 3, 4, 6, 12, 40]),
                    created_by=author,
                    created_at=created,
                    accepted_at=None if status == "new" else created + datetime.timedelta(hours=2),
                    outcome=outcome,
                    agreed_at=min(agreed, now) if outcome == "success" else None,
                )  # fmt: skip
            )
        insert_instances(batch)
        made += len(batch)
        progress(f"disputes: {made:,}")
    _fill_history(first_new)
    return made


def _fill_history(first_new):
    """Parties, the recording event, and a mediation (with its event) for the mediated ones, in
    set-based statements over the disputes just written."""
    d, e, p, m = (x._meta.db_table for x in (Dispute, DisputeEvent, Party, Mediation))
    with connection.cursor() as cursor:
        for side, name in (("applicant", "申请人"), ("respondent", "被申请人")):
            cursor.execute(
                f"INSERT INTO {p} (dispute_id, side, resident_id, name, phone)"  # noqa: S608
                f" SELECT id, %s, NULL, %s, '' FROM {d} WHERE id > %s",
                [side, name, first_new],
            )
        cursor.execute(
            f"INSERT INTO {e} (dispute_id, actor_id, at, action, from_status, to_status, note,"  # noqa: S608
            f" public) SELECT id, created_by_id, created_at, 'created', '', 'new', '', FALSE"
            f" FROM {d} WHERE id > %s",
            [first_new],
        )
        cursor.execute(
            f"INSERT INTO {e} (dispute_id, actor_id, at, action, from_status, to_status, note,"  # noqa: S608
            f" public) SELECT id, created_by_id, COALESCE(agreed_at, created_at), 'mediate',"
            f" 'accepted', status, '', FALSE FROM {d} WHERE id > %s AND outcome <> ''",
            [first_new],
        )
        cursor.execute(
            f"INSERT INTO {m} (dispute_id, event_id, held_on, place, notes, outcome, terms)"  # noqa: S608
            f" SELECT ev.dispute_id, ev.id, DATE(ev.at), '社区调解室', '', dd.outcome, ''"
            f" FROM {e} ev JOIN {d} dd ON dd.id = ev.dispute_id"
            f" WHERE ev.action = 'mediate' AND dd.id > %s",
            [first_new],
        )
