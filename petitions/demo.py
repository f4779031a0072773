"""Demo visits: 新村社区 visited 269 households (the page's figure), the other communities about
a third of theirs, over the last months. Idempotent: nothing is added once visits exist."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Community
from grids.models import Household

from .models import Visit
from .services.visits import refresh_last_visits

XINCUN_VISITED = 269
NOTES = ["家中整洁,老人身体尚好", "反映楼道灯不亮", "子女在外地,需定期关注", "宣传防诈骗知识",
         "了解就业情况", "邻里关系和睦", "提醒注意用电安全"]  # fmt: skip


@transaction.atomic
def load_visits():
    if Visit.objects.exists():
        return
    rng = random.Random(269)  # noqa: S311 - demo data
    users = get_user_model().objects
    visitors = [users.get(username="grid"), users.get(username="community")]
    now = timezone.now()
    visits = []
    for community in Community.objects.order_by("code"):
        households = list(Household.objects.filter(grid__community=community).order_by("pk"))
        share = XINCUN_VISITED if community.code == "411002005001" else len(households) // 3
        for household in rng.sample(households, min(share, len(households))):
            visits.append(
                Visit(
                    household=household,
                    grid_id=household.grid_id,
                    visited_at=now
                    - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 8)),
                    kind=rng.choice(["routine", "routine", "care"]),
                    notes=rng.choice(NOTES),
                    author=rng.choice(visitors),
                )
            )
    Visit.objects.bulk_create(visits, batch_size=1000)
    refresh_last_visits()


@transaction.atomic
def load_petitions():
    """The newspaper page's petitions with their real outcomes, then generated ones in every
    status (some overdue). Idempotent: nothing is added once petitions exist."""
    from decimal import Decimal

    from communities.models import Department
    from grids.models import Building, Compound

    from .models import Category, Petition
    from .services import transitions as t
    from .services.intake import open_petition

    if Petition.objects.exists():
        return
    users = get_user_model().objects
    grid, community = users.get(username="grid"), users.get(username="community")
    street, organizer = users.get(username="street"), users.get(username="organizer")
    category = {c.name: c for c in Category.objects.filter(parent=None)}
    department = {d.name: d for d in Department.objects.all()}

    def first_household(compound_name, building_name=None):
        qs = Household.objects.filter(unit__building__compound__name=compound_name)
        if building_name:
            qs = qs.filter(unit__building__name=building_name)
        return qs.order_by("pk").first()

    with transaction.atomic():
        # 安装公司家属院 6号楼: the blocked drain, paid for by 23 households.
        drain_home = first_household("安装公司家属院", "6号楼")
        drain = open_petition(
            by=grid, source="visit", category=category["排水防涝"], household=drain_home,
            description="6号楼下水管道堵塞,影响居民正常生活", households_affected=23,
        )  # fmt: skip
        t.accept(drain, by=grid)
        payers = Household.objects.filter(unit__building=drain_home.unit.building).order_by("pk")[
            :23
        ]
        t.resolve(
            drain, by=grid, what_was_done="与单元长沟通,发动23户群众筹集资金疏通下水管道",
            cost=Decimal("2300"), public_money=Decimal("0"),
            contributions=[(h, Decimal("100")) for h in payers],
        )  # fmt: skip
        t.follow_up(drain, by=grid, satisfaction="satisfied", comment="居民满意")
        t.close(drain, by=grid)

        # 安装公司家属院: 32 vegetable plots on public ground turned into a fitness square.
        square = open_petition(
            by=community, source="visit", category=category["占用公共空间"],
            building=Building.objects.filter(compound__name="安装公司家属院").order_by("pk").first(),
            description="32户居民在家属院广场私自种菜,影响小区整体环境", households_affected=683,
        )  # fmt: skip
        t.escalate(square, by=community, reason="需要区直部门支持建设健身广场")
        t.escalate(square, by=street, reason="北大街道协调,报区里")
        t.escalate(square, by=organizer, reason="区委组织部汇总")
        t.dispatch(square, by=organizer, department=department["教体局"])
        t.add_assisting(square, by=organizer, department=department["园林中心"])
        t.accept(square, by=organizer)
        t.resolve(square, by=organizer, what_was_done="清理菜地,安装健身器材,种植行道绿化树")
        t.follow_up(square, by=community, satisfaction="satisfied", comment="小孩儿有地方玩了")
        t.close(square, by=community)

        # 纺织厂家属院: the leaking basement, solved with the 信访局 first secretary.
        basement = open_petition(
            by=users.get(username="organizer"), source="walk_in", category=category["排水防涝"],
            household=first_household("纺织厂家属院"),
            description="地下室长期渗水,困扰居民多年", households_affected=60,
        )  # fmt: skip
        t.accept(basement, by=organizer)
        t.resolve(
            basement, by=organizer,
            what_was_done="信访局第一书记与社区干部、庭院“5+3”自治人员逐门逐户做工作,筹集管网维修费用修缮",
        )  # fmt: skip
        t.follow_up(
            basement, by=organizer, satisfaction="satisfied", comment="政府实实在在办了好事"
        )
        t.close(basement, by=organizer)

        # 帝豪花园小区: flying charging cables solved; parking still in progress.
        dihao = Compound.objects.get(name="帝豪花园小区")
        dihao_building = dihao.buildings.order_by("pk").first()
        cables = open_petition(
            by=organizer, source="meeting", category=category["飞线充电及充电桩"],
            building=dihao_building, description="飞线充电安全隐患,需加装非机动车充电桩",
            households_affected=150,
        )  # fmt: skip
        t.accept(cables, by=organizer)
        t.resolve(cables, by=organizer, what_was_done="加装非机动车充电桩,电线整齐有序")
        t.follow_up(cables, by=organizer, satisfaction="satisfied")
        t.close(cables, by=organizer)
        parking = open_petition(
            by=organizer, source="meeting", category=category["停车管理"], building=dihao_building,
            description="停车难,车辆乱停乱放", households_affected=190,
        )  # fmt: skip
        t.accept(parking, by=organizer)
        t.start_work(parking, by=organizer)

    _generated_petitions(grid, community, category, t, open_petition)


def _generated_petitions(grid, community, category, t, open_petition):
    """Petitions of 新村社区 in every status; some accepted long ago and now overdue."""
    from .models import Petition

    rng = random.Random(2000)  # noqa: S311 - demo data
    # The grid worker's own grid: the demo login `grid` can act on every one of them.
    households = list(
        Household.objects.filter(grid__community__code="411002005001", grid__number=1).order_by(
            "pk"
        )
    )
    texts = ["楼道灯不亮", "垃圾清运不及时", "邻居装修噪音", "下水道返味", "电动车楼道充电",
             "绿化带被占", "物业服务不到位", "单元门禁损坏"]  # fmt: skip
    names = list(category)
    for n in range(40):
        with transaction.atomic():
            petition = open_petition(
                by=grid, source=rng.choice(["visit", "wechat", "walk_in", "hotline"]),
                category=category[rng.choice(names)], household=rng.choice(households),
                description=rng.choice(texts),
            )  # fmt: skip
            step = n % 6
            if step >= 1:
                t.accept(petition, by=grid)
            if step >= 2:
                t.start_work(petition, by=grid)
            if step >= 3:
                t.resolve(petition, by=grid, what_was_done="已处理")
            if step >= 4:
                t.follow_up(
                    petition,
                    by=community,
                    satisfaction=rng.choice(["satisfied", "basically", "not"]),
                )
            if step >= 5 and petition.status == "followed_up":
                t.close(petition, by=community)
            if step in (1, 2) and n % 4 == 0:
                # Accepted weeks ago and past its deadline: overdue.
                Petition.objects.filter(pk=petition.pk).update(
                    accepted_at=timezone.now() - datetime.timedelta(days=20),
                    due_at=timezone.now() - datetime.timedelta(days=rng.randint(1, 10)),
                )
