"""Dispute pages: the list, a new dispute (also from a petition or a visit), the detail with its
parties, mediations and timeline, one POST endpoint per transition, the printable 调解协议书,
a party's phone revealed (logged), the signed scans, the inbox entries."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.models import Grid
from core.forms import IdField, bad_request, typed_text
from core.pagination import ROWS_PER_PAGE, page_without_count, rows_per_page
from grids.models import Household
from petitions.models import Petition, Visit
from petitions.photos import PhotoStorageError
from petitions.services.intake import AlreadyRecorded
from petitions.views.common import already_saved, without_area
from petitions.views.photos import photos_to_attach_again

from ..actions import ACTIONS
from ..forms import DisputeForm, ListFilters
from ..list_rows import dispute_rows
from ..models import Dispute, DisputeKind, DisputePhoto, Mediator, Party, PartyRevealLog
from ..services import inbox
from ..services import transitions as t
from ..services.intake import open_dispute


@require_safe
def dispute_list(request):
    filters = ListFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    disputes = Dispute.objects.visible_to(request.user)
    if data["status"] == "open":
        disputes = disputes.open()
    elif data["status"]:
        disputes = disputes.filter(status=data["status"])
    for name, lookup in (("kind", "kind_id"), ("found_by", "found_by"),
                         ("community", "grid__community_id"), ("grid", "grid_id")):  # fmt: skip
        if data[name]:
            disputes = disputes.filter(**{lookup: data[name]})
    per_page = rows_per_page(request, data["per"], key="dispute_list_rows")
    context = {
        "page": page_without_count(disputes, data["page"], per_page, read=dispute_rows),
        "per_page": per_page,
        "rows_per_page": ROWS_PER_PAGE,
        "statuses": Dispute.Status.choices,
        "kinds": DisputeKind.objects.all(),
        "found_by": Dispute.FoundBy.choices,
        "notifications": list(inbox.unread(request.user)[:20]),
        "chosen": data,
    }
    return render(request, "disputes/dispute_list.html", context)


def _origin(request):
    """The petition, visit or household a new dispute is opened from (?petition=, ?visit=,
    ?household=), each only if the user may see it."""
    ids = {}
    for name in ("petition", "visit", "household"):
        try:
            ids[name] = IdField().clean(request.POST.get(name) or request.GET.get(name))
        except Exception:  # noqa: BLE001 - a bad id is no origin; the form still works
            ids[name] = None
    user = request.user
    petition = (
        ids["petition"]
        and Petition.objects.visible_to(user)
        .filter(pk=ids["petition"], grid__in=Grid.objects.visible_to(user))
        .select_related("household", "building")
        .first()
    )
    visit = ids["visit"] and Visit.objects.visible_to(user).filter(pk=ids["visit"]).first()
    household_id = (
        (petition.household_id if petition else None)
        or (visit.household_id if visit else None)
        or ids["household"]
    )
    household = (
        household_id
        and Household.objects.visible_to(user)
        .select_related("unit__building")
        .filter(pk=household_id)
        .first()
    )
    return petition or None, visit or None, household or None


def _initial(petition, visit, household):
    initial = {}
    if household is not None:
        initial["grid"] = household.grid_id
        if household.unit_id:
            initial["building"] = household.unit.building_id
    if petition is not None:
        initial |= {"grid": petition.grid_id, "description": petition.description,
                    "found_by": "reported"}  # fmt: skip
        if petition.building_id:
            initial["building"] = petition.building_id
        if petition.resident_id:
            initial["applicant_resident"] = petition.resident_id
    if visit is not None:
        initial["found_by"] = "visit"
    return initial


@require_http_methods(["GET", "POST"])
def dispute_create(request):
    if refused := without_area(request):
        return refused
    petition, visit, household = _origin(request)
    initial = _initial(petition, visit, household)
    # ?found_by=police_day: opened from a police-down day's turnout form.
    if "found_by" not in initial and request.GET.get("found_by") in Dispute.FoundBy.values:
        initial["found_by"] = request.GET["found_by"]
    form = DisputeForm(
        request.POST or None, user=request.user, household=household, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = open_dispute(
                by=request.user, kind=data["kind"], found_by=data["found_by"],
                description=data["description"], grid=data["grid"], building=data["building"],
                people_involved=data["people_involved"], risk=data["risk"],
                parties=form.parties(), petition=petition, visit=visit,
                key=data["idempotency_key"],
            )  # fmt: skip
        except AlreadyRecorded as saved:
            return already_saved(request, "disputes:detail", saved.record.pk)
        messages.success(request, _("Dispute recorded."))
        return redirect("disputes:detail", dispute.pk)
    context = {"form": form, "petition": petition, "visit": visit, "household": household}
    return render(request, "disputes/dispute_form.html", context)


def _detail_queryset(user):
    return Dispute.objects.visible_to(user).select_related(
        "kind", "grid__community__street", "building__compound", "compound", "petition",
        "visit", "assignee__official", "created_by__official", "referral",
    )  # fmt: skip


def _parties(dispute):
    return dispute.parties.select_related("resident__household")


def _render_detail(request, dispute, *, failed=None, status=200, revealed=None):
    user = request.user
    # Every caller loaded `dispute` through _detail_queryset(user): the user sees it.
    allowed = t.allowed_actions(user, dispute, sees=True)
    forms = {verb: ACTIONS[verb].bind(dispute, user) for verb in allowed}
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
    parties = list(_parties(dispute))
    for party in parties:
        party.revealed = (revealed or {}).get(party.pk, "")
    context = {
        "dispute": dispute,
        "parties": parties,
        "mediations": dispute.mediations.prefetch_related(
            Prefetch("mediators", queryset=Mediator.objects.select_related("official"))
        ),
        "events": dispute.events.select_related("actor__official"),
        "photos": dispute.photos.all(),
        "follow_up_on": t.follow_up_date(dispute),
        "actions": [
            (verb, ACTIONS[verb].label, form, failed is not None and failed[0] == verb)
            for verb, form in forms.items()
        ],
    }
    return render(request, "disputes/dispute_detail.html", context, status=status)


@require_safe
def dispute_detail(request, pk):
    return _render_detail(request, get_object_or_404(_detail_queryset(request.user), pk=pk))


@require_POST
def dispute_action(request, pk, action):
    """One transition: scope → the action's form → its service → back to the page."""
    dispute = get_object_or_404(_detail_queryset(request.user), pk=pk)
    entry = ACTIONS.get(action)
    if entry is None:
        raise Http404
    version = request.POST.get("version", "")
    seen = int(version) if version.isascii() and version.isdigit() and len(version) < 10 else -1
    stale = seen != dispute.version
    if (reason := t.refusal(request.user, dispute, action)) is not None:
        messages.error(request, str(t.CHANGED) if stale else reason)
        if stale and (typed := typed_text(entry.bind(dispute, request.user, request.POST))):
            messages.warning(request, _("Not saved: %(text)s") % {"text": typed})
        return redirect("disputes:detail", pk)
    form = entry.bind(dispute, request.user, request.POST, request.FILES)
    error = None
    if stale:
        # Still possible on the dispute as it is now: the form comes back as typed.
        error = str(t.CHANGED)
    elif not form.is_valid():
        error = _("Check what you typed: %(error)s") % {
            "error": next(iter(form.errors.values()))[0]
        }
    else:
        try:
            entry.service(dispute, by=request.user, **form.cleaned_data)
        except (t.TransitionError, PhotoStorageError) as refused:
            form.add_error(None, refused.message)
            error = refused.message
    if error is not None:
        messages.error(request, error)
        if attach_again := photos_to_attach_again(request):
            messages.warning(
                request,
                _("Photos are not kept when a form comes back; attach these again:")
                + " " + "、".join(attach_again),
            )  # fmt: skip
        dispute = _detail_queryset(request.user).get(pk=pk)
        return _render_detail(request, dispute, failed=(action, form), status=400)
    messages.success(request, _("Done: %(action)s.") % {"action": entry.label})
    if not Dispute.objects.visible_to(request.user).filter(pk=pk).exists():
        return redirect("disputes:list")
    return redirect("disputes:detail", pk)


