"""The three zeros (零上访、零案件、零事故), computed from the incidents recorded, never typed in.

A community holds a zero over a period when no incident of that goal was recorded there with a
date in the period; a street holds it when all its communities do. 零上访 counts petitions taken
beyond the district: a petition in the system never leaves the district (its highest level is
the district's), so what the district is told of is recorded as an incident (越级上访).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from communities.models import Community

from .models import Incident

GOALS = [goal for goal, _label in Incident.Goal.choices]
# The zeros by their names in the district's reports.
GOAL_LABELS = {
    Incident.Goal.PETITION: _("zero petitions beyond the district"),
    Incident.Goal.CASE: _("zero criminal cases"),
    Incident.Goal.ACCIDENT: _("zero accidents"),
}


@dataclass
class AreaZeros:
    """One community's or street's incidents per goal over a period."""

    pk: int
    name: str
    broken: dict[str, int] = field(default_factory=dict)
    communities: int = 0
    holding: int = 0  # communities holding all three (for a street)

    @property
    def holds_all(self) -> bool:
        return not any(self.broken.values())

    def cells(self):
        """(goal, its label, incidents) in the order of GOALS, for the templates."""
        return [(goal, GOAL_LABELS[goal], self.broken.get(goal, 0)) for goal in GOALS]


def month_bounds(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month starting on `first`."""
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, after - datetime.timedelta(days=1)


def incident_counts(user, start: datetime.date, end: datetime.date) -> dict[int, dict[str, int]]:
    """Incidents per community and goal between `start` and `end`, in `user`'s areas (1 query)."""
    rows = (
        Incident.objects.visible_to(user)
        .filter(occurred_on__gte=start, occurred_on__lte=end)
        .values_list("community_id", "goal")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for community_id, goal, n in rows:
        counts.setdefault(community_id, {})[goal] = n
    return counts


def zeros_by_area(user, start: datetime.date, end: datetime.date, street: int | None = None):
    """(streets, communities): every community `user` serves (in `street` when given) with its
    broken zeros, and the streets they belong to (2 queries). The communities are read as
    plain values: a district's 700 communities and their streets as model instances were
    half the three zeros page's time."""
    counts = incident_counts(user, start, end)
    communities = Community.objects.visible_to(user)
    if street is not None:
        communities = communities.filter(street_id=street)
    communities = communities.order_by("street__code", "code").values_list(
        "pk", "name", "street_id", "street__name"
    )
    streets: dict[int, AreaZeros] = {}
    rows = []
    for pk, name, street_id, street_name in communities:
        row = AreaZeros(pk, name, dict(counts.get(pk, {})))
        rows.append((street_id, row))
        street = streets.get(street_id)
        if street is None:
            street = streets[street_id] = AreaZeros(street_id, street_name)
        street.communities += 1
        street.holding += row.holds_all
        for goal, n in row.broken.items():
            street.broken[goal] = street.broken.get(goal, 0) + n
    return list(streets.values()), rows


def summary(user, start: datetime.date, end: datetime.date) -> dict:
    """The dashboard's figure: incidents per goal, and how many communities hold all three
    (2 queries)."""
    streets, rows = zeros_by_area(user, start, end)
    totals = {goal: sum(r.broken.get(goal, 0) for _s, r in rows) for goal in GOALS}
    return {
        "totals": [(goal, totals[goal]) for goal in GOALS],
        "communities": len(rows),
        "holding": sum(r.holds_all for _s, r in rows),
        "broken": [r for _s, r in rows if not r.holds_all][:10],
    }


def area_marks(level: str, pks, start: datetime.date, end: datetime.date) -> dict[int, list[str]]:
    """The goals broken by each area of `level` ("street", "community" or "grid") among `pks`
    between `start` and `end` (1 query). A grid answers for its community: incidents are
    recorded per community."""
    lookup = {"street": "community__street_id", "community": "community_id",
              "grid": "community__grids"}[level]  # fmt: skip
    rows = (
        Incident.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
        .filter(**{f"{lookup}__in": list(pks)})
        .values_list(lookup, "goal")
        .distinct()
        .order_by()
    )
    broken: dict[int, list[str]] = {}
    for pk, goal in rows:
        broken.setdefault(pk, []).append(goal)
    return {pk: sorted(goals, key=GOALS.index) for pk, goals in broken.items()}


def monthly_holding(user, last: datetime.date, months: int = 6) -> list[tuple[datetime.date, int]]:
    """(month, communities of `user`'s areas that broke a zero) over the `months` months up to
    the one starting on `last` (1 query)."""
    first = last
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    rows = dict(
        Incident.objects.visible_to(user)
        .filter(occurred_on__gte=first, occurred_on__lte=month_bounds(last)[1])
        .annotate(month=TruncMonth("occurred_on"))
        .values_list("month")
        .annotate(n=Count("community", distinct=True))
        .order_by()
    )
    result, month = [], first
    for _i in range(months):
        result.append((month, rows.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result
