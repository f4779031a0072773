"""Phase 1: check every row of every sheet against the file and the registry, and plan the writes.

A row may refer to registry rows or to rows of earlier sheets. A key that is well formed is
remembered even when other cells of its row are wrong, so that one bad cell is reported once
and not again by every later row that refers to it.
"""

import datetime
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from communities.models import Community
from core.personal_data import (
    id_number_birth_date,
    id_number_is_male,
    plausible_birth_date,
    validate_id_number,
    validate_phone,
)
from grids.models import Resident

from .cells import Row
from .existing import BuildingKey, CompoundKey, Existing, HouseholdKey, Place
from .layout import COMMITTEES, GENDERS, RELATIONS, SHEETS, STATUSES
from .results import RowError
from .workbook import SheetRows

_TAG_SEPARATORS = re.compile(r"[、,，]")
_PROGRESS_EVERY = 5_000


@dataclass(slots=True)
class ResidentPlan:
    match: Resident | None  # the registry's resident this row updates, if any
    household: HouseholdKey
    values: dict[str, Any]
    tag_ids: frozenset[int]


@dataclass
class Plan:
    """What to write, by natural key: the values each sheet's rows ask for."""

    sheets: list[str] = field(default_factory=list)  # keys of the sheets in the file
    compounds: dict[CompoundKey, dict[str, Any]] = field(default_factory=dict)
    buildings: dict[BuildingKey, int] = field(default_factory=dict)  # → grid id
    units: dict[Place, None] = field(default_factory=dict)
    groups: dict[Place, int] = field(default_factory=dict)  # → grid id
    households: dict[HouseholdKey, int] = field(default_factory=dict)  # → grid id
    residents: list[ResidentPlan] = field(default_factory=list)


def check_rows(
    sheets: list[SheetRows],
    existing: Existing,
    report: Callable[[str], None],
    checked: Callable[[int], None] | None = None,
) -> tuple[Plan, list[RowError]]:
    """Check every row; the plan is only meant to be written when the error list is empty.

    `checked(rows)` is told the rows checked so far, of all sheets, every 5,000 rows.
    """
    checker = _Checker(existing)
    done = 0
    for sheet_rows in sheets:
        checker.plan.sheets.append(sheet_rows.sheet.key)
        check = checker.checks[sheet_rows.sheet.key]
        for count, (number, cells) in enumerate(sheet_rows.rows, start=1):
            check(Row(sheet_rows.sheet, number, cells, checker.errors))
            if count % _PROGRESS_EVERY == 0:
                message = gettext("%(sheet)s: %(count)d rows checked")
                report(message % {"sheet": sheet_rows.sheet.title, "count": count})
                if checked:
                    checked(done + count)
        done += len(sheet_rows.rows)
    return checker.plan, _in_reading_order(checker.errors)


def _in_reading_order(errors: list[RowError]) -> list[RowError]:
    """By sheet, row and column (the checks of one row do not run in column order)."""
    sheets = {sheet.title: index for index, sheet in enumerate(SHEETS)}
    columns = {
        (sheet.title, column.header): index
        for sheet in SHEETS
        for index, column in enumerate(sheet.columns)
    }
    return sorted(errors, key=lambda e: (sheets[e.sheet], e.row, columns[e.sheet, e.column]))


