"""Rankings (published monthly and then frozen) and the printable weekly report."""

import datetime
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities.exports import ledger_response
from communities.scoping import get_scope
from core.excel import Column, Kind

from .. import dashboard
from ..models import Petition, RankingSnapshot
from ..periods import Period
from ..services import reporting

# Reports start with the system; nothing is recorded before this month.
FIRST_MONTH = datetime.date(2000, 1, 1)


class BadParameter(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _month(raw: str, today: datetime.date) -> datetime.date | None:
    """The first day of the month `raw` (YYYY-MM) names; None when empty; BadParameter when it
    is not a month between 2000-01 and the running month."""
    raw = (raw or "").strip()
    if not raw:
        return None
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", raw)
    first = None
    if match and FIRST_MONTH.year <= int(match[1]) and 1 <= int(match[2]) <= 12:
        first = datetime.date(int(match[1]), int(match[2]), 1)
    if first is None or not FIRST_MONTH <= first <= today.replace(day=1):
        raise BadParameter(
            _("Choose a month between %(first)s and %(last)s (as YYYY-MM).")
            % {"first": f"{FIRST_MONTH:%Y-%m}", "last": f"{today:%Y-%m}"}
        )
    return first


def _last_month(today):
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@require_safe
def rankings(request):
    """The month's ranking: as published if it was, else computed now (and publishable).

    Without a month it opens on the latest month with follow-ups, else on last month."""
    today = timezone.localdate()
    status = 200
    try:
        first = _month(request.GET.get("month"), today)
    except BadParameter as error:
        messages.error(request, error.message)
        first, status = None, 400
    if first is None:
        first = dashboard.latest_ranked_month(request.user, today) or _last_month(today)
    month = reporting.month_period(first, today)
    parent = dashboard.ranking_parent(request.user)
    snapshot = RankingSnapshot.objects.filter(month=month.start, parent=parent).first()
    if snapshot:
        rows = snapshot.rows
    else:
        rows = reporting.ranking_rows(dashboard.ranking(request.user, month))
    if request.GET.get("format") == "xlsx" and status == 200:
        return _ranking_export(request, month, rows)
    ranked = [r for r in rows if r["rank"]]
    context = {
        "month": month,
        "rows": rows,
        "ranked": len(ranked),
        "snapshot": snapshot,
        "month_over": month.start < today.replace(day=1),
        "can_publish": snapshot is None and get_scope(request.user).is_organizer and parent,
        "history": RankingSnapshot.objects.filter(parent=parent).order_by("-month")[:24],
        "red_black_size": dashboard.RED_BLACK_SIZE,
    }
    return render(request, "petitions/rankings.html", context, status=status)


def _ranking_export(request, month, rows):
    """The ranking as .xlsx; the rates are numbers (0.851) shown as percentages (85.1%)."""
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


@require_POST
def publish_ranking(request):
    """The district publishes a month's ranking; from then on it is shown as published."""
    if not get_scope(request.user).is_organizer:
        raise PermissionDenied
    today = timezone.localdate()
    try:
        first = _month(request.POST.get("month"), today)
        if first is None:
            raise BadParameter(_("Choose the month to publish."))
    except BadParameter as error:
        messages.error(request, error.message)
        return redirect("petitions:rankings")
    try:
        reporting.publish_ranking(month=first, by=request.user)
    except reporting.ReportingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The ranking of %(month)s is published.") % {"month": f"{first:%Y-%m}"}
        )
    return redirect(f"{reverse('petitions:rankings')}?month={first:%Y-%m}")


def _weeks(today, count=12):
    """The Mondays of the last `count` weeks, this week first."""
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=n) for n in range(count)]


def _week(raw: str, today: datetime.date) -> Period:
    """The week (Monday to Sunday) containing the date `raw`; by default the last complete week
    (on a Monday, the seven days before it). BadParameter for a date outside 2000 … today."""
    raw = (raw or "").strip()
    if raw:
        try:
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            day = None
        if day is None or not FIRST_MONTH <= day <= today:
            raise BadParameter(
                _("Choose a week between %(first)s and today.") % {"first": f"{FIRST_MONTH}"}
            )
        monday = day - datetime.timedelta(days=day.weekday())
    else:
        monday = _weeks(today)[1]
    return Period("custom", monday, min(monday + datetime.timedelta(days=6), today))


@require_safe
def weekly_report(request):
    """One A4 page for the scope's chosen week: key figures, the trend up to that week and the
    petitions overdue now."""
    today = timezone.localdate()
    status = 200
    try:
        period = _week(request.GET.get("week"), today)
    except BadParameter as error:
        messages.error(request, error.message)
        period, status = _week("", today), 400
    overdue = (
        Petition.objects.visible_to(request.user)
        .overdue()
        .select_related("category__parent", "grid__community")
        .order_by("due_at")[:40]
    )
    week_end = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(12)))
    trends = dashboard.weekly_trends(request.user, now=week_end)
    context = {
        "period": period,
        "weeks": [(monday, monday + datetime.timedelta(days=6)) for monday in _weeks(today)],
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
    return render(request, "petitions/weekly_report.html", context, status=status)
