"""One meeting: its page (agenda, attendees, minutes), the printable minutes, and one POST per
change; a topic's decision and the petition raised from it have their own pages."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from communities.scoping import area_q
from petitions.models import Petition
from petitions.photos import PhotoStorageError

from .. import services
from ..forms import (
    AgendaForm,
    AttendeesForm,
    DecisionForm,
    MinutesForm,
    RaisePetitionForm,
    TopicForm,
)
from ..models import Attendee, Meeting, MeetingPhoto, Topic


def _meetings(user):
    return Meeting.objects.visible_to(user).select_related(
        "community__street", "grid", "compound", "chair"
    )


def _attendees(meeting):
    return meeting.attendees.select_related(
        "official", "resident", "department", "household__unit__building__compound",
        "household__resident_group",
    )  # fmt: skip


def _topics(meeting):
    return meeting.topics.select_related("petition__category", "raised_petition").prefetch_related(
        "follow_ups__owner"
    )


def _agenda_choices(meeting, user):
    """Open petitions of the meeting's community (those of the user's own grids, for a grid
    worker) not yet on its agenda, newest first."""
    return (
        Petition.objects.open()
        .filter(grid__community_id=meeting.community_id)
        .filter(area_q(user, "grid", "grid"))
        .exclude(meeting_topics__meeting=meeting)
        .select_related("category")
        .order_by("-created_at", "-id")[:30]
    )


def _render_detail(request, meeting, *, failed=None, status=200):
    # Recording attendees has its own page (meeting_attendees): its choices (the officials,
    # residents and units of the community) are read only by whoever records them.
    forms = {
        "add_topic": TopicForm(),
        "record_minutes": MinutesForm(meeting=meeting, initial={
            "minutes": meeting.minutes, "unnamed_residents": meeting.unnamed_residents}),
    }  # fmt: skip
    if failed is not None:
        forms[failed[0]] = failed[1]
    context = {
        "meeting": meeting,
        "attendees": _attendees(meeting),
        "topics": _topics(meeting),
        "photos": meeting.photos.all(),
        "agenda_choices": _agenda_choices(meeting, request.user),
        "forms": forms,
        "failed": failed[0] if failed else "",
        "editable": meeting.status != Meeting.Status.CANCELLED,
        # Minutes and decisions wait for the meeting's day (services.NOT_YET otherwise).
        "recordable": meeting.status != Meeting.Status.CANCELLED and meeting.has_come,
        "not_yet": services.NOT_YET,
    }
    return render(request, "meetings/meeting_detail.html", context, status=status)


@require_safe
def meeting_detail(request, pk):
    return _render_detail(request, get_object_or_404(_meetings(request.user), pk=pk))


@require_safe
def meeting_attendees(request, pk):
    """Record who came: the officials, residents and units of the community to tick."""
    meeting = get_object_or_404(_meetings(request.user), pk=pk)
    if meeting.status == Meeting.Status.CANCELLED:
        return redirect("meetings:detail", meeting.pk)
    return _render_attendees(request, meeting, AttendeesForm(meeting=meeting))


def _render_attendees(request, meeting, form, status=200):
    context = {"meeting": meeting, "attendees": _attendees(meeting), "form": form}
    return render(request, "meetings/meeting_attendees.html", context, status=status)


@require_safe
def meeting_minutes(request, pk):
    """The minutes for printing on A4 (纪要): who came, what was decided, who does what by when."""
    meeting = get_object_or_404(_meetings(request.user), pk=pk)
    attendees = list(_attendees(meeting))
    context = {
        "meeting": meeting,
        "attendees": attendees,
        "people": sum(a.headcount for a in attendees) + meeting.unnamed_residents,
        "topics": _topics(meeting),
        "photos": meeting.photos.all(),
    }
    return render(request, "meetings/meeting_minutes.html", context)


@dataclass(frozen=True)
class Change:
    """One change of the meeting page: its form (None: no input) and its service call."""

    label: str
    form: type | None
    call: object


def _agenda(meeting, request, data):
    petition = get_object_or_404(Petition.objects.visible_to(request.user), pk=data["petition"])
    return services.put_on_agenda(meeting, by=request.user, petition=petition)


CHANGES = {
    "add_topic": Change(
        gettext_lazy("Add a topic"), TopicForm,
        lambda m, request, data: services.add_topic(m, by=request.user, **data),
    ),
    "put_on_agenda": Change(gettext_lazy("Put on the agenda"), AgendaForm, _agenda),
    "add_attendees": Change(
        gettext_lazy("Record attendees"), AttendeesForm,
        lambda m, request, data: services.add_attendees(m, by=request.user, **{
            **data, "headcount": data["headcount"] or 1}),
    ),
    "record_minutes": Change(
        gettext_lazy("Save the minutes"), MinutesForm,
        lambda m, request, data: services.record_minutes(m, by=request.user, **data),
    ),
    "cancel": Change(
        gettext_lazy("Cancel the meeting"), None,
        lambda m, request, data: services.cancel_meeting(m, by=request.user),
    ),
}  # fmt: skip
_NEEDS_MEETING = ("add_attendees", "record_minutes")


@require_POST
def meeting_change(request, pk, action):
    """scope → the change's form → its service → back to the meeting (or the petition page a
    "put on the agenda" button was pressed on)."""
    meeting = get_object_or_404(_meetings(request.user), pk=pk)
    change = CHANGES.get(action)
    if change is None:
        raise Http404
    data, form = {}, None
    if change.form is not None:
        extra = {"meeting": meeting} if action in _NEEDS_MEETING else {}
        form = change.form(request.POST, request.FILES, **extra)
        if not form.is_valid():
            messages.error(request, _("Check what you typed."))
            return _back_with(request, meeting, action, form)
        data = form.cleaned_data
    try:
        change.call(meeting, request, data)
    except (services.MeetingError, PhotoStorageError) as error:
        messages.error(request, error.message)
        if form is not None:
            form.add_error(None, error.message)
        return _back_with(request, meeting, action, form)
    messages.success(request, _("Done: %(action)s.") % {"action": change.label})
    if action == "put_on_agenda" and request.POST.get("back") == "petition":
        return redirect("petitions:detail", data["petition"])
    return redirect("meetings:detail", meeting.pk)


def _back_with(request, meeting, action, form):
    if action == "put_on_agenda" and request.POST.get("back") == "petition" and form is not None:
        petition = form.cleaned_data.get("petition") if hasattr(form, "cleaned_data") else None
        if petition and Petition.objects.visible_to(request.user).filter(pk=petition).exists():
            return redirect("petitions:detail", petition)
    if action == "add_attendees" and form is not None:
        return _render_attendees(request, meeting, form, status=400)
    failed = (action, form) if form is not None and action in ("add_topic", "record_minutes") \
        else None  # fmt: skip
    return _render_detail(request, meeting, failed=failed, status=400)


@require_POST
def attendee_remove(request, pk):
    visible = Meeting.objects.visible_to(request.user)
    attendee = get_object_or_404(Attendee.objects.select_related("meeting"), pk=pk,
                                 meeting__in=visible)  # fmt: skip
    try:
        services.remove_attendee(attendee, by=request.user)
    except services.MeetingError as error:
        messages.error(request, error.message)
    return redirect("meetings:detail", attendee.meeting_id)


def _topic(request, pk):
    visible = Meeting.objects.visible_to(request.user)
    return get_object_or_404(
        Topic.objects.select_related("meeting__community__street", "petition__category"),
        pk=pk, meeting__in=visible,
    )  # fmt: skip


def _topic_page(request, topic, form, *, title, status=200):
    context = {"topic": topic, "meeting": topic.meeting, "form": form, "title": title}
    return render(request, "meetings/topic_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def topic_decide(request, pk):
    """Record a topic's decision, how it was decided and a follow-up action."""
    topic = _topic(request, pk)
    form = DecisionForm(request.POST or None, meeting=topic.meeting)
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items()
                    if k not in ("action", "owner", "owner_name", "due")}  # fmt: skip
            try:
                services.decide_topic(topic, by=request.user, follow_ups=form.follow_ups, **data)
            except services.MeetingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The decision is recorded."))
                return redirect("meetings:detail", topic.meeting_id)
        return _topic_page(request, topic, form, title=_("Record the decision"), status=400)
    return _topic_page(request, topic, form, title=_("Record the decision"))


@require_http_methods(["GET", "POST"])
def topic_raise_petition(request, pk):
    """Open a petition for what the topic's decision asks to be done."""
    topic = _topic(request, pk)
    form = RaisePetitionForm(
        request.POST or None, meeting=topic.meeting, user=request.user,
        initial={"description": topic.decision or topic.title},
    )  # fmt: skip
    title = _("Raise a petition from this topic")
    if request.method == "POST":
        if form.is_valid():
            try:
                petition = services.raise_petition(topic, by=request.user, **form.cleaned_data)
            except (services.MeetingError, PhotoStorageError) as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Petition %(code)s raised.")
                                 % {"code": petition.tracking_code})  # fmt: skip
                return redirect("petitions:detail", petition.pk)
        return _topic_page(request, topic, form, title=title, status=400)
    return _topic_page(request, topic, form, title=title)


@require_safe
def meeting_photo(request, pk, size):
    visible = Meeting.objects.visible_to(request.user)
    photo = get_object_or_404(MeetingPhoto, pk=pk, meeting__in=visible)
    file = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
