"""Coverage of door-to-door visits for any scope and period, the overdue care visits, and the
visit ledger (走访台账) export."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from communities.exports import ledger_response
from communities.scoping import get_scope
from core.forms import IdField, PageField, QueryForm, bad_request
from core.pagination import page_without_count
from jobs.exports import export_as_job

from .. import visit_coverage as measures
from ..figures_cache import cached_for_areas
from ..models import Visit
from ..periods import CHOICES, period_from

NOT_VISITED_DAYS = (30, 90, 182, 365)


class CoverageQuery(QueryForm):
    days = forms.TypedChoiceField(
        label=_lazy("Households not visited"),
        required=False,
        coerce=int,
        empty_value=182,
        choices=[(d, d) for d in NOT_VISITED_DAYS],
    )
    street = IdField(label=_lazy("street"))
    community = IdField(label=_lazy("community"))
    page = PageField()


@require_safe
def coverage(request):
    period = period_from(request.GET)
    query = CoverageQuery(request.GET)
    if not query.is_valid():
        return bad_request(request, query)
    days = query.cleaned_data["days"]
    street, community = query.cleaned_data["street"], query.cleaned_data["community"]

    def figures():
        return {
            "rows": measures.one_level_open(
                measures.coverage_rows(request.user, period, street, community)
            ),
            "per_official": measures.visits_per_official(request.user, period, street, community)[
                :50
            ],
            "computed_at": timezone.now(),
        }

    kept_for = (period.start, period.end, street, community)
    context = {
        "period": period,
        "periods": CHOICES,
        "street": street,
        "community": community,
        **cached_for_areas(request.user, "coverage", kept_for, figures),
        "days": days,
        "day_choices": NOT_VISITED_DAYS,
        # Page links only, never a count of all matches: at a district that count is a scan.
        "not_visited": page_without_count(
            measures.households_not_visited(request.user, days, street, community),
            query.cleaned_data["page"],
            per_page=20,
        ),
    }
    return render(request, "petitions/coverage.html", context)


@require_safe
def care_visits_due(request):
    due = measures.overdue_care_visits(request.user)
    return render(request, "petitions/care_visits_due.html", {"due": due[:500], "total": len(due)})


@require_safe
def visit_ledger(request):
    """The visits of the user's scope in the period, as an Excel ledger (phones never appear)."""
    period = period_from(request.GET)
    if period.errors:
        return bad_request(request, errors=period.errors)
    visits = (
        Visit.objects.visible_to(request.user)
        .in_period(period.start, period.end)
        .select_related(
            "grid__community", "household__unit__building__compound",
            "household__resident_group", "author__official",
        )
        .prefetch_related("co_visitors")
        .order_by("visited_at", "id")
    )  # fmt: skip
    if job_page := export_as_job(request, visits, title=_("visit ledger")):
        return job_page
    rows = (
        [
            timezone.localtime(v.visited_at).strftime("%Y-%m-%d %H:%M"),
            v.grid.community.name,
            v.grid.name,
            v.household.address,
            v.get_kind_display(),
            getattr(getattr(v.author, "official", None), "name", v.author.get_username()),
            "、".join(o.name for o in v.co_visitors.all()),
            v.notes,
        ]
        for v in visits.iterator(chunk_size=2000)
    )
    ledger = _("visit ledger")
    return ledger_response(
        filename=f"{ledger}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        sheet=ledger,
        title=_("Visit ledger of %(scope)s, %(start)s to %(end)s")
        % {"scope": get_scope(request.user).label, "start": period.start, "end": period.end},
        request=request,
        headers=[
            _("visited at"), _("community"), _("grid"), _("address"), _("kind"),
            _("recorded by"), _("co-visitors"), _("notes on the household's situation"),
        ],
        rows=rows,
    )  # fmt: skip
