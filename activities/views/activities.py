"""Activity pages: the ledger by month (printable, Excel), recording an activity with its
findings, an activity's page and its photos."""

import itertools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from communities.area_filters import area_choices
from communities.exports import ledger_response
from core.forms import bad_request
from core.pagination import ROWS_PER_PAGE, page_without_count, rows_per_page
from jobs.exports import export_as_job
from petitions.photos import PhotoStorageError
from petitions.views.photos import photos_to_attach_again

from ..forms import ActivityForm, FindingForm, FindingFormSet, LedgerFilters, community_places
from ..ledger_rows import finding_counts, ledger_rows, partner_names
from ..models import Activity, ActivityPhoto, Place, PlaceCheck
from ..services import (
    ActivityRecord,
    AlreadyRecorded,
    FindingRecord,
    add_finding,
    record_activity,
    update_activity,
)
from .common import chosen_community, communities_of


def _next_month(first):
    return (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )


def _ledger_rows(user, data):
    """The month's activities the user may see, narrowed by the filters, with their counts."""
    month = data["month"]
    activities = Activity.objects.visible_to(user).filter(
        held_on__gte=month, held_on__lt=_next_month(month)
    )
    if data["kind"]:
        activities = activities.filter(kind=data["kind"])
    if data["street"]:
        activities = activities.filter(community__street_id=data["street"])
    if data["community"]:
        activities = activities.filter(community_id=data["community"])
    if data["grid"]:
        activities = activities.filter(grid_id=data["grid"])
    return activities.order_by("held_on", "id")


@require_safe
def activity_ledger(request):
    """The activity ledger (活动台账) of a month, filterable and printable on A4."""
    filters = LedgerFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    per_page = rows_per_page(request, data["per"], key="activity_ledger_rows")
    # rows read as plain values; findings counted for the shown rows only (a month of a
    # city's activities is never grouped as a whole)
    page = page_without_count(
        _ledger_rows(request.user, data), data["page"], per_page, read=ledger_rows
    )
    context = {
        "page": page,
        "per_page": per_page,
        "rows_per_page": ROWS_PER_PAGE,
        "month": data["month"],
        "kinds": Activity.Kind.choices,
        **area_choices(
            request.user, data["street"], communities=communities_of(request.user), grids=False
        ),
        "chosen": data,
        "query": request.GET.urlencode(),
        "totals": {
            "participants": sum(a.participants for a in page),
            "findings": sum(a.finding_count for a in page),
        },
    }
    return render(request, "activities/activity_ledger.html", context)


@require_safe
def activity_ledger_export(request):
    """The month's ledger as an audited Excel file."""
    filters = LedgerFilters(request.GET)
    if not filters.is_valid():
        return bad_request(request, filters)
    data = filters.cleaned_data
    headers = [
        _("date"), _("community"), _("grid"), _("kind"), _("title"), _("organizer"),
        _("partner units"), _("where"), _("participants"), _("residents reached"),
        _("what was done"), _("photos"), _("findings"), _("rectified"),
    ]  # fmt: skip
    activities = _ledger_rows(request.user, data)
    title = _("activity ledger")
    limit = settings.LEDGER_EXPORT_JOB_ROWS  # past it the job worker writes the file
    if job_page := export_as_job(request, activities, title=title, limit=limit):
        return job_page
    rows = _export_rows(activities)
    month = data["month"].strftime("%Y-%m")
    return ledger_response(
        filename=f"{title}-{month}.xlsx", sheet=title,
        title=_("Activity ledger %(month)s") % {"month": month}, request=request,
        headers=headers, rows=rows,
    )  # fmt: skip


EXPORT_CHUNK = 1000
_EXPORT_FIELDS = (
    "pk", "held_on", "community__name", "grid__name", "kind", "title", "team__name",
    "party_organization__name", "location", "participants", "residents_reached",
    "what_was_done",
)  # fmt: skip


def _export_rows(activities):
    """The ledger's rows as plain values, a chunk at a time: per thousand rows one query for
    the rows and one each for partners, photos and findings, never a query per row nor an IN
    list of a whole city's (models and their prefetches were a third of the export's time)."""
    kinds = {key: str(label) for key, label in Activity.Kind.choices}
    values = activities.values_list(*_EXPORT_FIELDS)
    values = values.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(itertools.islice(values, EXPORT_CHUNK)):
        pks = [row[0] for row in chunk]
        partners = partner_names(pks)
        photos = dict(
            ActivityPhoto.objects.filter(activity__in=pks)
            .values("activity").annotate(n=Count("id")).order_by().values_list("activity", "n")
        )  # fmt: skip
        findings = finding_counts(pks)
        for (pk, held_on, community, grid, kind, title, team, party, location, participants,
             reached, done) in chunk:  # fmt: skip
            found, rectified = findings.get(pk, (0, 0))
            yield [
                held_on.isoformat(), community, grid or "", kinds.get(kind, kind), title,
                team or party or grid or community, "、".join(partners.get(pk, ())), location,
                participants, reached, done, photos.get(pk, 0), found, rectified,
            ]  # fmt: skip


def _organizer(activity):
    for part in (activity.team, activity.party_organization, activity.grid):
        if part is not None:
            return str(part.name)
    return activity.community.name


