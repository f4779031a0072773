"""The three rates (三率) and the composite score, counted in the database.

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
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import Petition, PetitionEvent, RateWeights


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


def rates(petitions, first, after) -> Rates:
    """The three rates over the petitions followed up between `first` and `after` (2 queries)."""
    followed = petitions.filter(
        pk__in=PetitionEvent.objects.filter(action="follow_up", at__gte=first, at__lt=after).values(
            "petition_id"
        )
    )
    return Rates(**followed.aggregate(**_rate_counts()), weights=RateWeights.current())


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
        PetitionEvent.objects.of(Petition.objects.visible_to(user))
        .filter(action="follow_up", at__gte=first)
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


def _rate_counts(prefix=""):
    """The counts behind the three rates, over petitions (or, with a prefix, their events)."""
    p = prefix
    responded_in_time = Q(
        **{f"{p}responded_at__isnull": False, f"{p}responded_at__lte": F(f"{p}respond_by")}
    ) | Q(
        **{
            f"{p}responded_at__isnull": True,
            f"{p}accepted_at__isnull": False,
            f"{p}accepted_at__lte": F(f"{p}respond_by"),
        }
    )
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
