"""Visit coverage: which households were visited, which are due, who visited how often.

Every function starts from `visible_to(user)` and runs a fixed number of queries whatever the
size of the scope; roll-ups from grids to communities and streets happen in Python.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Q
from django.utils import timezone

from communities.models import Grid
from grids.models import Household

from .models import Visit, VisitFrequency


@dataclass
class CoverageRow:
    name: str
    households: int = 0
    visited: int = 0
    visits: int = 0
    level: str = "grid"
    pk: int | None = None
    children: list = field(default_factory=list)

    @property
    def share(self):
        return self.visited / self.households if self.households else 0.0


def _in_area(queryset, through: str, street: int | None, community: int | None):
    if street is not None:
        queryset = queryset.filter(**{f"{through}community__street_id": street})
    if community is not None:
        queryset = queryset.filter(**{f"{through}community_id": community})
    return queryset


def coverage_rows(
    user, period, street: int | None = None, community: int | None = None
) -> list[CoverageRow]:
    """Streets › communities › grids with households, households visited and visits (3 queries);
    only `street`'s or `community`'s when given."""
    grids = _in_area(Grid.objects.visible_to(user), "", street, community)
    households = _in_area(Household.objects.visible_to(user), "grid__", street, community)
    visits = _in_area(Visit.objects.visible_to(user), "grid__", street, community)
    grids = list(
        grids.select_related("community__street").order_by(
            "community__street__code", "community__code", "number"
        )
    )
    households = dict(households.values_list("grid").annotate(n=Count("id")).order_by())
    visited = {
        row["grid"]: row
        for row in visits.in_period(period.start, period.end)
        .values("grid")
        .annotate(households=Count("household", distinct=True), visits=Count("id"))
        .order_by()
    }
    streets: dict[int, CoverageRow] = {}
    communities: dict[int, CoverageRow] = {}
    for grid in grids:
        community, street = grid.community, grid.community.street
        s = streets.setdefault(street.pk, CoverageRow(street.name, level="street", pk=street.pk))
        c = communities.get(community.pk)
        if c is None:
            c = communities[community.pk] = CoverageRow(
                community.name, level="community", pk=community.pk
            )
            s.children.append(c)
        row = CoverageRow(
            grid.name,
            households=households.get(grid.pk, 0),
            visited=visited.get(grid.pk, {}).get("households", 0),
            visits=visited.get(grid.pk, {}).get("visits", 0),
            pk=grid.pk,
        )
        c.children.append(row)
        for total in (c, s):
            total.households += row.households
            total.visited += row.visited
            total.visits += row.visits
    return list(streets.values())


def one_level_open(rows: list[CoverageRow]) -> list[CoverageRow]:
    """The rows as the coverage page shows them, one level below the top open: several streets
    alone; one street with its communities; one community with its grids. What is cut would
    only be unpickled from the cache and thrown away (a district's 5,000 grid rows)."""
    if len(rows) > 1:
        for street in rows:
            street.children = []
    elif rows and len(rows[0].children) > 1:
        for community in rows[0].children:
            community.children = []
    return rows


def households_not_visited(
    user, days: int, street: int | None = None, community: int | None = None
):
    """Households not visited in the last `days` days (never visited first, then oldest)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    households = _in_area(Household.objects.visible_to(user), "grid__", street, community)
    return (
        households.with_place()
        .filter(Q(last_visited_at__isnull=True) | Q(last_visited_at__lt=cutoff))
        .order_by(F("last_visited_at").asc(nulls_first=True), "id")
    )


@dataclass
class DueHousehold:
    household: Household
    interval_days: int
    last_visit: datetime.datetime | None
    groups: list[str]

    @property
    def days_overdue(self):
        if self.last_visit is None:
            return None
        return (timezone.now() - self.last_visit).days - self.interval_days


def overdue_care_visits(user, now=None) -> list[DueHousehold]:
    """Households with a key-group member whose care visit is overdue, most overdue first,
    each naming its key groups. Three queries."""
    frequencies = dict(
        VisitFrequency.objects.filter(tag__isnull=False).values_list("tag__name", "interval_days")
    )
    due = overdue_care_households(user, now)
    _attach_groups(due, frequencies)
    return due


def _care_households(user):
    """The households `user` sees with a living member in a key group that has a visit
    frequency, each annotated with the shortest interval (`interval`) among those groups."""
    return (
        Household.objects.visible_to(user)
        .filter(residents__status="living", residents__tags__visit_frequency__isnull=False)
        .annotate(interval=Min("residents__tags__visit_frequency__interval_days"))
    )


def _care_is_due(last_visit, interval_days, now) -> bool:
    return not last_visit or last_visit < now - datetime.timedelta(days=interval_days)


def overdue_care_households(user, now=None) -> list[DueHousehold]:
    """The overdue care visits without their key groups' names (what the care list starts
    from). The interval is the shortest among the key groups of the household's living members
    (`VisitFrequency`, editable in the admin). One query."""
    now = now or timezone.now()
    due = [
        DueHousehold(household, household.interval, household.last_visited_at, [])
        for household in _care_households(user).with_place().order_by("id")
        if _care_is_due(household.last_visited_at, household.interval, now)
    ]
    due.sort(key=lambda d: (d.last_visit is not None, d.last_visit or now))
    return due


def overdue_care_count(user, now=None) -> int:
    """How many households `overdue_care_households` lists, read as two values a household
    (the dashboard's figure: a district has thousands, not worth a model instance each)."""
    now = now or timezone.now()
    rows = _care_households(user).values_list("last_visited_at", "interval").order_by()
    return sum(_care_is_due(last_visit, interval, now) for last_visit, interval in rows)


def _attach_groups(due, frequencies):
    """Name the key groups that make each household due (one query)."""
    from grids.models import Resident

    by_household = defaultdict(set)
    pairs = Resident.objects.filter(
        household__in=[d.household.pk for d in due],
        status="living",
        tags__name__in=list(frequencies),
    ).values_list("household_id", "tags__name")
    for household_id, tag in pairs:
        by_household[household_id].add(tag)
    for d in due:
        d.groups = sorted(by_household[d.household.pk])


def visits_per_official(user, period, street: int | None = None, community: int | None = None):
    """(official name, visits credited) in the period, most active first: a visit counts once
    for its author and once for each co-visitor (a joint visit credits everyone who went)."""
    visits = _in_area(Visit.objects.visible_to(user), "grid__", street, community)
    visits = visits.in_period(period.start, period.end)
    authored = visits.values("author__official__name", "author__username").annotate(n=Count("id"))
    joined = (
        Visit.co_visitors.through.objects.filter(visit__in=visits.values("pk"))
        .values("official__name", "official__user__username")
        .annotate(n=Count("id"))
    )
    credited = Counter()
    for row in authored.order_by():
        credited[(row["author__official__name"], row["author__username"])] += row["n"]
    for row in joined.order_by():
        credited[(row["official__name"], row["official__user__username"])] += row["n"]
    rows = [
        {"author__official__name": name, "author__username": username, "n": n}
        for (name, username), n in credited.items()
    ]
    return sorted(rows, key=lambda row: (-row["n"], row["author__username"]))
