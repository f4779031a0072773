"""The district's headline figures: the newspaper page's sentences as live numbers for a period.

"48 heads of district units serve as first secretaries of 89 communities; 539 district cadres
serve as grid first secretaries … 20,000+ households visited, 2,000+ concerns solved by
consultation … collected by 区委组织部, coordinated and supervised by 区委办, rectified item by
item by the departments until closed." Each figure links to the list that shows its rows.

Shown to those who follow the whole district (`Scope.follows_through`); the petitions counted
are those the viewer sees (`Petition.objects.visible_to`). 7 queries, whatever the period.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Assignment
from communities.scoping import assigned_then

from .daily_petitions import counted_by_community, open_counts, period_counts
from .models import GRADE_ORDER, Petition, PetitionEvent, Visit

# The steps of the follow-through chain a headline counts, as the list's `step` filter.
STEPS = ("resolve", "coordinate", "put_on_ledger", "supervise", "raise_grade", "instruct",
         "sign_off")  # fmt: skip


@dataclass(frozen=True)
class Figure:
    key: str
    value: int
    label: str
    url: str = ""


def _terms_during(period):
    return Assignment.objects.first_secretaries().filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start), start_date__lte=period.end
    )


def _petitions_list(query: str, period) -> str:
    return f"{reverse('petitions:list')}?{query}&{period.query}"


HEADLINE_STEPS = ("resolve", "coordinate", "put_on_ledger", "supervise", "sign_off")


def stepped_counts(user, steps, first, after) -> dict[str, int]:
    """{step: petitions the user sees that took `step` (an event's action) within
    [first, after)}, in one query: one pass over the period's events instead of one a step."""
    counts = dict(
        PetitionEvent.objects.of(Petition.objects.visible_to(user))
        .filter(action__in=steps, at__gte=first, at__lt=after)
        .values_list("action")
        .annotate(n=Count("petition", distinct=True))
        .order_by()
    )
    return {step: counts.get(step, 0) for step in steps}


def headline(user, period) -> list[Figure]:
    first, after = period.bounds
    terms = _terms_during(period).aggregate(
        secretaries=Count("official", distinct=True),
        communities=Count("community", distinct=True),
        grids=Count("grid", distinct=True),
    )
    # A cadre's visit: its author or a co-visitor held an assignment (first secretary, sent-down
    # cadre) to the visit's place on the day; a household visited by three together is one.
    visits = Visit.objects.filter(visited_at__gte=first, visited_at__lt=after).annotate(
        visited_on=TruncDate("visited_at")
    )
    joined = (
        Visit.co_visitors.through.objects.filter(
            visit__visited_at__gte=first, visit__visited_at__lt=after
        )
        .annotate(visited_on=TruncDate("visit__visited_at"))
        .filter(assigned_then("official", "visited_on", "visit__grid", Assignment.CADRES))
    )
    by_cadres = visits.filter(
        assigned_then("author__official", "visited_on", "grid", Assignment.CADRES)
        | Q(pk__in=joined.values("visit_id"))
    )
    visited = by_cadres.aggregate(
        households=Count("household", distinct=True),
        jointly=Count(
            "household",
            distinct=True,
            filter=Q(pk__in=Visit.co_visitors.through.objects.values("visit_id")),
        ),
    )
    if counted_by_community(user):
        raised = period_counts(user, period.start, period.end)["received"]
    else:
        raised = (
            Petition.objects.visible_to(user).filter(created_at__gte=first, created_at__lt=after)
        ).count()
    steps = stepped_counts(user, HEADLINE_STEPS, first, after)
    coverage = reverse("petitions:coverage")
    return [
        Figure("secretaries", terms["secretaries"], _("first secretaries at work")),
        Figure("secretary_communities", terms["communities"],
               _("communities with a first secretary")),
        Figure("secretary_grids", terms["grids"], _("grids with a first secretary")),
        Figure("cadre_households", visited["households"], _("households visited by cadres"),
               f"{coverage}?{period.query}"),
        Figure("joint_households", visited["jointly"], _("of them visited jointly"),
               f"{coverage}?{period.query}"),
        Figure("raised", raised, _("concerns raised"), _petitions_list("sort=new", period)),
        Figure("solved", steps["resolve"], _("concerns solved through consultation"),
               _petitions_list("step=resolve", period)),
        Figure("coordinated", steps["coordinate"], _("brought to departments by the streets"),
               _petitions_list("step=coordinate", period)),
        Figure("collected", steps["put_on_ledger"], _("items collected by 区委组织部"),
               _petitions_list("step=put_on_ledger", period)),
        Figure("supervised", steps["supervise"], _("supervised by 区委办"),
               _petitions_list("step=supervise", period)),
        Figure("signed_off", steps["sign_off"], _("closed by departments (销号)"),
               _petitions_list("step=sign_off", period)),
    ]  # fmt: skip


def follow_through_board(user, period, now=None) -> dict:
    """The home of 区委组织部 and 区委办 (and the organizers' headline block): the period's
    headline figures and what waits for the chain now (5 queries; 7 for those whose petitions
    are counted per community, each of them reading a few thousand rows at most)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    petitions = Petition.objects.visible_to(user)
    # On the ledger until signed off, whatever the status (a partial index holds them).
    on_ledger = Q(ledger_owner__isnull=False, ledger_signed_off_at__isnull=True)
    ledger = {
        "ledger_open": Count("id", filter=on_ledger),
        "ledger_overdue": Count("id", filter=on_ledger & Q(ledger_target__lt=today)),
    }
    if counted_by_community(user):
        state = open_counts(user, now)
        waiting = petitions.filter(on_ledger).aggregate(**ledger) | {
            "to_triage": state["to_triage"], "district_open": state["at_district"],
            "overdue": state["overdue"], "yellow": state["yellow"], "red": state["red"],
        }  # fmt: skip
    else:
        open_now = ~Q(status__in=Petition.CLOSED_STATUSES)
        waiting = petitions.aggregate(
            to_triage=Count("id", filter=open_now & Q(level="district", department__isnull=True)),
            district_open=Count("id", filter=open_now & Q(level="district")),
            **ledger,
            overdue=Count("id", filter=open_now & Q(due_at__lt=now)),
            yellow=Count("id", filter=open_now & Q(supervision_grade=GRADE_ORDER[1])),
            red=Count("id", filter=open_now & Q(supervision_grade=GRADE_ORDER[2])),
        )
    return {"headline": headline(user, period), "waiting": waiting, "computed_at": now}
