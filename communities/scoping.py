"""Who may see what: the one module that maps an official to the area they serve.

An official serves one or more areas (`OfficialScope`): the whole district (organizers), a street,
a community or a grid. They see everything inside those areas and nothing outside. Department
staff serve no area: they see what is dispatched to their department (the casework decides that).
A department's cadre assigned to a community or a grid for a term (`Assignment`: first secretary,
sent-down cadre, 三官一律) serves it as its own staff do while the term runs, from the assignment
itself; the day after it ends they see nothing of it.

Every model that lives somewhere on the map asks `area_q()` for its filter, through its
`visible_to(user)` queryset method. Views never filter by area themselves; an object outside the
user's scope is fetched through `visible_to` and so answers 404.
"""

from __future__ import annotations

import datetime
import hashlib
import operator
from dataclasses import dataclass, field
from functools import cached_property, reduce
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.cache import caches
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import Assignment, Official, OfficialScope

# The map's levels, widest first. `communities.models` imports this module (its areas' querysets
# live here); this module finds the models through the app registry, so neither imports the other
# in a circle.
LEVELS = ("district", "street", "community", "grid")
_PARENT = {"grid": "community", "community": "street", "street": "district"}


@dataclass(frozen=True)
class Scope:
    """What one user serves, loaded once per request."""

    is_superuser: bool = False
    official: Official | None = None
    # The areas served: the official's own, then those of their current assignments.
    areas: tuple[OfficialScope | Assignment, ...] = ()
    ids: dict[str, frozenset[int]] = field(default_factory=dict)
    assignments: tuple[Assignment, ...] = ()
    # The day the assignments were read for: a term that ends changes the scope the next day.
    on: datetime.date | None = None

    @property
    def is_organizer(self) -> bool:
        """District organizers (and superusers) see the whole district."""
        return self.is_superuser or bool(self.ids.get("district"))

    @property
    def department_id(self) -> int | None:
        return self.official.department_id if self.official else None

    @property
    def district_role(self) -> str:
        """ "collects" (区委组织部), "coordinates" (区委办) or "": the department's part in the
        district's follow-through chain (Department.district_role)."""
        department = self.official.department if self.official else None
        return department.district_role if department else ""

    @property
    def collects(self) -> bool:
        """区委组织部: sees district-level petitions and the ledger, triages, keeps the ledger."""
        return self.district_role == "collects"

    @property
    def coordinates(self) -> bool:
        """区委办: sees every petition of its district, supervises, instructs, adds assisting
        departments, sees the ledger."""
        return self.district_role == "coordinates"

    @property
    def follows_through(self) -> bool:
        """Sees every department's ledger: the organizers and the two district bodies."""
        return self.is_organizer or bool(self.district_role)

    def serves(self, level: str) -> bool:
        return bool(self.ids.get(level))

    @cached_property  # read several times a page (the header, the home page)
    def label(self) -> str:
        """The areas served, as shown in the page header: 北大街街道 · 新村社区.

        Every page shows it, and it is only names: kept per set of areas in this process's
        fragment cache for LABEL_SECONDS (a renamed area shows its new name within that time),
        so the scope is read without joining the areas' seven tables on every request."""
        places = tuple((area.level, getattr(area, f"{area.level}_id")) for area in self.areas)
        if not places:
            department = self.official.department if self.official else None
            return department.name if department else ""
        places_text = ",".join(f"{level}{pk}" for level, pk in places)
        key = "scope-label:" + hashlib.sha256(places_text.encode()).hexdigest()
        cache = caches["fragments"]
        label = cache.get(key)
        if label is None:
            names = _place_names(places)
            label = "; ".join(names.get(place, "") for place in places)
            cache.set(key, label, LABEL_SECONDS)
        return label


# How long a scope's label is kept (Scope.label).
LABEL_SECONDS = 600


# What a label names for an area of each level: its own name and those above it up to the street.
_NAMES = {
    "district": ("name",),
    "street": ("name",),
    "community": ("street__name", "name"),
    "grid": ("community__street__name", "community__name", "name"),
}


def _place_names(places) -> dict[tuple[str, int], str]:
    """(level, id) -> "北大街街道 · 新村社区 · 第一网格" for each place (one query a level)."""
    names = {}
    for level in LEVELS:
        pks = [pk for place_level, pk in places if place_level == level]
        if pks:
            model = apps.get_model("communities", level.capitalize())
            for pk, *parts in model.objects.filter(pk__in=pks).values_list("pk", *_NAMES[level]):
                names[(level, pk)] = " · ".join(parts)
    return names


