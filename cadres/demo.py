"""Demo cadres: the page's first secretaries (菅广宇 of 区委办 in 八西社区; the 信访局 first
secretary at 文惠社区 纺织厂家属院), grid first secretaries, sent-down cadres and 三官一律 in
新村社区, and their work over the last months — joint visits with the grid workers and the
community's staff, the concerns they raised, the 三双 questions asked. Idempotent.

新村社区's first secretary (郑海涛 of 巡察办) has a login, `secretary`.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.demo import DEMO_PASSWORD
from communities.models import Assignment, Community, Department, District, Official
from grids.models import Household
from petitions.models import Category, Visit
from petitions.services.visits import Concern, VisitRecord, record_visit

XINCUN = "411002005001"
TERM_START = datetime.date(2023, 3, 1)

# (username, name, department, kind, community code, grid number or None, has a login)
CADRES = [
    ("cadre1", "菅广宇", "区委办", "first_secretary", "411002005002", None, False),
    ("cadre2", "周建国", "信访局", "first_secretary", "411002002001", None, False),
    ("secretary", "郑海涛", "巡察办", "first_secretary", XINCUN, None, True),
    ("cadre4", "何丽", "区政府办", "first_secretary", "411002010001", None, False),
    ("cadre5", "马超", "住建局", "first_secretary", XINCUN, 1, False),
    ("cadre6", "高静", "教体局", "first_secretary", XINCUN, 2, False),
    ("cadre7", "许文博", "园林中心", "sent_down", XINCUN, 3, False),
    ("cadre8", "陈晓光", "统计局", "sent_down", "411002006001", 1, False),
    ("police1", "赵刚", "公安分局", "police", XINCUN, None, False),
    ("judge1", "钱雅琴", "区法院", "judge", "411002010001", None, False),
    ("prosecutor1", "孔德明", "区检察院", "prosecutor", "411002010001", None, False),
    ("lawyer1", "林律", "司法局", "lawyer", "411002010001", None, False),
]
EXTRA_DEPARTMENTS = ["区法院", "区检察院", "司法局"]

VISITS_PER_CADRE = 6
SPAN_DAYS = 60
NOTES = [
    "与社区干部一起入户,了解家庭近况。",
    "进百家门、暖百家心:老人身体尚好,叮嘱注意安全用电。",
    "听取居民对小区环境整治的意见。",
    "了解楼道照明和下水情况,记录诉求。",
]
CONCERNS = [
    ("环境卫生", "楼道杂物堆放,希望组织清理。"),
    ("物业管理", "单元门禁损坏,希望尽快维修。"),
]


def demo_cadre_logins():
    return [("secretary", "郑海涛", "巡察办 · 新村社区第一书记")]


@transaction.atomic
def load_cadres():
    """The cadres and their assignments, then their work (once)."""
    district = District.objects.get(code="411002")
    for name in EXTRA_DEPARTMENTS:
        Department.objects.get_or_create(district=district, name=name)
    departments = {d.name: d for d in Department.objects.all()}
    assignments = [_assign(row, departments) for row in CADRES]
    cadres_visits = Visit.objects.filter(author__official__assignments__isnull=False)
    if not cadres_visits.exists():
        _cadres_at_work(assignments)
        # Recorded when they happened (on the doorstep), not when the demo was loaded.
        Visit.objects.filter(pk__in=list(cadres_visits.values_list("pk", flat=True))).update(
            created_at=F("visited_at"), updated_at=F("visited_at")
        )


def _assign(row, departments):
    username, name, department_name, kind, community_code, grid_number, has_login = row
    department = departments[department_name]
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        if has_login:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    title = dict(Assignment.Kind.choices)[kind]
    official, _ = Official.objects.get_or_create(
        user=user, defaults={"name": name, "department": department, "title": str(title)}
    )
    community = Community.objects.get(code=community_code)
    post = {"grid": community.grids.get(number=grid_number)} if grid_number else {}
    assignment, _ = Assignment.objects.get_or_create(
        official=official, department=department, kind=kind,
        community=None if grid_number else community, **post,
        defaults={"start_date": TERM_START},
    )  # fmt: skip
    return assignment


def _cadres_at_work(assignments):
    """Joint visits: each cadre with the place's grid worker and a community official, through
    the same service as the visit form (co-visitors checked, 三双 answers kept)."""
    rng = random.Random(539)  # noqa: S311 - demo data
    now = timezone.now()
    categories = {c.name: c for c in Category.objects.filter(parent=None)}
    for assignment in assignments:
        grids = [assignment.grid] if assignment.grid_id else list(assignment.community.grids.all())
        households = list(Household.objects.filter(grid__in=grids).order_by("pk")[:200])
        user = assignment.official.user
        for n, household in enumerate(
            rng.sample(households, min(VISITS_PER_CADRE, len(households)))
        ):
            companions = list(
                Official.objects.filter(scopes__grid=household.grid_id).exclude(user=user)[:1]
            ) + list(Official.objects.filter(scopes__community=household.grid.community_id)[:1])
            concerns = []
            if n == 0 and categories:
                name, text = CONCERNS[rng.randrange(len(CONCERNS))]
                if name in categories:
                    concerns = [Concern(category=categories[name], description=text)]
            record_visit(
                VisitRecord(
                    household=household,
                    visited_at=now - datetime.timedelta(days=rng.randint(1, SPAN_DAYS), hours=2),
                    kind="routine",
                    notes=rng.choice(NOTES),
                    co_visitors=companions,
                    concerns=concerns,
                    three_trusts={
                        "knows": rng.random() < 0.8,
                        "trusts": rng.random() < 0.85,
                        "approves": rng.random() < 0.9,
                    },
                ),
                by=user,
            )
