"""Project-wide pages: the home page (an official's dashboard) and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from communities.scoping import get_scope
from petitions.dashboard import (
    category_breakdown,
    chain_status,
    figures,
    goals,
    ranking,
    weekly_trends,
)
from petitions.periods import CHOICES, period_from


@require_safe
def home(request):
    """The dashboard of the areas the official serves, for the chosen period."""
    context = {}
    if get_scope(request.user).areas:
        period = period_from(request.GET)
        context = {
            "period": period,
            "periods": CHOICES,
            "figures": figures(request.user, period),
            "trends": weekly_trends(request.user),
            "categories": category_breakdown(request.user, period),
            "chain": chain_status(request.user),
            "ranking": ranking(request.user, period),
            "goals": goals(request.user, period),
        }
        context["chart_data"] = {
            "trends": context["trends"],
            "categories": [[name, n] for name, n in context["categories"]],
            "labels": {"visits": _("visits"), "received": _("received"), "closed": _("closed")},
        }
    return render(request, "home.html", context)


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
