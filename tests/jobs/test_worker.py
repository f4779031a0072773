"""The path users take: the request enqueues a task in the database, `db_worker` runs it."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from grids.models import Resident
from jobs.models import Job
from tests.grids.registry_sheets import good_sheets, rural_community, tags
from tests.grids.registry_sheets import workbook as make_workbook
from tests.many_rows import elevator, home, make_petitions

__all__ = ["elevator", "good_sheets", "home", "rural_community", "tags"]  # fixtures used below


def run_worker_once():
    """What `manage.py db_worker --batch` does: run every task waiting, then stop."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_an_uploaded_import_and_the_page_shows_it(
    client_for, organizer, good_sheets
):
    client = client_for(organizer)
    response = client.post(
        reverse("admin:grids_import_registry"), {"workbook": make_workbook(good_sheets)}
    )
    job = Job.objects.get()
    waiting = client.get(reverse("jobs:progress", args=[job.pk])).json()

    run_worker_once()

    job.refresh_from_db()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert waiting["state"] == "queued"
    assert Resident.objects.count() == 5
    assert (job.state, job.done, job.total) == (
        "succeeded",
        48,
        48,
    )  # 16 rows: read, checked, written
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    finished = client.get(reverse("jobs:progress", args=[job.pk])).json()
    assert (finished["percent"], finished["finished"]) == (100, True)
    assert "居民：新增 5，更新 0，未变 0" in client.get(response.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_writes_a_large_ledger_that_its_owner_downloads(
    settings, client_for, community_staff, grid_worker, home, elevator
):
    settings.EXPORT_JOB_ROWS = 2
    make_petitions(3, grid=home.grid, category=elevator, by=grid_worker)
    client = client_for(community_staff)
    response = client.get(reverse("petitions:ledger"))
    job = Job.objects.get()

    run_worker_once()

    job.refresh_from_db()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.state, job.result_name) == (
        "succeeded",
        f"诉求台账-{timezone.localdate():%Y%m%d}.xlsx",
    )
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
