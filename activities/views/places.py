"""The register of places (场所台账): the list, a place with its checks and findings over time,
registering a place."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import bad_request
from core.pagination import page_without_count

from ..forms import PlaceFilters, PlaceForm
from ..models import Place, PlaceCheck, PlaceRevealLog
from ..services import register_place
from .common import communities_of


@require_safe
def place_list(request):
    filters = PlaceFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    places = Place.objects.visible_to(request.user)
    if data["kind"]:
        places = places.filter(kind=data["kind"])
    if data["community"]:
        places = places.filter(grid__community_id=data["community"])
    if data["q"]:
        places = places.filter(name__contains=data["q"])
    # Grid by grid, in the order of the unique (grid, name) index: no sort of all the rows.
    places = places.select_related("grid__community").order_by("grid_id", "name")
    page = page_without_count(places, data["page"])
    # The last inspection of the shown places only, in one query after paging.
    last = dict(
        PlaceCheck.objects.filter(place__in=[p.pk for p in page])
        .values("place")
        .annotate(last=Max("activity__held_on"))
        .values_list("place", "last")
        .order_by()
    )
    for place in page:
        place.last_checked = last.get(place.pk)
    context = {
        "page": page,
        "kinds": Place.Kind.choices,
        "communities": communities_of(request.user),
        "chosen": data,
    }
    return render(request, "activities/place_list.html", context)


@require_safe
def place_detail(request, pk):
    return _render_place(request, pk)


def _render_place(request, pk, *, revealed=""):
    place = get_object_or_404(
        Place.objects.visible_to(request.user).select_related("grid__community", "building"),
        pk=pk,
    )
    context = {
        "place": place,
        "revealed": revealed,
        # Inspections and patrols that looked at the place, newest first, and what they found.
        "checks": place.checks.select_related("activity").order_by("-activity__held_on", "-id")[
            :100
        ],
        "findings": place.findings.select_related(
            "activity", "petition__category__parent"
        ).order_by("-id")[:100],
    }
    return render(request, "activities/place_detail.html", context)


@never_cache
@require_POST
def place_reveal(request, pk):
    """Show a place's responsible person's full phone to an official who sees the place;
    every reveal is logged (who, which place, when), as residents' numbers are (PIPL)."""
    place = get_object_or_404(Place.objects.visible_to(request.user), pk=pk)
    PlaceRevealLog.objects.create(user=request.user, place=place)
    return _render_place(request, place.pk, revealed=place.responsible_phone)


@require_http_methods(["GET", "POST"])
def place_create(request):
    form = PlaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            place = register_place(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            messages.success(request, _("Place %(name)s registered.") % {"name": place.name})
            return redirect(place)
    return render(request, "activities/place_form.html", {"form": form})
