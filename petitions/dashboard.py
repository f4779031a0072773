"""The figures of a scope's dashboard for a period: visits, petitions, where they were solved,
the three rates (三率) and the composite score. Every figure is computed in the database with a
fixed number of queries, whatever the size of the scope.

Definitions (following 12345 / 接诉即办 practice, see DESIGN.md):
- followed up in the period: petitions whose follow-up (回访) event falls in the period;
- response rate: of those, the share contacted or accepted within the response limit
  (responded_at, or else accepted_at, not later than respond_by);
- resolution rate: of those, the share the resident did not declare unsolved (satisfied or
  basically satisfied);
- satisfaction rate: (satisfied + 0.9 × basically satisfied) / followed up;
- composite: weights from `RateWeights` (default 0.1 / 0.5 / 0.4).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone

from communities.scoping import get_scope
from grids.models import Household

from .figures_cache import cached_for_areas
from .models import Petition, PetitionEvent, RateWeights, Visit
from .ranking_marks import mark_rows, vetoed
from .visit_coverage import overdue_care_households


@dataclass
class Rates:
    followed_up: int = 0
    responded_in_time: int = 0
    solved: int = 0
    satisfied: int = 0
    basically: int = 0
    weights: tuple[float, float, float] = (0.1, 0.5, 0.4)

    def _share(self, n):
        return n / self.followed_up if self.followed_up else None

    @property
    def response(self):
        return self._share(self.responded_in_time)

    @property
    def resolution(self):
        return self._share(self.solved)

    @property
    def satisfaction(self):
        return self._share(self.satisfied + 0.9 * self.basically)

    @property
    def composite(self):
        if not self.followed_up:
            return None
        w_response, w_resolution, w_satisfaction = self.weights
        return (
            w_response * self.response
            + w_resolution * self.resolution
            + w_satisfaction * self.satisfaction
        )


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
    """The dashboard of everything `user` may see, for `period` (8 queries)."""
    now = now or timezone.now()
    first, after = period.bounds
    visits = Visit.objects.visible_to(user).filter(visited_at__gte=first, visited_at__lt=after)
    petitions = Petition.objects.visible_to(user)
    result = Figures()
    result.visits, result.households_visited = visits.aggregate(
        n=Count("id"), households=Count("household", distinct=True)
    ).values()
    result.households = Household.objects.visible_to(user).count()
    in_period = Q(created_at__gte=first, created_at__lt=after)
    open_now = ~Q(status__in=Petition.CLOSED_STATUSES)
    counts = petitions.aggregate(
        received=Count("id", filter=in_period),
        open=Count("id", filter=open_now),
        overdue=Count("id", filter=open_now & Q(due_at__lt=now)),
        supervised=Count("id", filter=open_now & Q(supervised_at__isnull=False)),
        resolved=Count("id", filter=Q(resolved_at__gte=first, resolved_at__lt=after)),
        resolved_on_time=Count(
            "id",
            filter=Q(resolved_at__gte=first, resolved_at__lt=after, resolved_at__lte=F("due_at")),
        ),
        closed=Count("id", filter=Q(closed_at__gte=first, closed_at__lt=after, status="closed")),
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
        petitions.filter(closed_at__gte=first, closed_at__lt=after, status="closed")
        .values_list("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    result.returned = (
        PetitionEvent.objects.filter(
            petition__in=petitions, action="return", at__gte=first, at__lt=after
        )
        .values("petition")
        .distinct()
        .count()
    )
    result.rates = rates(petitions, first, after)
    result.reopened = (
        PetitionEvent.objects.filter(
            petition__in=petitions, action="reopen", at__gte=first, at__lt=after
        )
        .values("petition")
        .distinct()
        .count()
    )
    return result


def rates(petitions, first, after) -> Rates:
    """The three rates over the petitions followed up between `first` and `after` (2 queries)."""
    followed = petitions.filter(
        pk__in=PetitionEvent.objects.filter(action="follow_up", at__gte=first, at__lt=after).values(
            "petition_id"
        )
    )
    return Rates(**followed.aggregate(**_rate_counts()), weights=RateWeights.current())


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
        by_day = {timezone.localtime(k).date() if isinstance(k, datetime.datetime) else k: v
                  for k, v in counts.items()}  # fmt: skip
        return [by_day.get(start, 0) for start in starts]

    petitions = Petition.objects.visible_to(user)
    return {
        "weeks": [f"{start:%m-%d}" for start in starts],
        "visits": per_week(Visit.objects.visible_to(user), "visited_at"),
        "received": per_week(petitions, "created_at"),
        "closed": per_week(petitions.filter(status="closed"), "closed_at"),
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


@dataclass
class RankRow:
    pk: int
    name: str
    rates: Rates
    rank: int | None = 0
    highlight: str = ""
    # Set by other apps through petitions.ranking_marks (the three zeros).
    marks: list = field(default_factory=list)


RANK_LEVELS = {
    # the user's top area level -> (children model level, lookup from a petition to the child)
    "district": ("street", "grid__community__street_id"),
    "street": ("community", "grid__community_id"),
    "community": ("grid", "grid_id"),
}


def ranking_level(user):
    scope = get_scope(user)
    for level in ("district", "street", "community"):
        if (level == "district" and scope.is_organizer) or scope.serves(level):
            return level
    return None


def ranking(user, period) -> list[RankRow]:
    """The areas one level below the user's, ranked by composite score (2 queries + weights,
    and the markers' queries: one for the three zeros).

    Only areas with a follow-up in the period are ranked (1, 2, …); the others follow, unranked
    (rank None), by name, so that an empty month ranks nobody. The five best are marked red
    (红榜) and the five worst black (黑榜) when more than ten are ranked.
    """
    from communities.models import Community, Grid, Street

    level = ranking_level(user)
    if level is None:
        return []
    child, lookup = RANK_LEVELS[level]
    model = {"street": Street, "community": Community, "grid": Grid}[child]
    areas = list(model.objects.visible_to(user).order_by("pk"))
    first, after = period.bounds
    followed = Petition.objects.visible_to(user).filter(
        pk__in=PetitionEvent.objects.filter(action="follow_up", at__gte=first, at__lt=after).values(
            "petition_id"
        )
    )
    grouped = {
        row.pop("key"): row
        for row in followed.values(key=F(lookup)).annotate(**_rate_counts()).order_by()
    }
    weights = RateWeights.current()
    rows = [
        RankRow(area.pk, str(area) if child != "grid" else area.name,
                Rates(**grouped.get(area.pk, {}), weights=weights))
        for area in areas
    ]  # fmt: skip
    mark_rows(child, rows, period)
    rows.sort(key=lambda r: (r.rates.composite is None, -(r.rates.composite or 0), r.name))
    scored = [r for r in rows if r.rates.composite is not None]
    for index, row in enumerate(scored, start=1):
        row.rank = index
    for row in rows[len(scored) :]:
        row.rank = None
    if len(scored) > RED_BLACK_SIZE * 2:
        # 一票否决: an area with a failed mark (a broken zero) is passed over for the red list.
        for row in [r for r in scored if not vetoed(r)][:RED_BLACK_SIZE]:
            row.highlight = "red"
        for row in scored[-RED_BLACK_SIZE:]:
            row.highlight = "black"
    return rows


# 红榜 / 黑榜: the five best and the five worst, when more than ten areas are ranked.
RED_BLACK_SIZE = 5


def latest_ranked_month(user, today=None) -> datetime.date | None:
    """The first day of the latest month with a follow-up in `user`'s areas (1 query).

    A finished month is preferred to the running one (rankings are published once a month is
    over); the running month is answered only when no earlier month has data. None: no data.
    """
    from django.db.models import Max

    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    month_start = timezone.make_aware(datetime.datetime.combine(this_month, datetime.time.min))
    latest = PetitionEvent.objects.filter(
        action="follow_up", petition__in=Petition.objects.visible_to(user)
    ).aggregate(before=Max("at", filter=Q(at__lt=month_start)), any=Max("at"))
    found = latest["before"] or latest["any"]
    return timezone.localtime(found).date().replace(day=1) if found else None


def _rate_counts(prefix=""):
    """The counts behind the three rates, over petitions (or, with a prefix, their events)."""
    p = prefix
    responded_in_time = Q(
        **{f"{p}responded_at__isnull": False, f"{p}responded_at__lte": F(f"{p}respond_by")}
    ) | Q(
        **{f"{p}responded_at__isnull": True, f"{p}accepted_at__isnull": False,
           f"{p}accepted_at__lte": F(f"{p}respond_by")}
    )  # fmt: skip
    counted = f"{p}id" if p else "id"
    return {
        f"{p}followed_up": Count(counted, distinct=bool(p)),
        f"{p}responded_in_time": Count(counted, filter=responded_in_time, distinct=bool(p)),
        f"{p}solved": Count(
            counted,
            filter=Q(**{f"{p}satisfaction__in": ["satisfied", "basically"]}),
            distinct=bool(p),
        ),
        f"{p}satisfied": Count(
            counted, filter=Q(**{f"{p}satisfaction": "satisfied"}), distinct=bool(p)
        ),
        f"{p}basically": Count(
            counted, filter=Q(**{f"{p}satisfaction": "basically"}), distinct=bool(p)
        ),
    }


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


def ranking_parent(user):
    """The key of the area whose children the user's ranking covers ("district", "street:3" …)."""
    level = ranking_level(user)
    if level is None:
        return None
    if level == "district":
        return "district"
    return f"{level}:{min(get_scope(user).ids[level])}"


