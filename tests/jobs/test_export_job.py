"""Large Excel exports go through a job; small ones are answered at once, as before."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import AuditEvent, OfficialScope
from jobs.models import Job
from jobs.services import run_job
from jobs.tasks import write_export
from tests.many_rows import (
    elevator,
    home,
    make_households,
    make_petitions,
    make_residents,
    make_visits,
)

__all__ = ["elevator", "home"]  # fixtures used below


def three_rows(kind, home, grid_worker, elevator):
    """Three rows of the export `kind`; its URL; a column that marks them."""
    if kind == "petitions":
        make_petitions(3, grid=home.grid, category=elevator, by=grid_worker)
        return reverse("petitions:ledger"), "诉求"
    if kind == "visits":
        make_visits(3, household=home, by=grid_worker)
        return reverse("petitions:visit_ledger"), "走访"
    make_residents(make_households(home.grid, 2, unit=home.unit), name="登记")  # and 陈华
    return reverse("grids:community_export", args=[home.grid.community_id]), "登记"


def rows_marked(content: bytes, marker: str) -> int:
    sheet = load_workbook(io.BytesIO(content)).active
    return sum(
        1
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if re.match(rf"{marker}\d", str(c))
    )


@pytest.mark.parametrize("kind", ["petitions", "visits", "registry"])
def test_a_large_export_is_written_by_a_job_whose_file_its_owner_downloads(
    immediate_tasks, settings, kind, client_for, community_staff, grid_worker, home, elevator
):
    settings.EXPORT_JOB_ROWS = 2
    url, marker = three_rows(kind, home, grid_worker, elevator)
    client = client_for(community_staff)

    response = client.get(url)

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.owner) == ("export", "succeeded", community_staff)
    assert (job.percent, job.message) == (100, "文件已生成。")
    assert job.result_name.endswith(".xlsx")
    page = client.get(response.url).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page
    assert f"下载 {job.result_name}" in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rows_marked(b"".join(download.streaming_content), marker) == (
        2 if kind == "registry" else 3
    )
    audit = AuditEvent.objects.get(kind="export")
    assert (audit.user, audit.address, audit.rows) == (community_staff, "127.0.0.1", 3)


@pytest.mark.parametrize("kind", ["petitions", "visits", "registry"])
def test_a_small_export_is_answered_at_once(
    immediate_tasks, settings, kind, client_for, community_staff, grid_worker, home, elevator
):
    settings.EXPORT_JOB_ROWS = 3
    url, _marker = three_rows(kind, home, grid_worker, elevator)

    response = client_for(community_staff).get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Job.objects.exists()


def test_an_export_job_checks_the_owners_areas_again_when_it_runs(
    settings, client_for, community_staff, grid_worker, home, elevator
):
    settings.EXPORT_JOB_ROWS = 2
    url, _marker = three_rows("registry", home, grid_worker, elevator)
    client_for(community_staff).get(url)  # waits for a worker
    OfficialScope.objects.filter(official__user=community_staff).delete()

    run_job(Job.objects.get().pk, write_export)

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.message == "您已无权导出这些数据，未生成文件。"
    assert not job.result
    assert not AuditEvent.objects.filter(kind="export").exists()
