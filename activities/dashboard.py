"""The activities' figures on the dashboard: activities by kind, participants, findings raised
and rectified in the period (2 queries)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from petitions.models.petitions import SOLVED_STATUSES

from .models import Activity, Finding

RECTIFIED = SOLVED_STATUSES  # a finding is rectified once its petition is solved


@dataclass
class ActivityFigures:
    activities: int = 0
    participants: int = 0
    by_kind: list[tuple[str, int, int]] = field(default_factory=list)
    findings: int = 0
    rectified: int = 0


def activity_figures(user, period) -> ActivityFigures:
    """What the user's areas did in `period` (local dates, both ends included)."""
    activities = Activity.objects.visible_to(user).filter(
        held_on__gte=period.start, held_on__lte=period.end
    )
    labels = dict(Activity.Kind.choices)
    result = ActivityFigures()
    rows = activities.values_list("kind").annotate(n=Count("id"), people=Sum("participants"))
    for kind, n, people in rows.order_by("-n", "kind"):
        result.by_kind.append((labels.get(kind, kind), n, people or 0))
        result.activities += n
        result.participants += people or 0
    counts = Finding.objects.filter(activity__in=activities).aggregate(
        raised=Count("id"), rectified=Count("id", filter=Q(petition__status__in=RECTIFIED))
    )
    result.findings, result.rectified = counts["raised"], counts["rectified"]
    return result