EMPTY_SCOPE = Scope()


def get_scope(user: AbstractBaseUser | AnonymousUser) -> Scope:
    """The scope of `user`, cached on the user object for the rest of the request."""
    cached = getattr(user, "_weidu_scope", None)
    if cached is not None:
        return cached
    scope = _load_scope(user)
    if user.is_authenticated:
        user._weidu_scope = scope
    return scope


def _load_scope(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    Official = apps.get_model("communities", "Official")  # noqa: N806 - no import circle
    Assignment = apps.get_model("communities", "Assignment")  # noqa: N806
    today = timezone.localdate()
    # Every page loads the scope, so its queries carry no ORDER BY: Django compiles an ordered
    # query in about twice the time (it hashes every selected column), far more than sorting a
    # few rows here; an official has one row (user is unique).
    official = next(
        iter(Official.objects.select_related("department").filter(user=user).order_by()[:1]),
        None,
    )
    # (district_role is a column of the department: read with it, no query of its own)
    areas: tuple = ()
    assignments: tuple = ()
    if official is not None:
        # (without the areas themselves: the header's label keeps their names, Scope.label)
        areas = _by_pk(official.scopes.order_by())
    if official is not None and official.department_id:
        # Only a department's officials are sent down (Assignment.clean): others skip the query.
        assignments = _by_pk(
            Assignment.objects.current(today)
            .filter(official=official, department=official.department_id)
            .order_by()
        )
    served = areas + assignments
    ids = {
        # Each scope and each assignment names exactly one area (an assignment no street).
        level: frozenset(
            getattr(a, f"{level}_id") for a in served if getattr(a, f"{level}_id", None)
        )
        for level in LEVELS
    }
    return Scope(
        is_superuser=user.is_superuser, official=official, areas=served, ids=ids,
        assignments=assignments, on=today,
    )  # fmt: skip


def _by_pk(rows) -> tuple:
    return tuple(sorted(rows, key=lambda row: row.pk))


def serving_now_q(path: str, level: str, area_id: int, on: datetime.date | None = None) -> Q:
    """Officials (reached through `path`, "" for the Official model) assigned to the area of
    `level` (community or grid) whose term includes `on` (today by default)."""
    if level not in ("community", "grid"):
        return Q(pk__in=[])
    Assignment = apps.get_model("communities", "Assignment")  # noqa: N806 - no import circle
    current = Assignment.objects.current(on).filter(**{level: area_id})
    lookup = f"{path}__in" if path else "pk__in"
    return Q(**{lookup: current.values("official_id")})


def assigned_then(official: str, day: str, grid: str, kinds=None) -> Exists:
    """A filter on rows that name an official, a day and a grid (the lookups given, read from
    the row as `OuterRef`s): the official held an assignment on that day to that grid or to
    its community. What a cadre did in the place and term they were sent to (a visit made
    before the term began, after it ended or elsewhere is not a cadre's visit). `kinds`: only
    assignments of these kinds."""
    Assignment = apps.get_model("communities", "Assignment")  # noqa: N806 - no import circle
    held = Assignment.objects.filter(kind__in=kinds) if kinds else Assignment.objects.all()
    return Exists(
        held.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=OuterRef(day)),
            Q(grid=OuterRef(grid)) | Q(community=OuterRef(f"{grid}__community")),
            official=OuterRef(official),
            start_date__lte=OuterRef(day),
        )
    )


def oversight_q(user, path: str = "grid__community__street__district") -> Q:
    """The petitions a district body oversees beyond any area it serves (a filter on
    petitions; `path` leads from a petition to its district).

    区委办 oversees every petition of its department's district (it may supervise any open
    one); 区委组织部 those at district level and those on the ledger. Neither may record
    visits there: this reaches petitions only, never households or visits.
    """
    scope = get_scope(user)
    if not scope.district_role:
        return Q(pk__in=[])
    district = Q(**{path: scope.official.department.district_id})
    if scope.coordinates:
        return district
    return district & (Q(level="district") | Q(ledger_owner__isnull=False))


