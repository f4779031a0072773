"""A grid worker's patrol on a 360-px phone: a finding at the bicycle shed becomes a petition,
the petition is resolved from its page (which shows where it was found), and the month's
activity ledger and the dashboard show the patrol with its finding rectified."""

from PIL import Image

from activities.models import Activity, Place
from petitions.models import Category, Petition
from tests import factories as f
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_patrols_finding_becomes_a_petition_and_is_rectified(
    new_page, grid_worker, grid_a1, tmp_path, casework_defaults
):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    building = f.make_building(compound, grid_a1, name="3号楼")
    Place.objects.create(grid=grid_a1, kind="charging", name="3号楼车棚", building=building)
    Place.objects.create(grid=grid_a1, kind="square", name="健身广场")
    photo = tmp_path / "wire.jpg"
    Image.new("RGB", (640, 480), (200, 90, 40)).save(photo, format="JPEG")

    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/activities/new/")
    page.select_option("#id_kind", "patrol")
    page.fill("#id_title", "红马甲楼院巡查")
    assert page.locator("#id_grid").input_value() == str(grid_a1.pk)  # their only grid
    page.fill("#id_participants", "6")
    page.fill("#id_what_was_done", "巡查楼院、道路和公共区域")
    page.get_by_label("健身广场").check()
    page.select_option("#id_finding-0-place", label="3号楼车棚")
    page.select_option("#id_finding-0-category", label="飞线充电及充电桩")
    page.fill("#id_finding-0-description", "3号楼车棚有住户拉线给电动车充电")
    page.set_input_files("#id_finding-0-photos", str(photo))
    no_sideways_scroll(page)
    screenshot(page, "activity-form-phone")
    page.click("button[type=submit].button--primary")
    page.wait_for_load_state()
    assert "均已转为诉求" in page.locator(".messages").inner_text()
    findings = page.locator("#findings").inner_text()
    assert "3号楼车棚" in findings
    petition = Petition.objects.get()
    assert petition.source == "patrol" and petition.photos.count() == 1
    assert Activity.objects.get().checks.count() == 2

    page.locator("#findings a").first.click()
    page.wait_for_load_state()
    assert "红马甲楼院巡查" in page.locator("#where-found").inner_text()
    for action, fields in [("accept", {}), ("resolve", {"what_was_done": "拆除飞线,加装充电桩"})]:
        page.locator(f"#action-{action} > summary").click()
        form = page.locator(f"form[action$='/{action}/']")
        for name, value in fields.items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    petition.refresh_from_db()
    assert petition.status == "resolved"

    page.goto("/activities/")
    ledger = page.locator("table.ledger").inner_text()
    assert "红马甲楼院巡查" in ledger and "1/1" in ledger
    no_sideways_scroll(page)
    screenshot(page, "activity-ledger-phone")
    page.goto("/?period=this_month")
    figures = page.locator("#activity-figures").inner_text()
    assert "巡查" in figures

    # A finding noticed after the patrol was saved: added from the activity's page.
    page.goto(f"/activities/{Activity.objects.get().pk}/")
    page.click("#add-finding")
    page.select_option("#id_place", label="健身广场")
    page.select_option("#id_category", label="飞线充电及充电桩")
    page.fill("#id_description", "健身广场东侧路灯杆私拉电线")
    no_sideways_scroll(page)
    page.click("button[type=submit].button--primary")
    page.wait_for_load_state()
    assert "转为诉求" in page.locator(".messages").inner_text()
    assert "健身广场" in page.locator("#findings").inner_text()
    assert Petition.objects.count() == 2
    assert Category.objects.filter(name="飞线充电及充电桩").exists()
