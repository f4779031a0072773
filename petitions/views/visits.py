"""Recording a visit on the doorstep, reading and correcting visits, and their photos."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import IdField, bad_request
from grids.models import Household, Tag
from grids.search import RESULT_LIMIT, search_residents, search_text

from ..forms import (
    ConcernFormSet,
    VisitCorrectionForm,
    VisitForm,
    co_visitor_label,
)
from ..forms import co_visitor_choices as co_visitor_officials
from ..models import Petition, Visit
from ..panels import render_visit_panels
from ..photos import PhotoStorageError
from ..services.visits import AlreadyRecorded, Concern, VisitRecord, correct_visit, record_visit
from .common import chosen_household, without_area
from .photos import photos_to_attach_again

HOUSEHOLD_RESULTS = 12


@require_http_methods(["GET", "POST"])
def visit_create(request):
    """The doorstep form: household, visit, concerns as new petitions, photos, tags."""
    if refused := without_area(request):
        return refused
    household = chosen_household(request)
    form = VisitForm(
        request.POST or None, request.FILES or None, user=request.user, household=household
    )
    concerns = ConcernFormSet(request.POST or None, prefix="concern")
    if request.method == "POST" and form.is_valid() and concerns.is_valid():
        data = form.cleaned_data
        record = VisitRecord(
            household=data["household"],
            visited_at=data["visited_at"],
            kind=data["kind"],
            notes=data["notes"],
            co_visitors=list(data["co_visitors"]),
            photos=data["photos"],
            concerns=[Concern(**c) for c in concerns.cleaned_data if c],
            tags=_posted_tags(form.member_tags(), data["household"]),
            three_trusts={q: data[q] for q in form.THREE_TRUSTS},
        )
        try:
            visit = record_visit(record, by=request.user, key=data["idempotency_key"])
        except AlreadyRecorded as saved:
            messages.info(request, _("This visit was already saved; it was not saved twice."))
            return redirect("petitions:visit_detail", saved.record.pk)
        except PhotoStorageError as error:
            form.add_error(None, error.message)
        else:
            count = len(record.concerns)
            messages.success(
                request,
                _("Visit to %(household)s saved with %(count)d new petition(s).")
                % {"household": visit.household, "count": count},
            )
            return redirect("petitions:visit_detail", visit.pk)
    context = {
        "form": form,
        "concerns": concerns,
        "household": household,
        "panel": _panel_context(household) if household else None,
        "attach_again": photos_to_attach_again(request),
    }
    return render(request, "petitions/visit_form.html", context)


def _posted_tags(member_tags, household):
    """Tags per member, for the members of `household` whose tag boxes were on the form."""
    members = set(household.residents.filter(pk__in=list(member_tags)).values_list("pk", flat=True))
    tags = {t.pk: t for t in Tag.objects.all()}
    return {pk: [tags[t] for t in member_tags[pk] if t in tags] for pk in members}


def _panel_context(household):
    """What the visitor sees at once: last visits, open petitions, members and their tags."""
    return {
        "household": household,
        "recent_visits": Visit.objects.filter(household=household)
        .select_related("author__official")
        .order_by("-visited_at")[:3],
        "open_petitions": Petition.objects.filter(household=household)
        .open()
        .select_related("category__parent")
        .order_by("-created_at")[:10],
        "members": household.residents.current().prefetch_related(
            Prefetch("tags", to_attr="tag_list")
        ),
        "all_tags": Tag.objects.order_by("kind", "name"),
    }


@require_safe
def household_picker(request):
    """Households matching a room, building-unit-room, name or phone suffix, as you type."""
    query = search_text(request.GET)
    households, more = [], False
    if query:
        seen = {}
        residents = search_residents(request.user, query)
        for resident in residents:
            seen.setdefault(resident.household_id, resident.household)
        households = list(seen.values())[:HOUSEHOLD_RESULTS]
        # The search stops at RESULT_LIMIT residents: say so rather than drop matches silently.
        more = len(residents) >= RESULT_LIMIT or len(seen) > HOUSEHOLD_RESULTS
    return render(
        request,
        "petitions/_household_choices.html",
        {"query": query, "households": households, "more": more},
    )


CO_VISITOR_RESULTS = 100


@require_safe
def co_visitor_choices(request):
    """The officials a visit to ?household= can be made with (JSON, for the visit form's ticks);
    the household must be visible to the user, or the answer is 404."""
    try:
        pk = IdField(required=True).clean(request.GET.get("household"))
    except ValidationError as error:
        return bad_request(request, errors=error.messages)
    household = get_object_or_404(
        Household.objects.visible_to(request.user).select_related("grid__community"), pk=pk
    )
    officials = co_visitor_officials(request.user, household)[:CO_VISITOR_RESULTS]
    return JsonResponse(
        {"officials": [{"id": o.pk, "label": co_visitor_label(o)} for o in officials]}
    )


@require_safe
def household_panel(request, pk):
    household = get_object_or_404(Household.objects.visible_to(request.user).with_place(), pk=pk)
    return render(request, "petitions/_household_panel.html", _panel_context(household))


def _visit_or_404(request, pk):
    return get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "household__grid__community",
            "household__unit__building__compound",
            "household__resident_group",
            "author__official",
        ),
        pk=pk,
    )


@require_safe
def visit_detail(request, pk):
    visit = _visit_or_404(request, pk)
    context = {
        "visit": visit,
        "photos": visit.photos.order_by("id"),
        "co_visitors": visit.co_visitors.all(),
        "petitions": visit.petitions.select_related("category__parent"),
        "can_correct": visit.is_editable_by(request.user),
        "panels": render_visit_panels(request, visit),
    }
    return render(request, "petitions/visit_detail.html", context)


@require_http_methods(["GET", "POST"])
def visit_correct(request, pk):
    visit = _visit_or_404(request, pk)
    if not visit.is_editable_by(request.user):
        raise PermissionDenied(
            _("Only its author can correct a visit, within 24 hours; add a new visit instead.")
        )
    initial = {"kind": visit.kind, "notes": visit.notes}
    # Photos it has count towards its limit (counted only when some are added).
    already = visit.photos.count() if request.FILES else 0
    form = VisitCorrectionForm(
        request.POST or None, request.FILES or None, initial=initial, photos_already=already
    )
    if request.method == "POST" and form.is_valid():
        try:
            correct_visit(visit, by=request.user, **form.cleaned_data)
        except PhotoStorageError as error:
            form.add_error(None, error.message)
        except ValidationError as error:  # photos added meanwhile: over the limit
            form.add_error("photos", error)
        else:
            messages.success(request, _("The visit was corrected."))
            return redirect("petitions:visit_detail", visit.pk)
    context = {"visit": visit, "form": form, "attach_again": photos_to_attach_again(request)}
    return render(request, "petitions/visit_correct.html", context)


@require_safe
def my_visits(request):
    visits = (
        Visit.objects.visible_to(request.user)
        .filter(author=request.user)
        .select_related(
            "household__unit__building__compound", "household__resident_group", "grid__community"
        )
        .order_by("-visited_at")[:100]
    )
    return render(request, "petitions/my_visits.html", {"visits": visits})
