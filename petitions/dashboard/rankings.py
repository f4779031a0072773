"""Rankings of the areas one level below the user's by composite score, with the red and
black lists (红榜 / 黑榜)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils import timezone

from communities.scoping import highest_area

from ..models import Petition, PetitionEvent, RateWeights
from ..models.petitions import AREA_PATHS
from ..ranking_marks import mark_rows, vetoed
from .rates import Rates, _rate_counts


@dataclass
class RankRow:
    pk: int
    name: str
    rates: Rates
    rank: int | None = 0
    highlight: str = ""
    # Set by other apps through petitions.ranking_marks (the three zeros).
    marks: list = field(default_factory=list)


# The user's top area level -> the level of the areas ranked (its children).
RANK_LEVELS = {"district": "street", "street": "community", "community": "grid"}


def ranking_level(user):
    """The level whose children the user's ranking covers: their highest area above a grid."""
    area = highest_area(user, ("district", "street", "community"))
    return area[0] if area else None


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
    child = RANK_LEVELS[level]
    lookup = AREA_PATHS[child]
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
        RankRow(
            area.pk,
            str(area) if child != "grid" else area.name,
            Rates(**grouped.get(area.pk, {}), weights=weights),
        )
        for area in areas
    ]
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
    latest = (
        PetitionEvent.objects.of(Petition.objects.visible_to(user))
        .filter(action="follow_up")
        .aggregate(before=Max("at", filter=Q(at__lt=month_start)), any=Max("at"))
    )
    found = latest["before"] or latest["any"]
    return timezone.localtime(found).date().replace(day=1) if found else None


def ranking_parent(user):
    """The key of the area whose children the user's ranking covers ("district", "street:3" …)."""
    area = highest_area(user, ("district", "street", "community"))
    if area is None:
        return None
    level, pk = area
    return "district" if level == "district" else f"{level}:{pk}"
