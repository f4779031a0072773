"""What meetings add to the pages of the apps below: on a petition's page, the meetings that took
it up and a button to put it on an upcoming meeting's agenda; on a community's page, its next
议事日."""

import datetime

from django.utils import timezone

from grids.panels import community_panel
from petitions.panels import petition_panel

from .models import Kind, Meeting, Topic


def upcoming(user, community_id, *, since=None):
    """Scheduled meetings of a community starting from `since` (now) on, that `user` may see."""
    return (
        Meeting.objects.visible_to(user)
        .filter(
            community_id=community_id,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=since or timezone.now(),
        )
        .order_by("starts_at", "id")
    )


@petition_panel
def petition_meetings(request, petition):
    visible = Meeting.objects.visible_to(request.user)
    topics = list(
        Topic.objects.filter(petition=petition, meeting__in=visible)
        .select_related("meeting")
        .order_by("meeting__starts_at", "id")
    )
    meetings = []
    if petition.is_open:
        on_agenda = {t.meeting_id for t in topics}
        # A meeting still scheduled takes topics until the day after it began (it is being held).
        since = timezone.now() - datetime.timedelta(days=1)
        next_ones = upcoming(request.user, petition.grid.community_id, since=since)[:5]
        meetings = [m for m in next_ones if m.pk not in on_agenda]
    if not topics and not meetings:
        return None
    return "meetings/_petition_panel.html", {
        "petition": petition,
        "topics": topics,
        "meetings": meetings,
    }


@community_panel
def next_deliberation_day(request, community):
    meeting = (
        upcoming(request.user, community.pk)
        .filter(kind=Kind.DELIBERATION_DAY)
        .select_related("chair")
        .first()
    )
    return "meetings/_community_panel.html", {"community": community, "next_meeting": meeting}
