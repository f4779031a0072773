"""The whole chain of issue 18 on a 360-px phone: 新村社区's first secretary (郑海涛 of 巡察办)
records a joint visit with the street's official and the grid worker, found by name as he types,
and raises a concern on the doorstep; it climbs to the district; 区委组织部 puts it on the ledger
with an owner department and a target date; 区委办 supervises it with an instruction; 住建局
resolves it and signs it off (销号). After each step the unit's page and the district dashboard
count it; the cadre's own page too at the end."""

import datetime

from django.utils import timezone

from petitions.models import Petition
from petitions.services import transitions as t
from tests import factories as f
from tests.browser.conftest import PHONE, log_in, screenshot
from tests.cadres.conftest import assign
from tests.factories import PASSWORD

HEADLINE = ("cadre_households", "joint_households", "raised", "collected", "supervised",
            "solved", "signed_off")  # fmt: skip
UNIT = ("households-visited", "visits-credited", "concerns-raised", "concerns-solved")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def act(page, petition, action, fields=None, select=None):
    """Take `action` on the petition page through its form, as the logged-in user."""
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


class Board:
    """The organizer's two pages, read again after each step: the district dashboard's headline
    and the unit's figures."""

    def __init__(self, page, unit_pk):
        self.page, self.unit_pk = page, unit_pk
        self.seen = self.read()

    def read(self):
        self.page.goto("/")
        figures = {
            key: int(self.page.locator(f"#headline-{key} .stat__value").inner_text())
            for key in HEADLINE
        }
        self.page.goto(f"/units/{self.unit_pk}/")
        figures |= {key: int(self.page.locator(f"#{key}").inner_text()) for key in UNIT}
        return figures

    def changed(self):
        """The figures that moved since the last look, with their new values."""
        now = self.read()
        moved = {key: value for key, value in now.items() if value != self.seen[key]}
        self.seen = now
        return moved


def test_a_first_secretarys_joint_visit_is_followed_through_and_counted(
    new_page, organizer, grid_a1, grid_worker, street_a_staff, street_b_staff, department,
    department_staff, zuzhibu, quweiban, casework_defaults,
):  # fmt: skip
    inspection = f.make_department(grid_a1.community.street.district, name="巡察办")
    secretary = f.make_official("secretary", name="郑海涛", department=inspection, title="第一书记")
    assign(secretary, grid_a1.community)
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华")

    board_page = new_page(PHONE)
    log_in(board_page, "organizer", PASSWORD)
    board = Board(board_page, inspection.pk)
    assert all(value == 0 for value in board.seen.values()), board.seen

    # 1. The first secretary's joint visit, co-visitors found by name as he types.
    page = new_page(PHONE)
    log_in(page, "secretary", PASSWORD)
    page.goto("/visits/new/")
    page.locator("#household-q").press_sequentially("30", delay=50)
    page.locator("#household-choices button", has_text="6号楼 2单元 301").click()
    page.locator("#co-visitor-list label.check", has_text="寇莹莹").wait_for()
    page.locator("#co-visitor-q").press_sequentially("李", delay=50)
    assert page.locator("#co-visitor-list label.check:visible").all_inner_texts() == ["李强"]
    page.locator("#co-visitor-list label.check", has_text="李强").click()
    page.locator("#co-visitor-q").fill("")
    page.locator("#co-visitor-q").press_sequentially("寇", delay=50)
    # 李强, ticked, stays in view; the name typed finds the grid worker.
    visible = page.locator("#co-visitor-list label.check:visible").all_inner_texts()
    assert sorted(visible) == ["寇莹莹 · 网格员", "李强"]
    page.locator("#co-visitor-list label.check", has_text="寇莹莹").click()
    assert page.locator("#co-visitor-list input:checked").count() == 2
    assert "赵敏" not in page.locator("#co-visitor-list").inner_text()  # another street's
    page.select_option("#id_concern-0-category", label="排水防涝")
    page.fill("#id_concern-0-description", "6号楼雨水管网老化,汛期积水")
    no_sideways_scroll(page)
    page.click("button[type=submit].button--primary")
    page.wait_for_load_state()
    assert "已保存对" in page.locator(".messages").inner_text()
    petition = Petition.objects.get()
    assert petition.created_by == secretary
    assert board.changed() == {
        "cadre_households": 1, "joint_households": 1, "raised": 1,
        "households-visited": 1, "visits-credited": 1, "concerns-raised": 1,
    }  # fmt: skip

    # 2. It climbs to the district: the secretary takes it to the community and the street, the
    # street's official (a step beside the point: by the service) to the district.
    act(page, petition, "escalate", fields={"reason": "需社区统筹协调"})
    act(page, petition, "escalate", fields={"reason": "涉及多个小区,需街道协调"})
    petition.refresh_from_db()
    assert petition.level == "street"
    t.escalate(petition, by=street_a_staff, reason="管网改造需区级统筹")
    page.context.close()
    assert board.changed() == {}

    # 3. 区委组织部 sends it to 住建局 and puts it on the ledger with a target date.
    page = new_page(PHONE)
    log_in(page, "zuzhibu", PASSWORD)
    act(page, petition, "dispatch", select={"department": "住建局"})
    target = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    act(page, petition, "put_on_ledger", fields={"target": target}, select={"owner": "住建局"})
    page.context.close()
    petition.refresh_from_db()
    assert (petition.ledger_owner, petition.ledger_target.isoformat()) == (department, target)
    assert board.changed() == {"collected": 1}

    # 4. 区委办 supervises it, though it is not overdue, with an instruction.
    page = new_page(PHONE)
    log_in(page, "quweiban", PASSWORD)
    act(page, petition, "supervise", fields={"instruction": "请住建局两周内拿出整改方案"})
    assert "请住建局两周内拿出整改方案" in page.locator("main").inner_text()
    page.context.close()
    assert board.changed() == {"supervised": 1}

    # 5. 住建局 resolves it and signs the ledger item off.
    page = new_page(PHONE)
    log_in(page, "department", PASSWORD)
    act(page, petition, "accept")
    act(page, petition, "resolve", fields={"what_was_done": "更换6号楼雨水管网120米"})
    assert board.changed() == {"solved": 1, "concerns-solved": 1}
    act(page, petition, "sign_off")
    page.goto("/ledger/")
    assert "已销号" in page.locator("#ledger-items").inner_text()
    page.context.close()
    assert board.changed() == {"signed_off": 1}

    # The unit's page and the dashboard as they stand at the end.
    board_page.goto(f"/units/{inspection.pk}/")
    assert board_page.locator("#cadres-assigned").inner_text() == "1"
    no_sideways_scroll(board_page)
    screenshot(board_page, "cadres-chain-unit-phone")
    # The cadre's name opens his own page, with the same figures.
    board_page.locator("#cadres a", has_text="郑海涛").click()
    board_page.wait_for_url(lambda url: f"/cadres/{secretary.official.pk}/" in url)
    assert board_page.locator("#visits-credited").inner_text() == "1"
    assert board_page.locator("#concerns-solved").inner_text() == "1"
    assert "6号楼 2单元 301" in board_page.locator("#visits").inner_text()
    no_sideways_scroll(board_page)
    board_page.goto("/")
    no_sideways_scroll(board_page)
    screenshot(board_page, "cadres-chain-dashboard-phone")
