"""Project-wide pages: the home page (an official's dashboard) and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from communities.scoping import get_scope
from petitions.dashboard import RED_BLACK_SIZE, cached_board, department_board
from petitions.periods import CHOICES, period_from
from petitions.services.reporting import ranking_rows


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
    elif scope.department_id:
        period = period_from(request.GET)
        context = {
            "period": period,
            "periods": CHOICES,
            "department": department_board(request.user, period),
        }
    return render(request, "home.html", context)


def _rounded(share):
    return None if share is None else round(share * 100, 1)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
