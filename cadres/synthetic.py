"""Synthetic cadres at district or city scale, in the shape of the page: 48 unit heads as first
secretaries of 89 communities (some serve two) and 539 grid first secretaries, each with a few
joint visits so that the unit and cadre pages have work to count. Deterministic; tops up what
exists (the demo's named first secretaries count), so running it twice adds nothing."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Assignment, Community, Department, District, Grid, Official
from grids.models import Household
from petitions.models import ThreeTrustAnswer, Visit

from .demo import TERM_START, load_cadres
from .headline import PAGE_COMMUNITIES, PAGE_GRID_SECRETARIES, PAGE_UNIT_HEADS

VISITS_PER_CADRE = 8
SPAN_DAYS = 180


def generate_cadres(*, seed: int, progress) -> None:
    load_cadres()
    rng = random.Random(seed + 18)  # noqa: S311 - synthetic data
    with transaction.atomic():
        made = _community_secretaries() + _grid_secretaries()
    progress(f"cadres: {len(made):,} assignments added")
    _visits(made, rng)
    progress("cadres: visits")


def _current():
    return Assignment.objects.current().first_secretaries()


def _community_secretaries() -> list[Assignment]:
    current = _current().filter(community__isnull=False)
    heads = set(current.values_list("official", flat=True))
    served = set(current.values_list("community", flat=True))
    units_with_head = set(current.values_list("department", flat=True))
    need_heads = max(PAGE_UNIT_HEADS - len(heads), 0)
    communities = list(
        Community.objects.exclude(pk__in=served).order_by("code")[
            : max(PAGE_COMMUNITIES - len(served), 0)
        ]
    )
    if not need_heads or not communities:
        return []
    units = _units_without_head(units_with_head, need_heads)
    officials = _officials(units, "unithead", "单位负责人")
    # Every head serves one community; the first ones a second, until the communities are served.
    posts = [[c] for c in communities[:need_heads]]
    for index, community in enumerate(communities[need_heads:]):
        posts[index % len(posts)].append(community)
    return Assignment.objects.bulk_create(
        Assignment(official=o, department_id=o.department_id, community=c, start_date=TERM_START)
        for o, served_here in zip(officials, posts, strict=False)
        for c in served_here
    )


def _grid_secretaries() -> list[Assignment]:
    current = _current().filter(grid__isnull=False)
    need = max(PAGE_GRID_SECRETARIES - current.values("official").distinct().count(), 0)
    # Grid 1 of every community first, then grid 2…: spread over the district.
    grids = list(
        Grid.objects.exclude(pk__in=current.values("grid")).order_by("number", "community_id")[
            :need
        ]
    )
    if not grids:
        return []
    units = list(Department.objects.order_by("pk"))
    cadres = _officials(
        [units[n % len(units)] for n in range(len(grids))], "gridsec", "网格第一书记"
    )
    return Assignment.objects.bulk_create(
        Assignment(official=o, department_id=o.department_id, grid=g, start_date=TERM_START)
        for o, g in zip(cadres, grids, strict=True)
    )


def _units_without_head(taken: set, count: int) -> list[Department]:
    district = District.objects.get(code="411002")
    units = list(Department.objects.exclude(pk__in=taken).order_by("pk")[:count])
    n = Department.objects.filter(name__startswith="生成单位").count()
    while len(units) < count:
        n += 1
        units.append(Department.objects.create(district=district, name=f"生成单位{n}"))
    return units


def _officials(units: list[Department], prefix: str, title: str) -> list[Official]:
    User = get_user_model()
    start = User.objects.filter(username__startswith=prefix).count()
    names = [f"{prefix}{start + n + 1}" for n in range(len(units))]
    # "!" marks an unusable password (no login) without hashing one per user.
    User.objects.bulk_create(User(username=name, password="!") for name in names)  # noqa: S106
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    Official.objects.bulk_create(
        Official(user_id=users[name], name=f"{title}{start + n + 1}", title=title, department=unit)
        for n, (name, unit) in enumerate(zip(names, units, strict=True))
    )
    by_user = {o.user_id: o for o in Official.objects.filter(user__username__in=names)}
    return [by_user[users[name]] for name in names]


def _visits(assignments: list[Assignment], rng: random.Random) -> None:
    """A few visits by each new cadre in their place, with the place's grid worker."""
    if not assignments:
        return
    grid_of = {}
    for a in assignments:
        grid_of[a.pk] = (
            a.grid_id
            or Grid.objects.filter(community=a.community_id)
            .order_by("number")
            .values_list("pk", flat=True)
            .first()
        )
    grids = {g for g in grid_of.values() if g}
    households: dict[int, list[int]] = {}
    for pk, grid_id in Household.objects.filter(grid__in=grids).values_list("pk", "grid_id"):
        households.setdefault(grid_id, []).append(pk)
    workers = dict(
        Official.objects.filter(scopes__grid__in=grids).values_list("scopes__grid", "pk")
    )
    users = dict(
        Official.objects.filter(pk__in=[a.official_id for a in assignments]).values_list(
            "pk", "user_id"
        )
    )
    now = timezone.now()
    visits, companions = [], []
    for a in assignments:
        grid_id = grid_of[a.pk]
        for household in rng.sample(
            households.get(grid_id, []), min(VISITS_PER_CADRE, len(households.get(grid_id, [])))
        ):
            at = now - datetime.timedelta(seconds=rng.random() * SPAN_DAYS * 86400)
            visits.append(
                Visit(household_id=household, grid_id=grid_id, visited_at=at, kind="routine",
                      author_id=users[a.official_id])
            )  # fmt: skip
            companions.append(workers.get(grid_id))
    visits = Visit.objects.bulk_create(visits, batch_size=2000)
    Through = Visit.co_visitors.through
    Through.objects.bulk_create(
        (
            Through(visit_id=v.pk, official_id=c)
            for v, c in zip(visits, companions, strict=True)
            if c
        ),
        batch_size=2000,
    )
    ThreeTrustAnswer.objects.bulk_create(
        (
            ThreeTrustAnswer(household_id=v.household_id, grid_id=v.grid_id, asked_at=v.visited_at,
                             asked_by_id=v.author_id, visit=v, knows=rng.random() < 0.8,
                             trusts=rng.random() < 0.85, approves=rng.random() < 0.9)
            for v in visits
        ),
        batch_size=2000,
    )  # fmt: skip
