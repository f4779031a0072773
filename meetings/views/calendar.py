"""The meeting ledger (by month, filtered, exported) and scheduling: one meeting, or a recurring
one that fills the calendar of the next weeks."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from communities.area_filters import area_choices
from communities.exports import ledger_response
from communities.scoping import get_scope
from core.forms import bad_request
from core.pagination import ROWS_PER_PAGE, page_without_count, rows_per_page
from jobs.exports import export_as_job
from petitions.services.intake import AlreadyRecorded
from petitions.views.common import already_saved, data_and_key, without_area

from .. import services
from ..forms import WEEKDAYS, LedgerFilters, MeetingForm, ScheduleForm
from ..models import Attendee, Kind, Meeting, Topic


def _month_bounds(month: str):
    year, number = (int(part) for part in month.split("-"))
    first = datetime.date(year, number, 1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    return (
        timezone.make_aware(datetime.datetime.combine(first, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(after, datetime.time.min)),
    )


def _filtered(user, data):
    meetings = Meeting.objects.visible_to(user)
    if data["month"]:
        first, after = _month_bounds(data["month"])
        meetings = meetings.filter(starts_at__gte=first, starts_at__lt=after)
    if data["street"]:
        meetings = meetings.filter(community__street_id=data["street"])
    if data["community"]:
        meetings = meetings.filter(community_id=data["community"])
    if data["kind"]:
        meetings = meetings.filter(kind=data["kind"])
    if data["status"]:
        meetings = meetings.filter(status=data["status"])
    return meetings


def _per_meeting(queryset, value):
    """A correlated subquery: `value` aggregated over `queryset`'s rows of each meeting. Run
    only for the rows of the page (after the LIMIT); a join with GROUP BY counted every meeting
    in sight first (5 s for a city's 76,000 meetings)."""
    return Coalesce(
        Subquery(
            queryset.filter(meeting=OuterRef("pk"))
            .order_by()
            .values("meeting")
            .annotate(value=value)
            .values("value")
        ),
        0,
    )


def _with_figures(meetings):
    """Each meeting's attendance and topics (named attendees, topics, topics decided)."""
    decided = Topic.objects.filter(decided_at__isnull=False).exclude(decided_how="deferred")
    return meetings.select_related("community", "grid", "chair").annotate(
        named=_per_meeting(Attendee.objects.all(), Sum("headcount")),
        topic_count=_per_meeting(Topic.objects.all(), Count("pk")),
        decided_count=_per_meeting(decided, Count("pk")),
    )


@require_safe
def meeting_list(request):
    """The meeting ledger (议事台账) on screen: newest first, by month and filters."""
    filters = LedgerFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    meetings = _with_figures(_filtered(request.user, data)).order_by("-starts_at", "-id")
    per_page = rows_per_page(request, data["per"], key="meeting_ledger_rows")
    context = {
        "page": page_without_count(meetings, data["page"], per_page),
        "per_page": per_page,
        "rows_per_page": ROWS_PER_PAGE,
        **area_choices(request.user, data["street"], grids=False),
        "chosen_street": data["street"],
        "kinds": Kind.choices,
        "statuses": Meeting.Status.choices,
        "chosen_community": data["community"],
        "query": request.GET.urlencode(),
    }
    return render(request, "meetings/meeting_list.html", context)


@require_safe
def meeting_ledger(request):
    """The meeting ledger as an Excel file (audited): one row per meeting."""
    filters = LedgerFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    meetings = _with_figures(_filtered(request.user, data)).order_by("starts_at", "id")
    # A month of a city's meetings is 3,400 rows, 3 s of writing cells: past the ledger limit
    # the file is written by the job worker and the page shows its progress.
    limit = settings.LEDGER_EXPORT_JOB_ROWS
    if job_page := export_as_job(request, meetings, title=_("meeting ledger"), limit=limit):
        return job_page
    # Plain values, the labels looked up once: a model and get_FOO_display per row cost twice
    # the database's time (profiled: 0.4 s of 2.3 s for 1,680 rows).
    kinds = {key: str(label) for key, label in Kind.choices}
    statuses = {key: str(label) for key, label in Meeting.Status.choices}
    values = meetings.values_list(
        "starts_at", "community__name", "grid__name", "kind", "place", "chair__name", "status",
        "named", "unnamed_residents", "topic_count", "decided_count", "minutes",
    )  # fmt: skip
    rows = (
        [
            timezone.localtime(at).strftime("%Y-%m-%d %H:%M"), community, grid or "",
            kinds.get(kind, kind), place, chair or "", statuses.get(status, status),
            named + unnamed, topics, decided, minutes,
        ]
        for (at, community, grid, kind, place, chair, status, named, unnamed, topics, decided,
             minutes) in values.iterator(chunk_size=2000)
    )  # fmt: skip
    name = _("meeting ledger")
    title = " ".join(filter(None, [get_scope(request.user).label, name, data["month"]]))
    return ledger_response(
        filename=f"{name}-{timezone.localdate():%Y%m%d}.xlsx", sheet=name, title=title,
        request=request,
        headers=[
            _("date and time"), _("community"), _("grid"), _("kind"), _("place"), _("chair"),
            _("status"), _("people present"), _("topics"), _("topics decided"), _("minutes"),
        ],
        rows=rows,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if refused := without_area(request):
        return refused
    form = MeetingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data, key = data_and_key(form)
        try:
            meeting = services.schedule_meeting(by=request.user, key=key, **data)
        except AlreadyRecorded as saved:
            return already_saved(request, "meetings:detail", saved.record.pk)
        except services.MeetingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting is in the calendar."))
            return redirect("meetings:detail", meeting.pk)
    title = _("Schedule a meeting")
    return render(request, "meetings/meeting_form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
def schedule_create(request):
    """A recurring meeting; its meetings of the next weeks are created at once."""
    if refused := without_area(request):
        return refused
    form = ScheduleForm(request.POST or None, user=request.user)
    if not form.fields["community"].queryset.exists():
        # A grid worker serves no whole community: their grid's meetings are scheduled one by one.
        messages.info(
            request, _("A recurring meeting belongs to a whole community; schedule your grid's "
                       "meetings one at a time.")
        )  # fmt: skip
        return redirect("meetings:create")
    if request.method == "POST" and form.is_valid():
        data, key = data_and_key(form)
        try:
            schedule = services.create_schedule(by=request.user, key=key, **data)
        except AlreadyRecorded as saved:
            community = saved.record.community_id
            return already_saved(request, f"{redirect('meetings:list').url}?community={community}")
        messages.success(
            request,
            _("Every %(day)s: the meetings of the next %(weeks)d weeks are in the calendar.")
            % {"day": dict(WEEKDAYS)[schedule.weekday], "weeks": services.WEEKS_AHEAD},
        )
        return redirect(f"{redirect('meetings:list').url}?community={schedule.community_id}")
    title = _("A recurring meeting")
    return render(request, "meetings/meeting_form.html", {"form": form, "title": title})
