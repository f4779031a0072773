"""A dispute on a phone, as the page tells it: found in the grid's WeChat group, mediated in the
building with the unit head and a lawyer, an agreement recorded and its 调解协议书 printed, its
performance followed up a month later; the monthly report counts it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from disputes.defaults import ensure_kinds
from disputes.models import Dispute, DisputeKind
from disputes.services.intake import PartyData, open_dispute
from tests import factories as f
from tests.browser.conftest import PHONE, log_in, screenshot


@pytest.fixture
def wechat_dispute(transactional_db, grid_a1, community_a):
    ensure_kinds(DisputeKind)
    officer = f.make_official(
        "officer", name="社区民警 赵刚", areas=[community_a], title="社区民警"
    )
    compound = f.make_compound(community_a, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    above = f.make_resident(f.make_household(grid_a1, unit=unit, room="401"), name="陈华",
                            phone="13812345678")  # fmt: skip
    below = f.make_resident(f.make_household(grid_a1, unit=unit, room="301"), name="王建国",
                            phone="13987654321")  # fmt: skip
    dispute = open_dispute(
        by=officer, kind=DisputeKind.objects.get(name="邻里纠纷"), found_by="wechat",
        description="网格微信群反映:楼上卫生间漏水到楼下,两家吵了起来", grid=grid_a1,
        building=unit.building,
        parties=[PartyData("applicant", resident=below), PartyData("respondent", resident=above)],
    )  # fmt: skip
    return officer, dispute


def _report_totals(page, community):
    page.goto(reverse("disputes:report") + f"?community={community.pk}")
    return [page.inner_text(f"#total-{m}") for m in ("screened", "mediated", "resolved")]


def test_an_officer_mediates_a_wechat_dispute_on_a_phone(new_page, wechat_dispute, community_a):
    officer, dispute = wechat_dispute
    page = new_page(PHONE)
    log_in(page, "officer", f.PASSWORD)
    assert _report_totals(page, community_a) == ["1", "0", "0"]

    page.goto(reverse("disputes:list"))
    page.click("text=网格微信群反映")
    assert page.inner_text("#dispute-status") == "待受理"
    assert "139****4321" in page.content() and "13987654321" not in page.content()
    page.click("#action-accept summary")
    page.click("#action-accept button[type=submit]")
    assert page.inner_text("#dispute-status") == "已受理"

    page.click("#action-mediate summary")
    form = page.locator("#action-mediate form")
    form.locator("[name=place]").fill("6号楼2单元楼道")
    form.locator("[name=role_1]").select_option("five_three")
    form.locator("[name=name_1]").fill("单元长 李秀兰")
    form.locator("[name=role_2]").select_option("lawyer")
    form.locator("[name=name_2]").fill("陈律师")
    form.locator("[name=role_3]").select_option("police")
    form.locator("[name=official_3]").select_option(label="社区民警 赵刚")
    form.locator("[name=outcome]").select_option("success")
    form.locator("[name=terms]").fill("陈华重做卫生间防水,赔偿王建国粉刷费800元")
    # The date is the one field left empty: refused in Chinese, what was typed kept.
    form.locator("button[type=submit]").click()
    assert "请输入日期" in page.content()
    form = page.locator("#action-mediate form")
    assert form.locator("[name=place]").input_value() == "6号楼2单元楼道"
    form.locator("[name=held_on]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    assert page.inner_text("#dispute-status") == "已达成协议"
    assert "单元长 李秀兰" in page.inner_text("#mediations")
    screenshot(page, "dispute-agreed-phone")

    page.click("#print-agreement")
    assert page.inner_text("h1") == "人民调解协议书"
    assert "赔偿王建国粉刷费800元" in page.inner_text("#agreement-terms")
    assert "申请人(签名)" in page.content() and "13812345678" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "dispute-agreement-phone")
    page.go_back()

    page.click("#action-follow_up summary")
    page.locator("#action-follow_up [name=performance]").select_option("performed")
    page.locator("#action-follow_up [name=note]").fill("一个月后回访:防水已做,钱已付")
    page.click("#action-follow_up button[type=submit]")
    assert page.inner_text("#dispute-status") == "已回访"

    assert _report_totals(page, community_a) == ["1", "1", "1"]
    assert page.inner_text("#total-rate") == "100%"
    screenshot(page, "dispute-report-phone")
    assert Dispute.objects.get(pk=dispute.pk).performance == "performed"
