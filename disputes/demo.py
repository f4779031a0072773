"""Demo disputes: 河西社区's year as the page tells it ("mediated 10+ disputes this year …
finding neighbour quarrels and family troubles early through the grid WeChat groups … disputes
dissolved inside the buildings"), and a few in 新村社区 where the demo logins work.

Each dispute goes through the same services as the pages with the clock set to the moment each
step happened (`petitions.demo_stories.clock`), so events, deadlines and dates agree.
Among them: most
found in the WeChat group and dissolved in the building by the unit head; one mediated by a
judge and a lawyer; one referred to court; the 河西 neighbours' petition turned into a dispute.

Idempotent: nothing is added once disputes exist.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from communities.models import Community
from grids.models import Household, Role
from petitions.demo import HEXI, XINCUN, officials_by_grid
from petitions.demo_stories import clock as _clock
from petitions.demo_stories import day_at as _day_at
from petitions.models import Petition

from .defaults import ensure_kinds
from .models import Dispute, DisputeKind
from .services import transitions as t
from .services.intake import PartyData, open_dispute

# (days ago, kind, how found, what, people, outcome, mediators, terms or referral, fate)
# mediators: "unit" (the building's unit head), "grid", "court" (a judge and a lawyer).
# fate: "closed" (followed up, closed), "agreed" (awaiting follow-up), "open" (accepted),
# "new" (waiting to be taken up).
HEXI_YEAR = [
    (320, "邻里纠纷", "wechat", "楼上装修噪音扰民,网格微信群里两户争吵", 2, "success", "unit",
     "装修限于8:00-12:00、14:00-18:00,周末不施工", "closed"),
    (290, "邻里纠纷", "wechat", "楼道堆放杂物,邻居互相指责", 3, "success", "unit",
     "三日内清理楼道杂物,今后不再堆放", "closed"),
    (262, "婚姻家庭纠纷", "screening", "夫妻因赡养老人问题多次争吵", 4, "success", "grid",
     "兄妹三人轮流照顾母亲,每人每月出500元", "closed"),
    (231, "物业纠纷", "reported", "业主拒交物业费,与物业公司发生争执", 6, "partial", "grid",
     "物业先修复单元门禁,业主补交半年物业费", "open"),
    (205, "邻里纠纷", "wechat", "楼上空调滴水到楼下窗台", 2, "success", "unit",
     "楼上加装空调冷凝水管,接入下水", "closed"),
    (176, "房屋土地纠纷", "reported", "一楼住户占用公共绿地搭建棚子", 8, "success", "court",
     "一个月内自行拆除棚子,恢复绿地;社区协助移栽花木", "closed"),
    (150, "劳资纠纷", "police_day", "小区保洁员被拖欠两个月工资", 5, "failed", "grid",
     "litigation", "referred"),
    (121, "邻里纠纷", "wechat", "宠物狗夜间吠叫影响邻居休息", 2, "success", "unit",
     "夜间将狗牵回室内,外出拴绳", "closed"),
    (93, "消费纠纷", "hotline", "居民在小区团购的净水器不能使用,商家拒绝退货", 12,
     "success", "grid", "商家上门更换滤芯,不能使用的全额退款", "closed"),
    (60, "交通事故纠纷", "reported", "小区内电动车与老人相撞,赔偿数额有争议", 2, "success",
     "court", "电动车车主赔偿医药费3200元,一次付清", "agreed"),
    (34, "邻里纠纷", "wechat", "楼上卫生间漏水到楼下,两户邻里产生矛盾", 2, "success", "unit",
     "楼上重做卫生间防水,赔偿楼下粉刷费800元", "agreed"),
    (12, "邻里纠纷", "wechat", "楼下住户在楼道给电动车充电,邻居担心安全", 6, None, None,
     "", "open"),
]  # fmt: skip

COURT = [("judge", None, "魏都区人民法院 刘法官"), ("lawyer", None, "河南许都律师事务所 陈律师")]


@transaction.atomic
def load_disputes():
    ensure_kinds(DisputeKind)
    if Dispute.objects.exists():
        return
    kinds = {kind.name: kind for kind in DisputeKind.objects.all()}
    serving = officials_by_grid()
    now = timezone.now()
    hexi = Community.objects.filter(code=HEXI).first()
    if hexi is not None:
        homes = list(
            Household.objects.filter(grid__community=hexi, unit__isnull=False)
            .select_related("unit__building", "grid__community__street")
            .order_by("pk")
        )
        for index, story in enumerate(HEXI_YEAR):
            _tell(now, kinds, serving, homes, index, *story)
    xincun = Community.objects.filter(code=XINCUN).first()
    if xincun is not None:
        _xincun(now, kinds, serving, xincun)


def _pair(homes, index):
    """Two neighbouring households (same unit) with a living resident each."""
    for offset in range(len(homes)):
        upstairs = homes[(index * 7 + offset) % len(homes)]
        downstairs = next((h for h in homes if h.unit_id == upstairs.unit_id and h != upstairs),
                          None)  # fmt: skip
        a, b = upstairs.residents.first(), downstairs and downstairs.residents.first()
        if a and b:
            return a, b
    return None


def _mediators(kind, worker, home):
    if kind == "court":
        return [*COURT, ("grid_worker", worker.official, "")]
    if kind == "unit":
        heads = Role.objects.filter(kind="unit_head", end_date=None).select_related("resident")
        head = (
            heads.filter(unit=home.unit_id).first()
            or heads.filter(unit__building=home.unit.building_id).first()
            or heads.filter(community=home.grid.community_id).order_by("pk").first()
        )
        name = f"单元长 {head.resident.name}" if head else "单元长"
        return [("five_three", None, name), ("grid_worker", worker.official, "")]
    return [("mediator", None, "人民调解员 王秀英"), ("grid_worker", worker.official, "")]


def _tell(now, kinds, serving, homes, index, days_ago, kind, found_by, text, people, outcome,
          mediators, terms, fate):  # fmt: skip
    pair = _pair(homes, index)
    if pair is None:
        return
    applicant, respondent = pair
    home = applicant.household
    worker = serving[home.grid_id][0]
    secretary = serving[home.grid_id][-1]
    petition = None
    if days_ago == 34:  # the neighbours' leak the petitions demo tells: turned into a dispute
        petition = Petition.objects.filter(
            grid__community=home.grid.community, description__startswith="楼上卫生间漏水"
        ).first()
    level = "community" if mediators == "court" else "grid"
    moment = _day_at(now, days_ago, 9, 30)
    with _clock(moment):
        dispute = open_dispute(
            by=worker, kind=kinds[kind], found_by=found_by, description=text, grid=home.grid,
            building=home.unit.building, people_involved=people, level=level, petition=petition,
            parties=[PartyData("applicant", resident=respondent),
                     PartyData("respondent", resident=applicant)],
        )  # fmt: skip
    handler = secretary if level == "community" else worker
    if fate == "new":
        return
    with _clock(moment + datetime.timedelta(hours=2)):
        t.accept(dispute, by=handler)
    if outcome is None:
        return
    held = moment + datetime.timedelta(days=2)
    place = (
        "社区调解室" if mediators == "court" else f"{home.unit.building.name}{home.unit.name}楼道"
    )
    with _clock(held):
        t.mediate(
            dispute, by=handler, held_on=timezone.localtime(held).date(), place=place,
            mediators=_mediators(mediators, worker, home), outcome=outcome,
            terms="" if outcome == "failed" else terms,
            notes="双方情绪激动,先分开谈话,再坐下协商",
        )  # fmt: skip
    if fate == "referred":
        with _clock(held + datetime.timedelta(days=1)):
            t.refer(dispute, by=handler, route="litigation", body="魏都区人民法院",
                    note="建议申请人向法院起诉,社区协助准备材料")  # fmt: skip
        return
    if fate != "closed":
        return
    followed = held + datetime.timedelta(days=30)
    with _clock(followed):
        t.follow_up(dispute, by=worker, performance="performed", note="回访双方,协议已履行")
    with _clock(followed + datetime.timedelta(hours=1)):
        t.close(dispute, by=worker)


def _xincun(now, kinds, serving, xincun):
    """新村社区 (the demo logins): a dispute found in the WeChat group today, waiting to be
    taken up, and one agreed last month awaiting its follow-up."""
    homes = list(
        Household.objects.filter(grid__community=xincun, grid__number=1, unit__isnull=False)
        .select_related("unit__building", "grid__community__street")
        .order_by("pk")
    )
    noise = "网格微信群反映:楼上深夜跳绳噪音大,楼下老人无法休息"
    _tell(now, kinds, serving, homes, 1, 0, "邻里纠纷", "wechat", noise, 2, None, None, "", "new")
    _tell(now, kinds, serving, homes, 2, 33, "邻里纠纷", "wechat",
          "楼道堆放纸箱,邻居担心消防安全", 2, "success", "unit",
          "五日内清理纸箱,今后放到地下室", "agreed")  # fmt: skip
