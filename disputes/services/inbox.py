"""Who is told what when a dispute moves (the in-app inbox, as petitions.services.inbox)."""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.scoping import serving_q
from petitions.inbox_sources import InboxSource

from ..models import DisputeNotification

KIND_OF_ACTION = {
    "escalate": DisputeNotification.Kind.ESCALATED,
    "return": DisputeNotification.Kind.RETURNED,
    "mediate": None,  # decided by the outcome below
}


def serving(dispute, level):
    """The officials whose own area is the dispute's place at `level`."""
    place = serving_q(dispute.grid, level)
    return list(get_user_model().objects.filter(place, is_active=True).distinct())


def _what(dispute, action):
    """(kind, recipients) of `action`, or None when nobody is told."""
    if action in ("escalate", "return"):
        return KIND_OF_ACTION[action], serving(dispute, dispute.level)
    if action == "mediate" and dispute.status == "agreed":
        # The grid that recorded it asks about the agreement's performance a month later.
        return DisputeNotification.Kind.FOLLOW_UP_DUE, [dispute.created_by]
    if action in ("mediate", "follow_up") and dispute.status == "failed":
        return DisputeNotification.Kind.FAILED, [dispute.assignee, dispute.created_by]
    return None


def notify(dispute, action, by):
    """Notify the people concerned by `action` on `dispute`, never the one who acted; the one
    who acted has seen it: their own unread notifications of it are read now."""
    DisputeNotification.objects.filter(user=by, dispute=dispute, read_at=None).update(
        read_at=timezone.now()
    )
    what = _what(dispute, action)
    if what is None:
        return
    kind, users = what
    DisputeNotification.objects.bulk_create(
        DisputeNotification(user=user, dispute=dispute, kind=kind)
        for user in {u.pk: u for u in users if u}.values()
        if user.pk != by.pk
    )


def unread(user):
    return DisputeNotification.objects.filter(user=user, read_at=None).select_related(
        "dispute__kind"
    )


def open_notification(user, pk):
    """The user's notification `pk`, marked read (404 for anyone else's)."""
    notification = get_object_or_404(DisputeNotification, user=user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user):
    DisputeNotification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())


def inbox_section(request):
    """The disputes' section of the official's one inbox: unread first, then newest (one
    query); nothing when the user never had a dispute notification."""
    notifications = list(
        DisputeNotification.objects.filter(user=request.user)
        .select_related("dispute__kind")
        .order_by(F("read_at").desc(nulls_first=True), "-created_at", "-id")[:100]
    )
    if not notifications:
        return None
    return "disputes/_inbox_section.html", {"notifications": notifications}


INBOX = InboxSource(
    model=DisputeNotification,
    section=inbox_section,
    mark_all_read=mark_all_read,
)
