"""Registry flows in a real browser on a phone: find a resident as you type, fill a vacancy."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests import factories as f
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import PASSWORD


@pytest.fixture
def unit_with_residents(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    for room, name in (("301", "陈华"), ("302", "曹艳")):
        f.make_resident(
            f.make_household(grid_a1, unit=unit, room=room), name=name, phone="13812345678"
        )
    return unit


def test_grid_worker_finds_a_resident_by_typing_part_of_a_room(
    new_page, grid_worker, unit_with_residents
):
    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/residents/")
    page.locator("#q").press_sequentially("30", delay=50)
    page.locator("#search-results .results li").first.wait_for()
    names = page.locator("#search-results").inner_text()
    assert "陈华" in names and "曹艳" in names
    assert "138****5678" in names
    screenshot(page, "resident-search-phone")
    page.locator("#search-results a", has_text="陈华").click()
    page.wait_for_load_state()
    assert "安装公司家属院 6号楼 2单元 301" in page.locator("h1").inner_text()


def test_community_official_fills_a_unit_head_vacancy_on_a_phone(
    new_page, community_staff, grid_a1, unit_with_residents
):
    unit = unit_with_residents
    page = new_page(PHONE)
    log_in(page, "community", PASSWORD)
    page.goto(f"/grids/{grid_a1.pk}/")
    seat = page.locator(f"#unit_head-{unit.pk}")
    assert "空缺" in seat.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "grid-chain-phone")
    seat.get_by_role("link", name="任命").click()
    page.wait_for_load_state()
    page.select_option("select[name=resident]", label="陈华 · 安装公司家属院 6号楼 2单元 301")
    page.click("button.button--primary")
    page.wait_for_load_state()
    assert "已任命 陈华" in page.locator(".messages").inner_text()
    seat = page.locator(f"#unit_head-{unit.pk}")
    assert "陈华" in seat.inner_text()
    assert "空缺" not in seat.inner_text()
    assert "seat--vacant" not in (seat.get_attribute("class") or "")


@pytest.fixture
def two_residents(grid_a1):
    compound = f.make_compound(grid_a1.community, name="帝豪花园小区")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="3号楼"), name="1单元")
    for room, name in (("101", "赵峰"), ("102", "袁霞美")):
        f.make_resident(f.make_household(grid_a1, unit=unit, room=room), name=name)
    return unit


def test_grid_worker_types_a_name_slowly_and_finds_the_resident(
    new_page, grid_worker, two_residents
):
    """An input method commits one character at a time, each after the last answer arrived: every
    search must ask for what is in the box now, not for the previous address with ?q= appended."""
    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/residents/")
    results = page.locator("#search-results")
    for typed in ("袁", "袁霞", "袁霞美"):
        with page.expect_response(lambda r: "/residents/?" in r.url):
            page.locator("#q").press_sequentially(typed[-1])
        # A Python predicate: a string one is eval'd in the page while polling (the CSP refuses).
        page.wait_for_url(lambda url, t=typed: parse_qs(urlsplit(url).query).get("q") == [t])
    assert "没有" not in results.inner_text()
    assert "袁霞美" in results.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_grid_worker_searches_again_after_clearing_the_box(new_page, grid_worker, two_residents):
    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/residents/")
    results = page.locator("#search-results")
    with page.expect_response(lambda r: "/residents/?" in r.url):
        page.locator("#q").press_sequentially("赵峰")
    results.locator("a", has_text="赵峰").wait_for()
    page.locator("#q").fill("")
    with page.expect_response(lambda r: "/residents/?" in r.url):
        page.locator("#q").press_sequentially("袁霞美")
    results.locator("a", has_text="袁霞美").wait_for()
    assert "赵峰" not in results.inner_text()
