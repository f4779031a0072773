"""三双 rates: of the households asked in a period, the share answering yes to each question
(认识 knows, 信任 trusts, 认同 approves), per area or per official who asked.

A question not asked does not count; a household asked twice in the period counts twice (each
answer is a moment of the relationship the campaign measures).
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from communities.models import Community, Grid, Street

from .models import ThreeTrustAnswer
from .models.three_trusts import QUESTIONS


@dataclass(frozen=True)
class Rate:
    yes: int
    asked: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.yes / self.asked, 1) if self.asked else None

    @property
    def share(self) -> float | None:
        """For Excel (a percentage cell)."""
        return self.yes / self.asked if self.asked else None


@dataclass(frozen=True)
class Rates:
    knows: Rate
    trusts: Rate
    approves: Rate
    answers: int

    def __iter__(self):
        return iter((self.knows, self.trusts, self.approves))

    def __add__(self, other: "Rates") -> "Rates":
        return Rates(
            *(Rate(a.yes + b.yes, a.asked + b.asked) for a, b in zip(self, other, strict=True)),
            answers=self.answers + other.answers,
        )


NO_RATES = Rates(Rate(0, 0), Rate(0, 0), Rate(0, 0), 0)


def aggregates() -> dict:
    """The counts a Rates is made of, for .aggregate() or .annotate()."""
    counts = {"answers": Count("pk")}
    for q in QUESTIONS:
        counts[f"{q}_asked"] = Count(q)  # COUNT(column) skips the questions not asked
        counts[f"{q}_yes"] = Count("pk", filter=Q(**{q: True}))
    return counts


def rates_of(row: dict | None) -> Rates:
    if not row:
        return NO_RATES
    return Rates(
        *(Rate(row[f"{q}_yes"] or 0, row[f"{q}_asked"] or 0) for q in QUESTIONS),
        answers=row["answers"] or 0,
    )


def answers_in(user, period):
    first, after = period.bounds
    return ThreeTrustAnswer.objects.visible_to(user).filter(asked_at__gte=first, asked_at__lt=after)


def total_rates(user, period) -> Rates:
    """The rates over all the areas `user` serves (the dashboard's card): one query."""
    return rates_of(answers_in(user, period).aggregate(**aggregates()))


def three_trust_cards(user, period) -> list[tuple[Rate, str]]:
    """The dashboard's 三双 card: each question's rate over the user's areas, with its label."""
    labels = (_("knows (认识)"), _("trusts (信任)"), _("approves (认同)"))
    return list(zip(total_rates(user, period), labels, strict=True))


_AREAS = {
    "grid": ("grid", Grid, ("community",)),
    "community": ("grid__community", Community, ("street",)),
    "street": ("grid__community__street", Street, ()),
}


def rates_by_area(user, period, level: str) -> list[tuple[object, Rates]]:
    """(area, rates) for each area of `level` with answers in the period: two queries."""
    path, model, related = _AREAS[level]
    rows = {
        row[path]: rates_of(row)
        for row in answers_in(user, period).values(path).annotate(**aggregates()).order_by()
    }
    areas = model.objects.filter(pk__in=list(rows)).select_related(*related)
    return [(area, rows[area.pk]) for area in areas]


def rates_by_asker(answers) -> dict[int, Rates]:
    """Official id -> their rates, over `answers` (already narrowed): one query."""
    rows = answers.values("asked_by__official").annotate(**aggregates()).order_by()
    return {row["asked_by__official"]: rates_of(row) for row in rows}
