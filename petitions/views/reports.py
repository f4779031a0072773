"""Rankings (published monthly and then frozen) and the printable weekly report."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities.scoping import get_scope
from weidu.excel import Column, Kind, ledger_response

from .. import dashboard
from ..models import Petition, RankingSnapshot
from ..periods import Period, period_from


def _month(params):
    """The month asked for (YYYY-MM), by default last month."""
    today = timezone.localdate()
    try:
        first = datetime.date.fromisoformat(params.get("month", "") + "-01")
    except ValueError:
        first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return Period("custom", first, min(last, today))


def _rows(rows):
    return [
        {
            "rank": r.rank, "name": r.name, "highlight": r.highlight,
            "composite": r.rates.composite, "response": r.rates.response,
            "resolution": r.rates.resolution, "satisfaction": r.rates.satisfaction,
            "followed_up": r.rates.followed_up,
        }
        for r in rows
    ]  # fmt: skip


@require_safe
def rankings(request):
    """The month's ranking: as published if it was, else computed now (and publishable)."""
    month = _month(request.GET)
    parent = dashboard.ranking_parent(request.user)
    snapshot = RankingSnapshot.objects.filter(month=month.start, parent=parent).first()
    rows = snapshot.rows if snapshot else _rows(dashboard.ranking(request.user, month))
    if request.GET.get("format") == "xlsx":
        return ledger_response(
            filename=f"{_('ranking')}-{month.start:%Y-%m}.xlsx",
            sheet=_("ranking"),
            title=f"{get_scope(request.user).label} {_('ranking')} {month.start:%Y-%m}",
            request=request,
            headers=[Column(_("rank"), Kind.INTEGER), _("area"),
                     *(Column(label, Kind.PERCENT) for label in (
                         _("composite score"), _("response rate"), _("resolution rate"),
                         _("satisfaction rate"))),
                     Column(_("followed up"), Kind.INTEGER)],
            rows=([r["rank"], r["name"], r["composite"], r["response"], r["resolution"],
                   r["satisfaction"], r["followed_up"]] for r in rows),
        )  # fmt: skip
    context = {
        "month": month,
        "rows": rows,
        "snapshot": snapshot,
        "can_publish": snapshot is None and get_scope(request.user).is_organizer and parent,
        "history": RankingSnapshot.objects.filter(parent=parent).order_by("-month")[:24],
    }
    return render(request, "petitions/rankings.html", context)


@require_POST
def publish_ranking(request):
    """The district publishes a month's ranking; from then on it is shown as published."""
    if not get_scope(request.user).is_organizer:
        raise PermissionDenied
    month = _month(request.POST)
    parent = dashboard.ranking_parent(request.user)
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the request usable
            RankingSnapshot.objects.create(
                month=month.start, parent=parent, published_by=request.user,
                title=f"{get_scope(request.user).label} {month.start:%Y-%m}",
                rows=_rows(dashboard.ranking(request.user, month)),
            )  # fmt: skip
        messages.success(
            request, _("The ranking of %(month)s is published.") % {"month": f"{month.start:%Y-%m}"}
        )
    except IntegrityError:
        messages.error(request, _("This month's ranking was already published."))
    return redirect(f"{request.path.replace('publish/', '')}?month={month.start:%Y-%m}")


@require_safe
def weekly_report(request):
    """One A4 page for the scope's week: key figures, the trend and the overdue petitions."""
    period = period_from({"period": "this_week"})
    overdue = (
        Petition.objects.visible_to(request.user)
        .open()
        .filter(due_at__lt=timezone.now())
        .select_related("category__parent", "grid__community")
        .order_by("due_at")[:40]
    )
    trends = dashboard.weekly_trends(request.user)
    context = {
        "period": period,
        "figures": dashboard.figures(request.user, period),
        "trends": trends,
        "chart_data": {
            "trends": trends,
            "categories": [],
            "labels": {"visits": _("visits"), "received": _("received"), "closed": _("closed")},
        },
        "overdue": overdue,
        "scope_label": get_scope(request.user).label,
    }
    return render(request, "petitions/weekly_report.html", context)
