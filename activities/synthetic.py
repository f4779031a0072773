"""Synthetic activities at scale: about ten a month per community over two years in realistic
shares of kinds, places in every grid, and patrols and inspections whose findings are petitions
(most rectified); written with COPY on PostgreSQL."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from communities.models import Community, Department, Grid
from core.bulk_insert import insert_instances, insert_rows
from petitions.models import Category, Petition, PetitionEvent

from .models import Activity, Finding, Place, PlaceCheck

# What a community's ledger holds in a month, in shares: patrols most, then volunteer days
# and publicity, fewer inspections and party days, flood drills rarely.
KIND_WEIGHTS = {"patrol": 30, "volunteer": 18, "law": 8, "drugs": 5, "fraud": 8, "food": 6,
                "fire": 6, "party_day": 9, "party_team": 8, "flood": 2}  # fmt: skip
PLACE_KINDS = ["shop"] * 4 + ["restaurant"] * 3 + ["supermarket", "square", "garden", "car_park"]
PLACE_KINDS += ["charging"] * 2 + ["basement"]
PLACES_PER_GRID = 8
FINDING_SHARE = 0.3  # of patrols and inspections
FINDING_STATUS = {"closed": 70, "resolved": 10, "in_progress": 12, "accepted": 8}
MONTHS = 24


@transaction.atomic
def generate_activities(per_month: int, *, seed: int, progress) -> int:
    rng = random.Random(seed + 19)  # noqa: S311 - synthetic data
    author_id = get_user_model().objects.get(username="grid").pk
    now = timezone.now()
    today = timezone.localdate()
    grids = {}
    for grid_id, community_id in Grid.objects.values_list("pk", "community_id").order_by("pk"):
        grids.setdefault(community_id, []).append(grid_id)
    communities = list(Community.objects.values_list("pk", flat=True).order_by("pk"))
    # Places: a few in every grid, read back in the order they were written.
    first_place = Place.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_rows(
        Place, ["grid_id", "kind", "name", "address", "responsible_person",
                "responsible_phone", "created_at"],
        ((grid_id, rng.choice(PLACE_KINDS), f"场所{grid_id}-{first_place + n}", "", "", "", now)
         for community in communities for grid_id in grids.get(community, ())
         for n in range(PLACES_PER_GRID)),
    )  # fmt: skip
    places = {}
    for pk, grid_id in Place.objects.filter(pk__gt=first_place).values_list("pk", "grid_id"):
        places.setdefault(grid_id, []).append(pk)
    progress(f"places: {sum(len(p) for p in places.values()):,}")

    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    first_activity = Activity.objects.aggregate(last=Max("pk"))["last"] or 0
    plans = []  # (community, grid, kind, day) in insertion order
    for community in communities:
        for month in range(MONTHS):
            for _ in range(max(0, int(per_month * 2 * rng.random() + 0.5))):
                day = today - datetime.timedelta(days=month * 30 + rng.randint(0, 29))
                grid = rng.choice(grids[community]) if grids.get(community) else None
                plans.append((community, grid, rng.choices(kinds, weights)[0], day))
    fields = ["kind", "title", "community_id", "grid_id", "held_on", "location", "participants",
              "residents_reached", "what_was_done", "created_by_id", "created_at"]  # fmt: skip
    made = insert_rows(Activity, fields, (
        (kind, "合成数据:社区活动", community, grid, day, "", rng.randint(3, 40),
         rng.randint(0, 200), "合成数据", author_id, now)
        for community, grid, kind, day in plans
    ))  # fmt: skip
    progress(f"activities: {made:,}")
    ids = list(
        Activity.objects.filter(pk__gt=first_activity).order_by("pk").values_list("pk", flat=True)
    )
    departments = list(Department.objects.values_list("pk", flat=True))
    partners = [(pk, rng.choice(departments)) for pk in ids if departments and rng.random() < 0.3]
    insert_rows(Activity.partners.through, ["activity_id", "department_id"], partners)
    _findings(rng, ids, plans, places, author_id, now, progress)
    return made


def _findings(rng, ids, plans, places, author_id, now, progress):
    """Places checked by patrols and inspections, and a petition for about a third of them."""
    categories = list(Category.objects.values_list("pk", flat=True))
    statuses, status_w = zip(*FINDING_STATUS.items(), strict=True)
    checks, found = [], []
    for pk, (_community, grid, kind, day) in zip(ids, plans, strict=True):
        if kind not in Activity.FINDING_SOURCES or not places.get(grid):
            continue
        checked = rng.sample(places[grid], min(3, len(places[grid])))
        problem = checked[0] if rng.random() < FINDING_SHARE else None
        checks += [(pk, p, "problems" if p == problem else "passed") for p in checked]
        if problem is not None:
            found.append((pk, problem, grid, Activity.FINDING_SOURCES[kind], day))
    insert_rows(PlaceCheck, ["activity_id", "place_id", "result"], checks)
    first_petition = Petition.objects.aggregate(last=Max("pk"))["last"] or 0
    insert_instances([
        Petition(
            source=source, category_id=rng.choice(categories), grid_id=grid,
            description="合成数据:巡查发现的隐患", status=rng.choices(statuses, status_w)[0],
            created_by_id=author_id, created_at=now,
        )
        for _pk, _place, grid, source, _day in found
    ])  # fmt: skip
    petitions = Petition.objects.filter(pk__gt=first_petition).order_by("pk")
    petition_ids = list(petitions.values_list("pk", flat=True))
    insert_rows(Finding, ["activity_id", "place_id", "petition_id"], (
        (activity, place, petition)
        for (activity, place, *_rest), petition in zip(found, petition_ids, strict=True)
    ))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PetitionEvent._meta.db_table}"  # noqa: S608 - names from the models
            " (petition_id, actor_id, at, action, from_status, to_status, note, public)"
            " SELECT id, created_by_id, created_at, %s, %s, %s, %s, %s"
            f" FROM {Petition._meta.db_table} WHERE id > %s",
            ["created", "", Petition.Status.NEW, "", True, first_petition],
        )
    progress(f"findings: {len(found):,} (petitions), places checked: {len(checks):,}")
