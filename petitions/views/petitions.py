"""Petition pages: the list with filters, the detail with its timeline and the actions the
viewer may take now, and one POST endpoint per transition."""

from django import forms
from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.area_filters import area_choices
from communities.exports import ledger_response
from communities.scoping import get_scope, reaches
from core.forms import IdField, PageField, QueryForm, RowsPerPageField, bad_request, typed_text
from core.pagination import ROWS_PER_PAGE, page_without_count, rows_per_page
from grids.models import Household
from jobs.exports import export_as_job

from ..actions import ACTIONS
from ..forms import PetitionForm
from ..headline import STEPS
from ..list_rows import petition_rows
from ..models import (
    Category,
    Petition,
    PetitionContribution,
    PetitionEvent,
    Resolution,
    SupervisionGrade,
)
from ..panels import render_petition_panels
from ..periods import CHOICES, period_from
from ..photos import PhotoStorageError
from ..services import transitions as t
from ..services.intake import open_petition, possible_repeats
from .common import chosen_household, without_area
from .photos import photos_to_attach_again

AREA_LEVELS = ("street", "community", "grid")  # the list's area filters
SORTS = {"new": ("-created_at", "-id"), "old": ("created_at", "id"), "due": ("due_at", "id")}
_FLAG = [("1", "1")]


class ListFilters(QueryForm):
    """The list's (and its ledger's) filters, every one optional and bounded."""

    status = forms.ChoiceField(
        label=_lazy("status"), required=False,
        choices=[("open", "open"), *Petition.Status.choices],
    )  # fmt: skip
    level = forms.ChoiceField(label=_lazy("level"), required=False, choices=Petition.Level.choices)
    source = forms.ChoiceField(
        label=_lazy("source"), required=False, choices=Petition.Source.choices
    )
    street = IdField(label=_lazy("street"))
    community = IdField(label=_lazy("community"))
    grid = IdField(label=_lazy("grid"))
    category = IdField(label=_lazy("category"))
    dispute = forms.ChoiceField(required=False, choices=_FLAG)
    supervised = forms.ChoiceField(required=False, choices=_FLAG)
    # 督办 grade of open petitions, and a step of the follow-through chain taken in the period
    # (the headline figures link here: then the period is when the step was taken).
    grade = forms.ChoiceField(required=False, choices=SupervisionGrade.choices)
    step = forms.ChoiceField(required=False, choices=[(s, s) for s in STEPS])
    overdue = forms.ChoiceField(label=_lazy("overdue"), required=False, choices=_FLAG)
    mine = forms.ChoiceField(required=False, choices=_FLAG)
    department = forms.ChoiceField(required=False, choices=_FLAG)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])
    page = PageField()
    per = RowsPerPageField()

    def clean(self):
        data = super().clean()
        if self.data.get("period"):
            data["period"] = period_from(self.data)
            for error in data["period"].errors:
                self.add_error(None, error)
        return data


def _filtered(user, filters):
    """The user's petitions narrowed by the list's filters (every filter optional)."""
    petitions = Petition.objects.visible_to(user)
    if filters["status"] == "open":
        petitions = petitions.open()
    elif filters["status"]:
        petitions = petitions.filter(status=filters["status"])
    if filters["level"]:
        petitions = petitions.filter(level=filters["level"])
    if filters["source"]:
        petitions = petitions.filter(source=filters["source"])
    for level in AREA_LEVELS:
        if filters[level]:
            petitions = petitions.in_area(level, filters[level])
    if filters["category"]:
        category = filters["category"]
        petitions = petitions.filter(Q(category_id=category) | Q(category__parent_id=category))
    if filters["dispute"]:
        petitions = petitions.filter(
            Q(category__is_dispute=True) | Q(category__parent__is_dispute=True)
        )
    if filters.get("grade"):
        petitions = petitions.open().filter(supervision_grade=filters["grade"])
    if filters.get("step"):
        first, after = filters["period"].bounds if filters.get("period") else (None, None)
        events = PetitionEvent.objects.filter(action=filters["step"])
        if first is not None:
            events = events.filter(at__gte=first, at__lt=after)
        petitions = petitions.filter(pk__in=events.values("petition_id"))
    if filters["supervised"]:
        petitions = petitions.open().filter(supervised_at__isnull=False)
    if filters["overdue"]:
        petitions = petitions.overdue()
    if filters["mine"]:
        petitions = petitions.filter(assignee=user)
    department = get_scope(user).department_id
    if filters["department"] and department:
        petitions = petitions.filter(department_id=department)
    if filters.get("period") and not filters.get("step"):
        first, after = filters["period"].bounds
        petitions = petitions.filter(created_at__gte=first, created_at__lt=after)
    return petitions.order_by(*SORTS[filters["sort"] or "new"])