def monthly_rates(user, months=6, now=None):
    """The three rates and the composite per month, over the last `months` months (2 queries)."""
    now = timezone.localtime(now or timezone.now())
    first_month = now.date().replace(day=1)
    for _ in range(months - 1):
        first_month = (first_month - datetime.timedelta(days=1)).replace(day=1)
    first = timezone.make_aware(datetime.datetime.combine(first_month, datetime.time.min))
    counts = {
        name.replace("petition__", ""): value for name, value in _rate_counts("petition__").items()
    }
    rows = (
        PetitionEvent.objects.filter(
            action="follow_up", at__gte=first, petition__in=Petition.objects.visible_to(user)
        )
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(**counts)
        .order_by("month")
    )
    weights = RateWeights.current()
    by_month = {}
    for row in rows:
        month = row.pop("month")
        month = timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month
        by_month[month.replace(day=1)] = Rates(**row, weights=weights)
    labels, result = [], []
    month = first_month
    for _ in range(months):
        labels.append(f"{month:%Y-%m}")
        result.append(by_month.get(month, Rates(weights=weights)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return labels, result


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
        "care_overdue": len(overdue_care_households(user)) if get_scope(user).areas else 0,
        "months": months,
        "month_rates": month_rates,
        "computed_at": timezone.now(),
    }


def cached_board(user, period) -> dict:
    """`board` from the shared cache (`figures_cache`): computed at most every 5 minutes."""
    return cached_for_areas(user, "board", (period.start, period.end), lambda: board(user, period))


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
    open_now = ~Q(status__in=Petition.CLOSED_STATUSES)
    soon = now + datetime.timedelta(hours=24)
    led = Q(department_id=department_id)
    resolved = led & Q(resolved_at__gte=first, resolved_at__lt=after)
    counts = petitions.aggregate(
        open=Count("id", filter=open_now),
        due_soon=Count("id", filter=open_now & Q(due_at__gte=now, due_at__lte=soon)),
        overdue=Count("id", filter=open_now & Q(due_at__lt=now)),
        supervised=Count("id", filter=open_now & Q(supervised_at__isnull=False)),
        resolved=Count("id", filter=resolved),
        resolved_on_time=Count("id", filter=resolved & Q(resolved_at__lte=F("due_at"))),
    )
    returned = (
        PetitionEvent.objects.filter(
            action="return", at__gte=first, at__lt=after,
            actor__official__department_id=department_id,
        )
        .values("petition")
        .distinct()
        .count()
    )  # fmt: skip
    work = list(
        petitions.filter(open_now)
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
        DepartmentRankRow(d.pk, d.name, Rates(**grouped.get(d.pk, {}), weights=weights),
                          is_own=d.pk == department.pk)
        for d in departments
    ]  # fmt: skip
    rows.sort(key=lambda r: (r.rates.composite is None, -(r.rates.composite or 0), r.name))
    for index, row in enumerate(r for r in rows if r.rates.composite is not None):
        row.rank = index + 1
    return rows
