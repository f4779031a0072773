"""Demo police-down days and incidents (invented, in the newspaper's proportions).

The page: "620 police and legal officers ... screened and resolved 1,280+ disputes and gave 160+
legal services" for the whole district (89 communities). The demo district has 14 of them, so
its days add up to the same figures at 14/89: 98 officers, 202 disputes screened, 26 legal
services. The disputes are not typed on the turnouts: each is a dispute recorded on the day
(how found: 警力下沉日) in its community, most mediated on the spot by the community police
officer and a lawyer (resolved on the day), the others a few days later; those of more than a
month ago were followed up and closed. They go through the disputes' services with the clock
set to each moment, like the other demo disputes. The days are the last six months'
district-wide 警力下沉日 and one of 文峰街道's own, a month ago, in 河西社区 and 塔湾社区 (the
page's 民法典 publicity at 滨河花园's square with the community police). One community broke
零事故 two months ago: an e-bike charging in a stairwell caught fire in 许烟社区's 帝豪花园 (the
page names its 飞线充电 problem; the fire is invented).
Idempotent: nothing is added once a police-down day exists.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Community, Street
from disputes.defaults import ensure_kinds
from disputes.models import DisputeKind
from disputes.services import transitions as t
from disputes.services.intake import PartyData, open_dispute
from grids.models import Resident
from petitions.demo import officials_by_grid
from petitions.demo_stories import clock

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
    months = []
    first = today.replace(day=1)
    while len(months) < 6:
        friday = _last_friday(first)
        if friday < today:
            months.append(friday)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    # Never on a district day's date: the disputes of a date count for every day on it.
    wenfeng_date = today - datetime.timedelta(days=30)
    if wenfeng_date in months:
        wenfeng_date -= datetime.timedelta(days=1)
    day = services.schedule_police_day(
        by=organizer, date=wenfeng_date, street=wenfeng,
        theme="警力下沉日·民法典进社区（滨河花园小广场）",
    )  # fmt: skip
    by_code = {c.code: c for c in communities}
    found = _DisputesFound()
    for code, officers, households, screened, resolved, c, p, d in WENFENG_DAY:
        services.record_turnout(
            by=organizer, day=day, community=by_code[code], other_officers=officers,
            households_visited=households, consultations=c, publicity=p, document_help=d,
            note="社区民警、党员志愿者讲解民法典，现场解答法律咨询。（演示数据）",
        )  # fmt: skip
        found.record(day.date, by_code[code], screened, resolved)
    # The rest of the totals over the district's monthly days: each community once a month
    # for the last six months, as evenly as whole numbers allow.
    done = [sum(row[i] for row in WENFENG_DAY) for i in (1, 3, 5, 6, 7)]
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
            households_visited=officers[i] * 4,
            consultations=n if i % 3 != 2 else 0, publicity=n if i % 3 == 2 else 0,
            note="演示数据：按全区620名干警、1280余件矛盾纠纷、160余次法治服务的14/89比例生成。",
        )  # fmt: skip
        resolved = max(screened[i] - (1 if i % 5 == 0 else 0), 0)
        found.record(date, community, screened[i], resolved)
    _load_incidents(organizer, by_code, today)


# What the disputes found on a police-down day were about (kind, what).
FOUND_ON_THE_DAY = [
    ("邻里纠纷", "警力下沉日现场反映:楼上夜间噪音影响休息"),
    ("物业纠纷", "警力下沉日现场反映:小区停车位被长期占用,与物业争执"),
    ("婚姻家庭纠纷", "警力下沉日入户走访发现:子女对赡养老人分摊有争议"),
    ("邻里纠纷", "警力下沉日现场反映:楼道堆物堵塞消防通道,邻居互相指责"),
    ("消费纠纷", "警力下沉日现场咨询:预付卡商家关门,退费无门"),
    ("劳资纠纷", "警力下沉日现场反映:装修工人工钱被拖欠"),
]
MEDIATORS = [("police", None, "社区民警"), ("lawyer", None, "河南许都律师事务所 陈律师")]


class _DisputesFound:
    """Records, for one community on one date, the disputes a police-down day found there: all
    opened on the day, `resolved` of them agreed on the spot, the rest a few days later."""

    def __init__(self):
        ensure_kinds(DisputeKind)
        self.kinds = {kind.name: kind for kind in DisputeKind.objects.all()}
        self.serving = officials_by_grid()
        self.now = timezone.now()
        self.count = 0

    def _people(self, community):
        residents = Resident.objects.filter(household__grid__community=community)
        return list(residents.select_related("household__grid").order_by("pk")[:40])

    def record(self, date, community, screened, resolved):
        people = self._people(community)
        for n in range(screened):
            applicant, respondent = people[(2 * n) % len(people)], people[(2 * n + 1) % len(people)]
            grid = applicant.household.grid
            worker = self.serving[grid.pk][0]
            kind, text = FOUND_ON_THE_DAY[self.count % len(FOUND_ON_THE_DAY)]
            self.count += 1
            on_the_day = n < resolved
            opened = _at(date, 9, 30 + n % 20)
            with clock(opened):
                dispute = open_dispute(
                    by=worker, kind=self.kinds[kind], found_by="police_day", description=text,
                    grid=grid, parties=[PartyData("applicant", resident=applicant),
                                        PartyData("respondent", resident=respondent)],
                )  # fmt: skip
            with clock(opened + datetime.timedelta(minutes=20)):
                t.accept(dispute, by=worker)
            held = opened + datetime.timedelta(hours=3 if on_the_day else 24 * 4)
            if held >= self.now:
                continue
            with clock(held):
                t.mediate(
                    dispute, by=worker, held_on=timezone.localtime(held).date(),
                    place=f"{community.name}警力下沉日服务点", mediators=MEDIATORS,
                    outcome="success", terms="双方当场和解,互相谅解,不再追究",
                )  # fmt: skip
            followed = held + datetime.timedelta(days=30)
            if followed >= self.now:
                continue
            with clock(followed):
                t.follow_up(dispute, by=worker, performance="performed", note="回访,协议已履行")
            with clock(followed + datetime.timedelta(hours=1)):
                t.close(dispute, by=worker)


def _at(date, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))


def _load_incidents(organizer, by_code, today):
    two_months_ago = (today.replace(day=1) - datetime.timedelta(days=40)).replace(day=14)
    services.record_incident(
        by=organizer, goal=Incident.Goal.ACCIDENT, kind=Incident.Kind.FIRE,
        occurred_on=two_months_ago, community=by_code["411002003001"], persons=0,
        summary="帝豪花园小区3号楼楼道内电动自行车充电起火，楼栋长发现后报警，消防到场扑灭，"
        "无人员伤亡。已开展飞线充电集中整治。（演示数据，虚构）",
    )  # fmt: skip
