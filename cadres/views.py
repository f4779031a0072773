"""The units' and cadres' pages: what first secretaries and sent-down cadres did in a period.

Who sees what comes from `communities.scoping`: a unit's page opens for the district's
organizers and the unit's own staff (others get 404); the district page lists the assignments
`user` may see (all of them for organizers, those in a street's or community's areas for its
staff, their own unit's for a department).
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from communities.exports import ledger_response
from communities.models import Assignment, Department, Official
from communities.scoping import cadre_q, get_scope, opens_unit
from core.forms import PageField, QueryForm, bad_request
from core.pagination import Page, page_number, page_without_count
from grids.models import Sponsorship
from petitions.figures_cache import cached_for_areas, kept_as_rendered
from petitions.models import Petition, Visit
from petitions.periods import CHOICES, period_from
from petitions.three_trusts import rates_by_area, total_rates

from . import figures
from .headline import page_figures


class CadreListQuery(QueryForm):
    page = PageField()


# Pages of the district page rendered once and kept beside its figures; a page number past this
# (an empty page: a district has about 600 cadres, 12 pages) is rendered on every load rather
# than kept, so that no one fills the cache by asking for pages 1 to 10,000.
KEPT_PAGES = 20


@require_safe
def cadre_list(request):
    """First secretaries and cadres per unit and per person, for a period.

    The figures are kept in the shared cache like the dashboard's (a district's year costs
    seconds of SQL), and so is each page of them as rendered (the district's 600 cadres cost
    more to unpickle and render than to show); people are shown 50 a page."""
    period = period_from(request.GET)
    query = CadreListQuery(request.GET)
    if not query.is_valid():
        return bad_request(request, query)
    user, number = request.user, page_number(query.cleaned_data["page"])
    parts = (period.start, period.end)

    def compute():
        visible = Assignment.objects.visible_to(user)
        cadres = figures.cadre_rows(figures.assignments_during(visible, period), period)
        units = figures.unit_rows(cadres)
        figures.add_partnered(units, period)
        return {
            "cadres": figures.cadres_shown(cadres),
            "units": figures.units_shown(units),
            "total": figures.shown(figures.total_of(units)),
            "computed_at": timezone.now(),
        }

    def render_page():
        found = cached_for_areas(user, "cadres", parts, compute)
        units = found["units"]
        page = page_without_count(found["cadres"], number)
        context = {
            "period": period,
            "cadre_count": len(found["cadres"]),
            "page": page,
            "units": units,
            # the units whose page the viewer may open are linked, the others named (the
            # cache key holds what decides it: the areas served and the department)
            "openable": {u.department.pk for u in units if opens_unit(user, u.department.pk)},
            "total": found["total"],
            "computed_at": found["computed_at"],
        }
        return {
            "tables": render_to_string("cadres/_cadre_tables.html", context),
            "has_next": page.has_next,
            "computed_at": found["computed_at"],
        }

    def left_of_figures(shown):
        age = (timezone.now() - shown["computed_at"]).total_seconds()
        return int(settings.FIGURES_CACHE_SECONDS - age)

    if number > KEPT_PAGES:
        shown = render_page()
    else:
        shown = cached_for_areas(
            user, "cadres-page", (*parts, number), render_page, keep_for=left_of_figures
        )
    context = {
        "period": period,
        "periods": CHOICES,
        "tables": mark_safe(shown["tables"]),  # noqa: S308 - rendered by our own template
        "page": Page([], number, has_next=shown["has_next"]),
        "headline": page_figures(user),
    }
    return render(request, "cadres/cadre_list.html", context)


@require_safe
def cadre_export(request):
    """The district page as an audited Excel ledger: ?by=unit, or per person (the default)."""
    period = period_from(request.GET)
    assignments = figures.assignments_during(Assignment.objects.visible_to(request.user), period)
    cadres = figures.cadre_rows(assignments, period)
    by_unit = request.GET.get("by") == "unit"
    rates = [_("knows (认识)"), _("trusts (信任)"), _("approves (认同)")]
    counts = [_("visits credited"), _("households visited"), _("concerns raised"), _("solved"),
              _("activities joined")]  # fmt: skip
    if by_unit:
        headers = [pgettext("work unit", "unit"), _("community first secretaries"),
                   _("grid first secretaries"), _("sent-down cadres"), _("三官一律"), *counts,
                   *rates]  # fmt: skip
        units = figures.unit_rows(cadres)
        figures.add_partnered(units, period)
        rows = (
            [u.department.name, u.community_secretaries, u.grid_secretaries, u.sent_down,
             u.legal_officers, *_counts(u.credit), *(r.share for r in u.credit.rates)]
            for u in units
        )  # fmt: skip
        name = _("cadres per unit")
    else:
        headers = [_("cadre"), pgettext("work unit", "unit"), _("post"), _("places assigned"),
                   *counts, *rates]  # fmt: skip
        rows = (
            [c.official.name, c.department.name, "、".join(c.kinds), "、".join(c.places),
             *_counts(c.credit), *(r.share for r in c.credit.rates)]
            for c in cadres
        )  # fmt: skip
        name = _("cadres per person")
    title = _("%(name)s of %(scope)s, %(start)s to %(end)s") % {
        "name": name, "scope": get_scope(request.user).label or _("the district"),
        "start": period.start, "end": period.end,
    }  # fmt: skip
    return ledger_response(
        filename=f"{name}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx",
        sheet=name, title=title, request=request, headers=headers, rows=rows,
    )  # fmt: skip


def _counts(credit):
    return [credit.visits, credit.households_visited, credit.raised, credit.solved,
            credit.activities_joined]  # fmt: skip


@require_safe
def unit_detail(request, pk):
    """A sponsoring unit's page: its places, cadres and what they did in the period.

    What they did is kept in the shared cache as rendered, like the district page's figures (a
    unit's year is some 10 queries over visits, petitions and 4,000 partnered activities); the
    page says when it was computed."""
    department = get_object_or_404(Department.objects.visible_to(request.user), pk=pk)
    period = period_from(request.GET)

    def what_they_did():
        assignments = figures.assignments_during(department.assignments.all(), period)
        cadres = figures.cadre_rows(assignments, period)
        unit = figures.unit_rows(cadres)[0] if cadres else figures.UnitRow(department)
        figures.add_partnered([unit], period)
        solved_at = unit.credit.solved_at
        return {
            "period": period,
            "unit": unit,
            "credit": unit.credit,
            "solved_by_level": [
                (label, solved_at.get(level, 0)) for level, label in Petition.Level.choices
            ],
        }

    context = {
        "period": period,
        "periods": CHOICES,
        "department": department,
        "figures": kept_as_rendered(
            request.user,
            "unit",
            (department.pk, period.start, period.end),
            "cadres/_unit_figures.html",
            what_they_did,
        ),  # fmt: skip
        "sponsorships": Sponsorship.objects.filter(department=department)
        .select_related("community", "compound")
        .order_by("community__name", "pk"),
    }
    return render(request, "cadres/unit_detail.html", context)


# The visits listed on a cadre's page: the most recent (the figures count them all).
VISITS_SHOWN = 100


@require_safe
def cadre_detail(request, pk):
    """One cadre's page: their posts and terms, what they did in the period, and the visits
    credited to them (as author or co-visitor) in the places the viewer sees."""
    official = get_object_or_404(
        Official.objects.filter(cadre_q(request.user)).select_related("department"), pk=pk
    )
    period = period_from(request.GET)
    assignments = figures.assignments_during(
        Assignment.objects.visible_to(request.user).filter(official=official), period
    )

    visits = _credited_visits(request.user, official, period)
    context = {
        "period": period,
        "periods": CHOICES,
        "official": official,
        "assignments": assignments,
        # what they did, kept like their unit's (five queries over the period's visits,
        # petitions, answers and activities); the list of visits below is read on every load
        "figures": kept_as_rendered(
            request.user,
            "cadre",
            (official.pk, period.start, period.end),
            "cadres/_cadre_figures.html",
            lambda: {"credit": figures.credit_of([official], period)[official.pk]},
        ),  # fmt: skip
        "visits": visits,
        "visits_shown": VISITS_SHOWN,
        "opens_unit": opens_unit(request.user, official.department_id),
    }
    return render(request, "cadres/cadre_detail.html", context)


def _credited_visits(user, official, period) -> list[Visit]:
    """The newest visits credited to `official` (author or co-visitor) that `user` sees.

    Two indexed parts joined by UNION (by author and time; through the co-visitor table): one
    query with OR between them made PostgreSQL walk every visit of the period (13 s at city
    size)."""
    shown = Visit.objects.visible_to(user).in_period(period.start, period.end).order_by()
    co_visits = Visit.co_visitors.through.objects.filter(official=official).values("visit_id")
    newest = (
        shown.filter(author=official.user_id)
        .values_list("visited_at", "pk")
        .union(shown.filter(pk__in=co_visits).values_list("visited_at", "pk"))
        .order_by("-visited_at", "-pk")[:VISITS_SHOWN]
    )
    return list(
        Visit.objects.filter(pk__in=[pk for _at, pk in newest])
        .select_related(
            "household__unit__building__compound",
            "household__resident_group",
            "grid__community",
            "author__official",
        )  # fmt: skip
        .order_by("-visited_at", "-id")
    )


@require_safe
def three_trust_rates(request):
    """三双 rates of the areas the user serves, per street, community and grid (four queries,
    kept in the shared cache as rendered)."""
    period = period_from(request.GET)
    user = request.user

    def rates():
        return {
            "total": total_rates(user, period),
            "by_level": [
                (level, rates_by_area(user, period, level))
                for level in ("street", "community", "grid")
            ],
        }

    context = {
        "period": period,
        "periods": CHOICES,
        # kept as rendered, like the dashboard's 三双 card
        "rates": kept_as_rendered(
            user,
            "three-trusts",
            (period.start, period.end),
            "cadres/_three_trust_rates.html",
            rates,
        ),  # fmt: skip
    }
    return render(request, "cadres/three_trust_rates.html", context)
