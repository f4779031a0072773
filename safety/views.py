"""Pages of the safety app: police-down days and their totals, the three zeros per month, the
incidents behind them. Scope comes from the querysets' `visible_to`; out of scope is 404."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, Sum
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from communities.models import Community
from communities.scoping import get_scope
from core.forms import bad_request
from core.pagination import page_without_count
from petitions.periods import CHOICES, period_from
from petitions.photos import PhotoStorageError
from petitions.services.intake import AlreadyRecorded
from petitions.views.common import already_saved, data_and_key
from petitions.views.photos import photos_to_attach_again

from . import services, zeros
from .dispute_counts import counted_in, screened_on_days, with_dispute_counts
from .forms import (
    IncidentFilters,
    IncidentForm,
    PoliceDayFilters,
    PoliceDayForm,
    TurnoutForm,
    ZerosQuery,
)
from .models import Incident, PoliceDay, Turnout, TurnoutPhoto

TOTALS = {
    "officers": Sum("officer_count"),
    "households": Sum("households_visited"),
    "screened": Sum("disputes_screened"),
    "resolved": Sum("disputes_resolved"),
    "consultations": Sum("consultations"),
    "publicity": Sum("publicity"),
    "document_help": Sum("document_help"),
    "communities": Count("community", distinct=True),
}


def _totals(turnouts):
    totals = {k: v or 0 for k, v in with_dispute_counts(turnouts).aggregate(**TOTALS).items()}
    totals["legal_services"] = (
        totals["consultations"] + totals["publicity"] + totals["document_help"]
    )
    return totals


def _with_services(rows):
    for row in rows:
        row["legal_services"] = row["consultations"] + row["publicity"] + row["document_help"]
    return rows


@require_safe
def police_days(request):
    """The police-down days of a period with what they added up to in the user's areas: the
    district's page (its streets), a street's (its communities) (4 queries after the scope:
    communities, totals, breakdown, days with their sums)."""
    period = period_from(request.GET)
    filters = PoliceDayFilters(request.GET)
    if period.errors or not filters.is_valid():
        return bad_request(request, filters, errors=period.errors)
    turnouts = Turnout.objects.visible_to(request.user).filter(
        day__date__gte=period.start, day__date__lte=period.end
    )
    scope = get_scope(request.user)
    by = "community__street" if scope.is_organizer else "community"
    breakdown = _with_services(
        list(
            with_dispute_counts(turnouts)
            .values(area=F(by), name=F(f"{by}__name"))
            .annotate(**TOTALS)
            .order_by("name", "area")
        )
    )
    days = page_without_count(
        PoliceDay.objects.visible_to(request.user)
        .filter(date__gte=period.start, date__lte=period.end)
        .select_related("street")
        .annotate(
            officers=Sum("turnouts__officer_count", filter=Q(turnouts__in=turnouts)),
            screened=screened_on_days(turnouts),
            reached=Count("turnouts", filter=Q(turnouts__in=turnouts)),
        ),
        filters.cleaned_data["page"],
    )
    context = {
        # The scale the figures are read at: how many communities the user's areas hold.
        "area_communities": Community.objects.visible_to(request.user).count(),
        "period": period, "periods": CHOICES, "totals": _totals(turnouts),
        "breakdown": breakdown, "by_street": scope.is_organizer, "days": days,
        "may_schedule": scope.is_organizer or scope.serves("street"),
    }  # fmt: skip
    return render(request, "safety/police_day_list.html", context)


@require_http_methods(["GET", "POST"])
def police_day_create(request):
    """Street officials and the district schedule a police-down day."""
    scope = get_scope(request.user)
    if not (scope.is_organizer or scope.serves("street")):
        raise PermissionDenied
    form = PoliceDayForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, key = data_and_key(form)
        try:
            day = services.schedule_police_day(by=request.user, key=key, **data)
        except AlreadyRecorded as saved:
            return already_saved(request, "safety:police_day", saved.record.pk)
        except services.SafetyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Police-down day scheduled."))
            return redirect("safety:police_day", day.pk)
    return render(request, "safety/police_day_form.html", {"form": form})


@require_safe
def police_day(request, pk):
    """One day: what it did in each community the user serves, and the communities still to
    record (4 queries after the scope)."""
    day = get_object_or_404(PoliceDay.objects.visible_to(request.user).select_related("street"),
                            pk=pk)  # fmt: skip
    turnouts = list(
        with_dispute_counts(Turnout.objects.visible_to(request.user).filter(day=day))
        .select_related("community")
        .prefetch_related(
            Prefetch("officers", queryset=_officers()),
            Prefetch("photos", queryset=TurnoutPhoto.objects.order_by("pk")),
        )
    )
    recorded = {t.community_id for t in turnouts}
    communities = Community.objects.visible_to(request.user).order_by("code")
    if day.street_id:
        communities = communities.filter(street_id=day.street_id)
    context = {
        "day": day,
        "turnouts": turnouts,
        "totals": _totals(Turnout.objects.visible_to(request.user).filter(day=day)),
        "to_record": [c for c in communities if c.pk not in recorded],
        "future": day.date > timezone.localdate(),
    }
    return render(request, "safety/police_day_detail.html", context)


def _officers():
    from communities.models import Official

    return Official.objects.order_by("name", "pk")


@require_http_methods(["GET", "POST"])
def turnout_record(request, pk, community_pk):
    """A community records (or corrects) what the day did there."""
    day = get_object_or_404(PoliceDay.objects.visible_to(request.user), pk=pk)
    communities = Community.objects.visible_to(request.user).select_related("street")
    community = get_object_or_404(communities, pk=community_pk)
    if day.street_id and day.street_id != community.street_id:
        raise PermissionDenied
    turnout = Turnout.objects.filter(day=day, community=community).first()
    initial = {}
    if turnout:
        initial = {name: getattr(turnout, name) for name in TurnoutForm.base_fields
                   if name not in ("officers", "photos")}  # fmt: skip
        initial["officers"] = list(turnout.officers.values_list("pk", flat=True))
    form = TurnoutForm(
        request.POST or None, request.FILES or None, initial=initial, community=community,
        already=turnout.photos.count() if turnout else 0,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_turnout(by=request.user, day=day, community=community, **data)
        except (services.SafetyError, PhotoStorageError) as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Turnout of %(community)s saved.") % {"community": community.name}
            )
            return redirect("safety:police_day", day.pk)
    context = {
        "form": form, "day": day, "community": community, "turnout": turnout,
        "attach_again": photos_to_attach_again(request),
        "disputes": counted_in(day, community),
    }  # fmt: skip
    return render(request, "safety/turnout_form.html", context)


@require_safe
def turnout_photo(request, pk, size):
    visible = Turnout.objects.visible_to(request.user)
    photo = get_object_or_404(TurnoutPhoto, pk=pk, turnout__in=visible)
    file = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def three_zeros(request):
    """The month's three zeros per street and community of the user's areas, green where all
    three hold, else which zero broke with a link to its incidents (3 queries after the scope)."""
    query = ZerosQuery(request.GET)
    if not query.is_valid():
        return bad_request(request, query)
    first, street = query.cleaned_data["month"], query.cleaned_data["street"]
    start, end = zeros.month_bounds(first)
    streets, communities = zeros.zeros_by_area(request.user, start, end, street)
    communities = [row for _street, row in communities]
    # Several streets: each opens to its communities, and only the communities that broke a
    # zero are listed below them (a district's 1,300 rows were most of the page's time).
    only_broken = len(streets) > 1
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "month": first,
        "street": street,
        "streets": streets if get_scope(request.user).is_organizer or len(streets) > 1 else [],
        "only_broken": only_broken,
        "communities": [row for row in communities if not row.holds_all]
        if only_broken
        else communities,
        "goals": zeros.GOAL_LABELS,
        "previous": previous,
        "following": following if following <= timezone.localdate() else None,
        "trend": zeros.monthly_holding(request.user, first),
    }
    return render(request, "safety/three_zeros.html", context)


@require_safe
def incidents(request):
    """The incidents recorded in the user's areas, by month, goal and community (1 query after
    the scope)."""
    filters = IncidentFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    start, end = zeros.month_bounds(data["month"])
    rows = Incident.objects.visible_to(request.user).filter(
        occurred_on__gte=start, occurred_on__lte=end
    )
    if data["goal"]:
        rows = rows.filter(goal=data["goal"])
    if data["community"]:
        rows = rows.filter(community_id=data["community"])
    page = page_without_count(
        rows.select_related("community__street").order_by("-occurred_on", "-pk"), data["page"]
    )
    context = {
        "page": page, "month": data["month"], "goal": data["goal"],
        "goals": Incident.Goal.choices,
        "may_record": any(services.may_record_incident(request.user, g) for g in zeros.GOALS),
    }  # fmt: skip
    return render(request, "safety/incident_list.html", context)


@require_http_methods(["GET", "POST"])
def incident_create(request):
    """Record an incident: the district a petition beyond the district, the community (or its
    police officer) a criminal case or an accident."""
    if not any(services.may_record_incident(request.user, g) for g in zeros.GOALS):
        raise PermissionDenied
    initial = {"goal": request.GET.get("goal", "accident")[:10]}
    form = IncidentForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, key = data_and_key(form)
        try:
            incident = services.record_incident(by=request.user, key=key, **data)
        except AlreadyRecorded as saved:
            month = saved.record.occurred_on
            return already_saved(request, f"{reverse('safety:three_zeros')}?month={month:%Y-%m}")
        except services.SafetyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Incident recorded."))
            return redirect(f"{reverse('safety:three_zeros')}?month={incident.occurred_on:%Y-%m}")
    context = {"form": form, "kinds": {g: list(k) for g, k in Incident.KINDS.items()}}
    return render(request, "safety/incident_form.html", context)