def serving_q(place, level: str | None = None, *, inside: bool = False, through="official__") -> Q:
    """Who serves `place`: the users (with `through=""`, the officials) whose own area it is.

    `place` is an area (a district, street, community or grid, or a queryset of areas of one
    level); with a grid and a `level`, the place is that grid's area at `level` (the grid itself,
    its community, its street or its district). `inside`: also those who serve an area inside
    it (a community's grid officials).
    """
    if level is not None and not inside:
        return serving_levels_q(place, (level,), through=through)
    if level is not None:
        ids, lookup = _area_of(place, level), ""
    else:
        level = place.model.scope_level if isinstance(place, models.QuerySet) else place.scope_level
        ids, lookup = place, "__in" if isinstance(place, models.QuerySet) else ""
    served = Q(**{f"{through}scopes__{level}{lookup}": ids})
    if inside:
        path = level
        for lower in LEVELS[LEVELS.index(level) + 1 :]:
            path = f"{lower}__{path}"
            served |= Q(**{f"{through}scopes__{path}{lookup}": ids})
    # and the cadres assigned to the place now (an assignment names a community or a grid)
    return served | _assigned_now_q(through.removesuffix("__"), level, ids, lookup, inside)


def serving_levels_q(grid, levels, *, through="official__") -> Q:
    """Who serves `grid`'s area at any of `levels`: `serving_q(grid, level)` ORed over them, as
    two subqueries (their scopes, their current assignments) instead of a join and a subquery a
    level, so that no row comes twice and the query costs a third as much to build (a
    petition's assign form asks it for four levels on every view of the page)."""
    OfficialScope = apps.get_model("communities", "OfficialScope")  # noqa: N806 - no import circle
    Assignment = apps.get_model("communities", "Assignment")  # noqa: N806
    if not levels:
        return Q(pk__in=[])
    path = through.removesuffix("__")
    within = f"{path}__in" if path else "pk__in"

    def any_of(chosen):
        return reduce(operator.or_, (Q(**{level: _area_of(grid, level)}) for level in chosen))

    who = Q(**{within: OfficialScope.objects.filter(any_of(levels)).values("official_id")})
    # an assignment names a community or a grid (as _assigned_now_q without `inside`)
    if assigned := [level for level in levels if level in ("community", "grid")]:
        current = Assignment.objects.current().filter(any_of(assigned))
        who |= Q(**{within: current.values("official_id")})
    return who


def _area_of(grid, level: str) -> int:
    """The id of `grid`'s area at `level`: the grid itself, its community, street or district."""
    if level == "grid":
        return grid.pk
    if level == "community":
        return grid.community_id
    if level == "street":
        return grid.community.street_id
    if level == "district":
        return grid.community.street.district_id
    raise ValueError(f"no such level: {level}")


def _assigned_now_q(path: str, level: str, ids, lookup: str, inside: bool) -> Q:
    """The officials assigned now to the area (an assignment names a community or a grid), and
    with `inside` to the areas inside it."""
    places = {
        "district": ("community__street__district", "grid__community__street__district"),
        "street": ("community__street", "grid__community__street"),
        "community": ("community", "grid__community"),
        "grid": ("grid",),
    }[level]
    if not inside:
        places = places[:1] if level in ("community", "grid") else ()
    if not places:
        return Q(pk__in=[])
    Assignment = apps.get_model("communities", "Assignment")  # noqa: N806 - no import circle
    where = reduce(operator.or_, (Q(**{f"{place}{lookup}": ids}) for place in places))
    current = Assignment.objects.current().filter(where)
    return Q(**{f"{path}__in" if path else "pk__in": current.values("official_id")})


def serves_community_q(community) -> Q:
    """A filter on the Official model: who serves `community` on the ground now — its own and
    its grids' officials, its street's, and the cadres assigned to it or to its grids (those who
    may attend its meetings or join its activities)."""
    return serving_q(community, inside=True, through="") | serving_q(community.street, through="")


def reaches(user, grid, level: str) -> bool:
    """May `user` act on `grid`'s place at map `level` (the grid itself, its community, its
    street or the district)? Yes when they serve that place or an area containing it; a lower
    scope never acts for its parent area. Needs `grid.community` (no query when it is loaded).
    """
    scope = get_scope(user)
    if scope.is_superuser or scope.ids.get("district"):
        return True  # one district per installation: its organizers reach every place
    ids = scope.ids
    if level == "district":
        return False
    if grid.community.street_id in ids.get("street", ()):
        return True
    if level == "street":
        return False
    if grid.community_id in ids.get("community", ()):
        return True
    return level == "grid" and grid.pk in ids.get("grid", ())


def highest_area(user, levels: tuple[str, ...] = LEVELS) -> tuple[str, int | None] | None:
    """The highest of `levels` (ordered from the top) at which `user` serves an area, with that
    area's id (the first when they serve several; None for a superuser's district), or None."""
    scope = get_scope(user)
    for level in levels:
        ids = scope.ids.get(level)
        if ids:
            return level, min(ids)
        if level == "district" and scope.is_superuser:
            return level, None
    return None