@require_safe
def agreement(request, pk):
    """The 调解协议书 to print on A4 and have both parties sign on paper."""
    dispute = get_object_or_404(_detail_queryset(request.user), pk=pk, agreed_at__isnull=False)
    mediation = (
        dispute.mediations.filter(outcome="success")
        .prefetch_related(
            Prefetch("mediators", queryset=Mediator.objects.select_related("official"))
        )
        .last()
    )
    parties = list(_parties(dispute))
    return render(request, "disputes/agreement.html", {
        "dispute": dispute, "mediation": mediation,
        "applicants": [p for p in parties if p.side == Party.Side.APPLICANT],
        "respondents": [p for p in parties if p.side == Party.Side.RESPONDENT],
    })  # fmt: skip


@never_cache
@require_POST
def party_reveal(request, pk):
    """Show one party's full phone to an official who sees the dispute; logged (PIPL)."""
    party = get_object_or_404(
        Party.objects.select_related("resident"),
        pk=pk, dispute__in=Dispute.objects.visible_to(request.user),
    )  # fmt: skip
    PartyRevealLog.objects.create(user=request.user, party=party)
    dispute = _detail_queryset(request.user).get(pk=party.dispute_id)
    return _render_detail(request, dispute, revealed={party.pk: party.full_phone})


@require_safe
def dispute_photo(request, pk, size):
    visible = Dispute.objects.visible_to(request.user)
    photo = get_object_or_404(DisputePhoto, pk=pk, dispute__in=visible)
    file = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
def notification(request, pk):
    """Open a dispute notification (marked read) and go to its dispute."""
    opened = inbox.open_notification(request.user, pk)
    if not Dispute.objects.visible_to(request.user).filter(pk=opened.dispute_id).exists():
        messages.info(request, _("The dispute has left your list; it is handled elsewhere now."))
        return redirect("disputes:list")
    return redirect("disputes:detail", opened.dispute_id)
