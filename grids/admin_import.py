"""The registry import in the Django admin: the upload page and the template download.

Plain views, wired from `grids/admin.py` through `admin.site.admin_view` (which checks login
and staff status and protects POST with CSRF) under the admin URL names below.
"""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from communities.models import Community

from .registry_import import build_template, import_registry

TEMPLATE_URL_NAME = "admin:grids_registry_template"
TEMPLATE_FILENAME = "居民台账导入模板.xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A page of 200,000 table rows helps no one; the command lists them all.
SHOWN_ERRORS = 1000


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))


@require_http_methods(["GET", "POST"])
def import_registry_view(request: HttpRequest) -> HttpResponse:
    """Upload a workbook; imported, back to the grids admin; refused, the form and every error."""
    _require_staff(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    errors = []
    if form.is_valid():
        # Communities outside the user's areas are unknown to the import, as everywhere else.
        visible = Community.objects.visible_to(request.user)
        result = import_registry(form.cleaned_data["workbook"], communities=visible)
        if result.ok:
            messages.success(request, "; ".join([gettext("Import finished."), *result.summary()]))
            return redirect(reverse("admin:app_list", args=["grids"]))
        errors = result.errors
    context = {
        **admin.site.each_context(request),
        "title": _("Import the household registry"),
        "app_verbose_name": apps.get_app_config("grids").verbose_name,
        "form": form,
        "errors": errors[:SHOWN_ERRORS],
        "error_count": len(errors),
        "template_url": reverse(TEMPLATE_URL_NAME),
    }
    return render(request, "admin/grids/import_registry.html", context)


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
