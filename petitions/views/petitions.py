"""Petition pages: the list with filters, the detail with its timeline and the actions the
viewer may take now, and one POST endpoint per transition."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.models import Community, Department, Grid, Street
from communities.scoping import get_scope
from grids.models import Household
from weidu.excel import ledger_response
from weidu.forms import IdField, PageField, QueryForm, bad_request
from weidu.pagination import page_without_count

from ..forms import PetitionForm, PhotosField
from ..models import Category, Petition
from ..periods import CHOICES, period_from
from ..services import transitions as t
from ..services.intake import open_petition, possible_repeats
from .common import chosen_household

ACTION_FIELDS = {
    "accept": [], "start": [], "respond": ["note"], "escalate": ["reason"],
    "return": ["code", "reason"],
    "resolve": ["what_was_done", "cost", "public_money", "contributions"],
    "follow_up": ["satisfaction", "comment"], "close": [], "reject": ["reason"],
    "withdraw": ["reason"], "supervise": ["instruction"], "dispatch": ["department"],
    "assign": ["assignee", "due"], "merge": ["into"], "request_extension": ["until", "reason"],
    "decide_extension": ["approve"], "add_assisting": ["department"], "record_part": ["part"],
    "put_on_ledger": ["owner", "target"], "sign_off": [],
}  # fmt: skip
SERVICES = {
    "accept": t.accept, "start": t.start_work, "respond": t.respond, "escalate": t.escalate,
    "return": t.return_down, "resolve": t.resolve, "follow_up": t.follow_up, "close": t.close,
    "reject": t.reject, "withdraw": t.withdraw, "supervise": t.supervise, "dispatch": t.dispatch,
    "assign": t.assign, "merge": t.merge, "request_extension": t.request_extension,
    "decide_extension": t.decide_extension, "add_assisting": t.add_assisting,
    "record_part": t.record_part, "put_on_ledger": t.put_on_ledger, "sign_off": t.sign_off,
}  # fmt: skip


class BadInput(Exception):
    pass


def _parse(request, name, petition):
    """One posted field as the service wants it; BadInput with a message when it is not."""
    raw = request.POST.get(name, "").replace("\x00", "").strip()
    if name in ("department", "owner"):
        department = Department.objects.filter(pk=int(raw) if raw.isdigit() else 0).first()
        if department is None:
            raise BadInput(_("Choose a department."))
        return department
    if name == "assignee":
        user = handler_choices(petition).filter(pk=int(raw) if raw.isdigit() else 0).first()
        if user is None:
            raise BadInput(_("Choose an official."))
        return user
    if name in ("due", "until"):
        if not raw and name == "due":
            return None
        value = parse_datetime(raw) if raw else None
        if value is None:
            raise BadInput(_("Enter a date and time."))
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    if name == "target":
        value = parse_date(raw) if raw else None
        if value is None:
            raise BadInput(_("Enter a date."))
        return value
    if name in ("cost", "public_money"):
        if not raw:
            return None
        try:
            return Decimal(raw)
        except InvalidOperation:
            raise BadInput(_("Enter an amount in yuan.")) from None
    if name == "approve":
        return raw == "1"
    if name == "contributions":
        return _contributions(raw, petition)
    if name == "into":
        into = Petition.objects.visible_to(request.user).filter(tracking_code=raw.upper()).first()
        if into is None:
            raise BadInput(_("No petition in your area has this tracking code."))
        return into
    return raw[:4000]


def _contributions(text, petition):
    """Lines of "room amount" (or "building-unit-room amount"), one paying household each,
    found in the petition's building or compound."""
    households = Household.objects.filter(
        Q(unit__building=petition.building_id) if petition.building_id
        else Q(unit__building__compound=petition.compound_id)
    ).select_related("unit__building")  # fmt: skip
    pairs = []
    for number, line in enumerate(filter(None, (x.strip() for x in text.splitlines())), start=1):
        place, _sep, amount = line.rpartition(" ")
        try:
            amount = Decimal(amount)
        except InvalidOperation:
            raise BadInput(
                _("Contribution line %(n)d: write a room and an amount.") % {"n": number}
            ) from None
        match = [h for h in households if place.strip() in (h.room, _short_address(h))]
        if len(match) != 1:
            raise BadInput(_("Contribution line %(n)d: no single household “%(place)s” here.")
                           % {"n": number, "place": place.strip()})  # fmt: skip
        pairs.append((match[0], amount))
    return pairs


