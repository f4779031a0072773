"""Demo casework over the last six months, told as it would have happened.

Visits: 新村社区 visited 269 households (the page's figure), the other communities about a third
of theirs, spread over the last six months, each credited to an official who serves the
household's grid (its grid worker or its community's secretary).

Petitions: the page's own stories with their real outcomes, then generated ones in every
community, registered on days spread over the same six months. Each one is taken through the
same services as the pages (accept, escalate, dispatch, resolve, follow up, close) with the
clock set to the moment each step happened, so its events, deadline (working days from its
DeadlineRule), status and dates agree; a step whose moment is still in the future has not
happened yet, which leaves the recent ones new or in progress and the neglected ones overdue.

Idempotent: nothing is added once visits (or petitions) exist.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community, Department, Grid, OfficialScope
from grids.models import Household

from .daily_visits import rebuild_daily_visits
from .demo_stories import Story, day_at, department_at_work, hexi_stories, page_stories
from .models import Category, Notification, Petition, Visit
from .services.visits import refresh_last_visits

XINCUN = "411002005001"  # 新村社区, where the demo logins work
HEXI = "411002010001"  # 河西社区
XINCUN_VISITED = 269
SPAN_DAYS = 182  # six months
NOTES = ["家中整洁,老人身体尚好", "反映楼道灯不亮", "子女在外地,需定期关注", "宣传防诈骗知识",
         "了解就业情况", "邻里关系和睦", "提醒注意用电安全"]  # fmt: skip

# (category, what the resident asked): each text says what its category is about.
CASES = [
    ("物业管理", "物业服务不到位,楼道长期无人打扫"),
    ("物业管理", "单元门禁损坏,外来人员随意进出"),
    ("环境卫生", "垃圾清运不及时,垃圾桶满溢"),
    ("环境卫生", "楼下杂物堆放发臭,卫生死角滋生蚊虫"),
    ("排水防涝", "下水道返味,雨天楼前积水"),
    ("排水防涝", "雨水管破裂,一楼墙面渗水"),
    ("停车管理", "车辆乱停乱放,堵塞小区出入口"),
    ("飞线充电及充电桩", "电动车在楼道充电,存在火灾隐患"),
    ("飞线充电及充电桩", "从窗户私拉飞线给电动车充电"),
    ("亮化绿化", "楼道灯不亮,老人夜间上下楼不便"),
    ("亮化绿化", "绿化带树木枯死,需要补种"),
    ("老旧小区改造", "楼顶防水层老化,顶楼漏雨"),
    ("老旧小区改造", "外墙皮脱落,希望纳入老旧小区改造"),
    ("占用公共空间", "楼道堆放杂物,堵塞消防通道"),
    ("邻里纠纷", "邻居装修噪音扰民,协商未果"),
    ("邻里纠纷", "楼上卫生间漏水到楼下,邻里产生矛盾"),
    ("治安安全", "小区监控损坏,夜间电动车被盗"),
    ("食品安全", "小区门口流动摊贩售卖无证熟食"),
    ("其他", "咨询高龄津贴办理流程"),
]
WHAT_WAS_DONE = {
    "物业管理": "约谈物业公司,落实保洁和门禁维修",
    "环境卫生": "组织党员志愿者集中清理,协调环卫加密清运",
    "排水防涝": "联系管网维修人员疏通、更换破损管道",
    "停车管理": "施划停车位,劝导车主规范停放",
    "飞线充电及充电桩": "拆除飞线,引导居民到充电桩充电",
    "亮化绿化": "更换楼道灯具,补种绿化苗木",
    "老旧小区改造": "现场查看后报街道纳入改造计划并先行修补",
    "占用公共空间": "入户劝导,清理楼道杂物,畅通消防通道",
    "邻里纠纷": "网格员和楼栋长上门调解,双方达成一致",
    "治安安全": "协调社区民警加强巡逻,修复监控",
    "食品安全": "联系市场监管所现场检查,摊贩已劝离",
    "其他": "上门讲解政策,协助准备材料",
}
# Where the generated petitions are registered: community code -> how many.
PETITIONS_PER_COMMUNITY = {
    XINCUN: 14, HEXI: 5, "411002005002": 2, "411002003001": 2, "411002003002": 2,
    "411002002001": 2, "411002010002": 2, "411002001001": 1, "411002001002": 1,
    "411002001003": 1, "411002006001": 2, "411002004001": 1, "411002011001": 1,
    "411002007001": 1,
}  # fmt: skip
# What becomes of a generated petition, in shares: done where it was raised, escalated to its
# community, never finished (overdue), redone after the resident said "not satisfied", or
# escalated to the district and dispatched to 住建局.
FATES = {"done": 60, "community": 17, "stuck": 10, "redo": 8, "district": 5}
# The last four registered stop where this week's work stands, oldest first.
RECENT = [
    Petition.Status.FOLLOWED_UP,
    Petition.Status.RESOLVED,
    Petition.Status.ACCEPTED,
    Petition.Status.NEW,
]


def officials_by_grid():
    """grid id -> the users serving it on the ground: its grid workers, then its community's
    officials (the street and the district are not on the doorstep)."""
    serving = {}
    grids = {}
    for grid_id, community_id in Grid.objects.values_list("pk", "community_id").order_by("pk"):
        grids.setdefault(community_id, []).append(grid_id)
        serving[grid_id] = []
    scopes = OfficialScope.objects.select_related("official__user").order_by("pk")
    for scope in scopes.filter(grid__isnull=False):
        serving.setdefault(scope.grid_id, []).append(scope.official.user)
    for scope in scopes.filter(community__isnull=False):
        for grid_id in grids.get(scope.community_id, ()):
            serving[grid_id].append(scope.official.user)
    return serving


@transaction.atomic
def load_visits():
    if Visit.objects.exists():
        return
    rng = random.Random(269)  # noqa: S311 - demo data
    serving = officials_by_grid()
    now = timezone.now()
    visits = []
    for community in Community.objects.order_by("code"):
        households = list(Household.objects.filter(grid__community=community).order_by("pk"))
        share = XINCUN_VISITED if community.code == XINCUN else len(households) // 3
        for household in rng.sample(households, min(share, len(households))):
            visited_at = day_at(
                now, rng.randint(0, SPAN_DAYS - 1), rng.randint(8, 17), rng.randint(0, 59)
            )
            visits.append(
                Visit(
                    household=household,
                    grid_id=household.grid_id,
                    visited_at=visited_at,
                    kind=rng.choice(["routine", "routine", "care"]),
                    notes=rng.choice(NOTES),
                    author=_visitor(rng, serving[household.grid_id]),
                )
            )
    Visit.objects.bulk_create(visits, batch_size=1000)
    # Recorded when they happened (on the doorstep), not when the demo was loaded.
    Visit.objects.update(created_at=F("visited_at"), updated_at=F("visited_at"))
    refresh_last_visits()
    rebuild_daily_visits()


def _visitor(rng, officials):
    """Mostly the grid worker (listed first), sometimes the community's secretary."""
    return officials[0] if rng.random() < 0.7 else rng.choice(officials)


