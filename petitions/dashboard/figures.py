"""The figures of a scope's dashboard for a period: visits, petitions, where they were solved,
the rates and the 5+3 chain. Every figure is computed in the database with a fixed
number of queries, whatever the size of the scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from communities.scoping import get_scope, serves_whole_communities
from grids.models import Household

from ..daily_petitions import CLOSED_BY_LEVEL, counted_by_community, open_counts, period_counts
from ..daily_petitions import per_day as petitions_per_day
from ..daily_visits import visits_in, visits_per_day
from ..figures_cache import cached_for_areas
from ..headline import stepped_counts
from ..household_counts import households_and_visited, households_in
from ..models import Petition, Visit
from ..models.petitions import open_q, overdue_q
from ..visit_coverage import overdue_care_count
from .rankings import ranking
from .rates import Rates, monthly_rates, rates


@dataclass
class Figures:
    visits: int = 0
    households: int = 0
    households_visited: int = 0
    received: int = 0
    open: int = 0
    overdue: int = 0
    supervised: int = 0
    resolved: int = 0
    closed: int = 0
    closed_by_level: dict[str, int] = field(default_factory=dict)
    reopened: int = 0
    returned: int = 0
    accepted_on_time: int = 0
    accepted: int = 0
    resolved_on_time: int = 0
    rates: Rates = field(default_factory=Rates)

    @property
    def coverage(self):
        return self.households_visited / self.households if self.households else None

    def level_share(self, level):
        total = sum(self.closed_by_level.values())
        return self.closed_by_level.get(level, 0) / total if total else None

    @property
    def level_shares(self):
        return [(level, label, self.level_share(level)) for level, label in Petition.Level.choices]

    @property
    def on_time_acceptance(self):
        return self.accepted_on_time / self.accepted if self.accepted else None

    @property
    def on_time_resolution(self):
        return self.resolved_on_time / self.resolved if self.resolved else None

    @property
    def reopen_rate(self):
        return self.reopened / self.rates.followed_up if self.rates.followed_up else None

    @property
    def return_rate(self):
        return self.returned / self.received if self.received else None


def figures(user, period, now=None) -> Figures:
    """The dashboard of everything `user` may see, for `period` (8 queries; 10 from the counts
    kept per community, for those who serve whole communities, each reading few rows)."""
    now = now or timezone.now()
    first, after = period.bounds
    visits = Visit.objects.visible_to(user).filter(visited_at__gte=first, visited_at__lt=after)
    households = Household.objects.visible_to(user)
    petitions = Petition.objects.visible_to(user)
    result = Figures()
    whole = serves_whole_communities(user)
    if after > now:
        # A period that runs until now: a household was visited in it when its latest visit
        # is (no visit is recorded ahead of now), which the households' counts per day of
        # their latest visit (or their own scan) answer instead of finding the distinct
        # households among a district's visits.
        if whole:
            result.households, result.households_visited = households_and_visited(
                user, period.start
            )
            result.visits = visits_in(user, period.start, period.end)
        else:
            result.households, result.households_visited = households.aggregate(
                n=Count("id"), visited=Count("id", filter=Q(last_visited_at__gte=first))
            ).values()
            result.visits = visits.count()
    else:
        result.visits, result.households_visited = visits.aggregate(
            n=Count("id"), households=Count("household", distinct=True)
        ).values()
        result.households = households_in(user) if whole else households.count()
    if counted_by_community(user):
        _counts_kept(result, user, period, now)
    else:
        _counts_from_petitions(result, petitions, first, after, now)
    # Petitions returned and reopened in the period: one pass over its events for both.
    stepped = stepped_counts(user, ("return", "reopen"), first, after)
    result.returned, result.reopened = stepped["return"], stepped["reopen"]
    result.rates = rates(petitions, first, after)
    return result


def _counts_kept(result: Figures, user, period, now) -> None:
    """The petitions' counts from those kept per community (3 queries, whatever the scope)."""
    kept = period_counts(user, period.start, period.end)
    for name in ("received", "accepted", "accepted_on_time", "resolved", "resolved_on_time"):
        setattr(result, name, kept[name])
    state = open_counts(user, now)
    result.open, result.overdue, result.supervised = (
        state["open"],
        state["overdue"],
        state["supervised"],
    )
    result.closed_by_level = {
        level: kept[column] for level, column in CLOSED_BY_LEVEL.items() if kept[column]
    }
    result.closed = sum(result.closed_by_level.values())


