"""The activities' sections on other apps' pages: a community's latest activities, and on a
petition's page the place and activity where it was found."""

from grids.panels import community_panel
from petitions.panels import petition_panel

from .models import Activity, Finding, Place

LATEST = 5


@community_panel
def latest_activities(request, community):
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(community=community)
        .order_by("-held_on", "-id")[:LATEST]
    )
    return "activities/_community_activities.html", {
        "community": community,
        "activities": activities,
    }


@petition_panel
def where_found(request, petition):
    """The finding the petition came from, if any (one query), with its place."""
    if petition.source not in Activity.FINDING_SOURCES.values():
        return None  # no query for the petitions no activity opened
    finding = (
        Finding.objects.filter(petition=petition).select_related("place__grid", "activity").first()
    )
    if finding is None:
        return None
    place_visible = Place.objects.visible_to(request.user).filter(pk=finding.place_id).exists()
    return "activities/_petition_place.html", {"finding": finding, "place_link": place_visible}
