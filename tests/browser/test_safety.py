"""On a phone: a community records its police-down day turnout and the district page's totals
change; an accident record turns the community's 零事故 red on the three zeros page."""

import datetime

from django.utils import timezone

from safety.models import PoliceDay
from tests import factories as f
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_police_down_day_is_recorded_and_the_district_totals_change(
    new_page, organizer, community_staff, community_a, grid_a1
):
    day = PoliceDay.objects.create(
        date=timezone.localdate() - datetime.timedelta(days=1), theme="警力下沉日·民法典进社区",
        scheduled_by=organizer,
    )  # fmt: skip
    district = new_page(PHONE)
    log_in(district, "organizer", PASSWORD)
    district.goto("/safety/police-days/?period=this_year")
    assert district.locator("#total-officers").inner_text() == "0"

    page = new_page(PHONE)
    log_in(page, "community", PASSWORD)
    page.goto(f"/safety/police-days/{day.pk}/")
    page.click(f"a[href='/safety/police-days/{day.pk}/communities/{community_a.pk}/']")
    page.fill("#id_other_officers", "6")
    page.fill("#id_households_visited", "40")
    page.fill("#id_consultations", "3")
    page.fill("#id_publicity", "-1")
    page.fill("#id_document_help", "1")
    _fits(page)
    page.click("#turnout-form button[type=submit]")
    assert "0 或更大" in page.locator("#turnout-form").inner_text()
    page.fill("#id_publicity", "1")
    page.click("#turnout-form button[type=submit]")
    page.wait_for_url(f"**/safety/police-days/{day.pk}/")
    assert "6 名干警" in page.locator(f"#turnout-{community_a.pk}").inner_text()
    _fits(page)

    district.reload()
    assert district.locator("#total-officers").inner_text() == "6"
    # Disputes are counted from those recorded as found on the day: none yet.
    assert district.locator("#total-screened").inner_text() == "0"
    assert district.locator("#total-services").inner_text() == "5"
    _fits(district)
    screenshot(district, "police-down-days-phone")


def test_an_accident_record_turns_the_communitys_zero_accidents_red(
    new_page, community_staff, community_a, street_a
):
    f.make_community(street_a, name="八西社区")
    page = new_page(PHONE)
    log_in(page, "community", PASSWORD)
    page.goto("/safety/three-zeros/")
    row = page.locator(f"#zeros-{community_a.pk}")
    assert "zeros--held" in row.get_attribute("class")
    page.goto("/safety/incidents/new/")
    page.select_option("#id_goal", "accident")
    page.select_option("#id_kind", "fire")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("#id_occurred_on", tomorrow.isoformat())
    page.select_option("#id_community", str(community_a.pk))
    page.fill("#id_summary", "3号楼楼道电动自行车充电起火,无人员伤亡")
    page.click("#incident-form button[type=submit]")
    assert "日期不能晚于今天" in page.locator("#incident-form").inner_text()
    page.fill("#id_occurred_on", timezone.localdate().isoformat())
    page.click("#incident-form button[type=submit]")
    page.wait_for_url("**/safety/three-zeros/**")
    row = page.locator(f"#zeros-{community_a.pk}")
    assert "zeros--broken" in row.get_attribute("class")
    assert "未达标" in row.locator("[data-goal=accident]").inner_text()
    _fits(page)
    screenshot(page, "three-zeros-phone")
    row.locator("[data-goal=accident] a").click()
    assert "电动自行车充电起火" in page.locator("table").inner_text()


def test_a_dispute_found_on_a_police_down_day_is_counted_on_the_day(
    new_page, organizer, community_staff, community_a, grid_a1
):
    from disputes.defaults import ensure_kinds
    from disputes.models import Dispute, DisputeKind

    ensure_kinds(DisputeKind)
    day = PoliceDay.objects.create(
        date=timezone.localdate(), theme="警力下沉日·法律咨询进社区", scheduled_by=organizer
    )
    page = new_page(PHONE)
    log_in(page, "community", PASSWORD)
    page.goto(f"/safety/police-days/{day.pk}/communities/{community_a.pk}/")
    assert "当日排查矛盾纠纷 0 件" in page.inner_text("#turnout-disputes")
    page.click("#turnout-disputes a")
    page.wait_for_url("**/disputes/new/?found_by=police_day")
    assert page.locator("#id_found_by").input_value() == "police_day"
    page.select_option("#id_kind", label="邻里纠纷")
    page.fill("#id_description", "下沉日现场反映:楼上夜间噪音")
    page.select_option("#id_grid", str(grid_a1.pk))
    page.fill("#id_applicant_name", "张桂芳")
    page.fill("#id_respondent_name", "刘某")
    _fits(page)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/disputes/*/")
    assert Dispute.objects.get().found_by == "police_day"

    page.goto(f"/safety/police-days/{day.pk}/communities/{community_a.pk}/")
    assert "当日排查矛盾纠纷 1 件，化解 0 件" in page.inner_text("#turnout-disputes")
    page.fill("#id_other_officers", "2")
    page.click("#turnout-form button[type=submit]")
    page.wait_for_url(f"**/safety/police-days/{day.pk}/")
    district = new_page(PHONE)
    log_in(district, "organizer", PASSWORD)
    district.goto("/safety/police-days/?period=this_year")
    assert district.locator("#total-screened").inner_text() == "1"
    assert district.locator("#total-resolved").inner_text() == "0"