def _record(data, community, findings=()):
    """The service's record of what the activity form says."""
    return ActivityRecord(
        kind=data["kind"], title=data["title"], community=community, held_on=data["held_on"],
        what_was_done=data["what_was_done"], grid=data["grid"],
        party_organization=data["party_organization"], team=data["team"],
        partners=list(data["partners"]), location=data["location"],
        participants=data["participants"], residents_reached=data["residents_reached"],
        officials=list(data["officials"]), photos=data["photos"],
        checked=list(data["checked"]), findings=list(findings),
    )  # fmt: skip


def _service_error(error) -> str:
    return error.messages[0] if hasattr(error, "messages") else str(error)


@require_http_methods(["GET", "POST"])
def activity_create(request):
    """Record an activity of one community; a patrol's or inspection's findings become petitions."""
    community = chosen_community(request)
    if community is None:
        return render(
            request, "activities/community_choice.html",
            {"communities": communities_of(request.user), "next": "activities:create"},
        )  # fmt: skip
    places = community_places(request.user, community)
    form = ActivityForm(
        request.POST or None, request.FILES or None, user=request.user, community=community
    )
    findings = FindingFormSet(
        request.POST or None, request.FILES or None, prefix="finding",
        form_kwargs={"places": places},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and findings.is_valid():
        data = form.cleaned_data
        record = _record(data, community, [FindingRecord(**f) for f in findings.cleaned_data if f])
        try:
            activity = record_activity(record, by=request.user, key=data["idempotency_key"])
        except AlreadyRecorded as saved:
            messages.info(request, _("This activity was already saved; it was not saved twice."))
            return redirect("activities:detail", saved.record.pk)
        except PhotoStorageError as error:
            form.add_error(None, error.message)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _service_error(error))
        else:
            messages.success(
                request,
                _("Activity saved with %(count)d finding(s), each now a petition.")
                % {"count": len(record.findings)},
            )
            return redirect("activities:detail", activity.pk)
    context = {
        "form": form,
        "findings": findings,
        "community": community,
        "attach_again": photos_to_attach_again(request),
    }
    return render(request, "activities/activity_form.html", context)


def _activity(request, pk):
    return get_object_or_404(
        Activity.objects.visible_to(request.user).select_related(
            "community__street", "grid", "team", "party_organization", "created_by__official"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    """Correct a saved activity: the recording form, filled in, under the same scope rules."""
    activity = _activity(request, pk)
    community = activity.community
    initial = {
        name: getattr(activity, name)
        for name in ("kind", "title", "held_on", "grid", "party_organization", "team",
                     "location", "participants", "residents_reached", "what_was_done")
    }  # fmt: skip
    initial |= {
        "partners": list(activity.partners.all()),
        "officials": list(activity.officials.all()),
        "checked": [c.place_id for c in activity.checks.filter(result=PlaceCheck.Result.PASSED)],
    }
    form = ActivityForm(
        request.POST or None, request.FILES or None, user=request.user, community=community,
        initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            update_activity(activity, _record(form.cleaned_data, community), by=request.user)
        except PhotoStorageError as error:
            form.add_error(None, error.message)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _service_error(error))
        else:
            messages.success(request, _("The activity is corrected."))
            return redirect("activities:detail", activity.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form, "community": community, "activity": activity,
        "attach_again": photos_to_attach_again(request),
    }  # fmt: skip
    return render(request, "activities/activity_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def activity_add_finding(request, pk):
    """A finding of a saved patrol or inspection, recorded later: it becomes a petition."""
    activity = _activity(request, pk)
    if activity.kind not in Activity.FINDING_SOURCES:
        messages.error(request, _("Only patrols and inspections record findings."))
        return redirect("activities:detail", activity.pk)
    form = FindingForm(
        request.POST or None, request.FILES or None,
        places=community_places(request.user, activity.community),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            finding = add_finding(activity, FindingRecord(**form.cleaned_data), by=request.user)
        except PhotoStorageError as error:
            form.add_error(None, error.message)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _service_error(error))
        else:
            messages.success(
                request, _("Finding saved: petition %(code)s.")
                % {"code": finding.petition.tracking_code},
            )  # fmt: skip
            return redirect("activities:detail", activity.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "activity": activity}
    return render(request, "activities/activity_add_finding.html", context, status=status)


@require_safe
def activity_detail(request, pk):
    activity = _activity(request, pk)
    visible_places = Place.objects.visible_to(request.user)
    context = {
        "activity": activity,
        "can_find": activity.kind in Activity.FINDING_SOURCES,
        "partners": activity.partners.all(),
        "officials": activity.officials.all(),
        "residents": activity.residents.select_related("household"),
        "photos": activity.photos.order_by("pk"),
        "checks": activity.checks.filter(place__in=visible_places).select_related("place"),
        # Findings in the user's own grids only: a grid worker sees their grid's cases.
        "findings": activity.findings.filter(place__in=visible_places).select_related(
            "place", "petition__category__parent"
        ),
    }
    return render(request, "activities/activity_detail.html", context)


@require_safe
def activity_photo(request, pk, size):
    visible = Activity.objects.visible_to(request.user)
    photo = get_object_or_404(ActivityPhoto, pk=pk, activity__in=visible)
    file = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