def serves_whole_communities(user) -> bool:
    """Whether everything `user` sees inside a community they see whole: they serve no single
    grid (a superuser, the district, streets, communities, or no area at all). Counts kept per
    community (petitions.DailyVisits) then answer exactly what their grid filter would."""
    return not get_scope(user).serves("grid")


def own_grid_ids(user) -> list[int]:
    """The grids `user` serves as such (a grid worker's), not the grids inside a larger area they
    serve: for records kept by community that a grid may also hold (meetings), whose filter is
    `area_q(user, "community", ...)` plus these grids."""
    return sorted(get_scope(user).ids.get("grid", ()))


def serves_place_q(grid) -> Q:
    """A filter on the Official model: who serves `grid` on the ground now — its grid workers,
    its community's and street's staff, and the cadres assigned to the grid or the community
    (those a visit there can be made with)."""
    return (
        Q(scopes__grid=grid.pk)
        | Q(scopes__community=grid.community_id)
        | Q(scopes__street=grid.community.street_id)
        | serving_now_q("", "grid", grid.pk)
        | serving_now_q("", "community", grid.community_id)
    )


def area_q(user, level: str, path: str = "") -> Q:
    """A filter for objects at map `level` reached through `path` that `user` may see.

    `level` is the map level the path leads to ("grid" for anything inside a grid) and `path`
    the lookup from the model to that level's object ("" when the model is that level itself):
    a household is `area_q(user, "grid", "grid")`, a grid `area_q(user, "grid")`.
    Higher scopes contain lower ones; a lower scope never sees its parent area as a whole.
    """
    scope = get_scope(user)
    if scope.is_superuser:
        # Always true, and unlike an empty Q() it stays true when OR-ed with another filter.
        return Q(pk__isnull=False)
    clauses = []
    current, current_path = level, path
    while current:
        ids = scope.ids.get(current)
        if ids:
            lookup = f"{current_path}__in" if current_path else "pk__in"
            clauses.append(Q(**{lookup: sorted(ids)}))
        parent = _PARENT.get(current)
        if parent:
            current_path = f"{current_path}__{parent}" if current_path else parent
        current = parent
    return reduce(operator.or_, clauses) if clauses else Q(pk__in=[])


def in_areas(queryset, user, level: str, path: str = ""):
    """`queryset` narrowed by `area_q(user, level, path)`, and not filtered at all for a
    superuser: the always-true filter is for OR-ing, and alone it still made PostgreSQL read
    every row an index pointed to instead of answering from a covering index."""
    if get_scope(user).is_superuser:
        return queryset.all()
    return queryset.filter(area_q(user, level, path))


class AreaQuerySet(models.QuerySet):
    """Queryset of a map level (district, street, community, grid): `Model.scope_level`."""

    def visible_to(self, user) -> AreaQuerySet:
        """The areas `user` serves, and the areas inside them."""
        return in_areas(self, user, self.model.scope_level)


def department_q(user) -> Q:
    """A filter on Department: the units whose pages `user` may open — every unit for the
    district's organizers, their own for a department's staff (and its cadres), none otherwise."""
    scope = get_scope(user)
    if scope.is_organizer:
        return Q(pk__isnull=False)
    return Q(pk=scope.department_id) if scope.department_id else Q(pk__in=[])


def opens_unit(user, department_id: int) -> bool:
    """May `user` open the page of unit `department_id` (`department_q`, without a query)?"""
    scope = get_scope(user)
    return scope.is_organizer or (
        bool(scope.department_id) and scope.department_id == department_id
    )


def assignment_q(user) -> Q:
    """A filter on Assignment: those to places in `user`'s areas, and those of their own unit."""
    scope = get_scope(user)
    own_unit = Q(department=scope.department_id) if scope.department_id else Q(pk__in=[])
    return area_q(user, "community", "community") | area_q(user, "grid", "grid") | own_unit


def cadre_q(user) -> Q:
    """A filter on Official: the cadres whose pages `user` may open — those holding (or having
    held) an assignment `user` sees (`assignment_q`): in their areas, or of their own unit."""
    Assignment = apps.get_model("communities", "Assignment")  # noqa: N806 - no import circle
    return Q(pk__in=Assignment.objects.filter(assignment_q(user)).values("official_id"))


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DepartmentQuerySet:
        """The units whose pages `user` may open (`department_q`)."""
        return self.filter(department_q(user))
