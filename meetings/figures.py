"""The dashboard's meeting figures for a period: 议事日 held against scheduled, topics decided.
Two queries whatever the number of meetings."""

from django.db.models import Count, Q

from .models import Kind, Meeting, Topic


def meeting_figures(user, period) -> dict:
    first, after = period.bounds
    meetings = Meeting.objects.visible_to(user).filter(starts_at__gte=first, starts_at__lt=after)
    days = meetings.filter(kind=Kind.DELIBERATION_DAY).aggregate(
        held=Count("pk", filter=Q(status=Meeting.Status.HELD)),
        planned=Count("pk", filter=~Q(status=Meeting.Status.CANCELLED)),
    )
    decided = (
        Topic.objects.filter(meeting__in=meetings, decided_at__isnull=False)
        .exclude(decided_how=Topic.Decided.DEFERRED)
        .count()
    )
    return {"days_held": days["held"], "days_planned": days["planned"], "topics_decided": decided}