def _short_address(household):
    """6-2-301 for 6号楼 2单元 301."""
    unit = household.unit
    building = "".join(c for c in unit.building.name if c.isdigit())
    return f"{building}-{''.join(c for c in unit.name if c.isdigit())}-{household.room}"


def handler_choices(petition):
    """Officials who serve the petition's grid, community or street (to assign it to)."""
    from django.contrib.auth import get_user_model

    grid = petition.grid
    return (
        get_user_model()
        .objects.filter(
            Q(official__scopes__grid=grid)
            | Q(official__scopes__community=grid.community_id)
            | Q(official__scopes__street=grid.community.street_id)
        )
        .select_related("official")
        .distinct()
        .order_by("official__name")
    )


AREA_FILTERS = (
    ("street", "grid__community__street_id"),
    ("community", "grid__community_id"),
    ("grid", "grid_id"),
)
SORTS = {"new": ("-created_at", "-id"), "old": ("created_at", "id"), "due": ("due_at", "id")}
_FLAG = [("1", "1")]


class ListFilters(QueryForm):
    """The list's (and its ledger's) filters, every one optional and bounded."""

    status = forms.ChoiceField(
        label=_lazy("status"), required=False,
        choices=[("open", "open"), *Petition.Status.choices],
    )  # fmt: skip
    level = forms.ChoiceField(label=_lazy("level"), required=False, choices=Petition.Level.choices)
    street = IdField(label=_lazy("street"))
    community = IdField(label=_lazy("community"))
    grid = IdField(label=_lazy("grid"))
    category = IdField(label=_lazy("category"))
    dispute = forms.ChoiceField(required=False, choices=_FLAG)
    supervised = forms.ChoiceField(required=False, choices=_FLAG)
    overdue = forms.ChoiceField(label=_lazy("overdue"), required=False, choices=_FLAG)
    mine = forms.ChoiceField(required=False, choices=_FLAG)
    department = forms.ChoiceField(required=False, choices=_FLAG)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS])
    page = PageField()

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
    for name, lookup in AREA_FILTERS:
        if filters[name]:
            petitions = petitions.filter(**{lookup: filters[name]})
    if filters["category"]:
        category = filters["category"]
        petitions = petitions.filter(Q(category_id=category) | Q(category__parent_id=category))
    if filters["dispute"]:
        petitions = petitions.filter(
            Q(category__is_dispute=True) | Q(category__parent__is_dispute=True)
        )
    if filters["supervised"]:
        petitions = petitions.open().filter(supervised_at__isnull=False)
    if filters["overdue"]:
        petitions = petitions.open().filter(due_at__lt=timezone.now())
    if filters["mine"]:
        petitions = petitions.filter(assignee=user)
    department = get_scope(user).department_id
    if filters["department"] and department:
        petitions = petitions.filter(department_id=department)
    if filters.get("period"):
        first, after = filters["period"].bounds
        petitions = petitions.filter(created_at__gte=first, created_at__lt=after)
    return petitions.order_by(*SORTS[filters["sort"] or "new"])


def _ledger_period(filters):
    period = filters.get("period")
    return f"{period.start} – {period.end}" if period else ""


def _with_places(petitions):
    return petitions.select_related(
        "category__parent", "grid__community__street", "household__unit__building__compound",
        "household__resident_group", "resident",
    )  # fmt: skip


def _area_choices(user, filters):
    """The street, community and grid filters as (id, label) pairs, narrowing like a cascade.

    A district has hundreds of communities and thousands of grids: communities are offered
    once a street is chosen (or when the user serves one street at most), grids once a
    community is chosen (or when the user serves one community at most).
    """
    chosen = {name: filters[name] for name, _lookup in AREA_FILTERS}
    streets = list(Street.objects.visible_to(user).values_list("pk", "name"))
    communities = Community.objects.visible_to(user)
    if chosen["street"]:
        communities = communities.filter(street_id=chosen["street"])
    elif len(streets) > 1:
        communities = communities.none()
    communities = list(communities.values_list("pk", "name"))
    grids = Grid.objects.visible_to(user)
    if chosen["community"]:
        grids = grids.filter(community_id=chosen["community"])
    elif len(communities) > 1 or len(streets) > 1:
        grids = grids.none()
    return {
        "streets": streets,
        "communities": communities,
        "grids": list(grids.values_list("pk", "name")),
        "chosen": chosen,
    }


