"""What cadres did in a period, credited right: per cadre, summed per unit.

A visit made by three officials together is one visit of one household for coverage, and one
visit credited to each of them (author and co-visitors alike); a unit's figures add up its
cadres' credits, while its households visited are counted once however many of its cadres
went. Concerns are the petitions a cadre recorded; solved ones are counted at the level they
stand at (where they were solved). Activities joined are those of the activities app that name a
cadre among the officials who joined or the unit among the partner units; a unit counts each
activity once. Every function here runs a fixed number of queries whatever
the number of cadres.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from activities.models import Activity
from communities.models import Assignment
from petitions.models import Petition, ThreeTrustAnswer, Visit
from petitions.models.petitions import SOLVED_STATUSES
from petitions.three_trusts import NO_RATES, Rates, rates_by_asker

SOLVED = SOLVED_STATUSES
LEGAL_KINDS = ("police", "judge", "prosecutor", "lawyer")


@dataclass
class Credit:
    """The figures of one cadre, or of a unit (the sum of its cadres')."""

    visits: int = 0
    households: set = field(default_factory=set)
    raised: int = 0
    solved: int = 0
    solved_at: Counter = field(default_factory=Counter)  # level -> petitions solved there
    satisfaction: Counter = field(default_factory=Counter)  # answer -> petitions
    rates: Rates = NO_RATES
    activities: set = field(default_factory=set)  # ids of the activities joined

    @property
    def households_visited(self):
        return len(self.households)

    @property
    def activities_joined(self):
        return len(self.activities)

    def add(self, other: Credit):
        self.visits += other.visits
        self.households |= other.households
        self.raised += other.raised
        self.solved += other.solved
        self.solved_at.update(other.solved_at)
        self.satisfaction.update(other.satisfaction)
        self.rates = self.rates + other.rates
        self.activities |= other.activities


@dataclass
class CadreRow:
    official: object
    department: object
    assignments: list
    credit: Credit

    @property
    def kinds(self):
        return sorted({a.get_kind_display() for a in self.assignments})

    @property
    def places(self):
        return [str(a.area) for a in self.assignments]


@dataclass
class UnitRow:
    department: object
    cadres: list = field(default_factory=list)
    credit: Credit = field(default_factory=Credit)

    def _count(self, test):
        return len({a.official_id for row in self.cadres for a in row.assignments if test(a)})

    @property
    def community_secretaries(self):
        return self._count(lambda a: a.kind == "first_secretary" and a.community_id)

    @property
    def grid_secretaries(self):
        return self._count(lambda a: a.kind == "first_secretary" and a.grid_id)

    @property
    def sent_down(self):
        return self._count(lambda a: a.kind == "sent_down")

    @property
    def legal_officers(self):
        return self._count(lambda a: a.kind in LEGAL_KINDS)

    @property
    def communities(self):
        return len(
            {a.community_id for row in self.cadres for a in row.assignments if a.community_id}
        )

    @property
    def grids(self):
        return len({a.grid_id for row in self.cadres for a in row.assignments if a.grid_id})


def assignments_during(assignments, period):
    """The assignments of a queryset whose term overlaps the period, with what rows show."""
    return list(
        assignments.during(period.start, period.end)
        .select_related("official", "department", "community", "grid__community")
        .order_by("department__name", "official__name", "start_date", "pk")
    )


def cadre_rows(assignments: list[Assignment], period) -> list[CadreRow]:
    """One row per cadre (an official may hold several assignments), with their credit."""
    by_official: dict[int, CadreRow] = {}
    for a in assignments:
        row = by_official.get(a.official_id)
        if row is None:
            row = by_official[a.official_id] = CadreRow(a.official, a.department, [], Credit())
        row.assignments.append(a)
    credits = credit_of([row.official for row in by_official.values()], period)
    for official_id, row in by_official.items():
        row.credit = credits[official_id]
    return list(by_official.values())


def unit_rows(cadres: list[CadreRow]) -> list[UnitRow]:
    units: dict[int, UnitRow] = {}
    for row in cadres:
        unit = units.setdefault(row.department.pk, UnitRow(row.department))
        unit.cadres.append(row)
        unit.credit.add(row.credit)
    return list(units.values())


def add_partnered(units: list[UnitRow], period) -> None:
    """Add to each unit's credit the activities of the period it joined as a partner unit (one
    query; none without units)."""
    by_pk = {unit.department.pk: unit for unit in units}
    if not by_pk:
        return
    partnered = Activity.partners.through.objects.filter(
        department__in=list(by_pk),
        activity__held_on__gte=period.start,
        activity__held_on__lte=period.end,
    ).values_list("department_id", "activity_id")
    for department_id, activity_id in partnered:
        by_pk[department_id].credit.activities.add(activity_id)


def total_of(rows) -> Credit:
    total = Credit()
    for row in rows:
        total.add(row.credit)
    return total


def credit_of(officials: list, period) -> dict[int, Credit]:
    """Official id -> Credit for the period: five queries.

    Visits and petitions are matched on their author's user id, not through a join to the
    officials: the planner guessed thousands of rows for a dozen cadres' petitions and scanned
    half a million (65 ms a unit page at city size; 0.1 ms by the index on the user ids).
    """
    credits: dict[int, Credit] = defaultdict(Credit)
    if not officials:
        return credits
    official_ids = [o.pk for o in officials]
    official_of_user = {o.user_id: o.pk for o in officials if o.user_id}
    first, after = period.bounds
    authored = [
        (official_of_user[user_id], household_id, n)
        for user_id, household_id, n in Visit.objects.in_period(period.start, period.end)
        .filter(author_id__in=list(official_of_user))
        .values_list("author_id", "household")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    joined = (
        Visit.co_visitors.through.objects.filter(
            official__in=official_ids, visit__visited_at__gte=first, visit__visited_at__lt=after
        )
        .values_list("official", "visit__household")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for official_id, household_id, n in [*authored, *joined]:
        credits[official_id].visits += n
        credits[official_id].households.add(household_id)
    raised = (
        Petition.objects.filter(
            created_by_id__in=list(official_of_user), created_at__gte=first, created_at__lt=after
        )
        .values_list("created_by_id", "status", "level", "satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for user_id, status, level, satisfaction, n in raised:
        credit = credits[official_of_user[user_id]]
        credit.raised += n
        if status in SOLVED:
            credit.solved += n
            credit.solved_at[level] += n
        if satisfaction:
            credit.satisfaction[satisfaction] += n
    answers = ThreeTrustAnswer.objects.filter(
        asked_by__official__in=official_ids, asked_at__gte=first, asked_at__lt=after
    )
    for official_id, rates in rates_by_asker(answers).items():
        credits[official_id].rates = rates
    joined_activities = Activity.officials.through.objects.filter(
        official__in=official_ids,
        activity__held_on__gte=period.start,
        activity__held_on__lte=period.end,
    ).values_list("official_id", "activity_id")
    for official_id, activity_id in joined_activities:
        credits[official_id].activities.add(activity_id)
    return credits


# What the district page shows, as plain values: kept in the shared cache, where the rows above
# (model instances, every household id visited) would cost more to unpickle than to render.
@dataclass(frozen=True)
class Named:
    pk: int
    name: str


@dataclass(frozen=True)
class CreditShown:
    visits: int
    households_visited: int
    raised: int
    solved: int
    activities_joined: int
    rates: Rates


@dataclass(frozen=True)
class UnitShown:
    department: Named
    community_secretaries: int
    grid_secretaries: int
    sent_down: int
    legal_officers: int
    credit: CreditShown


@dataclass(frozen=True)
class CadreShown:
    official: Named
    department: Named
    kinds: list
    places: list
    credit: CreditShown


def shown(credit: Credit) -> CreditShown:
    return CreditShown(
        credit.visits,
        credit.households_visited,
        credit.raised,
        credit.solved,
        credit.activities_joined,
        credit.rates,
    )


def units_shown(units: list[UnitRow]) -> list[UnitShown]:
    return [
        UnitShown(
            Named(u.department.pk, u.department.name),
            u.community_secretaries,
            u.grid_secretaries,
            u.sent_down,
            u.legal_officers,
            shown(u.credit),
        )
        for u in units
    ]


def cadres_shown(cadres: list[CadreRow]) -> list[CadreShown]:
    return [
        CadreShown(
            Named(c.official.pk, c.official.name),
            Named(c.department.pk, c.department.name),
            c.kinds,
            c.places,
            shown(c.credit),
        )
        for c in cadres
    ]