@transaction.atomic
def load_petitions():
    """The newspaper page's petitions with their real outcomes, then generated ones in every
    community over six months, in every status (some overdue). Idempotent: nothing is added
    once petitions exist."""
    if Petition.objects.exists():
        return
    now = timezone.now()
    users = get_user_model().objects
    people = {u.username: u for u in users.filter(username__in=_LOGIN_NAMES)}
    serving = officials_by_grid()
    category = {c.name: c for c in Category.objects.filter(parent=None)}
    department = {d.name: d for d in Department.objects.all()}
    page_stories(now, people, serving, category, department)
    _generated_petitions(now, people, serving, category, department)
    department_at_work(now, people, serving, category, department)
    hexi_stories(now, serving, category)
    # Notifications of what happened weeks ago were read then; the recent ones wait.
    Notification.objects.filter(
        read_at=None, created_at__lt=now - datetime.timedelta(days=7)
    ).update(read_at=F("created_at") + datetime.timedelta(hours=2))


_LOGIN_NAMES = ("organizer", "street", "community", "grid", "department")


def _generated_petitions(now, people, serving, category, department):
    """Petitions in every community, registered on days spread evenly over six months so that
    every month, week and chart has some; their fate decided by a fixed random seed."""
    rng = random.Random(2000)  # noqa: S311 - demo data
    slots = []
    for code, count in PETITIONS_PER_COMMUNITY.items():
        community = Community.objects.get(code=code)
        grids = list(community.grids.order_by("number"))
        for n in range(count):
            # In 新村社区 most fall in 第1网格, where the `grid` login can act on them.
            grid = grids[0] if code == XINCUN and n % 3 else grids[n % len(grids)]
            slots.append(grid)
    rng.shuffle(slots)

    def grids_of(code):
        return list(Community.objects.get(code=code).grids.order_by("number"))

    slots[-len(RECENT) :] = [grids_of(XINCUN)[0]] * len(RECENT)  # the `grid` login's
    for index, grid in enumerate(slots):
        days_ago = (SPAN_DAYS - 2) * (len(slots) - index) / len(slots)
        created = day_at(now, int(days_ago), rng.randint(8, 17), rng.randint(0, 59))
        households = list(Household.objects.filter(grid=grid).order_by("pk")[:80])
        worker, secretary = serving[grid.pk][0], serving[grid.pk][-1]
        name, text = rng.choice(CASES)
        fate = rng.choices(list(FATES), list(FATES.values()))[0]
        if fate == "district" and grid.community.code != XINCUN:
            fate = "community"  # only 北大街街道 has a street official among the demo logins
        recent = index - (len(slots) - len(RECENT))
        if recent >= 0:
            fate = RECENT[recent]
            created = day_at(now, 3 - recent, 9 + recent, 15)
        if fate in RECENT:
            _recent_petition(now, created, fate, worker, category[name], text, households)
            continue
        story = Story(now, created).open(
            by=worker, source=rng.choice(["visit", "visit", "wechat", "walk_in", "hotline"]),
            category=category[name], household=rng.choice(households), description=text,
        )  # fmt: skip
        handler = worker
        if fate == "community":
            story.after(hours=rng.randint(2, 30)).do(
                "escalate", by=worker, reason="网格无法解决,报社区协调"
            )
            handler = secretary
        elif fate == "district":
            story.after(hours=rng.randint(2, 20)).do(
                "escalate", by=worker, reason="涉及管网改造,报社区"
            )
            story.after(days=1).do("escalate", by=secretary, reason="社区无力解决,报街道")
            story.after(days=1).do("escalate", by=people["street"], reason="需区直部门办理")
            story.after(hours=5).do(
                "dispatch", by=people["organizer"], department=department["住建局"]
            )
            handler = people["department"]
        story.after(hours=rng.randint(1, 20)).do("accept", by=handler)
        story.after(hours=rng.randint(3, 30)).do("start_work", by=handler)
        if fate == "stuck":
            continue  # never finished: overdue once its deadline passed
        story.after(days=rng.randint(1, 11), hours=rng.randint(0, 6))
        story.do("resolve", by=handler, what_was_done=WHAT_WAS_DONE[name])
        story.after(days=rng.randint(1, 3), hours=rng.randint(0, 5))
        if fate == "redo":
            story.do("follow_up", by=worker, satisfaction="not", comment="问题反复出现")
            story.after(days=rng.randint(2, 6)).do(
                "resolve", by=handler, what_was_done=WHAT_WAS_DONE[name] + ",并复查"
            )
            story.after(days=1)
        satisfaction = rng.choices(["satisfied", "basically", "not"], [75, 20, 5])[0]
        if fate == "redo" and satisfaction == "not":
            satisfaction = "basically"
        story.do("follow_up", by=worker, satisfaction=satisfaction)
        if satisfaction != "not":  # "not satisfied" reopened it: it is being redone
            story.after(hours=rng.randint(1, 30)).do("close", by=worker)


def _recent_petition(now, created, fate, worker, category, text, households):
    """One of this week's petitions, left at `fate`: still new, accepted, resolved awaiting
    the resident's answer, or answered awaiting closing."""
    story = Story(now, created).open(
        by=worker, source="visit", category=category, household=households[-1], description=text
    )
    if fate == Petition.Status.NEW:
        return
    story.after(hours=1).do("accept", by=worker)
    if fate == Petition.Status.ACCEPTED:
        return
    story.after(hours=20).do("resolve", by=worker, what_was_done=WHAT_WAS_DONE[category.name])
    if fate == Petition.Status.RESOLVED:
        return
    story.after(hours=20).do("follow_up", by=worker, satisfaction="satisfied")
