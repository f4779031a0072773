"""Demo registry: the compounds the newspaper page names, filled out with generated households
and residents (plausible Chinese names; valid-looking but fake phones and ID numbers).

Deterministic (a fixed random seed) and idempotent: a compound that already has buildings is
left as it is.
"""

import datetime
import random

from django.db import transaction

from communities.models import Community, Department
from core.personal_data import id_number_check_char

from .models import Building, Compound, Household, Resident, ResidentGroup, Sponsorship, Tag, Unit

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志海东亮成新"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华慧巧美玲婷雪琳晶洁颖倩莹红梅兰凤燕萍云佳欣怡悦"
PHONE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                  "152", "155", "156", "158", "159", "176", "177", "180", "181", "185", "186",
                  "187", "188", "189", "199"]  # fmt: skip

TAGS = [
    ("独居老人", "care"),
    ("空巢老人", "care"),
    ("高龄老人", "care"),
    ("低保", "care"),
    ("特困供养", "care"),
    ("残疾", "care"),
    ("困难群众", "care"),
    ("留守儿童", "care"),
    ("退役军人", "care"),
    ("党员", "other"),
    ("精神障碍", "control"),
    ("社区矫正", "control"),
    ("刑满释放", "control"),
    ("信访重点", "control"),
]

# (community code, compound, address, year built, committee, [(grid number, building count)],
#  units per building, households per unit)
COMPOUNDS = [
    (
        "411002005001",
        "安装公司家属院",
        "八一路59号",
        1971,
        "",
        [(1, 6), (2, 6), (3, 6), (4, 6)],
        2,
        0,
    ),
    ("411002005001", "新村小区", "新村路12号", 1995, "property", [(1, 2), (2, 2)], 3, 8),
    (
        "411002003001",
        "帝豪花园小区",
        "西关大道88号",
        1992,
        "owners",
        [(1, 3), (2, 3), (3, 2)],
        2,
        12,
    ),
    ("411002002001", "纺织厂家属院", "东大街36号", 1985, "", [(1, 2), (2, 2), (3, 2)], 2, 10),
    (
        "411002010001",
        "滨河花园",
        "莲城大道166号",
        2005,
        "owners",
        [(n, 2) for n in range(1, 9)],
        2,
        10,
    ),
    ("411002011001", "煤机总厂北家属院", "魏文路20号", 1978, "", [(1, 2), (2, 2)], 2, 8),
    ("411002006001", "育才家属院", "五一路45号", 1983, "", [(1, 2), (2, 1)], 2, 8),
    ("411002005002", "八西小区", "八一路西段8号", 1990, "", [(1, 2), (2, 1), (3, 1)], 2, 8),
    ("411002003002", "三李小区", "三李街6号", 1998, "property", [(1, 2), (2, 1)], 2, 8),
    ("411002010002", "塔湾小区", "塔湾路15号", 2001, "", [(1, 2), (2, 1)], 2, 8),
    ("411002001001", "德科苑小区", "德科路3号", 2008, "owners", [(1, 2), (2, 1)], 2, 8),
    ("411002001002", "榆柳小区", "榆柳街9号", 1996, "", [(1, 2), (2, 1)], 2, 8),
    ("411002001003", "豫园小区", "豫园路21号", 2003, "property", [(1, 2), (2, 1)], 2, 8),
    ("411002004001", "裴山庙小区", "裴山庙街2号", 1989, "", [(1, 2), (2, 1)], 2, 8),
]
# 安装公司家属院: 24 buildings, 683 households (the page's figures).
ANZHUANG_HOUSEHOLDS = 683

# (community code, grid number, group names, households per group)
RESIDENT_GROUPS = [
    ("411002007001", 1, ["第一居民组", "第二居民组"], 18),
    ("411002007001", 2, ["第三居民组", "第四居民组"], 18),
    ("411002007001", 3, ["第五居民组", "第六居民组"], 18),
]

# Named residents from the page, placed as heads of the first household of their compound.
NAMED_RESIDENTS = {
    "纺织厂家属院": ("肖明伟", "M"),
    "帝豪花园小区": ("秦凤莲", "F"),
    "安装公司家属院": ("寇莹莹", "F"),
    "滨河花园": ("张琳", "F"),
}

# (department, community code, compound or None, kind)
SPONSORSHIPS = [
    ("统计局", "411002006001", "育才家属院", "help"),
    ("巡察办", "411002005001", None, "sent"),
    ("教体局", "411002005001", "安装公司家属院", "help"),
    ("园林中心", "411002005001", "安装公司家属院", "help"),
    ("区政府办", "411002010001", None, "contract"),
    ("信访局", "411002002001", "纺织厂家属院", "sent"),
    ("住建局", "411002003001", "帝豪花园小区", "help"),
]


class PersonFactory:
    """Deterministic fake people: names, birth dates, phones and valid ID-card numbers."""

    def __init__(self, seed=2023, region="411002"):
        self.rng = random.Random(seed)  # noqa: S311 - fake demo data, not secrets
        self.region = region
        self.used_ids = set(
            Resident.objects.exclude(id_number="").values_list("id_number", flat=True)
        )

    def name(self, male):
        given = GIVEN_MALE if male else GIVEN_FEMALE
        length = self.rng.choice((1, 2, 2))
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(given) for _ in range(length))

    def birth_date(self, min_age, max_age, today=datetime.date(2026, 1, 1)):
        age_days = self.rng.randint(min_age * 365, max_age * 365)
        return today - datetime.timedelta(days=age_days)

    def phone(self):
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def id_number(self, birth, male):
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            first17 = f"{self.region}{birth:%Y%m%d}{seq:03d}"
            value = first17 + id_number_check_char(first17)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def resident(self, household, relation, male, min_age, max_age, **kw):
        birth = self.birth_date(min_age, max_age)
        return Resident(
            household=household,
            name=kw.pop("name", None) or self.name(male),
            gender="M" if male else "F",
            birth_date=birth,
            phone=self.phone() if (datetime.date(2026, 1, 1) - birth).days > 16 * 365 else "",
            id_number=self.id_number(birth, male),
            relation=relation,
            **kw,
        )


