"""The activity ledger's Excel file: a fixed number of queries whatever its length, and past
the ledger limit written by the job worker (the user follows its progress page)."""

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobs.models import Job
from petitions.models import Petition
from tests.activities.test_query_counts import add_activities

ROWS = pytest.mark.parametrize("rows", [1, 50])


def _cells(content):
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@ROWS
def test_the_export_query_count_does_not_grow_with_activities(
    rows, settings, client_for, community_staff, grid_a1, grid_worker, safety,
    django_assert_num_queries,
):  # fmt: skip
    settings.LEDGER_EXPORT_JOB_ROWS = 1000
    add_activities(grid_a1, grid_worker, safety, rows)
    client = client_for(community_staff)
    month = {"month": timezone.localdate().strftime("%Y-%m")}
    url = reverse("activities:ledger_export")
    client.get(url, month)
    # session, user, scope (official, areas), the limit's count, the rows, partners, photos,
    # findings, the audit record (with its trail: the head locked, the head moved)
    with django_assert_num_queries(12):
        response = client.get(url, month)
    rows_out = _cells(b"".join(response.streaming_content))
    patrols = [r for r in rows_out if r[4] and str(r[4]).startswith("巡查")]
    assert len(patrols) == rows
    # partner unit, one photo, one finding (not rectified yet)
    assert patrols[0][6] == "统计局" and patrols[0][11:14] == [1, 1, 0]


def test_past_the_limit_the_job_writes_the_file(
    settings, client_for, community_staff, grid_a1, grid_worker, safety
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LEDGER_EXPORT_JOB_ROWS = 2
    add_activities(grid_a1, grid_worker, safety, 3)
    Petition.objects.update(status="resolved")
    client = client_for(community_staff)
    response = client.get(
        reverse("activities:ledger_export"), {"month": timezone.localdate().strftime("%Y-%m")}
    )
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.owner) == ("export", "succeeded", community_staff)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    rows = [r for r in _cells(b"".join(download.streaming_content)) if str(r[4]).startswith("巡查")]
    assert len(rows) == 3 and all(r[12:14] == [1, 1] for r in rows)


def test_at_the_limit_the_file_is_answered_at_once(
    settings, client_for, community_staff, grid_a1, grid_worker, safety
):
    settings.LEDGER_EXPORT_JOB_ROWS = 3
    add_activities(grid_a1, grid_worker, safety, 3)
    response = client_for(community_staff).get(
        reverse("activities:ledger_export"), {"month": timezone.localdate().strftime("%Y-%m")}
    )
    assert response.status_code == 200 and not Job.objects.exists()
    # named in Chinese like every other ledger (活动台账-2026-12.xlsx)
    assert quote("活动台账") in response["Content-Disposition"]
