"""The district's follow-through chain on a phone: a concern reaches the district, 区委组织部
dispatches it and puts it on the ledger, 区委办 supervises it and raises the card, 住建局
rectifies it and signs it off (销号); the district bodies' home counts each step."""

import datetime

from django.utils import timezone

from petitions.models import Category, Petition
from petitions.services import transitions as t
from tests import factories as f
from tests.browser.conftest import PHONE, SCREENSHOTS, log_in
from tests.factories import PASSWORD


def act(page, petition, action, fields=None, select=None):
    page.goto(f"/petitions/{petition.pk}/")
    page.locator(f"#action-{action} > summary").click()
    form = page.locator(f"form[action$='/{action}/']")
    for name, value in (select or {}).items():
        form.locator(f"[name={name}]").select_option(label=value)
    for name, value in (fields or {}).items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已完成" in page.locator(".messages").inner_text()


def headline(page, key):
    page.goto("/")
    return page.locator(f"#headline-{key} .stat__value").inner_text()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_district_concern_is_collected_supervised_and_signed_off(
    new_page, organizer, zuzhibu, quweiban, department, department_staff, grid_a1, grid_worker,
    casework_defaults,
):  # fmt: skip
    petition = Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        household=f.make_household(grid_a1), description="雨水管网老化,汛期积水",
        created_by=grid_worker,
    )  # fmt: skip
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="需区级统筹")

    # 区委组织部 triages: dispatches it to 住建局 and puts it on the ledger.
    page = new_page(PHONE)
    log_in(page, "zuzhibu", PASSWORD)
    assert page.locator("#waiting-triage .stat__value").inner_text() == "1"
    no_sideways_scroll(page)
    act(page, petition, "dispatch", select={"department": "住建局"})
    target = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    act(page, petition, "put_on_ledger", fields={"target": target}, select={"owner": "住建局"})
    assert headline(page, "collected") == "1"
    page.context.close()

    # 区委办 supervises it though it is not overdue, and raises the yellow card.
    page = new_page(PHONE)
    log_in(page, "quweiban", PASSWORD)
    assert headline(page, "supervised") == "0"
    act(page, petition, "supervise", fields={"instruction": "请住建局两周内拿出方案"})
    act(page, petition, "raise_grade", fields={"reason": "群众多次反映"})
    assert "黄牌督办" in page.locator("main").inner_text()
    assert headline(page, "supervised") == "1"
    assert page.locator("#waiting-yellow .stat__value").inner_text() == "1"
    page.context.close()

    # 住建局 is told, rectifies it and signs it off.
    page = new_page(PHONE)
    log_in(page, "department", PASSWORD)
    page.goto("/inbox/")
    assert "黄牌督办" in page.locator("main").inner_text()
    act(page, petition, "accept")
    act(page, petition, "ledger_progress", fields={"progress": "完成管网探测"})
    act(page, petition, "resolve", fields={"what_was_done": "更换雨水管网200米"})
    act(page, petition, "sign_off")
    page.goto("/ledger/")
    assert "已销号" in page.locator("#ledger-items").inner_text()
    no_sideways_scroll(page)
    page.context.close()

    # The district bodies' home counts each step, and each figure opens its list.
    page = new_page(PHONE)
    log_in(page, "quweiban", PASSWORD)
    for key in ("collected", "supervised", "signed_off", "solved"):
        assert page.locator(f"#headline-{key} .stat__value").inner_text() == "1", key
    no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / "follow-through-home-phone.png", full_page=True)
    page.click("#headline-signed_off")
    page.wait_for_load_state()
    assert "雨水管网老化" in page.locator("ul.results").inner_text()
    page.goto("/ledger/")
    page.screenshot(path=SCREENSHOTS / "district-ledger-phone.png", full_page=True)
