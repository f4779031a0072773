"""A registry import in a real browser: upload, a job page whose bar moves, then the result."""

from django.core.management import call_command
from django.urls import reverse

from grids.models import Resident
from jobs.models import Job
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD
from tests.grids.registry_sheets import good_sheets, rural_community, tags
from tests.grids.registry_sheets import workbook as make_workbook

__all__ = ["good_sheets", "rural_community", "tags"]  # fixtures used below
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_an_organizer_uploads_a_workbook_and_follows_its_job_to_the_result(
    new_page, organizer, good_sheets
):
    page = new_page(PHONE)
    log_in(page, "organizer", PASSWORD)
    page.goto(reverse("admin:grids_import_registry"))
    page.set_input_files(
        "input[name=workbook]",
        files=[
            {"name": "台账.xlsx", "mimeType": XLSX, "buffer": make_workbook(good_sheets).read()}
        ],
    )
    page.click("input[type=submit]")
    page.wait_for_load_state()

    job = Job.objects.get()
    assert page.url.endswith(reverse("jobs:detail", args=[job.pk]))
    assert "排队中" in page.locator("#job-progress").inner_text()  # no worker yet
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    Job.objects.filter(pk=job.pk).update(
        state="running", done=16, total=48, message="正在检查数据…"
    )
    page.locator("[data-job-percent]", has_text="33%").wait_for()
    assert page.locator("[data-job-bar]").get_attribute("value") == "33"

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    page.locator("#job-summary").wait_for()  # the page has reloaded with the result
    assert "居民：新增 5，更新 0，未变 0" in page.locator("#job-summary").inner_text()
    assert "已完成" in page.locator("#job-progress").inner_text()
    assert Resident.objects.count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "registry-import-job-phone")
