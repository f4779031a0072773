"""A petition's whole life in the browser: recorded by `grid` on a visit, escalated by
`community` and `street`, dispatched by `organizer` to 住建局, resolved by `department`,
followed up and closed by `grid`; the resident's tracking page shows each public step."""

from petitions.models import Category, Petition
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import PASSWORD


def act(page, petition, action, **fields):
    page.goto(f"/petitions/{petition.pk}/")
    page.locator(f"form[action$='/{action}/']").locator("xpath=..").locator("summary").click()
    form = page.locator(f"form[action$='/{action}/']")
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已完成" in page.locator(".messages").inner_text(), page.locator(
        ".messages"
    ).inner_text()


def test_a_petition_from_the_doorstep_to_the_district_and_back(
    new_page, grid_worker, community_staff, street_a_staff, organizer, department_staff,
    grid_a1, casework_defaults,
):  # fmt: skip
    from tests import factories as f

    household = f.make_household(grid_a1, room="301")
    f.make_resident(household, name="肖明伟")
    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto(f"/petitions/new/?household={household.pk}")
    page.select_option("#id_source", "walk_in")
    page.select_option("#id_category", label="排水防涝")
    page.fill("#id_description", "地下室渗水多年")
    page.click("button[type=submit].button--primary")
    page.wait_for_load_state()
    assert "查询码" in page.locator(".messages").inner_text()
    page.context.close()
    petition = Petition.objects.get()
    assert petition.category == Category.objects.get(name="排水防涝")
    steps = [
        ("grid", "escalate", {"reason": "小区内无法解决"}),
        ("community", "escalate", {"reason": "需要街道协调"}),
        ("street_a", "escalate", {"reason": "需要区直部门"}),
        ("organizer", "dispatch", {"department": "住建局"}),
        ("department", "accept", {}),
        ("department", "resolve", {"what_was_done": "更换地下室管网"}),
        ("grid", "follow_up", {"satisfaction": "满意", "comment": "居民满意"}),
        ("grid", "close", {}),
    ]
    for username, action, fields in steps:
        page = new_page(PHONE if username in ("grid", "community") else DESKTOP)
        log_in(page, username, PASSWORD)
        act(page, petition, action, **fields)
        page.context.close()
    petition.refresh_from_db()
    assert (petition.status, petition.level, petition.department.name) == (
        "closed",
        "district",
        "住建局",
    )

    resident = new_page(PHONE)
    resident.goto(f"/track/?code={petition.tracking_code}")
    text = resident.locator("main").inner_text()
    for step in ("上报", "派单", "签收", "已办结", "回访", "结案"):
        assert step in text
    assert "肖明伟" not in text and "地下室渗水" not in text
    screenshot(resident, "track-phone")