def _per_petition(queryset, value):
    """A correlated subquery: `value` aggregated over `queryset`'s rows of each petition."""
    return Subquery(
        queryset.filter(petition=OuterRef("pk"))
        .order_by()
        .values("petition")
        .annotate(value=value)
        .values("value")
    )


def _with_resolution_figures(petitions):
    """Each petition's figures over all its resolutions (a reopened petition resolved twice
    cost what both cost); without joins that would multiply rows."""
    contributions = PetitionContribution.objects.all()
    return petitions.annotate(
        total_cost=_per_petition(Resolution.objects.all(), Sum("cost")),
        total_public_money=_per_petition(Resolution.objects.all(), Sum("public_money")),
        residents_money=_per_petition(contributions, Sum("amount")),
        paying_households=Coalesce(
            _per_petition(contributions, Count("household", distinct=True)), 0
        ),
    )


def _ledger_period(filters):
    period = filters.get("period")
    return f"{period.start} – {period.end}" if period else ""


def _with_places(petitions):
    return petitions.select_related(
        "category__parent", "grid__community__street", "household__unit__building__compound",
        "household__resident_group", "building__compound", "compound", "resident",
    )  # fmt: skip


@require_safe
def petition_list(request):
    filters = ListFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    per_page = rows_per_page(request, data["per"], key="petition_list_rows")
    context = {
        "page": page_without_count(
            _filtered(request.user, data), data["page"], per_page, read=petition_rows
        ),
        "per_page": per_page,
        "rows_per_page": ROWS_PER_PAGE,
        "statuses": Petition.Status.choices,
        "levels": Petition.Level.choices,
        "sources": Petition.Source.choices,
        "categories": Category.objects.filter(parent=None),
        **area_choices(request.user, data["street"], data["community"]),
        "chosen": {level: data[level] for level in AREA_LEVELS},
        "periods": CHOICES,
        "query": request.GET.urlencode(),
        # The headline's and the cards' filters have no control of their own: kept on refiltering.
        "kept": [(name, data[name]) for name in ("grade", "step") if data.get(name)],
    }
    return render(request, "petitions/petition_list.html", context)


