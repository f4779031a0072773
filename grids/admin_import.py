"""The registry import in the Django admin: the upload page, the job that imports, the template.

Plain views, wired from `grids/admin.py` through `admin.site.admin_view` (which checks login
and staff status and protects POST with CSRF) under the admin URL names below. A workbook of
50,000 residents takes longer than a web request may: the upload is stored and a worker imports
it (`run_registry_import`), while the user follows the job's page (jobs/).
"""

from dataclasses import asdict

from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django_tasks import task

from communities.models import Community
from jobs.models import Job
from jobs.services import Progress, run_job, start_job

from .registry_import import build_template, import_registry

IMPORT_URL_NAME = "admin:grids_import_registry"
TEMPLATE_URL_NAME = "admin:grids_registry_template"
TEMPLATE_FILENAME = "居民台账导入模板.xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A page of 200,000 table rows helps no one; the command lists them all.
SHOWN_ERRORS = 1000


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))


@require_http_methods(["GET", "POST"])
def import_registry_view(request: HttpRequest) -> HttpResponse:
    """Upload a workbook; a worker imports it while the user follows the job's page."""
    _require_staff(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_valid():
        upload = form.cleaned_data["workbook"]
        job = start_job(
            kind=Job.Kind.REGISTRY_IMPORT,
            title=gettext("Registry import: %(file)s") % {"file": upload.name},
            owner=request.user,
            task=run_registry_import,
            upload=upload,
            params={"back": reverse(IMPORT_URL_NAME)},
        )
        return redirect(job)
    context = {
        **admin.site.each_context(request),
        "title": _("Import the household registry"),
        "app_verbose_name": apps.get_app_config("grids").verbose_name,
        "form": form,
        "template_url": reverse(TEMPLATE_URL_NAME),
    }
    return render(request, "admin/grids/import_registry.html", context)


@task()
def run_registry_import(job_id: int) -> None:
    """The worker's half of the import page: import the job's workbook, all or nothing."""
    run_job(job_id, _import_workbook)


def _import_workbook(job: Job, progress: Progress) -> None:
    owner = job.owner
    if not (owner.is_active and owner.is_staff):
        job.state = Job.State.FAILED
        job.message = gettext("You may no longer import the registry; nothing was imported.")
        return
    # Communities outside the owner's areas are unknown to the import, as everywhere else.
    communities = Community.objects.visible_to(owner)
    with job.upload.open("rb") as workbook:
        result = import_registry(
            workbook, progress=progress, steps=progress.step, communities=communities
        )
    if result.ok:
        job.summary = result.summary()
        job.message = gettext("Import finished.")
        return
    job.state = Job.State.FAILED
    job.error_count = len(result.errors)
    job.errors = [asdict(error) for error in result.errors[:SHOWN_ERRORS]]
    job.message = ngettext(
        "The workbook has %(count)d error; nothing was imported.",
        "The workbook has %(count)d errors; nothing was imported.",
        job.error_count,
    ) % {"count": job.error_count}


@require_safe
def registry_template_view(request: HttpRequest) -> HttpResponse:
    """The empty import template, as a download."""
    _require_staff(request)
    response = HttpResponse(build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, TEMPLATE_FILENAME)
    return response


def _require_staff(request: HttpRequest) -> None:
    # admin_view already sends others to the login page; this guards any other wiring.
    if not request.user.is_staff:
        raise PermissionDenied
