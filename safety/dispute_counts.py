"""Disputes screened and resolved on a police-down day, counted from the disputes themselves
(never typed in).

- **screened** on a day in a community: the disputes located in that community (their grid's)
  whose how-found is 警力下沉日 and which were recorded on the day's date (local time);
- **resolved** on the day: of those, the ones whose agreement was reached (调解成功, `agreed_at`)
  on that same date.

A day counts only where it reached: a community with a turnout. Two days on one date that reach
the same community would each count its disputes of that date (the district and a street do not
schedule the same date twice in practice).
"""

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from disputes.models import Dispute


def _count(disputes):
    """A correlated COUNT(*) of `disputes`, 0 when there are none."""
    counted = disputes.order_by().values(n=Func(F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _found_on(date, communities):
    return Dispute.objects.filter(
        found_by=Dispute.FoundBy.POLICE_DAY, created_at__date=date, grid__community__in=communities
    )


def with_dispute_counts(turnouts):
    """`turnouts` annotated with `disputes_screened` and `disputes_resolved`."""
    found = Dispute.objects.filter(
        found_by=Dispute.FoundBy.POLICE_DAY,
        grid__community=OuterRef("community"),
        created_at__date=OuterRef("day__date"),
    )
    return turnouts.annotate(
        disputes_screened=_count(found),
        disputes_resolved=_count(found.filter(agreed_at__date=OuterRef("day__date"))),
    )


def screened_on_days(turnouts):
    """For `PoliceDay` rows: the disputes screened on each in the communities of `turnouts`
    that the day reached."""
    reached = turnouts.filter(day=OuterRef(OuterRef("pk"))).values("community")
    return _count(_found_on(OuterRef("date"), reached))


def counted_in(day, community) -> dict:
    """What `day` counts in `community` so far (the turnout form says it): one query."""
    found = _found_on(day.date, [community.pk])
    return found.aggregate(
        screened=Count("pk"), resolved=Count("pk", filter=Q(agreed_at__date=day.date))
    )
