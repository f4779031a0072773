"""The "5+3" chain of a grid or community, assembled from a fixed number of queries.

A grid's chain is a tree: task force (community level) and team leaders (the grid), then each
compound with its courtyard head, its buildings in this grid with their building heads, and their
units with their unit heads; a rural grid lists its resident groups with their leaders and anchor
households. Single-holder places without a current holder are vacancies.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from .models import Building, Compound, ResidentGroup, Role, RoleKind, Unit
from .models.roles import SINGLE_HOLDER_KINDS


@dataclass
class Seat:
    """A place in the chain: who holds it now (none: a vacancy, for single-holder kinds)."""

    kind: RoleKind
    place: object
    holders: list[Role] = field(default_factory=list)
    children: list[Seat] = field(default_factory=list)

    @property
    def is_vacant(self):
        return not self.holders

    @property
    def can_appoint(self):
        """A single-holder seat takes a holder only when vacant; the others take several."""
        return self.is_vacant or self.kind not in SINGLE_HOLDER_KINDS

    @property
    def kind_label(self):
        return RoleKind(self.kind).label


@dataclass
class GridChain:
    task_force: Seat
    team_leaders: Seat | None
    compounds: list[Seat]
    groups: list[Seat]
    anchors: dict[int, Seat]

    @property
    def seats(self):
        """Every seat of the tree, depth first."""
        stack = [self.task_force, *filter(None, [self.team_leaders]), *self.compounds, *self.groups]
        stack += list(self.anchors.values())
        while stack:
            seat = stack.pop(0)
            yield seat
            stack[:0] = seat.children

    @property
    def vacancies(self):
        return [s for s in self.seats if s.is_vacant and s.kind in SINGLE_HOLDER_KINDS]


def _holders(roles):
    by_place = defaultdict(list)
    for role in roles:
        by_place[(role.kind, role.scope_object_id)].append(role)
    return by_place


def grid_chain(grid) -> GridChain:
    """The chain of `grid` in five queries: buildings, units, groups, compounds, roles."""
    community = grid.community
    buildings = list(
        Building.objects.filter(grid=grid)
        .select_related("compound")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("id")))
        .order_by("compound__name", "id")
    )
    groups = list(ResidentGroup.objects.filter(grid=grid).order_by("id"))
    compound_ids = {b.compound_id for b in buildings}
    roles = (
        Role.objects.current()
        .filter(
            Q(community=community, kind=RoleKind.TASK_FORCE)
            | Q(grid=grid)
            | Q(compound__in=compound_ids)
        )
        .select_related("resident", "official")
        .order_by("start_date", "id")
    )
    held = _holders(roles)

    def seat(kind, place, children=()):
        return Seat(kind, place, held.get((kind, place.pk), []), list(children))

    compounds = []
    by_compound = defaultdict(list)
    for building in buildings:
        by_compound[building.compound].append(building)
    for compound, its_buildings in by_compound.items():
        building_seats = [
            seat(
                RoleKind.BUILDING_HEAD,
                b,
                [seat(RoleKind.UNIT_HEAD, u) for u in b.units.all()],
            )
            for b in its_buildings
        ]
        compounds.append(seat(RoleKind.COURTYARD_HEAD, compound, building_seats))
    urban = community.is_urban
    return GridChain(
        task_force=seat(RoleKind.TASK_FORCE, community),
        team_leaders=seat(RoleKind.TEAM_LEADER, grid) if urban else None,
        compounds=compounds,
        groups=[seat(RoleKind.GROUP_LEADER, g) for g in groups],
        anchors={g.pk: seat(RoleKind.ANCHOR_HOUSEHOLD, g) for g in groups},
    )


@dataclass
class Vacancy:
    kind: RoleKind
    held: int
    places: int

    @property
    def label(self):
        return RoleKind(self.kind).label

    @property
    def vacant(self):
        return max(self.places - self.held, 0)


def community_vacancies(community) -> list[Vacancy]:
    """Per single-holder kind: places with a current holder / all places ("单元长 52 / 60")."""
    places = {}
    if community.is_urban:
        places[RoleKind.COURTYARD_HEAD] = Compound.objects.filter(community=community).count()
        counts = Building.objects.filter(compound__community=community).aggregate(
            buildings=Count("id", distinct=True), units=Count("units")
        )
        places[RoleKind.BUILDING_HEAD] = counts["buildings"]
        places[RoleKind.UNIT_HEAD] = counts["units"]
    else:
        places[RoleKind.GROUP_LEADER] = ResidentGroup.objects.filter(community=community).count()
    held = Counter(
        dict(
            Role.objects.current()
            .filter(community=community, kind__in=list(places))
            .values_list("kind")
            .annotate(n=Count("id"))
        )
    )
    return [Vacancy(kind, held[kind], count) for kind, count in places.items()]
