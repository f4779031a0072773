"""Service teams (党员服务队, 志愿者队伍, 联防联控队, 巡逻队): the list, a team with its members and
activities, founding a team."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ..forms import TeamForm
from ..models import ServiceTeam, TeamMember
from ..services import found_team
from .common import chosen_community, communities_of


@require_safe
def team_list(request):
    teams = (
        ServiceTeam.objects.visible_to(request.user)
        .select_related("community", "grid")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(
            Prefetch(
                "members", queryset=TeamMember.objects.filter(is_leader=True), to_attr="leaders"
            )
        )
        .order_by("community__code", "kind", "name")[:500]
    )
    return render(request, "activities/team_list.html", {"teams": teams})


@require_safe
def team_detail(request, pk):
    team = get_object_or_404(
        ServiceTeam.objects.visible_to(request.user).select_related("community", "grid"), pk=pk
    )
    context = {
        "team": team,
        "members": team.members.all(),
        "activities": team.activities.order_by("-held_on", "-id")[:50],
    }
    return render(request, "activities/team_detail.html", context)


@require_http_methods(["GET", "POST"])
def team_create(request):
    community = chosen_community(request)
    if community is None:
        return render(
            request, "activities/community_choice.html",
            {"communities": communities_of(request.user), "next": "activities:team_create"},
        )  # fmt: skip
    form = TeamForm(request.POST or None, user=request.user, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            team = found_team(by=request.user, community=community, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages[0] if hasattr(error, "messages") else str(error))
        else:
            messages.success(request, _("Team %(name)s founded.") % {"name": team.name})
            return redirect(team)
    return render(request, "activities/team_form.html", {"form": form, "community": community})
