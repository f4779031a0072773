"""Demo party organizations and "5+3" roles: the seed's branches and people, plus generated
holders with some vacancies. Idempotent: a community that already has organizations or roles is
left as it is. Deterministic (fixed random seed).
"""

import datetime
import random
from collections import defaultdict

from django.db import transaction

from communities.models import Community, Official
from communities.scoping import serving_q

from .models import (
    ModelHousehold,
    PartyMembership,
    PartyOrganization,
    Resident,
    Role,
    RoleKind,
    StarRating,
)

START = datetime.date(2023, 5, 1)
# (community code, kind, name, secretary: ("official", username) or ("resident", name) or None)
COMMUNITY_ORGS = {
    "411002005001": ("committee", "新村社区党委", ("official", "community")),
    "411002010001": ("general", "河西社区党总支", ("resident", "张琳")),
    "411002003001": ("committee", "许烟社区党委", None),
}
# Grid branch secretaries named in the seed: (community code, grid number) -> resident name
GRID_SECRETARIES = {("411002005001", 1): "寇莹莹"}
# Compound branches: (community code, compound, secretary resident name)
COMPOUND_BRANCHES = [("411002003001", "帝豪花园小区", "秦凤莲")]
# 新村社区 selected 52 unit heads (the page's figure) among its 60 units.
XINCUN_UNIT_HEADS = 52


@transaction.atomic
def load_party_and_roles():
    rng = random.Random(1021)  # noqa: S311 - fake demo data
    for community in Community.objects.prefetch_related("grids").order_by("code"):
        if PartyOrganization.objects.filter(community=community).exists():
            continue
        people = _people(community)
        _load_organizations(rng, community, people)
        _load_roles(rng, community, people)


def _people(community):
    """Living adult residents of the community with where they live, in one query."""
    rows = (
        Resident.objects.current()
        .filter(household__grid__community=community, birth_date__lte=datetime.date(2006, 1, 1))
        .values(
            "id",
            "name",
            "tags__name",
            "household_id",
            "household__grid_id",
            "household__unit_id",
            "household__unit__building_id",
            "household__unit__building__compound_id",
            "household__resident_group_id",
        )
        .order_by("id")
    )
    people = {}
    for row in rows:
        person = people.setdefault(row["id"], {**row, "party": False})
        person["party"] |= row["tags__name"] == "党员"
    return list(people.values())


def _pick(rng, people, key, value, party_first=True, exclude=()):
    here = [p for p in people if p[key] == value and p["id"] not in exclude]
    party = [p for p in here if p["party"]]
    pool = party if (party_first and party) else here
    return rng.choice(pool) if pool else None


def _load_organizations(rng, community, people):
    kind, name, secretary = COMMUNITY_ORGS.get(
        community.code, ("committee", f"{community.name}党委", None)
    )
    top = PartyOrganization.objects.create(
        kind=kind,
        name=name,
        community=community,
        founded=datetime.date(2010, 7, 1),
        has_flag=True,
        has_sign=True,
        has_rules=True,
        has_archive=rng.random() < 0.8,
    )
    if secretary and secretary[0] == "official":
        official = Official.objects.get(user__username=secretary[1])
        PartyMembership.objects.create(organization=top, official=official, post="secretary")
    elif secretary:
        resident = next((p for p in people if p["name"] == secretary[1]), None)
        if resident:
            PartyMembership.objects.create(
                organization=top, resident_id=resident["id"], post="secretary"
            )
    for grid in community.grids.all():
        branch = PartyOrganization.objects.create(
            kind="grid",
            name=f"{community.name}{grid.name}党支部",
            community=community,
            parent=top,
            grid=grid,
            founded=datetime.date(2021, 7, 1),
            has_flag=True,
            has_sign=rng.random() < 0.9,
            has_rules=rng.random() < 0.8,
            has_archive=rng.random() < 0.6,
        )
        named = GRID_SECRETARIES.get((community.code, grid.number))
        secretary = next((p for p in people if p["name"] == named), None) if named else None
        secretary = secretary or _pick(rng, people, "household__grid_id", grid.pk)
        if secretary and (named or rng.random() < 0.9):
            PartyMembership.objects.create(
                organization=branch, resident_id=secretary["id"], post="secretary"
            )
        members = [p for p in people if p["household__grid_id"] == grid.pk and p["party"]]
        PartyMembership.objects.bulk_create(
            PartyMembership(organization=branch, resident_id=p["id"])
            for p in members
            if not secretary or p["id"] != secretary["id"]
        )
        StarRating.objects.bulk_create(
            StarRating(organization=branch, year=year, stars=min(5, 2 + i + rng.randint(0, 1)))
            for i, year in enumerate((2023, 2024, 2025))
        )
    for code, compound_name, secretary_name in COMPOUND_BRANCHES:
        if code != community.code:
            continue
        compound = community.compounds.get(name=compound_name)
        branch = PartyOrganization.objects.create(
            kind="compound",
            name=f"{compound_name}党支部",
            community=community,
            parent=top,
            compound=compound,
            founded=datetime.date(2023, 4, 1),
            has_flag=True,
            has_sign=True,
            has_rules=True,
            has_archive=True,
        )
        secretary = next((p for p in people if p["name"] == secretary_name), None)
        if secretary:
            PartyMembership.objects.create(
                organization=branch, resident_id=secretary["id"], post="secretary"
            )
            ModelHousehold.objects.get_or_create(
                household_id=secretary["household_id"], defaults={"since": START}
            )
        for person in [
            p
            for p in people
            if p["household__unit__building__compound_id"] == compound.pk and p["party"]
        ][:5]:
            ModelHousehold.objects.get_or_create(
                household_id=person["household_id"], defaults={"since": START}
            )