@require_safe
def petition_ledger(request):
    """The petition ledger (诉求台账; 矛盾纠纷台账 with dispute=1) of the filtered list, masked."""
    filters = ListFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    petitions = _with_resolution_figures(
        _with_places(_filtered(request.user, data)).select_related("department")
    )
    if job_page := export_as_job(request, petitions, title=_("petition ledger")):
        return job_page
    rows = (
        [
            timezone.localtime(p.created_at).strftime("%Y-%m-%d %H:%M"), p.tracking_code,
            str(p.category), p.get_source_display(), p.grid.community.street.name,
            p.grid.community.name, p.grid.name,
            p.place, p.resident.name if p.resident else "",
            p.resident.masked_phone if p.resident else "", p.description, p.households_affected,
            p.get_level_display(), p.get_status_display(),
            timezone.localtime(p.due_at).strftime("%Y-%m-%d %H:%M") if p.due_at else "",
            _("yes") if p.is_overdue() else "", p.get_satisfaction_display(), p.reopen_count,
            p.department.name if p.department_id else "",
            timezone.localtime(p.resolved_at).strftime("%Y-%m-%d %H:%M") if p.resolved_at else "",
            p.total_cost, p.total_public_money, p.residents_money, p.paying_households,
        ]
        for p in petitions.iterator(chunk_size=2000)
    )  # fmt: skip
    name = _("dispute ledger") if data["dispute"] else _("petition ledger")
    return ledger_response(
        filename=f"{name}-{timezone.localdate():%Y%m%d}.xlsx",
        sheet=name,
        title=" ".join(
            filter(None, [get_scope(request.user).label, name, _ledger_period(data)])
        ),
        request=request,
        headers=[
            _("recorded at"), _("tracking code"), _("category"), _("source"), _("street"),
            _("community"), _("grid"), _("address"), _("raised by"), _("phone"), _("description"),
            _("households affected"), _("level"), _("status"), _("due"), _("overdue"),
            _("satisfaction"), _("times redone"), _("lead department"), _("resolved at"),
            _("cost (yuan)"), _("public money (yuan)"), _("residents' money (yuan)"),
            _("paying households"),
        ],
        rows=rows,
    )  # fmt: skip


def _detail_queryset(user):
    return Petition.objects.visible_to(user).select_related(
        "category__parent", "grid__community__street", "household__unit__building__compound",
        "household__resident_group", "building__compound", "compound", "department",
        "assignee__official",
    )  # fmt: skip


def _render_detail(request, petition, *, failed=None, status=200):
    """The petition page; `failed` is (verb, bound form) of an action whose input was refused:
    its form is shown open, with what was typed and the errors next to the fields."""
    user = request.user
    # Every caller loaded `petition` through _detail_queryset(user): the user sees it.
    allowed = t.allowed_actions(user, petition, sees=True)
    forms = {verb: ACTIONS[verb].bind(petition, user) for verb in allowed}
    if failed is not None and failed[0] in forms:
        forms[failed[0]] = failed[1]
    context = {
        "petition": petition,
        # A department sees the place, not the household's page (outside its scope).
        "household_link": _opens_household(user, petition),
        "events": petition.events.select_related("actor__official"),
        "actions": [
            (verb, ACTIONS[verb].label, form, failed is not None and failed[0] == verb)
            for verb, form in forms.items()
        ],
        "photos": petition.photos.all(),
        "panels": render_petition_panels(request, petition),
        "resolutions": petition.resolutions.prefetch_related(
            Prefetch(
                "contributions",
                queryset=PetitionContribution.objects.select_related(
                    "household__unit__building__compound", "household__resident_group"
                ).order_by("id"),
            )
        ),
    }
    return render(request, "petitions/petition_detail.html", context, status=status)


def _opens_household(user, petition) -> bool:
    """May `user` open the page of the petition's household? Answered from the scope when the
    household is in the petition's grid (loaded with the petition), else by a query."""
    if not petition.household_id:
        return False
    if petition.household.grid_id == petition.grid_id:
        return reaches(user, petition.grid, "grid")
    return Household.objects.visible_to(user).filter(pk=petition.household_id).exists()


@require_safe
def petition_detail(request, pk):
    petition = get_object_or_404(_detail_queryset(request.user), pk=pk)
    return _render_detail(request, petition)


def _refused(request, petition, verb, form, message):
    """Show the page again with the action's form as typed and the reason in a banner."""
    messages.error(request, message)
    attach_again = photos_to_attach_again(request)
    if attach_again:
        messages.warning(
            request,
            _("Photos are not kept when a form comes back; attach these again:")
            + " "
            + "、".join(attach_again),
        )
    petition = _detail_queryset(request.user).filter(pk=petition.pk).first()  # as it is now
    if petition is None:
        return redirect("petitions:list")
    return _render_detail(request, petition, failed=(verb, form), status=400)


