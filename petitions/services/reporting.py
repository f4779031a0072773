"""Publishing a month's ranking (量化考核、排名通报): once published it never changes."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.scoping import get_scope

from .. import dashboard
from ..models import RankingSnapshot
from ..periods import Period


class ReportingError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def month_period(first: datetime.date, today: datetime.date | None = None) -> Period:
    """The days of the month starting on `first`, up to today when it is the running month."""
    today = today or timezone.localdate()
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Period("custom", first, min(last, today))


def ranking_rows(ranked: list[dashboard.RankRow]) -> list[dict]:
    """The rows as shown and as kept in a published snapshot (plain JSON)."""
    return [
        {
            "rank": r.rank, "name": r.name, "highlight": r.highlight,
            "composite": r.rates.composite, "response": r.rates.response,
            "resolution": r.rates.resolution, "satisfaction": r.rates.satisfaction,
            "followed_up": r.rates.followed_up,
            # kept as shown when published (plain text in the publisher's language)
            "marks": [{**m, "label": str(m["label"])} for m in r.marks],
        }
        for r in ranked
    ]  # fmt: skip


def publish_ranking(*, month: datetime.date, by) -> RankingSnapshot:
    """Publish the ranking of the month starting on `month` among the areas below `by`'s.

    Refused (ReportingError) for anyone but the district's organizers, for a month that is not
    over yet, for a month in which no area was followed up (an empty ranking would be frozen
    for good), and for a month already published (one per month and area, a constraint).
    """
    scope = get_scope(by)
    parent = dashboard.ranking_parent(by)
    if not scope.is_organizer or parent is None:
        raise ReportingError(_("Only the district's organizers publish rankings."))
    today = timezone.localdate()
    if month >= today.replace(day=1):
        raise ReportingError(
            _("%(month)s is not over yet: a ranking is published once its month has ended.")
            % {"month": f"{month:%Y-%m}"}
        )
    rows = ranking_rows(dashboard.ranking(by, month_period(month, today)))
    if not any(row["rank"] for row in rows):
        raise ReportingError(
            _("No petition was followed up in %(month)s: there is nothing to rank or publish.")
            % {"month": f"{month:%Y-%m}"}
        )
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the request usable
            return RankingSnapshot.objects.create(
                month=month, parent=parent, published_by=by,
                title=f"{scope.label} {month:%Y-%m}", rows=rows,
            )  # fmt: skip
    except IntegrityError:
        raise ReportingError(_("This month's ranking was already published.")) from None
