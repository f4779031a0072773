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
from django.utils import timezone

from grids.models import Household

from .models import Petition, PetitionEvent, RateWeights, Visit


def _bounds(period):
    first = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return first, after


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
    first, after = _bounds(period)
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
    responded_in_time = Q(responded_at__isnull=False, responded_at__lte=F("respond_by")) | Q(
        responded_at__isnull=True, accepted_at__isnull=False, accepted_at__lte=F("respond_by")
    )
    counts = followed.aggregate(
        followed_up=Count("id"),
        responded_in_time=Count("id", filter=responded_in_time),
        solved=Count("id", filter=Q(satisfaction__in=["satisfied", "basically"])),
        satisfied=Count("id", filter=Q(satisfaction="satisfied")),
        basically=Count("id", filter=Q(satisfaction="basically")),
    )
    return Rates(**counts, weights=RateWeights.current())