def _load_roles(rng, community, people):
    roles = []
    used = set()

    def add(kind, person, **place):
        if person:
            used.add(person["id"])
            roles.append(
                Role(
                    kind=kind,
                    resident_id=person["id"],
                    community=community,
                    start_date=START,
                    **place,
                )
            )

    # The community's party secretary leads its task force (新村社区: the `community` login).
    official = Official.objects.filter(serving_q(community, through="")).order_by("pk").first()
    if official is not None:
        roles.append(
            Role(kind=RoleKind.TASK_FORCE, official=official, community=community, start_date=START)
        )
    for _ in range(2):
        add(RoleKind.TASK_FORCE, rng.choice(people) if people else None)
    if community.is_urban:
        for grid in community.grids.all():
            if rng.random() < 0.85:
                add(
                    RoleKind.TEAM_LEADER,
                    _pick(rng, people, "household__grid_id", grid.pk, exclude=used),
                    grid=grid,
                )
        by_compound, by_building, by_unit = defaultdict(list), {}, {}
        for p in people:
            if p["household__unit_id"]:
                by_compound[p["household__unit__building__compound_id"]].append(p)
                by_building[p["household__unit__building_id"]] = p["household__grid_id"]
                by_unit[p["household__unit_id"]] = p["household__grid_id"]
        for compound in community.compounds.all():
            if rng.random() < 0.9:
                add(
                    RoleKind.COURTYARD_HEAD,
                    _pick(
                        rng,
                        people,
                        "household__unit__building__compound_id",
                        compound.pk,
                        exclude=used,
                    ),
                    compound=compound,
                )
        for building_id, grid_id in by_building.items():
            if rng.random() < 0.9:
                add(
                    RoleKind.BUILDING_HEAD,
                    _pick(rng, people, "household__unit__building_id", building_id, False, used),
                    building_id=building_id,
                    grid_id=grid_id,
                )
        units = sorted(by_unit.items())
        share = XINCUN_UNIT_HEADS if community.code == "411002005001" else int(len(units) * 0.8)
        for unit_id, grid_id in sorted(rng.sample(units, min(share, len(units)))):
            add(
                RoleKind.UNIT_HEAD,
                _pick(rng, people, "household__unit_id", unit_id, False, used),
                unit_id=unit_id,
                grid_id=grid_id,
            )
    else:
        groups = {
            p["household__resident_group_id"]: p["household__grid_id"]
            for p in people
            if p["household__resident_group_id"]
        }
        for group_id, grid_id in sorted(groups.items()):
            if rng.random() < 0.85:
                add(
                    RoleKind.GROUP_LEADER,
                    _pick(rng, people, "household__resident_group_id", group_id, exclude=used),
                    resident_group_id=group_id,
                    grid_id=grid_id,
                )
            for _ in range(2):
                add(
                    RoleKind.ANCHOR_HOUSEHOLD,
                    _pick(rng, people, "household__resident_group_id", group_id, exclude=used),
                    resident_group_id=group_id,
                    grid_id=grid_id,
                )
    Role.objects.bulk_create(roles)
