"""Phase 2: write a checked plan in one transaction, in bulk, matching rows by natural key.

Only what differs is written, so importing the same file again changes nothing.
"""

from collections.abc import Callable, Hashable
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext

from core.encrypted_fields import derived_fields, same_stored_value
from grids.models import Building, Compound, Household, Resident, ResidentGroup, Unit

from .checks import Plan
from .existing import Existing, chunked
from .layout import SHEETS
from .results import SheetCounts

BATCH = 1000
ResidentTag = Resident.tags.through


def write_plan(
    plan: Plan, existing: Existing, report: Callable[[str], None]
) -> dict[str, SheetCounts]:
    """Create and update the plan's rows; counts by sheet title, for the sheets in the file."""
    writers = {
        "compound": _write_compounds,
        "building": _write_buildings,
        "unit": _write_units,
        "resident_group": _write_groups,
        "household": _write_households,
        "resident": _write_residents,
    }
    counts = {}
    with transaction.atomic():
        for sheet in SHEETS:
            if sheet.key in plan.sheets:
                report(gettext("Writing %(sheet)s…") % {"sheet": sheet.title})
                counts[sheet.title] = writers[sheet.key](plan, existing)
    return counts


def _write_compounds(plan: Plan, existing: Existing) -> SheetCounts:
    wanted = {
        key: {"community_id": key[0], "name": key[1], **values}
        for key, values in plan.compounds.items()
    }
    return _upsert(Compound, existing.compounds, wanted)[0]


def _write_buildings(plan: Plan, existing: Existing) -> SheetCounts:
    wanted = {
        key: {"compound_id": existing.compounds[key[:2]].pk, "name": key[2], "grid_id": grid}
        for key, grid in plan.buildings.items()
    }
    counts, moved = _upsert(Building, existing.buildings, wanted)
    # Only the grid of a building can change; its households are in its grid.
    for building in moved:
        _move_households(Household.objects.filter(unit__building=building), building.grid_id)
    return counts


def _write_units(plan: Plan, existing: Existing) -> SheetCounts:
    wanted = {
        place: {"building_id": existing.buildings[place.building_key].pk, "name": place.unit}
        for place in plan.units
    }
    return _upsert(Unit, existing.units, wanted)[0]


def _write_groups(plan: Plan, existing: Existing) -> SheetCounts:
    wanted = {
        place: {"community_id": place.community_id, "name": place.group, "grid_id": grid}
        for place, grid in plan.groups.items()
    }
    counts, moved = _upsert(ResidentGroup, existing.groups, wanted)
    for group in moved:
        _move_households(Household.objects.filter(resident_group=group), group.grid_id)
    return counts


def _write_households(plan: Plan, existing: Existing) -> SheetCounts:
    wanted = {}
    for (place, room), grid in plan.households.items():
        in_unit = bool(place.unit)
        wanted[place, room] = {
            "grid_id": grid,
            "unit_id": existing.units[place].pk if in_unit else None,
            "resident_group_id": None if in_unit else existing.groups[place].pk,
            "room": room,
        }
    return _upsert(Household, existing.households, wanted)[0]


def _write_residents(plan: Plan, existing: Existing) -> SheetCounts:
    # Keyed by position in the plan: phase 1 matched each row to its registry resident, if any.
    residents = {index: item.match for index, item in enumerate(plan.residents) if item.match}
    matched = {resident.pk for resident in residents.values()}
    wanted = {
        index: {**item.values, "household_id": existing.households[item.household].pk}
        for index, item in enumerate(plan.residents)
    }
    counts, changed = _upsert(Resident, residents, wanted)
    tags = {residents[index].pk: item.tag_ids for index, item in enumerate(plan.residents)}
    retagged = _set_tags(tags, matched)
    # A resident whose tags alone changed was updated too.
    only_tags = len(retagged - {resident.pk for resident in changed})
    counts.updated += only_tags
    counts.unchanged -= only_tags
    return counts


def _set_tags(wanted: dict[int, frozenset[int]], matched: set[int]) -> set[int]:
    """Give each resident (by id) the wanted tags, writing only those whose tags differ.

    `matched` are the residents that existed before; returns those of them retagged.
    """
    current: dict[int, set[int]] = {}
    for chunk in chunked(sorted(matched)):
        pairs = ResidentTag.objects.filter(resident_id__in=chunk).values_list("resident", "tag")
        for resident_id, tag_id in pairs:
            current.setdefault(resident_id, set()).add(tag_id)
    differ = {pk for pk, tags in wanted.items() if tags != current.get(pk, set())}
    for chunk in chunked(sorted(differ & current.keys())):
        ResidentTag.objects.filter(resident_id__in=chunk).delete()
    ResidentTag.objects.bulk_create(
        [ResidentTag(resident_id=pk, tag_id=tag) for pk in sorted(differ) for tag in wanted[pk]],
        batch_size=BATCH,
    )
    return differ & matched


def _upsert(
    model: type[models.Model],
    existing: dict[Hashable, Any],
    wanted: dict[Hashable, dict[str, Any]],
) -> tuple[SheetCounts, list[models.Model]]:
    """Create the wanted rows missing from `existing`, update those that differ.

    `existing` gains the created rows (with their primary keys); returns the counts and the
    updated rows.
    """
    created, changed, fields = [], [], set()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            row = existing[key] = model(**values)
            created.append(row)
            continue
        differ = [name for name, value in values.items() if not same_stored_value(row, name, value)]
        for name in differ:
            setattr(row, name, values[name])
        if differ:
            changed.append(row)
            fields.update(differ)
    model.objects.bulk_create(created, batch_size=BATCH)
    if changed:
        # A changed number changes its blind index and suffix too (core/encrypted_fields.py).
        model.objects.bulk_update(changed, derived_fields(model, sorted(fields)), batch_size=BATCH)
    unchanged = len(wanted) - len(created) - len(changed)
    return SheetCounts(len(created), len(changed), unchanged), changed


def _move_households(households: models.QuerySet, grid_id: int) -> None:
    households.exclude(grid_id=grid_id).update(grid_id=grid_id)
