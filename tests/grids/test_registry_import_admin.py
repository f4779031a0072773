"""The registry import in the Django admin: the form, the template download, a posted workbook
imported by a job, CSRF, and only staff let in."""

import io

import openpyxl
import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import path, reverse

from grids.admin_import import import_registry_view, registry_template_view
from grids.models import Resident
from jobs.models import Job
from tests.grids.registry_sheets import (
    object_counts,
    workbook,
)
from weidu.urls import urlpatterns as project_urlpatterns

# The admin pages, wired as grids/admin.py wires them, for the client tests below.
urlpatterns = [
    path(
        "admin/",
        (
            [
                path(
                    "grids/import/",
                    admin.site.admin_view(import_registry_view),
                    name="grids_import_registry",
                ),
                path(
                    "grids/import/template/",
                    admin.site.admin_view(registry_template_view),
                    name="grids_registry_template",
                ),
                *admin.site.get_urls(),
            ],
            "admin",
            admin.site.name,
        ),
    ),
    *(p for p in project_urlpatterns if getattr(p, "namespace", None) != "admin"),
]


# --- The admin pages ------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_an_organizer_gets_the_import_form(client_for, organizer):
    response = client_for(organizer).get("/admin/grids/import/")

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert reverse("admin:grids_registry_template").encode() in response.content


@pytest.mark.urls(__name__)
def test_an_organizer_downloads_the_template(client_for, organizer):
    response = client_for(organizer).get("/admin/grids/import/template/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == "小区"


# A worker imports the posted workbook (jobs/); here it runs at once, inside the request.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.urls(__name__)
def test_a_bad_workbook_posted_shows_every_error_and_writes_nothing(
    settings, client_for, organizer, good_sheets
):
    settings.TASKS = IMMEDIATE_TASKS
    good_sheets["户"].append(["新村社区", "安装公司家属院", "6号楼", "1单元", None, "101"])

    response = client_for(organizer).post(
        "/admin/grids/import/", {"workbook": workbook(good_sheets)}, follow=True
    )

    assert response.status_code == 200
    assert response.context["job"].error_count == 1
    assert "第6行" not in response.content.decode()  # the table has the row in its own column
    assert "<td>户</td>" in response.content.decode()
    assert set(object_counts().values()) == {0}


@pytest.mark.urls(__name__)
def test_a_good_workbook_posted_is_imported(settings, client_for, organizer, good_sheets):
    settings.TASKS = IMMEDIATE_TASKS
    response = client_for(organizer).post(
        "/admin/grids/import/", {"workbook": workbook(good_sheets)}
    )

    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", args=[Job.objects.get().pk])
    assert Resident.objects.count() == 5


@pytest.mark.urls(__name__)
def test_a_post_without_the_csrf_token_is_refused(organizer, good_sheets):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)

    response = client.post("/admin/grids/import/", {"workbook": workbook(good_sheets)})

    assert response.status_code == 403
    assert Resident.objects.count() == 0


@pytest.mark.parametrize("view", [import_registry_view, registry_template_view])
def test_the_views_refuse_a_user_who_is_not_staff(community_staff, view):
    request = RequestFactory().get("/")
    request.user = community_staff

    with pytest.raises(PermissionDenied):
        view(request)
