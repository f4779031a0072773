"""Project-wide pages: the home page (an official's dashboard), the health check, the outage
pages."""

import sys
import time

import psycopg
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from activities.dashboard import activity_figures
from communities.scoping import get_scope
from core import shared_cache
from meetings.figures import meeting_figures
from petitions.dashboard import RED_BLACK_SIZE, cached_board, department_board
from petitions.figures_cache import cached_for_areas
from petitions.headline import follow_through_board
from petitions.periods import CHOICES, period_from
from petitions.services.reporting import ranking_rows
from petitions.three_trusts import three_trust_cards
from safety.panels import three_zeros_panel

from . import health


@require_safe
def home(request):
    """The dashboard of the areas the official serves, for the chosen period; a department's
    own home (what was dispatched to it) for department staff who serve no area."""
    context = {}
    scope = get_scope(request.user)
    if scope.areas:
        period = period_from(request.GET)
        context = {"period": period, "periods": CHOICES, **cached_board(request.user, period)}
        months, month_rates = context["months"], context["month_rates"]
        context["rate_trend"] = list(zip(months, month_rates, strict=True))
        context["ranking_rows"] = ranking_rows(context["ranking"])
        context["red_black_size"] = RED_BLACK_SIZE
        context["dashboard_panels"] = [three_zeros_panel(request, period)]
        # Kept in the shared cache with the dashboard's other figures (petitions.figures_cache).
        span = (period.start, period.end)
        context["meetings"] = cached_for_areas(
            request.user, "meetings", span, lambda: meeting_figures(request.user, period)
        )
        context["activity_figures"] = cached_for_areas(
            request.user, "activities", span, lambda: activity_figures(request.user, period)
        )
        context["three_trust_cards"] = cached_for_areas(
            request.user, "three_trusts", (period.start, period.end),
            lambda: three_trust_cards(request.user, period),
        )  # fmt: skip
        context["chart_data"] = {
            "months": months,
            "composite": [_rounded(r.composite) for r in month_rates],
            "satisfaction": [_rounded(r.satisfaction) for r in month_rates],
            "trends": context["trends"],
            "categories": [[name, n] for name, n in context["categories"]],
            "labels": {
                "visits": _("visits"),
                "received": _("received"),
                "closed": _("closed"),
                "composite": _("composite score"),
                "satisfaction": _("satisfaction rate"),
            },
        }
        if scope.follows_through:
            context["follow_through"] = _follow_through(request.user, period)
    elif scope.district_role:
        # 区委组织部 and 区委办 serve no area: their home is the district's follow-through chain.
        period = period_from(request.GET)
        context = {
            "period": period,
            "periods": CHOICES,
            "follow_through": _follow_through(request.user, period),
        }
    elif scope.department_id:
        period = period_from(request.GET)
        context = {
            "period": period,
            "periods": CHOICES,
            "department": department_board(request.user, period),
        }
    return render(request, "home.html", context)


def _follow_through(user, period):
    """The follow-through chain's figures, kept with the dashboard's others (an aggregate over
    every open petition of a district: a quarter of a second at city size)."""
    return cached_for_areas(
        user, "follow_through", (period.start, period.end),
        lambda: follow_through_board(user, period),
    )  # fmt: skip


def _rounded(share):
    return None if share is None else round(share * 100, 1)


HEALTHZ_SECONDS = 0.75  # the database's share of /healthz's second


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """For the load balancer, within a second whatever happens: 200 while the database answers,
    503 when it does not. The cache is reported on its own: pages work without it (figures are
    computed, core.shared_cache), so a healthy app with the cache down ("degraded") stays in.
    """
    deadline = time.monotonic() + HEALTHZ_SECONDS
    cache = shared_cache.state()  # bounded by the cache client's socket timeouts (settings)
    database = health.database_state(timeout=max(0.2, deadline - time.monotonic()))
    states = {"ok": "ok", "down": "degraded", "timeout": "degraded"}
    status = states[cache] if database == "ok" else "down"
    return JsonResponse(
        {"status": status, "database": database, "cache": cache},
        status=200 if database == "ok" else 503,
    )


# What a request that failed because the database is unreachable (refused, restarting, no free
# connection within the pool's timeout) gets: the 503 page, not the 500 page.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, psycopg.OperationalError)


def server_error(request):
    """handler500: the outage pages, standalone (no database, cache or context processor), in
    the language of the request. A database that cannot be reached gives 503 ("try again in a
    moment"), anything else 500; both say that nothing was saved half-way."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        name, status = "503.html", 503
    else:
        name, status = "500.html", 500
    try:
        body = loader.get_template(name).render()
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        body = "<!doctype html><title>Server error</title><h1>服务暂时不可用</h1>"
    response = HttpResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = "30"
    return response
