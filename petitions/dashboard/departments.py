"""A department's home: what was dispatched to it, its rates and its place among the
district's departments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from communities.scoping import get_scope

from ..models import Petition, PetitionEvent, RateWeights
from ..models.petitions import due_soon_q, open_q, overdue_q
from .rates import Rates, _rate_counts, rates


@dataclass
class DepartmentRankRow:
    pk: int
    name: str
    rates: Rates
    rank: int | None = None
    is_own: bool = False


def department_board(user, period, now=None) -> dict:
    """A department's home: what was dispatched to it (as lead or assisting department) and is
    open, due within 24 hours, overdue; what it returned in the period; its on-time and
    satisfaction rates over the petitions it leads (as in the ranking); its place among the
    district's departments (9 queries).

    What the department sees comes from `Petition.objects.visible_to` (communities/scoping.py);
    the ranking among departments shows only names and rates.
    """
    now = now or timezone.now()
    scope = get_scope(user)
    department_id = scope.department_id
    first, after = period.bounds
    petitions = Petition.objects.visible_to(user)
    led = Q(department_id=department_id)
    resolved = led & Q(resolved_at__gte=first, resolved_at__lt=after)
    counts = petitions.aggregate(
        open=Count("id", filter=open_q()),
        due_soon=Count("id", filter=due_soon_q(now)),
        overdue=Count("id", filter=overdue_q(now)),
        supervised=Count("id", filter=open_q() & Q(supervised_at__isnull=False)),
        resolved=Count("id", filter=resolved),
        resolved_on_time=Count("id", filter=resolved & Q(resolved_at__lte=F("due_at"))),
    )
    returned = (
        PetitionEvent.objects.filter(
            action="return",
            at__gte=first,
            at__lt=after,
            actor__official__department_id=department_id,
        )
        .values("petition")
        .distinct()
        .count()
    )
    work = list(
        petitions.open()
        .select_related("category__parent", "grid__community__street", "department")
        .order_by(F("due_at").asc(nulls_last=True), "pk")[:DEPARTMENT_LIST_SIZE]
    )
    own_rates = rates(petitions.filter(led), first, after)
    return {
        **counts,
        "returned": returned,
        "on_time": counts["resolved_on_time"] / counts["resolved"] if counts["resolved"] else None,
        "rates": own_rates,
        "work": work,
        "now": now,
        "department_ranking": department_ranking(scope.official.department, first, after),
        "computed_at": now,
    }


# How many open petitions the department's home lists (the most urgent first).
DEPARTMENT_LIST_SIZE = 30


def department_ranking(department, first, after) -> list[DepartmentRankRow]:
    """The departments of `department`'s district ranked by the composite score of the
    petitions they lead that were followed up between `first` and `after`; departments without
    any are unranked (3 queries: departments, grouped counts, weights)."""
    from communities.models import Department

    departments = list(
        Department.objects.filter(district_id=department.district_id).order_by("name", "pk")
    )
    followed = Petition.objects.filter(
        department__district_id=department.district_id,
        pk__in=PetitionEvent.objects.filter(action="follow_up", at__gte=first, at__lt=after).values(
            "petition_id"
        ),
    )
    grouped = {
        row.pop("department"): row
        for row in followed.values("department").annotate(**_rate_counts()).order_by()
    }
    weights = RateWeights.current()
    rows = [
        DepartmentRankRow(
            d.pk,
            d.name,
            Rates(**grouped.get(d.pk, {}), weights=weights),
            is_own=d.pk == department.pk,
        )
        for d in departments
    ]
    rows.sort(key=lambda r: (r.rates.composite is None, -(r.rates.composite or 0), r.name))
    for index, row in enumerate(r for r in rows if r.rates.composite is not None):
        row.rank = index + 1
    return rows
