from django import template
from django.utils import timezone

from ..deadline_badges import BadgeLabels, deadline_badges

register = template.Library()


@register.filter(name="deadline_badges")
def deadline_badges_of(petition):
    """A Petition's urgency, deadline and 督办 badges (petitions/deadline_badges.py)."""
    return deadline_badges(
        status=petition.status, urgency=petition.urgency, due_at=petition.due_at,
        grade=petition.supervision_grade, supervised_at=petition.supervised_at, now=timezone.now(),
        labels=BadgeLabels.now_translated(),
    )  # fmt: skip
