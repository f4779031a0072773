"""The registry rows a workbook may refer to or match, loaded once and keyed by natural key.

Everything in the communities the workbook names is read in a few queries (one per table),
so that checking and writing 50,000 rows never asks the database row by row.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q, QuerySet

from communities.models import Community, Grid
from core.encrypted_fields import load_sealed
from core.personal_data import normalize_id_number
from grids.models import Building, Compound, Household, Resident, ResidentGroup, Tag, Unit

from .cells import as_text
from .workbook import SheetRows

# Under SQLite's smallest limit of parameters per query (999).
CHUNK = 900
ENCRYPTED = ("phone", "id_number")

CompoundKey = tuple[int, str]  # (community id, compound name)
BuildingKey = tuple[int, str, str]  # (community id, compound name, building name)


class Place(NamedTuple):
    """Where households live: a unit of an urban community or a resident group of a rural one."""

    community_id: int
    compound: str = ""
    building: str = ""
    unit: str = ""
    group: str = ""

    @property
    def building_key(self) -> BuildingKey:
        return (self.community_id, self.compound, self.building)


HouseholdKey = tuple[Place, str]  # (place, room)


@dataclass
class Existing:
    communities_by_code: dict[str, Community]
    communities_by_name: dict[str, list[Community]]
    grids: dict[tuple[int, int], int]  # (community id, grid number) → grid id
    compounds: dict[CompoundKey, Compound]
    buildings: dict[BuildingKey, Building]
    units: dict[Place, Unit]
    groups: dict[Place, ResidentGroup]
    households: dict[HouseholdKey, Household]
    residents_by_id_number: dict[str, Resident]
    # The first resident (by id) of each name in each household.
    residents_by_name: dict[tuple[HouseholdKey, str], Resident]
    tags: dict[str, int]  # name → id


def load_existing(sheets: list[SheetRows], scope: QuerySet[Community] | None) -> Existing:
    """The rows of the communities named in `sheets` (only those in `scope`, when given)."""
    communities = _communities(set(_cells(sheets, "community")), scope)
    ids = [community.pk for community in communities]
    by_name: dict[str, list[Community]] = {}
    for community in communities:
        by_name.setdefault(community.name, []).append(community)
    households = _households(ids)
    id_numbers = {normalize_id_number(value) for value in _cells(sheets, "id_number")}
    by_id_number, by_name_in_household = _residents(ids, households, id_numbers)
    return Existing(
        communities_by_code={community.code: community for community in communities},
        communities_by_name=by_name,
        grids=_grids(ids),
        compounds={(c.community_id, c.name): c for c in Compound.objects.filter(community__in=ids)},
        buildings=_buildings(ids),
        units=_units(ids),
        groups={
            Place(g.community_id, group=g.name): g
            for g in ResidentGroup.objects.filter(community__in=ids)
        },
        households=households,
        residents_by_id_number=by_id_number,
        residents_by_name=by_name_in_household,
        tags=dict(Tag.objects.values_list("name", "pk")),
    )


def _communities(names: set[str], scope: QuerySet[Community] | None) -> list[Community]:
    """The communities whose division code or name is in `names`."""
    communities = Community.objects.filter(Q(code__in=names) | Q(name__in=names))
    if scope is not None:
        communities = communities.filter(pk__in=scope.values("pk"))
    return list(communities)


def _grids(community_ids: list[int]) -> dict[tuple[int, int], int]:
    grids = Grid.objects.filter(community__in=community_ids)
    return {(c, number): pk for c, number, pk in grids.values_list("community", "number", "pk")}


def _buildings(community_ids: list[int]) -> dict[BuildingKey, Building]:
    buildings = Building.objects.filter(compound__community__in=community_ids)
    return {
        (b.compound.community_id, b.compound.name, b.name): b
        for b in buildings.select_related("compound")
    }


def _units(community_ids: list[int]) -> dict[Place, Unit]:
    units = Unit.objects.filter(building__compound__community__in=community_ids)
    return {_unit_place(unit): unit for unit in units.select_related("building__compound")}


def _households(community_ids: list[int]) -> dict[HouseholdKey, Household]:
    # A household's grid lies in the community of its place (Household.clean), so the grid,
    # indexed, finds them without joining the places.
    households = Household.objects.filter(grid__community__in=community_ids).select_related(
        "unit__building__compound", "resident_group"
    )
    return {(_household_place(household), household.room): household for household in households}


def _residents(
    community_ids: list[int], households: dict[HouseholdKey, Household], id_numbers: set[str]
) -> tuple[dict[str, Resident], dict[tuple[HouseholdKey, str], Resident]]:
    """Residents by ID-card number and by (household, name).

    Those of the communities, and by ID-card number those elsewhere who hold one of `id_numbers`.
    """
    # The numbers stay sealed: residents are matched and compared through the blind indexes,
    # and only a number that is read is decrypted (core/encrypted_fields.py).
    residents = load_sealed(
        Resident.objects.filter(household__grid__community__in=community_ids), *ENCRYPTED
    )
    key_of = {household.pk: key for key, household in households.items()}
    index_field = Resident._meta.get_field("id_number_index")
    wanted = {index_field.derive(number): number for number in id_numbers if number}
    by_id_number: dict[str, Resident] = {}
    by_name: dict[tuple[HouseholdKey, str], Resident] = {}
    for resident in residents.order_by("pk"):
        if number := wanted.get(resident.id_number_index):
            by_id_number[number] = resident
        by_name.setdefault((key_of[resident.household_id], resident.name), resident)
    found = set(by_id_number)
    for chunk in chunked(sorted(index for index, number in wanted.items() if number not in found)):
        elsewhere = Resident.objects.filter(id_number_index__in=chunk)
        for resident in load_sealed(elsewhere, *ENCRYPTED):
            by_id_number[wanted[resident.id_number_index]] = resident
    return by_id_number, by_name


def _household_place(household: Household) -> Place:
    if household.unit_id:
        return _unit_place(household.unit)
    group = household.resident_group
    return Place(group.community_id, group=group.name)


def _unit_place(unit: Unit) -> Place:
    building = unit.building
    return Place(building.compound.community_id, building.compound.name, building.name, unit.name)


def _cells(sheets: list[SheetRows], key: str) -> Iterator[str]:
    for sheet_rows in sheets:
        keys = [column.key for column in sheet_rows.sheet.columns]
        if key in keys:
            index = keys.index(key)
            for _number, cells in sheet_rows.rows:
                if value := as_text(cells[index]):
                    yield value


def chunked(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    batch = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
