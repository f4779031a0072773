"""The official's inbox: notifications, and their petitions due within 24 hours."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from ..models import Notification
from ..services.inbox import due_soon, mark_all_read


@require_safe
def inbox(request):
    notifications = (
        Notification.objects.filter(user=request.user)
        .select_related("petition__category__parent")
        .order_by("read_at", "-created_at")[:100]
    )
    context = {
        "notifications": notifications,
        "due_soon": due_soon(request.user).select_related("category__parent")[:50],
    }
    return render(request, "petitions/inbox.html", context)


@require_POST
def inbox_read(request):
    mark_all_read(request.user)
    return redirect("petitions:inbox")
