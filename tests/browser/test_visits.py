"""A grid worker records a visit on a 360-px phone: find the household, a photo, one concern."""

from PIL import Image

from petitions.models import Petition, Visit
from tests import factories as f
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD


def test_grid_worker_records_a_visit_on_a_phone(
    new_page, grid_worker, grid_a1, tmp_path, casework_defaults
):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华")
    photo = tmp_path / "drain.jpg"
    Image.new("RGB", (640, 480), (90, 90, 200)).save(photo, format="JPEG")

    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/visits/new/")
    page.locator("#household-q").press_sequentially("30", delay=50)
    page.locator("#household-choices button", has_text="6号楼 2单元 301").click()
    page.locator(".household-panel").wait_for()
    assert "尚未走访" in page.locator("#household-panel").inner_text()
    page.select_option("#id_kind", "care")
    page.fill("#id_notes", "老人独居，身体尚好")
    page.select_option("#id_concern-0-category", label="排水防涝")
    page.fill("#id_concern-0-description", "6号楼下水管道堵塞")
    page.fill("#id_concern-0-households_affected", "23")
    page.set_input_files("#id_photos", str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "visit-form-phone")
    page.click("button[type=submit].button--primary")
    page.wait_for_load_state()
    assert "已保存对" in page.locator(".messages").inner_text()
    visit = Visit.objects.get()
    assert visit.photos.count() == 1 and Petition.objects.get().households_affected == 23

    page.goto(f"/households/{household.pk}/")
    history = page.locator("#history").inner_text()
    assert "老人独居" in history and "6号楼下水管道堵塞" in history
    assert page.locator("#history img").count() == 1

    page.goto("/visits/coverage/")
    table = page.locator("table.coverage").inner_text()
    assert "第一网格" in table and "100%" in table


def test_a_typed_visit_survives_a_reload_as_a_draft(new_page, grid_worker, grid_a1):
    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/visits/new/")
    page.fill("#id_notes", "断网前写的民情日志")
    page.reload()
    assert page.locator("#id_notes").input_value() == "断网前写的民情日志"
    assert page.locator("#draft-notice").is_visible()


def test_a_visit_sent_back_with_an_error_is_not_called_a_restored_draft(
    new_page, grid_worker, grid_a1
):
    """The server's page shows what was sent, with the error; the draft banner would say the
    opposite (that an unsent draft was brought back)."""
    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/visits/new/")
    page.fill("#id_notes", "没选住户就保存了")
    page.click("button[type=submit].button--primary")  # sent once the connection is probed
    page.locator("#form-problems").wait_for()
    assert page.locator("#id_notes").input_value() == "没选住户就保存了"
    assert not page.locator("#draft-notice").is_visible()
