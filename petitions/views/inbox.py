"""The official's inbox: notifications (the petitions' and, through `inbox_sources`, the other
casework's), and their petitions due within 24 hours."""

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..inbox_sources import render_sections
from ..models import Notification, Petition
from ..services.inbox import due_soon, mark_all_read, open_notification

UNREAD = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())


@require_safe
def inbox(request):
    notifications = (
        Notification.objects.filter(user=request.user)
        .select_related("petition__category__parent")
        # Unread first, then newest first (ordering by read_at put the read ones oldest first).
        .order_by(UNREAD.desc(), "-created_at")[:100]
    )
    context = {
        "notifications": notifications,
        "due_soon": due_soon(request.user).select_related("category__parent")[:50],
        # The notifications of the apps that share the inbox (disputes), one section each.
        "sections": render_sections(request),
    }
    return render(request, "petitions/inbox.html", context)


@require_POST
def inbox_read(request):
    mark_all_read(request.user)
    return redirect("petitions:inbox")


@require_safe
def notification_open(request, pk):
    """Opening a notification marks it read and shows its petition, if still in sight."""
    notification = open_notification(request.user, pk)
    if Petition.objects.visible_to(request.user).filter(pk=notification.petition_id).exists():
        return redirect("petitions:detail", notification.petition_id)
    messages.info(request, _("The petition has left your list; it is handled elsewhere now."))
    return redirect("petitions:inbox")
