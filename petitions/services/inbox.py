"""Who is told what when a petition moves (the in-app inbox)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from ..models import Notification, Petition

KIND_OF_ACTION = {
    "assign": Notification.Kind.ASSIGNED,
    "dispatch": Notification.Kind.DISPATCHED,
    "supervise": Notification.Kind.SUPERVISED,
    "reopen": Notification.Kind.REOPENED,
    "resolve": Notification.Kind.FOLLOW_UP_DUE,
}


def recipients(petition, action):
    if action == "assign":
        return [petition.assignee] if petition.assignee_id else []
    if action == "dispatch":
        return list(get_user_model().objects.filter(official__department=petition.department_id))
    if action == "resolve":
        # The official who recorded it asks the resident (回访).
        return [petition.created_by]
    return [petition.assignee or petition.created_by]


def notify(petition, action, by):
    """Notify the people concerned by `action` on `petition`, never the one who acted."""
    kind = KIND_OF_ACTION.get(action)
    if kind is None:
        return
    Notification.objects.bulk_create(
        Notification(user=user, petition=petition, kind=kind)
        for user in {u.pk: u for u in recipients(petition, action) if u}.values()
        if user.pk != by.pk
    )


def unread_count(user):
    return Notification.objects.filter(user=user, read_at=None).count()


def due_soon(user):
    """Open petitions the user handles (or their department leads) due within 24 hours."""
    now = timezone.now()
    mine = Q(assignee=user)
    department = getattr(getattr(user, "official", None), "department_id", None)
    if department:
        mine |= Q(department_id=department)
    return (
        Petition.objects.open()
        .filter(mine, due_at__gte=now, due_at__lte=now + timezone.timedelta(hours=24))
        .select_related("category")
        .order_by("due_at")
    )


def mark_all_read(user):
    Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