@require_POST
def petition_action(request, pk, action):
    """One transition: scope → the action's form → its service → where the user can look next."""
    petition = get_object_or_404(_detail_queryset(request.user), pk=pk)
    entry = ACTIONS.get(action)
    if entry is None:
        raise Http404
    version = request.POST.get("version", "")
    seen = int(version) if version.isascii() and version.isdigit() and len(version) < 10 else -1
    if seen != petition.version:
        form = entry.bind(petition, request.user, request.POST, request.FILES)
        if t.refusal(request.user, petition, action) is None:
            # Still possible on the petition as it is now: the form comes back as typed.
            return _refused(request, petition, action, form, str(t.CHANGED))
        messages.error(request, str(t.CHANGED))
        if typed := typed_text(form):
            messages.warning(request, _("Not saved: %(text)s") % {"text": typed})
        return redirect("petitions:detail", pk)
    reason = t.refusal(request.user, petition, action)
    if reason is not None:
        messages.error(request, reason)
        return redirect("petitions:detail", pk)
    form = entry.bind(petition, request.user, request.POST, request.FILES)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        return _refused(request, petition, action, form, _("Check what you typed: %(error)s")
                        % {"error": error})  # fmt: skip
    try:
        # The service locks the row and decides on it as it is then, comparing its version
        # with the one the official saw (`seen`, equal to the one just read).
        entry.service(petition, by=request.user, **form.cleaned_data)
    except (t.TransitionError, PhotoStorageError) as error:
        form.add_error(None, error.message)
        return _refused(request, petition, action, form, error.message)
    messages.success(request, _("Done: %(action)s.") % {"action": entry.label})
    if not Petition.objects.visible_to(request.user).filter(pk=pk).exists():
        # Returned by a department, say: the petition has left this user's sight.
        messages.info(request, _("The petition has left your list; it is handled elsewhere now."))
        return redirect("petitions:list")
    return redirect("petitions:detail", pk)


@require_http_methods(["GET", "POST"])
def petition_create(request):
    """Record a petition; a repeat of one opened in the last 30 days is shown before saving.

    A resubmitted form (same idempotency key) shows the petition it saved the first time.
    """
    from ..services.intake import AlreadyRecorded, refuse_resubmission

    if refused := without_area(request):
        return refused
    household = chosen_household(request)
    form = PetitionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        household=household,
        initial={"household": household.pk if household else None},
    )
    repeats = []
    try:
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            # Before looking for repeats: the first submission would be found as one.
            refuse_resubmission(Petition, data["idempotency_key"], created_by=request.user)
            repeats = list(
                possible_repeats(
                    category=data["category"], household=data["household"],
                    building=data["building"], user=request.user,
                )[:5]
            )  # fmt: skip
            choice = request.POST.get("repeat", "")
            if not repeats or choice == "new" or choice.startswith("merge:"):
                into = next((p for p in repeats if choice == f"merge:{p.pk}"), None)
                petition = open_petition(
                    by=request.user, source=data["source"], category=data["category"],
                    description=data["description"], household=data["household"],
                    building=data["building"], resident=data.get("resident"),
                    households_affected=data["households_affected"], urgency=data["urgency"],
                    photos=data["photos"], key=data["idempotency_key"], merge_into=into,
                )  # fmt: skip
                return _petition_saved(request, petition, into)
    except AlreadyRecorded as saved:
        messages.info(request, _("This petition was already saved; it was not saved twice."))
        return redirect("petitions:detail", saved.record.pk)
    except (PhotoStorageError, t.TransitionError) as error:
        form.add_error(None, error.message)
    context = {"form": form, "household": household, "repeats": repeats,
               "attach_again": photos_to_attach_again(request)}  # fmt: skip
    return render(request, "petitions/petition_form.html", context)


def _petition_saved(request, petition, into):
    if into is not None:  # saved and merged, in one transaction
        messages.success(
            request, _("Saved and merged into %(code)s.") % {"code": into.tracking_code}
        )
        return redirect("petitions:detail", into.pk)
    messages.success(
        request,
        _("Petition saved. Its tracking code for the resident: %(code)s")
        % {"code": petition.tracking_code},
    )
    return redirect("petitions:detail", petition.pk)
