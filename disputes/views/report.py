"""The monthly 矛盾纠纷排查调处情况表 of a community, a street or the district: on the page,
printable on A4 (?format=print) and as an audited Excel file."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from communities.exports import ledger_response
from communities.models import Community, Street
from communities.scoping import get_scope
from core.forms import bad_request
from petitions.figures_cache import cached_for_areas

from ..forms import ReportQuery
from ..models import Dispute
from ..report import in_area, monthly_report


def _report(request):
    """(report, area, title) for the query, or an HttpResponse refusing it."""
    query = ReportQuery(request.GET)
    if not query.is_valid():
        return bad_request(request, query)
    area, asked = query.area(request.user)
    if asked and area is None:
        raise Http404
    disputes = in_area(Dispute.objects.visible_to(request.user), area)
    month = query.cleaned_data["month"]
    place = str(area) if area is not None else get_scope(request.user).label
    title = _("%(place)s disputes screened and mediated, %(month)s") % {
        "place": place,
        "month": f"{month:%Y-%m}",
    }
    return (lambda: monthly_report(disputes, month)), area, title, query.cleaned_data


@require_safe
def monthly(request):
    result = _report(request)
    if not isinstance(result, tuple):
        return result
    compute, area, title, data = result
    user = request.user
    # Kept like the dashboard's figures (seven grouped counts over a district's disputes, 90 ms
    # at city size); the page says when they were computed. The Excel file is always fresh.
    area_key = (type(area).__name__, area.pk) if area is not None else None
    report, computed_at = cached_for_areas(
        user, "dispute_report", (data["month"], area_key),
        lambda: (compute(), timezone.now()),
    )  # fmt: skip
    context = {
        "report": report, "area": area, "title": title, "data": data,
        "computed_at": computed_at,
        "streets": list(Street.objects.visible_to(user).values_list("pk", "name")[:100]),
        "communities": list(
            Community.objects.visible_to(user).values_list("pk", "name").order_by("name")[:300]
        ),
        "printing": data["format"] == "print",
        "printed_at": timezone.localtime(),
    }  # fmt: skip
    return render(request, "disputes/monthly_report.html", context)


@require_safe
def monthly_xlsx(request):
    result = _report(request)
    if not isinstance(result, tuple):
        return result
    compute, _area, title, _data = result
    report = compute()
    section = lambda name: [name, "", "", "", ""]  # noqa: E731
    rows = [section(_("by kind"))]
    rows += [[line.label, line.screened, line.mediated, line.resolved, line.rate]
             for line in report.by_kind]  # fmt: skip
    total = report.total
    rows.append([_("total"), total.screened, total.mediated, total.resolved, total.rate])
    rows.append(section(_("by people involved")))
    rows += [[line.label, line.screened, line.mediated, line.resolved, line.rate]
             for line in report.by_band]  # fmt: skip
    rows.append(section(_("earlier months")))
    rows += [[line.label, line.screened, line.mediated, line.resolved, line.rate]
             for line in report.months]  # fmt: skip
    name = _("dispute report")
    return ledger_response(
        filename=f"{name}-{report.month:%Y%m}.xlsx", sheet=name, title=title, request=request,
        headers=["", _("screened"), _("mediated"), _("resolved"), _("success rate")], rows=rows,
    )  # fmt: skip