def _members(people, household, head_name=None):
    """A plausible family: a head, often a spouse, sometimes children or a parent."""
    rng = people.rng
    head_male = rng.random() < 0.6 if head_name is None else head_name[1] == "M"
    kind = rng.choices(["alone", "couple", "family", "three"], weights=[15, 30, 40, 15])[0]
    if kind == "alone":
        head = people.resident(household, "head", head_male, 60, 92)
    else:
        head = people.resident(household, "head", head_male, 30, 85)
    if head_name:
        head.name = head_name[0]
    members = [head]
    head_age = (datetime.date(2026, 1, 1) - head.birth_date).days // 365
    if kind != "alone":
        members.append(
            people.resident(household, "spouse", not head_male, max(25, head_age - 5), head_age + 3)
        )
    if kind in ("family", "three"):
        for _ in range(rng.choice((1, 1, 2))):
            members.append(
                people.resident(
                    household, "child", rng.random() < 0.5, 1, max(2, min(head_age - 22, 40))
                )
            )
    if kind == "three":
        members.append(
            people.resident(household, "parent", rng.random() < 0.4, head_age + 22, head_age + 35)
        )
    return members, kind


def _tags_for(people, members, kind, tags):
    rng = people.rng
    today = datetime.date(2026, 1, 1)
    chosen = []
    for resident in members:
        age = (today - resident.birth_date).days // 365
        mine = []
        if kind == "alone" and age >= 65:
            mine.append("独居老人")
        if kind == "couple" and age >= 65:
            mine.append("空巢老人")
        if age >= 80:
            mine.append("高龄老人")
        if resident.relation == "head":
            for tag, share in (("低保", 0.03), ("困难群众", 0.03), ("信访重点", 0.005)):
                if rng.random() < share:
                    mine.append(tag)
        for tag, share in (("残疾", 0.03), ("退役军人", 0.02), ("党员", 0.08)):
            if age >= 18 and rng.random() < share:
                mine.append(tag)
        chosen.extend((resident, tags[name]) for name in mine)
    return chosen


def _room_numbers(count):
    """Rooms of one stairwell: two flats per floor, 101, 102, 201 …"""
    return [f"{floor}0{pos}" for floor in range(1, 40) for pos in (1, 2)][:count]


@transaction.atomic
def load_registry():
    tags = {
        name: Tag.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in TAGS
    }
    people = PersonFactory()
    households = []
    for spec in COMPOUNDS:
        households.extend(_load_compound(people, *spec))
    for community_code, grid_number, names, per_group in RESIDENT_GROUPS:
        community = Community.objects.get(code=community_code)
        grid = community.grids.get(number=grid_number)
        for name in names:
            group, created = ResidentGroup.objects.get_or_create(
                community=community, name=name, defaults={"grid": grid}
            )
            if created:
                households.extend(
                    Household(grid=grid, resident_group=group, room=f"{n}号")
                    for n in range(1, per_group + 1)
                )
    Household.objects.bulk_create(households, batch_size=1000)
    _load_residents(people, households, tags)
    _load_sponsorships()


def _load_compound(people, community_code, name, address, year, committee, grids, units, per_unit):
    community = Community.objects.get(code=community_code)
    compound, _ = Compound.objects.get_or_create(
        community=community,
        name=name,
        defaults={"address": address, "year_built": year, "committee": committee},
    )
    if compound.buildings.exists():
        return []
    grid_by_number = {g.number: g for g in community.grids.all()}
    building_count = sum(count for _n, count in grids)
    total = ANZHUANG_HOUSEHOLDS if name == "安装公司家属院" else None
    households, number = [], 0
    for grid_number, count in grids:
        for _ in range(count):
            number += 1
            grid = grid_by_number[grid_number]
            building = Building.objects.create(compound=compound, grid=grid, name=f"{number}号楼")
            if total is not None:
                # Spread the page's 683 households over the 24 buildings (28 or 29 each).
                in_building = total // building_count + (number <= total % building_count)
                per = [in_building // units + (i < in_building % units) for i in range(units)]
            else:
                per = [per_unit] * units
            for index, count_in_unit in enumerate(per, start=1):
                unit = Unit.objects.create(building=building, name=f"{index}单元")
                households.extend(
                    Household(grid=grid, unit=unit, room=room)
                    for room in _room_numbers(count_in_unit)
                )
    return households


def _load_residents(people, households, tags):
    residents, tagged = [], []
    named = {}
    for household in households:
        compound = household.unit.building.compound.name if household.unit_id else None
        head_name = NAMED_RESIDENTS.get(compound) if compound not in named else None
        if head_name:
            named[compound] = household
        members, kind = _members(people, household, head_name)
        residents.extend(members)
        tagged.extend(_tags_for(people, members, kind, tags))
    Resident.objects.bulk_create(residents, batch_size=1000)
    Through = Resident.tags.through
    Through.objects.bulk_create(
        [Through(resident_id=r.pk, tag_id=t.pk) for r, t in tagged], batch_size=1000
    )


def _load_sponsorships():
    for department, community_code, compound, kind in SPONSORSHIPS:
        community = Community.objects.get(code=community_code)
        Sponsorship.objects.get_or_create(
            department=Department.objects.get(name=department),
            community=community,
            compound=Compound.objects.get(community=community, name=compound) if compound else None,
            defaults={"kind": kind, "start_date": datetime.date(2023, 3, 1)},
        )
