"""Demo police-down days and incidents (invented, in the newspaper's proportions).

The page: "620 police and legal officers ... screened and resolved 1,280+ disputes and gave 160+
legal services" for the whole district (89 communities). The demo district has 14 of them, so
its days add up to the same figures at 14/89: 98 officers, 202 disputes screened, 26 legal
services. The days are the last six months' district-wide 警力下沉日 and one of 文峰街道's own,
a month ago, in 河西社区 and 塔湾社区 (the page's 民法典 publicity at 滨河花园's square with the
community police). One community broke 零事故 two months ago: an e-bike charging in a stairwell
caught fire in 许烟社区's 帝豪花园 (the page names its 飞线充电 problem; the fire is invented).
Idempotent: nothing is added once a police-down day exists.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Community, Street

from . import services
from .models import Incident, PoliceDay

OFFICERS, DISPUTES, SERVICES = 98, 202, 26  # 620, 1,280 and 160 at 14/89
WENFENG = "411002010"
WENFENG_DAY = [
    # community code, officers, households, screened, resolved, consultations, publicity, help
    ("411002010001", 9, 46, 18, 17, 3, 1, 1),
    ("411002010002", 5, 21, 8, 8, 1, 0, 1),
]


def _split(total, parts):
    """`total` in `parts` whole shares as even as can be (the first ones larger)."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _last_friday(first: datetime.date) -> datetime.date:
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - 4) % 7)


@transaction.atomic
def load_police_days():
    if PoliceDay.objects.exists():
        return
    organizer = get_user_model().objects.get(username="organizer")
    today = timezone.localdate()
    communities = list(Community.objects.order_by("code"))
    wenfeng = Street.objects.get(code=WENFENG)
    day = services.schedule_police_day(
        by=organizer, date=today - datetime.timedelta(days=30), street=wenfeng,
        theme="警力下沉日·民法典进社区（滨河花园小广场）",
    )  # fmt: skip
    by_code = {c.code: c for c in communities}
    for code, officers, households, screened, resolved, c, p, d in WENFENG_DAY:
        services.record_turnout(
            by=organizer, day=day, community=by_code[code], other_officers=officers,
            households_visited=households, disputes_screened=screened,
            disputes_resolved=resolved, consultations=c, publicity=p, document_help=d,
            note="社区民警、党员志愿者讲解民法典，现场解答法律咨询。（演示数据）",
        )  # fmt: skip
    # The rest of the totals over the district's monthly days: each community once a month
    # for the last six months, as evenly as whole numbers allow.
    done = [sum(row[i] for row in WENFENG_DAY) for i in (1, 3, 5, 6, 7)]
    months = []
    first = today.replace(day=1)
    while len(months) < 6:
        friday = _last_friday(first)
        if friday < today:
            months.append(friday)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    slots = [(m, c) for m in sorted(months) for c in communities]
    officers = _split(OFFICERS - done[0], len(slots))
    screened = _split(DISPUTES - done[1], len(slots))
    service_parts = _split(SERVICES - sum(done[2:]), len(slots))
    days = {}
    for i, (date, community) in enumerate(slots):
        if date not in days:
            days[date] = services.schedule_police_day(
                by=organizer, date=date, theme="魏都区常态化警力下沉日"
            )
        n = service_parts[i]
        services.record_turnout(
            by=organizer, day=days[date], community=community, other_officers=officers[i],
            households_visited=officers[i] * 4, disputes_screened=screened[i],
            disputes_resolved=max(screened[i] - (1 if i % 5 == 0 else 0), 0),
            consultations=n if i % 3 != 2 else 0, publicity=n if i % 3 == 2 else 0,
            note="演示数据：按全区620名干警、1280余件矛盾纠纷、160余次法治服务的14/89比例生成。",
        )  # fmt: skip
    _load_incidents(organizer, by_code, today)


def _load_incidents(organizer, by_code, today):
    two_months_ago = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=14)
    services.record_incident(
        by=organizer, goal=Incident.Goal.ACCIDENT, kind=Incident.Kind.FIRE,
        occurred_on=two_months_ago, community=by_code["411002003001"], persons=0,
        summary="帝豪花园小区3号楼楼道内电动自行车充电起火，楼栋长发现后报警，消防到场扑灭，"
        "无人员伤亡。已开展飞线充电集中整治。（演示数据，虚构）",
    )  # fmt: skip
