"""The district ledger (挂账销号台账): per department its items, the latest progress note, the
target date, overdue, signed off. The two district bodies and the organizers see every
department's; a department's staff see their own; anyone else gets 404."""

from django import forms
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from communities.models import Department
from communities.scoping import get_scope
from core.forms import IdField, PageField, QueryForm, bad_request
from core.pagination import page_without_count

from ..models import Petition, PetitionEvent

# What counts as progress on a ledger item: the owner's notes, assisting parts, the 办结.
PROGRESS_ACTIONS = ("ledger_progress", "record_part", "resolve", "instruct", "supervise")
STATES = [
    ("open", _("being rectified")),
    ("overdue", _("past the target date")),
    ("signed_off", _("signed off (销号)")),
]


class LedgerFilters(QueryForm):
    department = IdField(label=_("ledger owner"))
    state = forms.ChoiceField(label=_("state"), required=False, choices=STATES)
    page = PageField()


def ledger_items(user):
    """The ledger items `user` may see: all of them for those who follow the district through,
    their department's for its staff; None for anyone else."""
    scope = get_scope(user)
    on_ledger = Petition.objects.visible_to(user).filter(ledger_owner__isnull=False)
    if scope.follows_through:
        return on_ledger
    if scope.department_id:
        return on_ledger.filter(ledger_owner_id=scope.department_id)
    return None


def _narrowed(items, data, today):
    if data["department"]:
        items = items.filter(ledger_owner_id=data["department"])
    if data["state"] == "open":
        items = items.filter(ledger_signed_off_at__isnull=True)
    elif data["state"] == "overdue":
        items = items.filter(ledger_signed_off_at__isnull=True, ledger_target__lt=today)
    elif data["state"] == "signed_off":
        items = items.filter(ledger_signed_off_at__isnull=False)
    return items


@require_safe
def district_ledger(request):
    items = ledger_items(request.user)
    if items is None:
        raise Http404
    filters = LedgerFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    today = timezone.localdate()
    open_item = Q(ledger_signed_off_at__isnull=True)
    # One row per department: its items, open, overdue, signed off (one query).
    departments = list(
        items.order_by()
        .values("ledger_owner", "ledger_owner__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=open_item),
            overdue=Count("id", filter=open_item & Q(ledger_target__lt=today)),
            signed_off=Count("id", filter=~open_item),
        )
        .order_by("-overdue", "-open", "ledger_owner__name")
    )
    latest = PetitionEvent.objects.filter(
        petition=OuterRef("pk"), action__in=PROGRESS_ACTIONS
    ).order_by("-at", "-id")
    rows = (
        _narrowed(items, data, today)
        .select_related("category__parent", "ledger_owner", "grid__community__street")
        .annotate(progress=Subquery(latest.values("note")[:1]),
                  progress_at=Subquery(latest.values("at")[:1]))
        .order_by("ledger_signed_off_at", "ledger_target", "pk")
    )  # fmt: skip
    context = {
        "departments": departments,
        "page": page_without_count(rows, data["page"]),
        "today": today,
        "states": STATES,
        "chosen": data,
        "owners": Department.objects.filter(
            pk__in=[d["ledger_owner"] for d in departments]
        ).values_list("pk", "name") if len(departments) > 1 else [],
    }  # fmt: skip
    return render(request, "petitions/district_ledger.html", context)
