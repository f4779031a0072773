"""The demo's petitions as they happened: each one a `Story` taken through the same services as
the pages, step by step, with the clock set to the moment each step happened; and the stories
the newspaper page tells (安装公司家属院's drain, 河西社区's dispute and meeting, the district
petition 住建局 is working on)."""

import contextlib
import datetime
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from grids.models import Building, Compound, Household

from .services import transitions as t
from .services.intake import open_petition


@contextlib.contextmanager
def clock(moment):
    """Run the services as if it were `moment`: every timestamp they write (the row's dates,
    its events, its notifications, the deadline counted from acceptance) is then that moment's.
    Only the demo loader turns the clock back; the services themselves read the real time."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def day_at(now, days_ago, hour, minute=0):
    """`days_ago` days before `now`, at `hour`:`minute` local time, never later than `now`."""
    local = timezone.localtime(now) - datetime.timedelta(days=days_ago)
    moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return min(moment, now - datetime.timedelta(minutes=30))


class Story:
    """One petition's life, step by step, each step at its own moment; a step whose moment
    is still to come has not happened, and neither have the steps after it."""

    def __init__(self, now, start):
        self.now = now
        self.moment = start
        self.petition = None
        self.going = True

    def after(self, **delta):
        self.moment = self.moment + datetime.timedelta(**delta)
        if self.moment >= self.now:
            self.going = False
        return self

    def open(self, **kwargs):
        with clock(self.moment):
            self.petition = open_petition(**kwargs)
        return self

    def do(self, verb, **kwargs):
        if self.going:
            with clock(self.moment), transaction.atomic():
                getattr(t, verb)(self.petition, **kwargs)
        return self


def first_household(compound_name, building_name=None):
    qs = Household.objects.filter(unit__building__compound__name=compound_name)
    if building_name:
        qs = qs.filter(unit__building__name=building_name)
    return qs.order_by("pk").first()


def page_stories(now, people, serving, category, department):
    grid, community = people["grid"], people["community"]
    street, organizer = people["street"], people["organizer"]

    # 安装公司家属院 6号楼: the blocked drain, paid for by 23 households (five months ago).
    drain_home = first_household("安装公司家属院", "6号楼")
    payers = Household.objects.filter(unit__building=drain_home.unit.building).order_by("pk")
    (
        Story(now, day_at(now, 150, 9, 20))
        .open(
            by=grid,
            source="visit",
            category=category["排水防涝"],
            household=drain_home,
            description="6号楼下水管道堵塞,影响居民正常生活",
            households_affected=23,
        )
        .after(hours=1)
        .do("accept", by=grid)
        .after(days=4)
        .do(
            "resolve",
            by=grid,
            what_was_done="与单元长沟通,发动23户群众筹集资金疏通下水管道",
            cost=Decimal("2300"),
            public_money=Decimal("0"),
            contributions=[(h, Decimal("100")) for h in payers[:23]],
        )
        .after(days=2)
        .do("follow_up", by=grid, satisfaction="satisfied", comment="居民满意")
        .after(hours=3)
        .do("close", by=grid)
    )

    # 安装公司家属院: 32 vegetable plots on public ground became a fitness square; the
    # district dispatched it to 教体局 with 园林中心 assisting (four months ago).
    (
        Story(now, day_at(now, 128, 10))
        .open(
            by=community,
            source="visit",
            category=category["占用公共空间"],
            building=Building.objects.filter(compound__name="安装公司家属院").order_by("pk")[0],
            description="32户居民在家属院广场私自种菜,影响小区整体环境",
            households_affected=683,
        )
        .after(days=1)
        .do("escalate", by=community, reason="需要区直部门支持建设健身广场")
        .after(days=2)
        .do("escalate", by=street, reason="北大街道协调,报区里")
        .after(days=2)
        .do("escalate", by=organizer, reason="区委组织部汇总")
        .after(hours=3)
        .do("dispatch", by=organizer, department=department["教体局"])
        .after(hours=1)
        .do("add_assisting", by=organizer, department=department["园林中心"])
        .after(hours=2)
        .do("accept", by=organizer)
        .after(days=9)
        .do("resolve", by=organizer, what_was_done="清理菜地,安装健身器材,种植行道绿化树")
        .after(days=3)
        .do("follow_up", by=community, satisfaction="satisfied", comment="小孩儿有地方玩了")
        .after(days=1)
        .do("close", by=community)
    )

    # 纺织厂家属院 (文惠社区): the basement that leaked for years, solved with the 信访局 first
    # secretary (three months ago).
    home = first_household("纺织厂家属院")
    wenhui = serving[home.grid_id][-1]  # the community's secretary
    (
        Story(now, day_at(now, 96, 15))
        .open(
            by=wenhui,
            source="walk_in",
            category=category["排水防涝"],
            household=home,
            description="地下室长期渗水,困扰居民多年",
            households_affected=60,
        )
        .after(hours=2)
        .do("escalate", by=serving[home.grid_id][0], reason="需社区协调维修资金")
        .after(hours=2)
        .do("accept", by=wenhui)
        .after(days=8)
        .do(
            "resolve",
            by=wenhui,
            what_was_done="信访局第一书记与社区干部、庭院“5+3”自治人员逐门逐户做工作,筹集管网维修费用修缮",
        )
        .after(days=2)
        .do("follow_up", by=wenhui, satisfaction="satisfied", comment="政府实实在在办了好事")
        .after(hours=4)
        .do("close", by=wenhui)
    )

    # 帝豪花园小区 (许烟社区), raised at a residents' meeting: the flying charging cables were
    # solved; the parking is still being worked on, past its deadline.
    dihao = Compound.objects.get(name="帝豪花园小区")
    dihao_building = dihao.buildings.order_by("pk").first()
    dihao_worker, xuyan = serving[dihao_building.grid_id][0], serving[dihao_building.grid_id][-1]
    (
        Story(now, day_at(now, 70, 19, 30))
        .open(
            by=xuyan,
            source="meeting",
            category=category["飞线充电及充电桩"],
            building=dihao_building,
            description="飞线充电安全隐患,需加装非机动车充电桩",
            households_affected=150,
        )
        .after(hours=14)
        .do("escalate", by=dihao_worker, reason="需加装充电桩")
        .after(hours=1)
        .do("accept", by=xuyan)
        .after(days=6)
        .do("resolve", by=xuyan, what_was_done="加装非机动车充电桩,电线整齐有序")
        .after(days=2)
        .do("follow_up", by=xuyan, satisfaction="satisfied")
        .after(hours=1)
        .do("close", by=xuyan)
    )
    (
        Story(now, day_at(now, 70, 19, 40))
        .open(
            by=xuyan,
            source="meeting",
            category=category["停车管理"],
            building=dihao_building,
            description="停车难,车辆乱停乱放",
            households_affected=190,
        )
        .after(hours=14)
        .do("escalate", by=dihao_worker, reason="需统一规划车位")
        .after(hours=1)
        .do("accept", by=xuyan)
        .after(days=3)
        .do("start_work", by=xuyan, note="测量场地,征求业委会意见")
    )


def hexi_stories(now, serving, category):
    """河西社区 (滨河花园): a neighbours' dispute mediated in the grid, as the page tells of ten
    and more, and a concern raised at its Tuesday 议事日, now being worked on."""
    home = first_household("滨河花园")
    worker, zhang_lin = serving[home.grid_id][0], serving[home.grid_id][-1]
    (
        Story(now, day_at(now, 45, 9, 40))
        .open(
            by=worker,
            source="walk_in",
            category=category["邻里纠纷"],
            household=home,
            description="楼上卫生间漏水到楼下,两户邻里产生矛盾",
            households_affected=2,
        )
        .after(hours=1)
        .do("accept", by=worker)
        .after(days=2)
        .do("resolve", by=worker, what_was_done="网格员、楼栋长和社区民警上门调解,双方达成协议")
        .after(days=3)
        .do("follow_up", by=worker, satisfaction="satisfied", comment="两家又和好了")
        .after(hours=2)
        .do("close", by=worker)
    )
    local = timezone.localtime(now)
    tuesday = (local.weekday() - 1) % 7 + 7  # days back to a Tuesday one or two weeks ago
    building = home.unit.building
    (
        Story(now, day_at(now, tuesday, 15, 30))
        .open(
            by=zhang_lin,
            source="meeting",
            category=category["飞线充电及充电桩"],
            building=building,
            description="议事日居民提出:楼道飞线充电隐患多,希望加装充电桩",
            households_affected=40,
        )
        .after(hours=18)
        .do("accept", by=zhang_lin)
        .after(days=1)
        .do("start_work", by=zhang_lin, note="联系供电所和物业选址")
    )


def department_at_work(now, people, serving, category, department):
    """A district petition that 住建局 (the `department` login) is working on now."""
    home = first_household("新村小区")
    worker, secretary = serving[home.grid_id][0], serving[home.grid_id][-1]
    (
        Story(now, day_at(now, 12, 10))
        .open(
            by=worker,
            source="visit",
            category=category["老旧小区改造"],
            household=home,
            description="新村小区雨水管网老化,申请纳入老旧小区改造",
            households_affected=48,
        )
        .after(hours=3)
        .do("escalate", by=worker, reason="涉及管网改造,报社区")
        .after(hours=20)
        .do("escalate", by=secretary, reason="社区无力解决,报街道")
        .after(days=1)
        .do("escalate", by=people["street"], reason="需区直部门办理")
        .after(hours=4)
        .do("dispatch", by=people["organizer"], department=department["住建局"])
        .after(hours=5)
        .do("accept", by=people["department"])
        .after(days=1)
        .do("start_work", by=people["department"], note="现场勘查,编制改造方案")
    )
