"""Registry pages: communities, grids, households, resident search, reveal, export.

Every object comes through `visible_to(request.user)`: outside one's scope is 404.
"""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from communities.models import Assignment, Community, Grid, OfficialScope
from jobs.exports import export_as_job

from .. import registry_export
from ..chain import community_vacancies, grid_chain
from ..models import Building, Household, Resident, RevealLog
from ..panels import render_community_panels, render_household_panels
from ..party_tree import grid_branch, party_tree
from ..search import search_residents, search_text


@require_safe
def area_list(request):
    """The communities (or, for grid workers, the grids) the user serves."""
    communities = (
        Community.objects.visible_to(request.user)
        .select_related("street")
        .annotate(grid_count=Count("grids", distinct=True))
        .order_by("street__code", "code")
    )
    grids = (
        Grid.objects.visible_to(request.user)
        .exclude(community__in=communities)
        .select_related("community__street")
    )
    return render(request, "grids/area_list.html", {"communities": communities, "grids": grids})


@require_safe
def community_detail(request, pk):
    community = get_object_or_404(
        Community.objects.visible_to(request.user).select_related("street"), pk=pk
    )
    grids = community.grids.annotate(household_count=Count("households"))
    compounds = community.compounds.annotate(
        building_count=Count("buildings", distinct=True),
        household_count=Count("buildings__units__households"),
    )
    resident_groups = community.resident_groups.select_related("grid").annotate(
        household_count=Count("households")
    )
    first_secretaries = (
        Assignment.objects.current()
        .first_secretaries()
        .filter(community=community)
        .select_related("official", "department")
    )
    sponsorships = community.sponsorships.select_related("department", "compound")
    context = {
        "party_organizations": party_tree(community),
        "vacancies": community_vacancies(community),
        "community": community,
        "grids": grids,
        "compounds": compounds,
        "resident_groups": resident_groups,
        "first_secretaries": first_secretaries,
        "sponsorships": sponsorships,
        "panels": render_community_panels(request, community),
    }
    return render(request, "grids/community_detail.html", context)


@require_safe
def grid_detail(request, pk):
    grid = get_object_or_404(
        Grid.objects.visible_to(request.user).select_related("community__street"), pk=pk
    )
    first_secretaries = (
        Assignment.objects.current()
        .first_secretaries()
        .filter(grid=grid)
        .select_related("official", "department")
    )
    grid_workers = OfficialScope.objects.filter(grid=grid).select_related("official")
    context = {
        "grid": grid,
        "community": grid.community,
        "chain": grid_chain(grid),
        "branch": grid_branch(grid),
        "first_secretaries": first_secretaries,
        "grid_workers": grid_workers,
        "can_see_community": Community.objects.visible_to(request.user)
        .filter(pk=grid.community_id)
        .exists(),
    }
    return render(request, "grids/grid_detail.html", context)


@require_safe
def building_detail(request, pk):
    building = get_object_or_404(
        Building.objects.visible_to(request.user).select_related(
            "compound", "grid__community__street"
        ),
        pk=pk,
    )
    heads = Resident.objects.filter(relation=Resident.Relation.HEAD, status=Resident.Status.LIVING)
    units = building.units.prefetch_related(
        Prefetch(
            "households",
            queryset=Household.objects.order_by("room").prefetch_related(
                Prefetch("residents", queryset=heads, to_attr="heads")
            ),
        )
    )
    return render(request, "grids/building_detail.html", {"building": building, "units": units})


def _household_context(request, pk, revealed=None):
    household = get_object_or_404(
        Household.objects.visible_to(request.user).select_related(
            "grid__community__street", "unit__building__compound", "resident_group"
        ),
        pk=pk,
    )
    residents = household.residents.prefetch_related(Prefetch("tags", to_attr="tag_list")).order_by(
        "status", "id"
    )
    return {
        "household": household,
        "residents": residents,
        "revealed": revealed or {},
        "panels": render_household_panels(request, household),
    }


@require_safe
def household_detail(request, pk):
    return render(request, "grids/household_detail.html", _household_context(request, pk))


@never_cache
@require_POST
def resident_reveal(request, pk, field):
    """Show one resident's full phone or ID number to an official whose scope covers them.

    Every reveal is logged (who, whose, which number, when) for the organizers to read.
    """
    resident = get_object_or_404(Resident.objects.visible_to(request.user), pk=pk)
    RevealLog.objects.create(user=request.user, resident=resident, field=field)
    context = _household_context(
        request, resident.household_id, revealed={(resident.pk, field): getattr(resident, field)}
    )
    return render(request, "grids/household_detail.html", context)


@require_safe
def resident_search(request):
    query = search_text(request.GET)
    results = search_residents(request.user, query) if query else []
    template = (
        "grids/_search_results.html"
        if request.headers.get("X-Requested-With") == "fetch"
        else "grids/resident_search.html"
    )
    return render(request, template, {"query": query, "results": results})


@require_safe
def registry_export_view(request, level, pk):
    """The registry of a community or grid as an Excel file, personal data masked."""
    model = Community if level == "community" else Grid
    area = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    # The residents joined to their households' grids, not "household in (a subquery)": the
    # planner joined all of a district's residents before applying that subquery (5 s for one
    # grid's 600 residents at district size; 0.1 s so).
    residents = Resident.objects.visible_to(request.user).filter(
        Q(household__grid__community=area) if level == "community" else Q(household__grid=area)
    )
    title = gettext("Registry of %(area)s") % {"area": area}
    if job_page := export_as_job(request, residents, title=title):
        return job_page
    return registry_export.registry_response(residents, area=area, request=request)
