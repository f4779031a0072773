"""A street official opens the dashboard on a desktop and a phone, follows the "overdue" figure
to the list, and exports the petition ledger."""

import datetime

from django.utils import timezone

from petitions.models import Category, Petition
from tests import factories as f
from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.factories import PASSWORD


def test_street_official_follows_overdue_to_the_list_and_exports_the_ledger(
    new_page, street_a_staff, grid_a1, grid_worker, casework_defaults, tmp_path
):
    household = f.make_household(grid_a1)
    late = Petition.objects.create(
        source="hotline", category=Category.objects.get(name="环境卫生"), grid=grid_a1,
        household=household, description="垃圾清运不及时", created_by=grid_worker,
        status="accepted", accepted_at=timezone.now() - datetime.timedelta(days=10),
        due_at=timezone.now() - datetime.timedelta(days=2),
    )  # fmt: skip
    Petition.objects.create(
        source="walk_in", category=Category.objects.get(name="其他"), grid=grid_a1,
        description="按期办理中", created_by=grid_worker, status="accepted",
        due_at=timezone.now() + datetime.timedelta(days=3),
    )  # fmt: skip
    # The dashboard's screenshots are taken on the demo (tests/browser/test_phone_layout.py).
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport)
        log_in(page, "street_a", PASSWORD)
        assert page.locator("#overdue-figure .stat__value").inner_text() == "1"
        page.locator("#trend-chart canvas").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.click("#overdue-figure")
    page.wait_for_load_state()
    listed = page.locator("ul.results").inner_text()
    assert "垃圾清运不及时" in listed and "按期办理中" not in listed
    with page.expect_download() as download:
        page.click("text=导出台账（Excel）")
    path = tmp_path / "ledger.xlsx"
    download.value.save_as(path)
    from openpyxl import load_workbook

    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert any(late.tracking_code in row for row in rows)
