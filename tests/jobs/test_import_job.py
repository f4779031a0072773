"""The registry import as a job: the upload, the job's page with its progress, its result."""

import pytest
from django.urls import reverse

from grids.models import Resident
from grids.registry_import import import_registry
from jobs.models import Job
from tests.grids.registry_sheets import good_sheets, object_counts, rural_community, tags
from tests.grids.registry_sheets import workbook as make_workbook

__all__ = ["good_sheets", "rural_community", "tags"]  # fixtures used below

IMPORT_URL = "admin:grids_import_registry"


def post_workbook(client, sheets):
    return client.post(reverse(IMPORT_URL), {"workbook": make_workbook(sheets)})


def test_an_uploaded_workbook_is_imported_by_a_job_whose_page_says_what_was_imported(
    immediate_tasks, client_for, organizer, good_sheets
):
    client = client_for(organizer)

    response = post_workbook(client, good_sheets)

    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.state, job.owner) == ("registry_import", "succeeded", organizer)
    assert Resident.objects.count() == 5
    assert not job.upload  # the workbook, with its personal data, is gone once imported
    page = client.get(response.url).content.decode()
    assert "导入完成。" in page
    assert "居民：新增 5，更新 0，未变 0" in page
    assert 'max="100" value="100"' in page


def test_a_bad_workbooks_job_lists_every_error_by_sheet_row_and_column_and_imports_nothing(
    immediate_tasks, client_for, organizer, good_sheets
):
    good_sheets["户"].append(["新村社区", "安装公司家属院", "6号楼", "1单元", None, "101"])
    good_sheets["居民"][0][7] = "某"  # not a gender
    client = client_for(organizer)

    response = post_workbook(client, good_sheets)

    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error_count == 2
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [
        ("户", 6, "房号"),
        ("居民", 2, "性别"),
    ]
    assert set(object_counts().values()) == {0}
    page = client.get(response.url).content.decode()
    assert "工作簿有 2 处错误，未导入任何数据。" in page
    assert "<td>户</td>" in page and "<td>6</td>" in page and "<td>性别</td>" in page
    assert "重新导入" in page or reverse(IMPORT_URL) in page


def test_the_import_tells_its_progress_in_rows_read_checked_and_written(good_sheets):
    steps = []

    import_registry(
        make_workbook(good_sheets), steps=lambda done, total: steps.append((done, total))
    )

    rows = sum(len(rows) for rows in good_sheets.values())
    assert steps[0] == (rows, 3 * rows)  # read
    assert steps[-1] == (3 * rows, 3 * rows)  # written
    assert [done for done, _total in steps] == sorted(done for done, _total in steps)


def test_the_import_tells_its_progress_every_5000_rows_checked(good_sheets):
    row = good_sheets["居民"][3]
    good_sheets["居民"] = [[*row[:6], f"居民{i}", *row[7:]] for i in range(10_001)]
    steps = []

    result = import_registry(make_workbook(good_sheets), steps=lambda *step: steps.append(step))

    rows = sum(len(rows) for rows in good_sheets.values())
    before = rows - len(good_sheets["居民"])  # the rows of the sheets before 居民
    assert result.ok
    assert [done - rows - before for done, _total in steps[1:-1]] == [5_000, 10_000]


def test_the_progress_endpoint_says_how_far_a_running_job_is(client_for, organizer, good_sheets):
    # The database backend: the job waits for a worker, as it does for users.
    client = client_for(organizer)
    response = post_workbook(client, good_sheets)
    job = Job.objects.get()
    url = reverse("jobs:progress", args=[job.pk])

    waiting = client.get(url).json()
    Job.objects.filter(pk=job.pk).update(
        state="running", done=30, total=120, message="居民：已检查 5000 行"
    )
    running = client.get(url).json()

    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert (waiting["state"], waiting["percent"], waiting["finished"]) == ("queued", None, False)
    assert running == {
        "state": "running", "state_label": "进行中", "done": 30, "total": 120, "percent": 25,
        "message": "居民：已检查 5000 行", "finished": False,
    }  # fmt: skip
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "js/job-progress.js" in page
    assert Resident.objects.count() == 0


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:progress", "jobs:download"])
def test_another_official_gets_404_for_a_job_and_its_file(
    immediate_tasks, settings, client_for, organizer, street_a_staff, name, good_sheets
):
    settings.EXPORT_JOB_ROWS = 0
    post_workbook(client_for(organizer), good_sheets)
    client_for(organizer).get(
        reverse(
            "grids:community_export", args=[Resident.objects.first().household.grid.community_id]
        )
    )
    export = Job.objects.get(kind="export")
    assert client_for(organizer).get(reverse(name, args=[export.pk])).status_code == 200

    for job in Job.objects.all():
        assert client_for(street_a_staff).get(reverse(name, args=[job.pk])).status_code == 404


def test_a_job_without_a_file_has_nothing_to_download(
    immediate_tasks, client_for, organizer, good_sheets
):
    post_workbook(client_for(organizer), good_sheets)
    job = Job.objects.get()

    response = client_for(organizer).get(reverse("jobs:download", args=[job.pk]))

    assert response.status_code == 404


def test_the_import_page_only_offers_the_upload(client_for, organizer):
    response = client_for(organizer).get(reverse(IMPORT_URL))

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert not Job.objects.exists()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_job_list_shows_the_users_own_jobs_only(
    rows, client_for, organizer, street_a_staff, django_assert_num_queries
):
    Job.objects.bulk_create(
        Job(kind="export", title=f"诉求台账{i}", owner=organizer, state="succeeded")
        for i in range(rows)
    )
    Job.objects.create(kind="export", title="李强的台账", owner=street_a_staff)
    client = client_for(organizer)
    client.get(reverse("jobs:list"))  # warm up: the first request stamps the session

    # session, user, official, areas (the header); unread notifications; the jobs
    with django_assert_num_queries(6):
        page = client.get(reverse("jobs:list")).content.decode()

    assert page.count("诉求台账") == rows
    assert "李强的台账" not in page
