"""Demo of the district's follow-through chain: items 区委组织部 collected on the ledger, 区委办
supervising them and a leader's instruction, a department rectifying one item by item until
销号, a street bringing departments in without escalating, and the clock's 督办 cards.

Idempotent: nothing is added once the ledger has an item collected by the demo's 组织部.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Department
from grids.models import Household

from .demo_stories import clock as _clock
from .demo_stories import day_at as _day_at
from .models import Category, Petition, PetitionEvent
from .services import follow_through as ft
from .services import transitions as t
from .services.intake import open_petition
from .services.supervision import raise_due_grades


class _Steps:
    """One petition's steps, each at its own moment (no later than now)."""

    def __init__(self, now, start, petition=None):
        self.now, self.moment, self.petition = now, start, petition

    def at(self, **delta):
        self.moment = min(self.moment + datetime.timedelta(**delta), self.now)
        return self

    def open(self, **kwargs):
        with _clock(self.moment):
            self.petition = open_petition(**kwargs)
        return self

    def do(self, service, **kwargs):
        with _clock(self.moment), transaction.atomic():
            self.petition.refresh_from_db()
            service(self.petition, **kwargs)
        return self


@transaction.atomic
def load_follow_through():
    names = ["zuzhibu", "quweiban", "department", "street", "community", "grid"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    if (
        len(users) < len(names)
        or PetitionEvent.objects.filter(action="put_on_ledger", actor=users["zuzhibu"]).exists()
    ):
        return
    now = timezone.now()
    department = {d.name: d for d in Department.objects.all()}
    category = {c.name: c for c in Category.objects.filter(parent=None)}
    zuzhibu, quweiban, zhujian = users["zuzhibu"], users["quweiban"], users["department"]
    street = users["street"]

    # 新村小区's rainwater pipes (dispatched to 住建局 by the petitions demo): collected on the
    # ledger, supervised by 区委办 with the leader's instruction; 住建局 reports progress.
    pipes = Petition.objects.filter(description__startswith="新村小区雨水管网").first()
    if pipes is not None and pipes.is_open:
        (
            _Steps(now, _day_at(now, 9, 9), pipes)
            .do(t.put_on_ledger, by=zuzhibu, owner=department["住建局"],
                target=timezone.localdate() + datetime.timedelta(days=60),
                note="纳入老旧小区改造台账")
            .at(days=1)
            .do(t.supervise, by=quweiban, instruction="请住建局两周内拿出改造方案并报区委办")
            .at(hours=2)
            .do(ft.instruct, by=quweiban, leader="区委书记", instruction="抓紧推进,确保汛期前完工")
            .at(days=3)
            .do(ft.note_progress, by=zhujian, progress="改造方案已编制,正在招标")
        )  # fmt: skip

    # 八西社区: the basement's leaking pipes, collected on the ledger two months ago and signed
    # off by 住建局 once rectified (“逐项整改办结”).
    home = Household.objects.filter(grid__community__name="八西社区").order_by("pk").first()
    if home is not None:
        (
            _Steps(now, _day_at(now, 62, 10))
            .open(by=street, source="walk_in", category=category["排水防涝"], household=home,
                  description="八西社区老旧管网反复渗水,需区级统筹改造", households_affected=120)
            .at(hours=1)
            .do(t.escalate, by=street, reason="社区无力解决")
            .do(t.escalate, by=street, reason="街道协调不了")
            .do(t.escalate, by=street, reason="涉及多个部门,报区里")
            .at(hours=3)
            .do(t.dispatch, by=zuzhibu, department=department["住建局"])
            .at(hours=1)
            .do(t.put_on_ledger, by=zuzhibu, owner=department["住建局"],
                target=timezone.localdate() + datetime.timedelta(days=5), note="逐项整改")
            .at(days=1)
            .do(t.accept, by=zhujian)
            .at(days=2)
            .do(t.supervise, by=quweiban, instruction="列入区委办督办事项,每周报进展")
            .at(days=10)
            .do(ft.note_progress, by=zhujian, progress="完成管网探测,确定更换路段")
            .at(days=20)
            .do(t.resolve, by=zhujian, what_was_done="更换老旧管网860米,渗漏点全部修复")
            .at(days=2)
            .do(t.sign_off, by=zhujian, note="整改完成,申请销号")
        )  # fmt: skip

    # 北大街街道 brings 城管局 and 园林中心 into a street-level petition (协调), no escalation.
    home = (
        Household.objects.filter(grid__community__name="新村社区", grid__number=1)
        .order_by("-pk")
        .first()
    )
    if home is not None:
        (
            _Steps(now, _day_at(now, 6, 15))
            .open(by=users["grid"], source="wechat", category=category["占用公共空间"],
                  household=home, description="新村社区路口占道经营,夜市摊位堆放杂物、噪音扰民",
                  households_affected=40)
            .at(hours=2)
            .do(t.escalate, by=users["grid"], reason="需街道协调")
            .at(hours=3)
            .do(t.escalate, by=users["community"], reason="需街道协调执法部门")
            .at(hours=2)
            .do(t.accept, by=street)
            .at(hours=1)
            .do(ft.coordinate, by=street, departments=[department["城管局"], department["住建局"]],
                note="城管局规范夜市经营,住建局修复路面")
            .at(days=2)
            .do(t.record_part, by=zhujian, part="修复路口破损路面30平方米")
        )  # fmt: skip

    raise_due_grades(now)