class _Checker:
    def __init__(self, existing: Existing):
        self.existing = existing
        self.errors: list[RowError] = []
        self.plan = Plan()
        self.checks = {
            "compound": self.check_compound,
            "building": self.check_building,
            "unit": self.check_unit,
            "resident_group": self.check_resident_group,
            "household": self.check_household,
            "resident": self.check_resident,
        }
        # What later rows may refer to: the registry's rows, then the file's rows as checked.
        self.compounds = set(existing.compounds)
        self.buildings = {key: b.grid_id for key, b in existing.buildings.items()}
        self.units = set(existing.units)
        self.groups = {key: group.grid_id for key, group in existing.groups.items()}
        self.households = set(existing.households)
        # The first row of each natural key, per sheet; a later row with that key repeats it.
        self.first_rows: dict[tuple[str, Hashable], int] = {}
        # Residents: registry resident id → the row matched to it; (household, name) → the
        # first row of that name there, and whether that row had an ID-card number.
        self.matched_residents: dict[int, int] = {}
        self.names: dict[tuple[HouseholdKey, str], tuple[int, bool]] = {}

    # --- One method per sheet ---------------------------------------------------------------

    def check_compound(self, row: Row) -> None:
        community = self.community(row)
        name = row.text("compound")
        values = {
            "address": row.text("address"),
            "year_built": row.whole_number("year_built", 1900, 2100),
            "committee": row.choice("committee", COMMITTEES, default=""),
        }
        if community is None or name is None or not self.urban(row, community, _no_compounds()):
            return
        key = (community.pk, name)
        if self.first_time(row, "compound", key):
            self.compounds.add(key)
            self.plan.compounds[key] = values

    def check_building(self, row: Row) -> None:
        community = self.community(row)
        compound, name = row.text("compound"), row.text("building")
        grid = self.grid(row, community)
        if community is None or compound is None or name is None:
            return
        if not self.urban(row, community, _no_compounds()):
            return
        if not self.known_compound(row, community.pk, compound):
            return
        key = (community.pk, compound, name)
        if self.first_time(row, "building", key):
            self.buildings[key] = grid
            self.plan.buildings[key] = grid

    def check_unit(self, row: Row) -> None:
        community = self.community(row)
        compound, building, name = row.text("compound"), row.text("building"), row.text("unit")
        if community is None or compound is None or building is None or name is None:
            return
        if not self.urban(row, community, gettext("Units exist only in urban communities.")):
            return
        if not self.known_building(row, Place(community.pk, compound, building)):
            return
        place = Place(community.pk, compound, building, name)
        if self.first_time(row, "unit", place):
            self.units.add(place)
            self.plan.units[place] = None

    def check_resident_group(self, row: Row) -> None:
        community = self.community(row)
        name = row.text("group")
        grid = self.grid(row, community)
        if community is None or name is None:
            return
        if community.is_urban:
            row.error("community", _urban_has_no_groups())
            return
        place = Place(community.pk, group=name)
        if self.first_time(row, "group", place):
            self.groups[place] = grid
            self.plan.groups[place] = grid

    def check_household(self, row: Row) -> None:
        community = self.community(row)
        place = self.place(row, community)
        room = row.text("room")
        if place is None or room is None:
            return
        key = (place, room)
        if self.first_time(row, "room", key):
            self.households.add(key)
            self.plan.households[key] = self.grid_of(place)

    def check_resident(self, row: Row) -> None:
        household = self.household(row)
        name = row.text("name")
        given_number = self.id_number(row)
        match = None
        if household is not None and name is not None and given_number is not None:
            match = self.match_resident(row, household, name, given_number)
        id_number = given_number
        if given_number == "" and match is not None:
            # An import never erases an ID-card number: a row without one keeps the registry's.
            id_number = match.id_number
        values = {
            "name": name,
            "gender": self.gender(row, id_number),
            "birth_date": self.birth_date(row, id_number),
            "phone": self.phone(row),
            "id_number": id_number,
            "relation": row.choice("relation", RELATIONS, default=Resident.Relation.HEAD),
            "status": self.status(row),
            "status_date": row.date("status_date"),
        }
        tag_ids = self.tag_ids(row)
        if household is not None and name is not None and id_number is not None:
            self.plan.residents.append(ResidentPlan(match, household, values, tag_ids))

    # --- References -------------------------------------------------------------------------

    def household(self, row: Row) -> HouseholdKey | None:
        """The household a resident row names: in the registry or on the household sheet."""
        place = self.place(row, self.community(row))
        room = row.text("room")
        if place is None or room is None:
            return None
        if (place, room) not in self.households:
            message = gettext("Unknown room “%(value)s” here; list it on the household sheet.")
            row.error("room", message % {"value": room})
            return None
        return (place, room)

    def community(self, row: Row) -> Community | None:
        """The community named by its division code or by its (unique) name."""
        value = row.text("community")
        if value is None:
            return None
        community = self.existing.communities_by_code.get(value)
        if community is not None:
            return community
        named = self.existing.communities_by_name.get(value, [])
        if len(named) == 1:
            return named[0]
        if named:
            message = gettext("Several communities are named “%(value)s”; use the division code.")
        else:
            message = gettext("Unknown community “%(value)s”.")
        row.error("community", message % {"value": value})
        return None

    def urban(self, row: Row, community: Community, message: str) -> bool:
        if not community.is_urban:
            row.error("community", message)
        return community.is_urban

    def grid(self, row: Row, community: Community | None) -> int | None:
        number = row.whole_number("grid", 1, 32767)
        if community is None or number is None:
            return None
        grid = self.existing.grids.get((community.pk, number))
        if grid is None:
            message = gettext("This community has no grid number %(value)s.")
            row.error("grid", message % {"value": number})
        return grid

    def known_compound(self, row: Row, community_id: int, name: str) -> bool:
        known = (community_id, name) in self.compounds
        if not known:
            row.error("compound", gettext("Unknown compound “%(value)s”.") % {"value": name})
        return known

    def known_building(self, row: Row, place: Place) -> bool:
        if not self.known_compound(row, place.community_id, place.compound):
            return False
        if place.building_key not in self.buildings:
            message = gettext("Unknown building “%(value)s” in this compound.")
            row.error("building", message % {"value": place.building})
            return False
        return True

    def place(self, row: Row, community: Community | None) -> Place | None:
        """The unit (urban) or resident group (rural) named by a household or resident row."""
        names = {key: row.text(key) for key in ("compound", "building", "unit", "group")}
        if community is None or None in names.values():
            return None
        in_unit = [key for key in ("compound", "building", "unit") if names[key]]
        if in_unit and names["group"]:
            message = gettext("Give a compound, building and unit, or a resident group, not both.")
            row.error("group", message)
            return None
        if community.is_urban:
            return self.unit_place(row, community, names)
        if in_unit:
            row.error(in_unit[0], gettext("Units exist only in urban communities."))
            return None
        return self.group_place(row, community, names["group"])

    def unit_place(self, row: Row, community: Community, names: dict[str, str]) -> Place | None:
        if names["group"]:
            row.error("group", _urban_has_no_groups())
            return None
        missing = [key for key in ("compound", "building", "unit") if not names[key]]
        for key in missing:
            row.error(key, gettext("This cell is required."))
        place = Place(community.pk, names["compound"], names["building"], names["unit"])
        if missing or not self.known_building(row, place):
            return None
        if place not in self.units:
            message = gettext("Unknown unit “%(value)s” in this building.")
            row.error("unit", message % {"value": place.unit})
            return None
        return place

    def group_place(self, row: Row, community: Community, name: str) -> Place | None:
        if not name:
            row.error("group", gettext("This cell is required."))
            return None
        place = Place(community.pk, group=name)
        if place not in self.groups:
            message = gettext("Unknown resident group “%(value)s”.")
            row.error("group", message % {"value": name})
            return None
        return place

    def grid_of(self, place: Place) -> int | None:
        """A household's grid is its building's or its resident group's."""
        return self.buildings[place.building_key] if place.unit else self.groups[place]

    def first_time(self, row: Row, column: str, key: Hashable) -> bool:
        """False, with an error, if an earlier row of this sheet has the same `key`."""
        first = self.first_rows.setdefault((row.sheet.key, key), row.number)
        if first != row.number:
            row.error(column, gettext("Already listed in row %(row)d.") % {"row": first})
        return first == row.number

    # --- Residents --------------------------------------------------------------------------

    def id_number(self, row: Row) -> str | None:
        """The row's checked ID-card number, "" if none, None if wrong."""
        if isinstance(row.raw("id_number"), int | float):
            message = gettext("Type the ID-card number as text: Excel keeps only 15 digits.")
            row.error("id_number", message)
            return None
        value = row.id_number("id_number")
        if not value:
            return ""
        try:
            validate_id_number(value)
        except ValidationError as exc:
            row.error("id_number", " ".join(exc.messages))
            return None
        return value if self.first_time(row, "id_number", value) else None

    def gender(self, row: Row, id_number: str | None) -> str | None:
        gender = row.choice("gender", GENDERS)
        if (
            gender
            and id_number
            and (gender == Resident.Gender.MALE) != id_number_is_male(id_number)
        ):
            row.error("gender", gettext("The gender does not match the ID-card number."))
        return gender

    def birth_date(self, row: Row, id_number: str | None) -> datetime.date | None:
        """The birth date given, or else the one the ID-card number holds; the two must agree."""
        given = row.date("birth_date")
        if given is not None and not plausible_birth_date(given):
            row.error("birth_date", gettext("A birth date lies between 1900-01-01 and today."))
            given = None
        born = id_number_birth_date(id_number) if id_number else None
        if given and born and given != born:
            row.error("birth_date", gettext("The birth date does not match the ID-card number."))
        return given or born

    def phone(self, row: Row) -> str | None:
        value = row.phone("phone")
        if value:
            try:
                validate_phone(value)
            except ValidationError as exc:
                row.error("phone", " ".join(exc.messages))
                return None
        return value

    def status(self, row: Row) -> str | None:
        """The status; moving out or death needs a date, living here has none."""
        status = row.choice("status", STATUSES, default=Resident.Status.LIVING)
        if status is not None and (status == Resident.Status.LIVING) == row.filled("status_date"):
            row.error(
                "status_date",
                gettext("Moving out or death needs a date; a resident living here has none."),
            )
        return status

    def tag_ids(self, row: Row) -> frozenset[int]:
        names = {name.strip() for name in _TAG_SEPARATORS.split(row.text("tags") or "")} - {""}
        unknown = sorted(names - self.existing.tags.keys())
        if unknown:
            message = gettext("Unknown tag “%(value)s”.")
            row.error("tags", message % {"value": "、".join(unknown)})
        return frozenset(self.existing.tags[name] for name in names - set(unknown))

    def match_resident(
        self, row: Row, household: HouseholdKey, name: str, id_number: str
    ) -> Resident | None:
        """The registry's resident this row describes, if any.

        The holder of the row's ID-card number, else the resident of that name in that
        household (one without an ID-card number, if the row has one).
        """
        if self.repeated_name(row, household, name, id_number):
            return None
        match = self.existing.residents_by_id_number.get(id_number) if id_number else None
        if match is not None and match.name != name:
            message = gettext("This ID-card number belongs to a resident with another name.")
            row.error("id_number", message)
            return None
        if match is None:
            match = self.existing.residents_by_name.get((household, name))
            if match is not None and id_number and match.id_number:
                match = None
        if match is not None:
            first = self.matched_residents.setdefault(match.pk, row.number)
            if first != row.number:
                row.error("name", gettext("Already listed in row %(row)d.") % {"row": first})
        return match

    def repeated_name(self, row: Row, household: HouseholdKey, name: str, id_number: str) -> bool:
        """Whether an earlier row lists this person: same name in the same household.

        Two such rows are one person twice unless both carry an ID-card number (then they
        differ: a repeated number is reported on its own).
        """
        first, first_has_number = self.names.setdefault(
            (household, name), (row.number, bool(id_number))
        )
        repeated = first != row.number and not (id_number and first_has_number)
        if repeated:
            row.error("name", gettext("Already listed in row %(row)d.") % {"row": first})
        return repeated


def _no_compounds() -> str:
    return gettext("A rural community is divided into resident groups, not compounds.")


def _urban_has_no_groups() -> str:
    return gettext("An urban community is divided into compounds, buildings and units.")
