"""The "5+3" roles on the grid page: appoint a holder to a place, end a term, export the roster."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.exports import ledger_response
from communities.models import Community, Grid
from core.forms import IdField, QueryForm, bad_request

from .. import services
from ..forms import RoleAppointForm, RoleEndForm
from ..models import Role, RoleKind
from ..models.roles import SCOPE_OF_KIND
from ..services import PLACE_TYPES, RoleError


def _place_in_grid(request, grid, kind, place_id):
    """The place a role of `kind` would sit on, visible to the user and belonging to `grid`."""
    try:
        kind = RoleKind(kind)
        field = SCOPE_OF_KIND[kind]
    except ValueError:
        raise Http404 from None
    if field == "community":
        return kind, get_object_or_404(
            Community.objects.visible_to(request.user), pk=grid.community_id
        )
    if field == "grid":
        return kind, grid
    model = PLACE_TYPES[field]
    in_grid = {
        "compound": {"buildings__grid": grid},
        "building": {"grid": grid},
        "unit": {"building__grid": grid},
        "resident_group": {"grid": grid},
    }[field]
    place = get_object_or_404(
        model.objects.visible_to(request.user).filter(**in_grid).distinct(), pk=place_id
    )
    return kind, place


class AppointQuery(QueryForm):
    """Which role on which place, from the grid page's links (an unknown kind is a 404 page)."""

    kind = forms.CharField(label=_lazy("role"), required=False, max_length=32)
    place = IdField(label=_lazy("place"))


@require_http_methods(["GET", "POST"])
def role_appoint(request, grid_pk):
    grid = get_object_or_404(
        Grid.objects.visible_to(request.user).select_related("community"), pk=grid_pk
    )
    query = AppointQuery(request.GET)
    if not query.is_valid():
        return bad_request(request, query)
    kind, place = _place_in_grid(
        request, grid, query.cleaned_data["kind"], query.cleaned_data["place"] or 0
    )
    form = RoleAppointForm(request.POST or None, kind=kind, place=place, community=grid.community)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.appoint_role(
                kind=kind,
                place=place,
                by=request.user,
                resident=form.cleaned_data["resident"],
                official=form.cleaned_data.get("official"),
                start_date=form.cleaned_data["start_date"],
            )
        except RoleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is now %(kind)s of %(place)s.")
                % {"name": role.holder.name, "kind": kind.label, "place": place},
            )
            return redirect("grids:grid", grid.pk)
    context = {"grid": grid, "kind": kind, "place": place, "form": form}
    return render(request, "grids/role_appoint.html", context)


class RoleEndRequest(RoleEndForm):
    """The end date, and the grid page to go back to: both read before the term changes."""

    grid = IdField(label=_lazy("grid"))


@require_POST
def role_end(request, pk):
    role = get_object_or_404(
        Role.objects.visible_to(request.user).select_related("resident", "official"), pk=pk
    )
    form = RoleEndRequest(request.POST)
    if "grid" in form.errors:
        # A crafted return address: refused before anything changes.
        return bad_request(request, form)
    grid_pk = form.cleaned_data.get("grid")
    if form.is_valid():
        try:
            services.end_role(role, by=request.user, end_date=form.cleaned_data["end_date"])
        except RoleError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The term of %(name)s as %(kind)s has ended.")
                % {"name": role.holder.name, "kind": role.get_kind_display()},
            )
    else:
        messages.error(request, _("Enter a valid end date."))
    if grid_pk and Grid.objects.visible_to(request.user).filter(pk=grid_pk).exists():
        return redirect("grids:grid", grid_pk)
    return redirect("grids:area_list")


@require_safe
def roster_export(request, pk):
    """The community's current role holders as an Excel roster, phones masked."""
    community = get_object_or_404(Community.objects.visible_to(request.user), pk=pk)
    roles = (
        Role.objects.current()
        .filter(community=community)
        .select_related(
            "resident", "official", "community", "grid__community", "compound",
            "building__compound", "unit__building__compound", "resident_group__community",
        )
        .order_by("kind", "grid__number", "id")
    )  # fmt: skip
    rows = (
        [
            role.get_kind_display(),
            str(role.scope_object),
            role.holder.name,
            role.holder.masked_phone,
            role.start_date,
        ]
        for role in roles.iterator(chunk_size=2000)
    )
    roster = _("5+3 roster")
    return ledger_response(
        filename=f"{community.name}-{roster}.xlsx",
        sheet=roster,
        title=_("5+3 roster of %(community)s") % {"community": community.name},
        request=request,
        headers=[_("role"), _("place"), _("full name"), _("phone"), _("start date")],
        rows=rows,
    )
