"""The newspaper page's activities: 育才社区's 清洁家园 day with its sponsoring units, 塔湾社区's
food-safety inspection (a finding that became a petition), 河西社区's 普法 event on the Civil
Code, 裴山庙社区's anti-drug event, anti-fraud leaflets for the elderly, and a patrol of 河西社区's
联防联控 team that found 飞线充电 and got it rectified. Idempotent: nothing is added once
activities exist."""

import datetime

from django.db import transaction
from django.utils import timezone

from communities.models import Community, Department
from grids.models import Building
from petitions.demo import officials_by_grid as _officials_by_grid
from petitions.demo_stories import clock as _clock
from petitions.models import Category
from petitions.services import transitions as t

from .models import Activity, Place, ServiceTeam, TeamMember
from .services import ActivityRecord, FindingRecord, record_activity


def _page_day(month, day):
    """The page's date in the latest year in which it has already passed."""
    today = timezone.localdate()
    date = datetime.date(today.year, month, day)
    return date if date < today else date.replace(year=today.year - 1)


def _at(date, hour):
    moment = datetime.datetime.combine(date, datetime.time(hour))
    return timezone.make_aware(moment)


@transaction.atomic
def load_activities():
    if Activity.objects.exists() or not Community.objects.filter(name="河西社区").exists():
        return
    community = {c.name: c for c in Community.objects.select_related("street")}
    district = community["河西社区"].street.district
    unit = {
        name: Department.objects.get_or_create(district=district, name=name)[0]
        for name in ("统计局", "市地方经济社会调查队", "区政府办", "公安分局", "住建局")
    }
    serving = _officials_by_grid()
    category = {c.name: c for c in Category.objects.filter(parent=None)}

    def grid1(name):
        return community[name].grids.order_by("number").first()

    def first_official(name):
        return serving[grid1(name).pk][-1]  # the community's own official (its secretary)

    hexi_grid, tawan_grid = grid1("河西社区"), grid1("塔湾社区")
    shed_building = Building.objects.filter(compound__name="滨河花园", name="3号楼").first()
    places = {
        p.name: p
        for p in [
            Place.objects.create(
                grid=hexi_grid, kind=Place.Kind.SQUARE, name="滨河花园小广场",
                address="莲城大道滨河花园",
            ),
            Place.objects.create(
                grid=shed_building.grid if shed_building else hexi_grid,
                kind=Place.Kind.CHARGING, name="滨河花园3号楼车棚", building=shed_building,
                address="莲城大道166号", responsible_person="孙国栋",
                responsible_phone="13603741288",
            ),
            Place.objects.create(
                grid=tawan_grid, kind=Place.Kind.RESTAURANT, name="塔湾路家常菜馆",
                address="塔湾路21号", responsible_person="刘桂芝", responsible_phone="13937412566",
            ),
            Place.objects.create(
                grid=tawan_grid, kind=Place.Kind.SUPERMARKET, name="塔湾惠民超市",
                address="塔湾路9号", responsible_person="陈永强", responsible_phone="13837469021",
            ),
            Place.objects.create(
                grid=tawan_grid, kind=Place.Kind.RESTAURANT, name="老街烩面馆",
                address="塔湾路33号", responsible_person="王红霞", responsible_phone="15103749876",
            ),
        ]
    }  # fmt: skip
    joint = ServiceTeam.objects.create(
        community=community["河西社区"], grid=hexi_grid, kind=ServiceTeam.Kind.JOINT_DEFENCE,
        name="河西社区联防联控志愿者队伍", founded=_page_day(3, 1),
    )  # fmt: skip
    TeamMember.objects.bulk_create(
        TeamMember(team=joint, name=name, kind=kind, is_leader=leads)
        for name, kind, leads in [
            ("张琳", "party", True), ("何丽", "official", False), ("李卫东", "police", False),
            ("孙国栋", "property", False), ("赵秀云", "party", False),
            ("周长海", "resident", False),
        ]
    )  # fmt: skip
    party_team = ServiceTeam.objects.create(
        community=community["河西社区"], kind=ServiceTeam.Kind.PARTY_SERVICE,
        name="河西社区党员服务队", founded=_page_day(1, 10),
    )  # fmt: skip
    TeamMember.objects.bulk_create(
        TeamMember(team=party_team, name=name, kind="party", is_leader=leads)
        for name, leads in [("张琳", True), ("赵秀云", False), ("王德明", False)]
    )

    def record(name, day, official=None, **fields):
        with _clock(_at(day, 10)):
            return record_activity(
                ActivityRecord(community=community[name], held_on=day, **fields),
                by=official or first_official(name),
            )

    record(
        "育才社区", _page_day(10, 27), kind=Activity.Kind.VOLUNTEER, title="“清洁家园”志愿服务活动",
        partners=[unit["统计局"], unit["市地方经济社会调查队"]], location="育才家属院",
        participants=32, residents_reached=60,
        what_was_done="联合老旧小区帮扶单位统计局、市地方经济社会调查队,到辖区帮扶庭院开展"
        "“清洁家园”志愿服务活动,对老旧庭院中的卫生死角等进行打扫清理。",
    )  # fmt: skip
    tawan = record(
        "塔湾社区", _page_day(10, 26), kind=Activity.Kind.FOOD_SAFETY, grid=tawan_grid,
        title="辖区餐饮、商超食品安全检查", location="塔湾路沿街商户", participants=4,
        what_was_done="社区工作人员对辖区内餐饮、商超行业开展食品安全检查,查看证照、"
        "后厨卫生和食品存放。",
        checked=[places["塔湾惠民超市"], places["老街烩面馆"]],
        findings=[FindingRecord(
            place=places["塔湾路家常菜馆"], category=category["食品安全"],
            description="后厨生熟食品未分开存放,一名帮厨健康证过期,已要求限期整改",
        )],
    )  # fmt: skip
    tawan_petition = tawan.findings.get().petition
    with _clock(_at(_page_day(10, 26), 15)):
        t.accept(tawan_petition, by=first_official("塔湾社区"))
    record(
        "河西社区", _page_day(10, 31), kind=Activity.Kind.LAW, party_organization=None,
        title="民法典普法宣传活动", partners=[unit["区政府办"], unit["公安分局"]],
        location="莲城大道滨河花园小广场", participants=15, residents_reached=120,
        what_was_done="联合魏都区政府办、社区警务室开展宣传活动。党员志愿者围绕民法典中与群众"
        "生活息息相关的内容进行细心讲解,辖区民警面对面讲解法律常识,引导居民使用法律武器"
        "解决问题、化解矛盾。",
        team=party_team,
    )  # fmt: skip
    record(
        "裴山庙社区", _page_day(10, 24), kind=Activity.Kind.DRUGS, title="“全民禁毒”宣传活动",
        partners=[unit["住建局"], unit["公安分局"]], location="裴山庙小区", participants=10,
        residents_reached=85,
        what_was_done="联合区住建局、社区警务室民警开展禁毒宣传活动,用通俗易懂的语言为社区"
        "居民讲解毒品预防知识。",
    )  # fmt: skip
    record(
        "新村社区", _page_day(10, 20), kind=Activity.Kind.FRAUD, title="防诈骗宣传页进家门",
        location="安装公司家属院", participants=6, residents_reached=140,
        what_was_done="社区工作人员为老年人发放防诈骗宣传页,以增强其防范意识。",
    )  # fmt: skip
    patrol_day = _page_day(10, 15)
    patrol = record(
        "河西社区", patrol_day, kind=Activity.Kind.PATROL, grid=hexi_grid, team=joint,
        title="联防联控队楼院安全巡查", location="滨河花园", participants=6,
        what_was_done="党员志愿者、片警、物业身穿红马甲巡查居民楼院、道路和公共区域,"
        "清理“牛皮癣”小广告和杂物堆放,排查私搭乱建、飞线充电。",
        checked=[places["滨河花园小广场"]],
        findings=[FindingRecord(
            place=places["滨河花园3号楼车棚"], category=category["飞线充电及充电桩"],
            description="3号楼车棚有住户从二楼窗口拉线给电动车充电,存在火灾隐患",
            urgency="urgent",
        )],
    )  # fmt: skip
    flying_wire = patrol.findings.get().petition
    worker = serving[flying_wire.grid_id][0]
    for hours, verb, kwargs in [
        (2, "accept", {}),
        (48, "resolve", {"what_was_done": "联防联控队督促住户拆除飞线,物业在车棚加装两组充电桩"}),
        (96, "follow_up", {"satisfaction": "satisfied", "comment": "现在下楼就能充电,放心了"}),
        (98, "close", {}),
    ]:
        with _clock(_at(patrol_day, 10) + datetime.timedelta(hours=hours)):
            getattr(t, verb)(flying_wire, by=worker, **kwargs)
            flying_wire.refresh_from_db()
