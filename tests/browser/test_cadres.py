"""新村社区's first secretary, on a 360-px phone: a joint visit with the street's official and the
grid worker, a concern raised on the doorstep, the 三双 questions; the unit's page counts it."""

from communities.models import Assignment
from petitions.models import Petition, ThreeTrustAnswer, Visit
from tests import factories as f
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.cadres.conftest import assign
from tests.factories import PASSWORD


def test_first_secretary_records_a_joint_visit_and_the_unit_page_counts_it(
    new_page, grid_a1, grid_worker, street_a_staff, street_b_staff, casework_defaults
):
    inspection = f.make_department(grid_a1.community.street.district, name="巡察办")
    secretary = f.make_official("secretary", name="郑海涛", department=inspection, title="第一书记")
    assign(secretary, grid_a1.community)
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华")

    page = new_page(PHONE)
    log_in(page, "secretary", PASSWORD)
    page.goto("/visits/new/")
    page.locator("#household-q").press_sequentially("30", delay=50)
    page.locator("#household-choices button", has_text="6号楼 2单元 301").click()
    page.locator("#co-visitor-list label.check", has_text="寇莹莹").wait_for()
    # Found by name as you type: only those serving the household's place are offered.
    page.locator("#co-visitor-q").fill("李")
    assert page.locator("#co-visitor-list label.check:visible").all_inner_texts() == ["李强"]
    page.locator("#co-visitor-list label.check", has_text="李强").click()
    page.locator("#co-visitor-q").fill("寇")
    page.locator("#co-visitor-list label.check", has_text="寇莹莹").click()
    assert "赵敏" not in page.locator("#co-visitor-list").inner_text()
    page.check("input[name=knows][value=yes]")
    page.check("input[name=trusts][value=yes]")
    page.select_option("#id_concern-0-category", label="排水防涝")
    page.fill("#id_concern-0-description", "6号楼下水管道堵塞")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "cadre-joint-visit-phone")
    page.click("button[type=submit].button--primary")
    page.wait_for_load_state()
    assert "已保存对" in page.locator(".messages").inner_text()

    visit = Visit.objects.get()
    assert visit.author == secretary
    assert {o.name for o in visit.co_visitors.all()} == {"李强", "寇莹莹"}
    assert Petition.objects.get().created_by == secretary
    answer = ThreeTrustAnswer.objects.get()
    assert (answer.knows, answer.trusts, answer.approves) == (True, True, None)

    page.goto(f"/units/{inspection.pk}/")
    assert page.locator("#cadres-assigned").inner_text() == "1"
    assert page.locator("#visits-credited").inner_text() == "1"
    assert page.locator("#households-visited").inner_text() == "1"
    assert page.locator("#concerns-raised").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "unit-page-phone")
    assert Assignment.objects.get().official.user == secretary


def test_the_district_cadre_tables_read_on_a_phone(new_page, grid_a1, organizer):
    """Ten number columns scroll inside their table: a unit's name stays on one line and the
    headings keep whole words, and the page itself does not scroll sideways."""
    inspection = f.make_department(grid_a1.community.street.district, name="区住房和城乡建设局")
    cadre = f.make_official("cadre", name="许文博", department=inspection)
    assign(cadre, grid_a1.community)
    page = new_page(PHONE)
    log_in(page, "organizer", PASSWORD)
    page.goto("/cadres/")
    name = page.locator("#units tbody th").first
    line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) || 24")
    assert name.bounding_box()["height"] < 2 * line + 16  # one line plus the cell's padding
    assert (
        min(h["width"] for h in (th.bounding_box() for th in page.locator("#units thead th").all()))
        >= 50
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
