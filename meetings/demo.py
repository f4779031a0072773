"""The demo's meetings: 河西社区's Tuesday 议事日 as the newspaper page tells it ("every Tuesday
... compound management, old-compound renovation, sanitation, safety and dispute mediation ...
居民事居民议、大家事大家定"), one topic taken from an open petition and decided; and the Tuesday
schedule of 新村社区, where the demo logins work. Idempotent: nothing is added once meetings
exist."""

import datetime

from django.utils import timezone

from communities.models import Assignment, Community, Department, Official
from grids.models import Role
from petitions.models import Petition, PetitionEvent
from trails.sealing import seal_records

from . import services
from .models import Meeting, Topic

HEXI = "411002010001"  # 河西社区
XINCUN = "411002005001"  # 新村社区
HALL = "社区党群服务中心议事厅"

# The page's five subjects of a 议事日: (topic, what was said, how decided, decision, follow-up)
HEXI_TOPICS = [
    ("小区管理：滨河花园车辆乱停乱放", "居民反映晚间车辆占用消防通道，物业管理不到位。",
     "vote", "施划停车位并设置消防通道禁停标识，由物业每晚巡查。", "施划停车位、设置标识", 14),
    ("老旧小区改造：外墙皮脱落、楼顶漏雨", "老楼居民希望纳入今年老旧小区改造计划。",
     "consensus", "由社区统计需求，报街道申请纳入老旧小区改造计划。", "统计改造需求并上报街道", 21),
    ("卫生创建：卫生死角和垃圾清运", "楼下杂物堆放、垃圾桶满溢，夏季蚊虫多。",
     "consensus", "党员志愿者周六集中清理卫生死角，物业增加一次清运。", "组织周六集中清扫", 5),
    ("矛盾调解：楼上漏水引发邻里矛盾", "两户因卫生间漏水产生矛盾，请社区协调。",
     "deferred", "双方本周先请物业检测漏点，下次议事日再议。", "", 0),
]  # fmt: skip


def _chair(community):
    return Official.objects.filter(scopes__community=community).order_by("pk").first()


def load_meetings():
    if Meeting.objects.exists():
        return
    hexi = Community.objects.filter(code=HEXI).first()
    if hexi is None:
        return
    chair = _chair(hexi)
    by = chair.user
    schedule = services.create_schedule(
        by=by, community=hexi, kind="day", weekday=1, time=datetime.time(9, 0),
        place=f"河西{HALL}", chair=chair,
    )  # fmt: skip
    today = timezone.localdate()
    last = today - datetime.timedelta(days=(today.weekday() - 1) % 7 or 7)  # before today
    for weeks_back in range(3, -1, -1):
        tuesday = last - datetime.timedelta(weeks=weeks_back)
        _past_deliberation_day(hexi, schedule, chair, tuesday, main=weeks_back == 0)
    xincun = Community.objects.filter(code=XINCUN).first()
    if xincun is not None and (xincun_chair := _chair(xincun)) is not None:
        services.create_schedule(
            by=xincun_chair.user, community=xincun, kind="day", weekday=1,
            time=datetime.time(15, 0), place=f"新村{HALL}", chair=xincun_chair,
        )  # fmt: skip


def _past_deliberation_day(hexi, schedule, chair, day, *, main):
    by = chair.user
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    meeting = services.schedule_meeting(
        by=by, community=hexi, kind="day", starts_at=at, place=schedule.place, chair=chair
    )
    Meeting.objects.filter(pk=meeting.pk).update(schedule=schedule)
    _attendees(meeting, hexi, by)
    topics = HEXI_TOPICS if main else HEXI_TOPICS[(day.day % 4) : (day.day % 4) + 1]
    for title, said, how, decision, action, days in topics:
        topic = services.add_topic(meeting, by=by, title=title, description=said)
        follow_ups = [(action, chair, "", day + datetime.timedelta(days=days))] if action else []
        votes = {"votes_for": 31, "votes_against": 3, "abstentions": 2} if how == "vote" else {}
        services.decide_topic(topic, by=by, decision=decision, decided_how=how,
                              follow_ups=follow_ups, **votes)  # fmt: skip
    if main:
        _decide_an_open_petition(meeting, hexi, by, at)
        _link_the_charging_petition(meeting, hexi, by)
    services.record_minutes(
        meeting, by=by, unnamed_residents=26 if main else 12,
        minutes="居民事居民议、大家事大家定。与会居民各抒己见，逐项议定，会后由社区跟踪落实。",
    )  # fmt: skip
    Topic.objects.filter(meeting=meeting).update(decided_at=at + datetime.timedelta(hours=2))


def _attendees(meeting, hexi, by):
    services.add_attendees(
        meeting, by=by, capacity="official",
        officials=Official.objects.filter(scopes__grid__community=hexi).distinct()[:3],
    )  # fmt: skip
    secretaries = Assignment.objects.current().filter(community=hexi)
    services.add_attendees(
        meeting, by=by, capacity="official",
        officials=[s.official for s in secretaries.select_related("official")],
    )  # fmt: skip
    five_three = Role.objects.current().filter(community=hexi, resident__isnull=False)
    residents = [r.resident for r in five_three.select_related("resident")[:4]]
    if residents:
        services.add_attendees(meeting, by=by, capacity="five_three", residents=residents)
    services.add_attendees(meeting, by=by, capacity="police", name="社区警务室民警")
    units = Department.objects.filter(name="区政府办")
    services.add_attendees(meeting, by=by, capacity="unit", departments=units)


def _decide_an_open_petition(meeting, hexi, by, at):
    """The oldest open petition of 河西社区 (not the one the 议事日 itself raised) is put on the
    agenda and decided: the decision shows on its timeline."""
    petition = (
        Petition.objects.open()
        .filter(grid__community=hexi, created_at__lt=at)
        .exclude(source="meeting")
        .order_by("created_at")
        .first()
    )
    if petition is None:
        return
    topic = services.put_on_agenda(meeting, by=by, petition=petition)
    services.decide_topic(
        topic, by=by, decided_how="consensus",
        decision="居民代表、物业和网格员当场协商：由物业一周内处理，网格员跟踪回访。",
        follow_ups=[("物业处理、网格员回访", None, "滨河花园物业",
                     timezone.localdate(at) + datetime.timedelta(days=7))],
    )  # fmt: skip
    decisions = PetitionEvent.objects.filter(petition=petition, action="meeting_decision")
    decisions.update(at=at + datetime.timedelta(hours=2))
    # Backdated for the demo's story: the trail is chained again from the first one changed.
    seal_records(PetitionEvent, PetitionEvent.trail_fields, from_pk=min(d.pk for d in decisions))


def _link_the_charging_petition(meeting, hexi, by):
    """安全整治: the 飞线充电 concern raised at a 议事日 (petitions.demo) is this topic's
    petition."""
    raised = Petition.objects.filter(grid__community=hexi, source="meeting").first()
    topic = services.add_topic(
        meeting, by=by, title="安全整治：楼道飞线充电",
        description="楼道飞线充电隐患多，希望加装充电桩。",
    )  # fmt: skip
    services.decide_topic(
        topic, by=by, decided_how="consensus",
        decision="联系供电所和物业选址加装充电桩；联防联控队督促整改飞线充电。",
    )  # fmt: skip
    if raised is not None:
        Topic.objects.filter(pk=topic.pk).update(raised_petition=raised)
