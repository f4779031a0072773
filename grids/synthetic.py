"""Synthetic registry data at district or city scale, for benchmarks and query plans.

Deterministic for a given seed. Households are written with bulk inserts (their ids are needed
for the residents), residents with COPY on PostgreSQL; never one save() per row. Progress is
reported through a callback.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from django.db import transaction

from communities.models import Community, Grid, Street
from core.bulk_insert import insert_instances

from .demo import PersonFactory, _members
from .models import Building, Compound, Household, Unit

HOUSEHOLDS_PER_COMMUNITY = 2250
GRIDS_PER_COMMUNITY = 6
UNITS_PER_BUILDING = 3
HOUSEHOLDS_PER_UNIT = 12
BATCH = 5000


def generate_registry(households: int, *, seed: int, progress: Callable[[str], None]) -> None:
    """Add generated communities with `households` households and their residents."""
    people = PersonFactory(seed=seed)
    streets = list(Street.objects.order_by("code"))
    start = Community.objects.filter(name__startswith="生成社区").count()
    communities_needed = -(-households // HOUSEHOLDS_PER_COMMUNITY)
    made = 0
    for index in range(start, start + communities_needed):
        with transaction.atomic():
            count = min(HOUSEHOLDS_PER_COMMUNITY, households - made)
            _community(people, streets[index % len(streets)], index, count)
        made += count
        if index % 10 == 0 or made == households:
            progress(f"registry: {made:,} / {households:,} households")


def _community(people, street, index, households):
    community = Community.objects.create(
        street=street, code=f"9{index:011d}", name=f"生成社区{index + 1}", kind="urban"
    )
    grids = Grid.objects.bulk_create(
        Grid(community=community, number=n, name=f"第{n}网格")
        for n in range(1, GRIDS_PER_COMMUNITY + 1)
    )
    per_building = UNITS_PER_BUILDING * HOUSEHOLDS_PER_UNIT
    buildings_needed = -(-households // per_building)
    compound = Compound.objects.create(
        community=community, name=f"生成小区{index + 1}", year_built=1990
    )
    buildings = Building.objects.bulk_create(
        Building(compound=compound, grid=grids[n % len(grids)], name=f"{n + 1}号楼")
        for n in range(buildings_needed)
    )
    units = Unit.objects.bulk_create(
        Unit(building=b, name=f"{u}单元")
        for b in buildings
        for u in range(1, UNITS_PER_BUILDING + 1)
    )
    rooms = [f"{floor}0{pos}" for floor in range(1, 7) for pos in (1, 2)]
    new_households = [
        Household(grid=unit.building.grid, unit=unit, room=room)
        for unit, room in itertools.islice(((u, r) for u in units for r in rooms), households)
    ]
    Household.objects.bulk_create(new_households, batch_size=BATCH)
    residents = []
    for household in new_households:
        members, _kind = _members(people, household)
        residents.extend(members)
    insert_instances(residents)
