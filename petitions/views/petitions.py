"""Petition pages: the list with filters, the detail with its timeline and the actions the
viewer may take now, and one POST endpoint per transition."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from communities.models import Department
from weidu.pagination import page_without_count

from ..models import Category, Petition
from ..services import transitions as t

ACTION_FIELDS = {
    "accept": [], "start": [], "respond": ["note"], "escalate": ["reason"], "return": ["reason"],
    "resolve": ["what_was_done"], "follow_up": ["satisfaction", "comment"], "close": [],
    "reject": ["reason"], "withdraw": ["reason"], "supervise": ["instruction"],
    "dispatch": ["department"],
}  # fmt: skip
SERVICES = {
    "accept": t.accept, "start": t.start_work, "respond": t.respond, "escalate": t.escalate,
    "return": t.return_down, "resolve": t.resolve, "follow_up": t.follow_up, "close": t.close,
    "reject": t.reject, "withdraw": t.withdraw, "supervise": t.supervise, "dispatch": t.dispatch,
}  # fmt: skip


def _filtered(request):
    petitions = Petition.objects.visible_to(request.user)
    params = request.GET
    if params.get("status") in Petition.Status.values:
        petitions = petitions.filter(status=params["status"])
    elif params.get("status") == "open":
        petitions = petitions.open()
    if params.get("level") in Petition.Level.values:
        petitions = petitions.filter(level=params["level"])
    if params.get("category", "").isdigit():
        category = int(params["category"])
        petitions = petitions.filter(Q(category_id=category) | Q(category__parent_id=category))
    if params.get("overdue") == "1":
        petitions = petitions.open().filter(due_at__lt=timezone.now())
    if params.get("mine") == "1":
        petitions = petitions.filter(assignee=request.user)
    return petitions


@require_safe
def petition_list(request):
    petitions = _filtered(request).select_related(
        "category__parent", "grid__community", "household__unit__building__compound",
        "household__resident_group",
    ).order_by("-created_at", "-id")  # fmt: skip
    context = {
        "page": page_without_count(petitions, request.GET.get("page")),
        "statuses": Petition.Status.choices,
        "levels": Petition.Level.choices,
        "categories": Category.objects.filter(parent=None),
        "now": timezone.now(),
    }
    return render(request, "petitions/petition_list.html", context)


@require_safe
def petition_detail(request, pk):
    petition = get_object_or_404(
        Petition.objects.visible_to(request.user).select_related(
            "category__parent", "grid__community__street", "household__unit__building__compound",
            "household__resident_group", "department", "assignee__official",
        ),
        pk=pk,
    )  # fmt: skip
    context = {
        "petition": petition,
        "events": petition.events.select_related("actor__official"),
        "actions": [
            (action, t.ACTION_LABELS[action], ACTION_FIELDS[action])
            for action in t.allowed_actions(request.user, petition)
        ],
        "departments": Department.objects.all() if petition.level == "district" else [],
        "satisfactions": Petition.Satisfaction.choices,
    }
    return render(request, "petitions/petition_detail.html", context)


@require_POST
def petition_action(request, pk, action):
    petition = get_object_or_404(Petition.objects.visible_to(request.user), pk=pk)
    if action not in SERVICES:
        return redirect("petitions:detail", pk)
    # The version the official saw: if someone acted meanwhile, the service refuses.
    version = request.POST.get("version", "")
    petition.version = int(version) if version.isdigit() else -1
    kwargs = {name: request.POST.get(name, "") for name in ACTION_FIELDS[action]}
    if "department" in kwargs:
        kwargs["department"] = Department.objects.filter(pk=kwargs["department"] or 0).first()
        if kwargs["department"] is None:
            messages.error(request, _("Choose a department."))
            return redirect("petitions:detail", pk)
    try:
        SERVICES[action](petition, by=request.user, **kwargs)
    except t.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": t.ACTION_LABELS[action]})
    return redirect("petitions:detail", pk)
