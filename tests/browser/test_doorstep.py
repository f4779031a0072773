"""The doorstep forms on a phone: an error is found at once and names the photos to attach
again; offline the page stays and says the draft is kept; logging out clears the draft; the
new-petition form finds a household like the visit form; a visit's petitions are links."""

import pytest
from PIL import Image

from petitions.models import Category, Petition, Visit
from petitions.services.visits import Concern, VisitRecord, record_visit
from petitions.views import visits as visit_views
from tests import factories as f
from tests.browser.conftest import PHONE, log_in
from tests.factories import PASSWORD

PHONE_390 = {"width": 390, "height": 844}
DRAFT_KEYS = "Object.keys(localStorage).filter(k => k.includes('-draft-'))"


@pytest.fixture
def household(grid_a1, casework_defaults):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华")
    return household


def choose_household(page):
    page.locator("#household-q").press_sequentially("30", delay=50)
    page.locator("#household-choices button", has_text="6号楼 2单元 301").click()


def in_view(page, selector):
    return page.evaluate(
        """(s) => { const r = document.querySelector(s).getBoundingClientRect();
                    return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_an_error_on_a_phone_is_brought_into_view_with_a_banner_and_names_the_photo(
    new_page, grid_worker, household, tmp_path
):
    photo = tmp_path / "drain.jpg"
    Image.new("RGB", (640, 480), (90, 90, 200)).save(photo, format="JPEG")
    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    page.goto("/visits/new/")
    choose_household(page)
    page.locator(".household-panel").wait_for()
    page.fill("#id_notes", "老人独居，身体尚好")
    page.fill("#id_concern-0-description", "6号楼下水管道堵塞")  # no category: an error
    page.set_input_files("#id_photos", str(photo))
    with page.expect_navigation():
        page.click("button[type=submit].button--primary")

    assert not Visit.objects.exists()
    banner = page.locator("#form-problems")
    assert "走访没有保存" in banner.inner_text() and "drain.jpg" in banner.inner_text()
    assert "drain.jpg" in page.locator("#attach-again").inner_text()
    assert page.evaluate("document.activeElement.id") == "id_concern-0-category"
    assert in_view(page, "#id_concern-0-category")
    assert page.locator("#id_notes").input_value() == "老人独居，身体尚好"
    assert page.locator("#household-search").is_hidden()  # the household stays chosen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]


def test_saving_offline_stays_on_the_page_and_says_the_draft_is_kept(
    new_page, grid_worker, household
):
    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    page.goto("/visits/new/")
    choose_household(page)
    page.locator(".household-panel").wait_for()
    page.fill("#id_notes", "断网时写的民情日志")
    page.context.set_offline(True)
    page.click("button[type=submit].button--primary")
    notice = page.locator("#offline-notice")
    notice.wait_for(state="visible")
    assert "草稿" in notice.inner_text()
    assert page.url.endswith("/visits/new/") and not Visit.objects.exists()
    assert page.evaluate(DRAFT_KEYS) == [f"visit-draft-{grid_worker.pk}"]

    page.context.set_offline(False)
    with page.expect_navigation(url="**/visits/*/"):
        page.click("button[type=submit].button--primary")
    assert "已保存对" in page.locator(".messages").inner_text()
    assert Visit.objects.get().notes == "断网时写的民情日志"


def test_logging_out_clears_the_draft_on_a_shared_phone(new_page, grid_worker, household):
    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    page.goto("/visits/new/")
    page.fill("#id_notes", "陈华家的情况")
    assert page.evaluate(DRAFT_KEYS) == [f"visit-draft-{grid_worker.pk}"]
    # The log-out button may sit in a menu on a phone: submit its form as the button does.
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[action$=\"/logout/\"]').requestSubmit()")
    assert "/accounts/login/" in page.url
    assert page.evaluate(DRAFT_KEYS) == []


def test_a_petition_from_the_menu_finds_its_household_and_who_raised_it(
    new_page, grid_worker, household
):
    page = new_page(PHONE)
    log_in(page, "grid", PASSWORD)
    page.goto("/petitions/")
    page.get_by_role("link", name="登记诉求").first.click()
    page.wait_for_url("**/petitions/new/")
    choose_household(page)
    page.locator("#id_resident option", has_text="陈华").wait_for(state="attached")
    page.select_option("#id_resident", label="陈华")
    page.select_option("#id_source", "walk_in")
    page.select_option("#id_category", label="排水防涝")
    page.fill("#id_description", "楼下下水道反味")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("button[type=submit].button--primary")
    page.locator(".messages").wait_for()
    petition = Petition.objects.get()
    assert petition.household == household
    assert petition.resident.name == "陈华"


def test_the_petitions_of_a_saved_visit_are_links(new_page, grid_worker, household):
    from django.utils import timezone

    drainage = Category.objects.get(name="排水防涝")
    visit = record_visit(
        VisitRecord(household=household, visited_at=timezone.now(), kind="routine",
                    concerns=[Concern(category=drainage, description="下水管道堵塞")]),
        by=grid_worker,
    )  # fmt: skip
    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    page.goto(f"/visits/{visit.pk}/")
    page.get_by_role("link", name="下水管道堵塞").click()
    page.wait_for_load_state()
    petition = Petition.objects.get()
    assert page.url.endswith(f"/petitions/{petition.pk}/")
    assert petition.tracking_code in page.content()


def test_a_visit_resent_after_no_answer_came_is_not_saved_twice(
    new_page, grid_worker, household, monkeypatch
):
    page = new_page(PHONE_390)
    log_in(page, "grid", PASSWORD)
    page.goto("/visits/new/")
    choose_household(page)
    page.locator(".household-panel").wait_for()
    page.fill("#id_notes", "第一次提交")
    page.select_option("#id_concern-0-category", label="排水防涝")
    page.fill("#id_concern-0-description", "6号楼下水管道堵塞")

    real_redirect = visit_views.redirect
    answers = []

    def worker_dies_after_the_commit(*args, **kwargs):
        answers.append(args)
        if len(answers) == 1:  # the visit is committed; the worker dies before answering
            raise ConnectionResetError("worker killed")
        return real_redirect(*args, **kwargs)

    monkeypatch.setattr(visit_views, "redirect", worker_dies_after_the_commit)
    with page.expect_navigation():
        page.click("button[type=submit].button--primary")
    assert Visit.objects.count() == 1 and len(answers) == 1

    # The official opens the form again: the draft comes back, with the form's key, and is sent.
    page.goto("/visits/new/")
    assert page.locator("#draft-notice").is_visible()
    assert page.locator("#id_notes").input_value() == "第一次提交"
    with page.expect_navigation(url="**/visits/*/"):
        page.click("button[type=submit].button--primary")
    assert "已经保存过" in page.locator(".messages").inner_text()
    visit = Visit.objects.get()
    assert page.url.endswith(f"/visits/{visit.pk}/")
    assert Petition.objects.count() == 1