def _counts_from_petitions(result: Figures, petitions, first, after, now) -> None:
    """The petitions' counts from the petitions themselves (2 queries)."""
    in_period = Q(created_at__gte=first, created_at__lt=after)
    closed_in_period = Q(closed_at__gte=first, closed_at__lt=after, status=Petition.Status.CLOSED)
    counts = petitions.aggregate(
        received=Count("id", filter=in_period),
        open=Count("id", filter=open_q()),
        overdue=Count("id", filter=overdue_q(now)),
        supervised=Count("id", filter=open_q() & Q(supervised_at__isnull=False)),
        resolved=Count("id", filter=Q(resolved_at__gte=first, resolved_at__lt=after)),
        resolved_on_time=Count(
            "id",
            filter=Q(resolved_at__gte=first, resolved_at__lt=after, resolved_at__lte=F("due_at")),
        ),
        closed=Count(
            "id", filter=Q(closed_at__gte=first, closed_at__lt=after, status=Petition.Status.CLOSED)
        ),
        accepted=Count("id", filter=Q(accepted_at__gte=first, accepted_at__lt=after)),
        accepted_on_time=Count(
            "id",
            filter=Q(accepted_at__gte=first, accepted_at__lt=after)
            & Q(accepted_at__lte=F("created_at") + datetime.timedelta(hours=24)),
        ),
    )
    for name, value in counts.items():
        setattr(result, name, value)
    result.closed_by_level = dict(
        petitions.filter(closed_in_period).values_list("level").annotate(n=Count("id")).order_by()
    )


def weekly_trends(user, weeks=12, now=None):
    """Visits, petitions received and petitions closed per week over the last `weeks` weeks
    (3 queries). Weeks start on Monday, local time."""
    now = timezone.localtime(now or timezone.now())
    monday = (now - datetime.timedelta(days=now.weekday())).date()
    first_day = monday - datetime.timedelta(weeks=weeks - 1)
    first = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
    starts = [first_day + datetime.timedelta(weeks=n) for n in range(weeks)]

    def per_week(queryset, field_name):
        counts = dict(
            queryset.filter(**{f"{field_name}__gte": first})
            .annotate(week=TruncWeek(field_name))
            .values_list("week")
            .annotate(n=Count("id"))
            .order_by()
        )
        by_day = {
            timezone.localtime(k).date() if isinstance(k, datetime.datetime) else k: v
            for k, v in counts.items()
        }
        return [by_day.get(start, 0) for start in starts]

    def weekly(per_day: dict):
        """Daily counts summed per week ({day: n} -> [n per week])."""
        totals = dict.fromkeys(starts, 0)
        for day, n in per_day.items():
            week = day - datetime.timedelta(days=day.weekday())
            if week in totals:  # (a visit recorded a few minutes ahead, past Sunday midnight)
                totals[week] += n
        return [totals[start] for start in starts]

    if serves_whole_communities(user):
        # From the daily counts: a district's 12 weeks are half a million visits.
        visits = weekly(visits_per_day(user, first_day))
    else:
        visits = per_week(Visit.objects.visible_to(user), "visited_at")
    if counted_by_community(user):
        days = petitions_per_day(user, first_day, "received", *CLOSED_BY_LEVEL.values())
        received = weekly({day: row.pop("received") for day, row in days.items()})
        closed = weekly({day: sum(row.values()) for day, row in days.items()})
    else:
        petitions = Petition.objects.visible_to(user)
        received = per_week(petitions, "created_at")
        closed = per_week(petitions.filter(status=Petition.Status.CLOSED), "closed_at")
    return {
        "weeks": [f"{start:%m-%d}" for start in starts],
        "visits": visits,
        "received": received,
        "closed": closed,
    }


def category_breakdown(user, period):
    """Petitions received in the period per top-level category (1 query)."""
    first, after = period.bounds
    rows = (
        Petition.objects.visible_to(user)
        .filter(created_at__gte=first, created_at__lt=after)
        .annotate(top=Coalesce("category__parent__name", "category__name"))
        .values_list("top")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return list(rows)


def chain_status(user):
    """5+3 vacancies and party branches' four haves within the user's areas (4 queries)."""
    from grids.models import Building, PartyOrganization, Role, Unit

    units = Unit.objects.visible_to(user)
    buildings = Building.objects.visible_to(user)
    held = dict(
        Role.objects.visible_to(user)
        .current()
        .filter(kind__in=["unit_head", "building_head"])
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    organizations = PartyOrganization.objects.visible_to(user).aggregate(
        total=Count("id"),
        complete=Count(
            "id", filter=Q(has_flag=True, has_sign=True, has_rules=True, has_archive=True)
        ),
    )
    unit_count, building_count = units.count(), buildings.count()
    return {
        "unit_heads": (held.get("unit_head", 0), unit_count),
        "building_heads": (held.get("building_head", 0), building_count),
        "vacancies": max(unit_count - held.get("unit_head", 0), 0)
        + max(building_count - held.get("building_head", 0), 0),
        "four_haves": (organizations["complete"], organizations["total"]),
    }


def board(user, period) -> dict:
    """Everything the dashboard shows for `user`'s areas and `period` (22 queries, and those of
    the ranking's markers: petitions.ranking_marks)."""
    months, month_rates = monthly_rates(user)
    return {
        "figures": figures(user, period),
        "trends": weekly_trends(user),
        "categories": category_breakdown(user, period),
        "chain": chain_status(user),
        "ranking": ranking(user, period),
        "care_overdue": overdue_care_count(user) if get_scope(user).areas else 0,
        "months": months,
        "month_rates": month_rates,
        "computed_at": timezone.now(),
    }


def cached_board(user, period) -> dict:
    """`board` from the shared cache (`figures_cache`): computed at most every 5 minutes."""
    return cached_for_areas(user, "board", (period.start, period.end), lambda: board(user, period))
