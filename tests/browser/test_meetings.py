"""议事 on a phone: a community official schedules a 议事日, puts an open petition on its agenda
from the petition's page, records who came and the decision, and the petition's timeline shows
the decision."""

import datetime

from django.utils import timezone

from petitions.models import Category
from petitions.services.intake import open_petition
from tests import factories as f
from tests.browser.conftest import PHONE, SCREENSHOTS, log_in
from tests.factories import PASSWORD


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_deliberation_day_decides_an_open_petition(
    new_page, community_staff, grid_worker, community_a, grid_a1, casework_defaults
):
    household = f.make_household(grid_a1, room="301")
    petition = open_petition(
        by=grid_worker, source="wechat", category=Category.objects.get(name="停车管理"),
        description="车辆乱停乱放，堵塞小区消防通道", household=household,
    )  # fmt: skip
    page = new_page(PHONE)
    log_in(page, "community", PASSWORD)

    # Schedule today's 议事日 (an hour ago: it is being held now).
    page.goto("/meetings/new/")
    page.select_option("[name=community]", str(community_a.pk))
    page.select_option("[name=kind]", "day")
    started = timezone.localtime() - datetime.timedelta(hours=1)
    page.fill("[name=starts_at]", started.strftime("%Y-%m-%dT%H:%M"))
    page.fill("[name=place]", "新村社区议事厅")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    assert "会议已排入日程" in page.locator(".messages").inner_text()
    meeting_url = page.url

    # From the petition's page: put it on the agenda.
    page.goto(f"/petitions/{petition.pk}/")
    page.click("#put-on-agenda button")
    page.wait_for_load_state()
    assert "已完成：列入议程" in page.locator(".messages").inner_text()

    # Record who came: the official and the community police officer.
    page.goto(meeting_url)
    page.click("#action-add_attendees")
    page.wait_for_load_state()
    no_sideways_scroll(page)
    form = page.locator("#attendees-form")
    form.locator("[name=capacity]").select_option("official")
    form.get_by_label("柴松杰").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == meeting_url
    page.click("#action-add_attendees")
    page.wait_for_load_state()
    form = page.locator("#attendees-form")
    form.locator("[name=capacity]").select_option("police")
    form.locator("[name=name]").fill("社区民警王警官")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    attendees = page.locator("#attendees").inner_text()
    assert "柴松杰" in attendees and "社区民警王警官" in attendees
    no_sideways_scroll(page)

    # The decision, by show of hands, with a follow-up.
    page.locator("#topics a", has_text="记录议定结果").click()
    page.select_option("[name=decided_how]", "vote")
    page.fill("[name=decision]", "施划停车位，消防通道设置禁停标识")
    page.fill("[name=votes_for]", "28")
    page.fill("[name=votes_against]", "2")
    page.fill("[name=action]", "施划停车位")
    page.fill("[name=owner_name]", "物业经理")
    page.fill("[name=due]", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    assert "议定结果已记录" in page.locator(".messages").inner_text()
    assert "已召开" in page.locator("#meeting-status").inner_text()
    no_sideways_scroll(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "meeting-phone.png"), full_page=True)

    # The petition's timeline shows the decision.
    page.goto(f"/petitions/{petition.pk}/")
    timeline = page.locator(".timeline").last.inner_text()
    assert "议事会议定" in timeline and "施划停车位，消防通道设置禁停标识" in timeline
    assert "赞成 28 票" in timeline
    no_sideways_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "meeting-petition-timeline-phone.png"), full_page=True)

    # Both the meeting ledger and the dashboard count it: a 议事日 held, a topic decided.
    page.goto("/meetings/")
    ledger = page.locator("ul.results").inner_text()
    assert "新村社区议事厅" in ledger and "已召开" in ledger
    no_sideways_scroll(page)
    page.goto("/?period=this_month")
    figures = page.locator("#meeting-figures .stat__value")
    assert figures.nth(0).inner_text().replace(" ", "") == "1/1"
    assert figures.nth(1).inner_text() == "1"
    no_sideways_scroll(page)
