"""The meeting ledger's Excel file: a fixed number of queries whatever its length, and past
the ledger limit written by the job worker (the user follows its progress page)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jobs.models import Job
from meetings.models import Topic
from tests.meetings.test_query_counts import make_meetings

ROWS = pytest.mark.parametrize("rows", [1, 50])


def _meeting_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True) if str(r[4]).startswith("议事厅")]


@ROWS
def test_the_export_query_count_does_not_grow_with_meetings(
    rows, settings, client_for, community_staff, community_a, django_assert_num_queries
):
    settings.LEDGER_EXPORT_JOB_ROWS = 1000
    meetings = make_meetings(community_a, community_staff, rows)
    Topic.objects.bulk_create(
        Topic(meeting=m, title="停车", created_by=community_staff) for m in meetings
    )
    client = client_for(community_staff)
    url = reverse("meetings:ledger")
    client.get(url)
    # session, user, scope (official, areas), the limit's count, the rows, the audit record
    # (with its trail: the head locked, the head moved)
    with django_assert_num_queries(9):
        response = client.get(url)
    out = _meeting_rows(b"".join(response.streaming_content))
    assert len(out) == rows
    # community, kind and status in Chinese, 3 people present, 1 topic, none decided
    assert out[0][1] == "新村社区" and "议事日" in out[0][3] and out[0][6] == "已召开"
    assert out[0][7:10] == [3, 1, 0]


def test_past_the_limit_the_job_writes_the_file(settings, client_for, community_staff, community_a):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LEDGER_EXPORT_JOB_ROWS = 2
    make_meetings(community_a, community_staff, 3)
    client = client_for(community_staff)
    response = client.get(reverse("meetings:ledger"))
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.owner) == ("export", "succeeded", community_staff)
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert len(_meeting_rows(b"".join(download.streaming_content))) == 3


def test_at_the_limit_the_file_is_answered_at_once(
    settings, client_for, community_staff, community_a
):
    settings.LEDGER_EXPORT_JOB_ROWS = 3
    make_meetings(community_a, community_staff, 3)
    response = client_for(community_staff).get(reverse("meetings:ledger"))
    assert response.status_code == 200 and not Job.objects.exists()
