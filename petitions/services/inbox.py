"""Who is told what when a petition moves (the in-app inbox)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from communities.scoping import serving_q

from .. import inbox_sources
from ..models import Notification, Petition

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User
    from django.db.models import QuerySet

KIND_OF_ACTION = {
    "assign": Notification.Kind.ASSIGNED,
    "dispatch": Notification.Kind.DISPATCHED,
    "supervise": Notification.Kind.SUPERVISED,
    "reopen": Notification.Kind.REOPENED,
    "resolve": Notification.Kind.FOLLOW_UP_DUE,
    "escalate": Notification.Kind.ESCALATED,
    "return": Notification.Kind.RETURNED,
    # 督办 grades (by the clock or by hand), 领导批示, street coordination, the ledger.
    "grade_yellow": Notification.Kind.YELLOW_CARD,
    "grade_red": Notification.Kind.RED_CARD,
    "instruct": Notification.Kind.INSTRUCTION,
    "coordinate": Notification.Kind.COORDINATED,
    "put_on_ledger": Notification.Kind.LEDGER,
}
# Told to whoever handles the petition now.
TO_THE_HANDLER = ("supervise", "grade_yellow", "grade_red", "instruct")


def serving(petition: Petition, level: str) -> list[User]:
    """The officials whose own area is the petition's place at `level` (the grid for a
    compound-level petition, its community, its street, the district's organizers): those who
    take it up at that level."""
    area_level = "grid" if level == "compound" else level
    place = serving_q(petition.grid, area_level)
    return list(get_user_model().objects.filter(place, is_active=True).distinct())


def handlers(petition):
    """Who handles the petition now: its handler; else the lead department's staff; else
    those serving the place at its level (who take it up)."""
    if petition.assignee_id:
        return [petition.assignee]
    if petition.department_id:
        return list(
            get_user_model().objects.filter(
                official__department=petition.department_id, is_active=True
            )
        )
    return serving(petition, petition.level)


def recipients(petition: Petition, action: str) -> list[User]:
    """Who is told of `action` on `petition` (the inbox's rules, docs/petition-states.md)."""
    if action in ("escalate", "return"):
        # The level it now stands at: one up after 上报, one down after 退回, and the district's
        # organizers when a department hands a petition back (its level stays the district).
        return serving(petition, petition.level)
    if action == "assign":
        return [petition.assignee] if petition.assignee_id else []
    if action == "dispatch":
        return list(get_user_model().objects.filter(official__department=petition.department_id))
    if action in TO_THE_HANDLER:
        return handlers(petition)
    if action == "coordinate":
        return list(
            get_user_model().objects.filter(
                official__department__in=petition.assisting_departments.all(), is_active=True
            )
        )
    if action == "put_on_ledger":
        return list(
            get_user_model().objects.filter(
                official__department=petition.ledger_owner_id, is_active=True
            )
        )
    if action == "resolve":
        # The official who recorded it asks the resident (回访).
        return [petition.created_by]
    return [petition.assignee or petition.created_by]


def notify(petition: Petition, action: str, by: User) -> None:
    """Notify the people concerned by `action` on `petition`, never the one who acted; the one
    who acted has seen it: their own unread notifications of it are read now."""
    Notification.objects.filter(user=by, petition=petition, read_at=None).update(
        read_at=timezone.now()
    )
    if action == "raise_grade":  # by hand or by the clock: told as the card it gave
        action = f"grade_{petition.supervision_grade}"
    kind = KIND_OF_ACTION.get(action)
    if kind is None:
        return
    Notification.objects.bulk_create(
        Notification(user=user, petition=petition, kind=kind)
        for user in {u.pk: u for u in recipients(petition, action) if u}.values()
        if user.pk != by.pk
    )


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the badge), those of the apps that
    share the inbox (`inbox_sources`) included: one query."""
    return inbox_sources.unread_count(Notification, user)


def due_soon(user: User) -> QuerySet[Petition]:
    """Open petitions the user handles (or their department leads) due within 24 hours."""
    mine = Q(assignee=user)
    department = getattr(getattr(user, "official", None), "department_id", None)
    if department:
        mine |= Q(department_id=department)
    return Petition.objects.due_soon().filter(mine).select_related("category").order_by("due_at")


def open_notification(user: User, pk: int) -> Notification:
    """The user's notification `pk`, marked read (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    notification = get_object_or_404(Notification, user=user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user: User) -> None:
    """Mark every unread notification of the user read, now (the other apps' too)."""
    Notification.objects.filter(user=user, read_at=None).update(read_at=timezone.now())
    inbox_sources.mark_all_read(user)
