"""The petition page's actions on a phone: a department's 退回 lands where it can look, an action
form keeps what was typed on an error, residents' contributions are shown where they belong,
and an escalation reaches the inbox of the level above."""

from django.urls import reverse

from petitions.models import Category, Petition
from petitions.services import transitions as t
from tests import factories as f
from tests.browser.conftest import PHONE, log_in
from tests.factories import PASSWORD

PHONE_390 = {"width": 390, "height": 844}


def open_action(page, petition, action):
    page.goto(f"/petitions/{petition.pk}/")
    page.locator(f"#action-{action} > summary").click()
    return page.locator(f"form[action$='/{action}/']")


def no_sideways_scroll(page):
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(PHONE_390)


def drain_petition(grid_a1, grid_worker, **place):
    return Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        description="6号楼下水管道堵塞", created_by=grid_worker, **place,
    )  # fmt: skip


def test_a_department_returns_a_petition_and_lands_on_its_list_with_the_message(
    new_page, grid_worker, organizer, department, department_staff, grid_a1, casework_defaults
):
    household = f.make_household(grid_a1, room="301")
    petition = drain_petition(grid_a1, grid_worker, household=household)
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    t.dispatch(petition, by=organizer, department=department)

    page = new_page(PHONE_390)
    log_in(page, "department", PASSWORD)
    form = open_action(page, petition, "return")
    place = page.locator(".card p.muted").first
    assert household.address in place.inner_text()
    assert place.locator("a").count() == 0  # the household page is not the department's
    form.locator("[name=code]").select_option("duties")
    form.locator("[name=reason]").fill("不属于住建局职责")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/petitions/")
    messages = page.locator(".messages").inner_text()
    assert "已完成：退回" in messages and "已不在您的列表中" in messages
    assert "404" not in page.title()


def test_the_resolve_form_keeps_what_was_typed_when_a_room_is_ambiguous(
    new_page, grid_worker, grid_a1, casework_defaults
):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    for name in ("5号楼", "6号楼"):
        unit = f.make_unit(f.make_building(compound, grid_a1, name=name), name="2单元")
        f.make_household(grid_a1, unit=unit, room="301")
    petition = drain_petition(grid_a1, grid_worker, compound=compound)
    t.accept(petition, by=grid_worker)

    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    form = open_action(page, petition, "resolve")
    form.locator("[name=what_was_done]").fill("23户集资疏通下水管道")
    form.locator("[name=cost]").fill("2300")
    form.locator("[name=public_money]").fill("0")
    form.locator("[name=contributions]").fill("301 100")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "找不到唯一的住户" in page.locator(".messages").inner_text()
    form = page.locator("form[action$='/resolve/']")
    assert form.is_visible()  # its <details> is open
    assert form.locator("[name=what_was_done]").input_value() == "23户集资疏通下水管道"
    assert form.locator("[name=cost]").input_value() == "2300"
    assert form.locator("[name=contributions]").input_value() == "301 100"
    assert "找不到唯一的住户" in form.locator(".field--error .error").inner_text()
    no_sideways_scroll(page)
    # Corrected with building-unit-room, it goes through.
    form.locator("[name=contributions]").fill("6-2-301 100")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已完成：办结" in page.locator(".messages").inner_text()


def test_contributions_show_on_the_petition_and_on_the_paying_households_page(
    new_page, grid_worker, grid_a1, casework_defaults
):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    building = f.make_building(compound, grid_a1, name="6号楼")
    unit = f.make_unit(building, name="2单元")
    payers = [f.make_household(grid_a1, unit=unit, room=room) for room in ("301", "302")]
    petition = drain_petition(grid_a1, grid_worker, building=building, compound=compound)
    t.accept(petition, by=grid_worker)

    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    form = open_action(page, petition, "resolve")
    form.locator("[name=what_was_done]").fill("集资疏通")
    form.locator("[name=cost]").fill("2300")
    form.locator("[name=public_money]").fill("2000")
    form.locator("[name=contributions]").fill("301 100\n6-2-302 200")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    money = page.locator("#resolutions").inner_text()
    for text in ("安装公司家属院 6号楼 2单元 301", "100.00", "200.00", "300", "2300", "2000"):
        assert text in money
    no_sideways_scroll(page)
    page.goto(reverse("grids:household", args=[payers[1].pk]))
    paid = page.locator("#contributions").inner_text()
    assert "200.00" in paid and "排水防涝" in paid


def test_an_escalation_reaches_the_level_above_and_opening_it_marks_it_read(
    new_page, grid_worker, community_staff, grid_a1, casework_defaults
):
    petition = drain_petition(grid_a1, grid_worker, household=f.make_household(grid_a1))

    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    form = open_action(page, petition, "escalate")
    form.locator("[name=reason]").fill("小区内无法解决")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已完成：上报" in page.locator(".messages").inner_text()
    page.context.close()

    page = new_page(PHONE_390)
    log_in(page, "community", PASSWORD)
    page.goto("/inbox/")
    assert page.locator("[aria-label=未读]").first.inner_text() == "1"
    item = page.locator(".results a", has_text="上报到本级")
    assert item.locator(".badge").inner_text() == "新"
    item.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/petitions/{petition.pk}/")
    assert page.locator("[aria-label=未读]").count() == 0