@require_safe
def petition_list(request):
    filters = ListFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    context = {
        "page": page_without_count(_with_places(_filtered(request.user, data)), data["page"]),
        "statuses": Petition.Status.choices,
        "levels": Petition.Level.choices,
        "categories": Category.objects.filter(parent=None),
        **_area_choices(request.user, data),
        "periods": CHOICES,
        "query": request.GET.urlencode(),
    }
    return render(request, "petitions/petition_list.html", context)


@require_safe
def petition_ledger(request):
    """The petition ledger (诉求台账; 矛盾纠纷台账 with dispute=1) of the filtered list, masked."""
    filters = ListFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    petitions = _with_places(_filtered(request.user, data))
    rows = (
        [
            timezone.localtime(p.created_at).strftime("%Y-%m-%d %H:%M"), p.tracking_code,
            str(p.category), p.get_source_display(), p.grid.community.street.name,
            p.grid.community.name, p.grid.name,
            p.household.address if p.household else "", p.resident.name if p.resident else "",
            p.resident.masked_phone if p.resident else "", p.description, p.households_affected,
            p.get_level_display(), p.get_status_display(),
            timezone.localtime(p.due_at).strftime("%Y-%m-%d %H:%M") if p.due_at else "",
            _("yes") if p.is_overdue() else "", p.get_satisfaction_display(), p.reopen_count,
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
            _("satisfaction"), _("times redone"),
        ],
        rows=rows,
    )  # fmt: skip


@require_safe
def petition_detail(request, pk):
    petition = get_object_or_404(
        Petition.objects.visible_to(request.user).select_related(
            "category__parent", "grid__community__street", "household__unit__building__compound",
            "household__resident_group", "department", "assignee__official",
        ),
        pk=pk,
    )  # fmt: skip
    context = {
        "petition": petition,
        "events": petition.events.select_related("actor__official"),
        "actions": [
            (action, t.ACTION_LABELS[action], ACTION_FIELDS[action])
            for action in t.allowed_actions(request.user, petition)
        ],
        "departments": Department.objects.all() if petition.level == "district" else [],
        "satisfactions": Petition.Satisfaction.choices,
        "return_reasons": Petition.ReturnReason.choices,
        "handlers": handler_choices(petition),
        "photos": petition.photos.all(),
    }
    return render(request, "petitions/petition_detail.html", context)


@require_POST
def petition_action(request, pk, action):
    petition = get_object_or_404(Petition.objects.visible_to(request.user), pk=pk)
    if action not in SERVICES:
        return redirect("petitions:detail", pk)
    # The version the official saw: if someone acted meanwhile, the service refuses.
    version = request.POST.get("version", "")
    petition.version = int(version) if version.isdigit() else -1
    try:
        kwargs = {name: _parse(request, name, petition) for name in ACTION_FIELDS[action]}
    except BadInput as error:
        messages.error(request, str(error))
        return redirect("petitions:detail", pk)
    if action == "resolve":
        try:
            kwargs["photos"] = PhotosField(required=False).clean(request.FILES.getlist("photos"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("petitions:detail", pk)
    try:
        SERVICES[action](petition, by=request.user, **kwargs)
    except t.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": t.ACTION_LABELS[action]})
    return redirect("petitions:detail", pk)


@require_http_methods(["GET", "POST"])
def petition_create(request):
    """Record a petition; a repeat of one opened in the last 30 days is shown before saving."""
    household = chosen_household(request)
    form = PetitionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        household=household,
        initial={"household": household.pk if household else None},
    )
    repeats = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        repeats = list(
            possible_repeats(
                category=data["category"], household=data["household"],
                building=data["building"], user=request.user,
            )[:5]
        )  # fmt: skip
        choice = request.POST.get("repeat", "")
        if not repeats or choice == "new" or choice.startswith("merge:"):
            petition = open_petition(
                by=request.user, source=data["source"], category=data["category"],
                description=data["description"], household=data["household"],
                building=data["building"], resident=data.get("resident"),
                households_affected=data["households_affected"], urgency=data["urgency"],
                photos=data["photos"],
            )  # fmt: skip
            into = next((p for p in repeats if choice == f"merge:{p.pk}"), None)
            if into is not None:
                t.merge(petition, by=request.user, into=into, note=_("Repeat petition (重复诉求)."))
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
    return render(
        request, "petitions/petition_form.html",
        {"form": form, "household": household, "repeats": repeats},
    )  # fmt: skip
