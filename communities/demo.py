"""Demo map of Weidu district: its real streets, the communities, departments and people the
newspaper page names, and one login per role. Idempotent: objects are matched by natural keys.

Streets and their division codes are the real ones; where the page does not say which street a
community belongs to, the assignment here is made up, as are all generated names.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    Community,
    Department,
    District,
    Grid,
    Official,
    OfficialScope,
    Street,
)

DEMO_PASSWORD = "weidu-demo"  # noqa: S105 - the documented demo password

STREETS = [
    ("411002001", "西大街街道"),
    ("411002002", "东大街街道"),
    ("411002003", "西关街道"),
    ("411002004", "南关街道"),
    ("411002005", "北大街街道"),
    ("411002006", "五一路街道"),
    ("411002007", "高桥营街道"),
    ("411002008", "丁庄街道"),
    ("411002009", "颍昌街道"),
    ("411002010", "文峰街道"),
    ("411002011", "新兴街道"),
    ("411002013", "灞陵街道"),
    ("411002015", "魏北街道"),
    ("411002016", "产业集聚区街道"),
]

# (street code, community code, name, kind, number of grids)
COMMUNITIES = [
    ("411002005", "411002005001", "新村社区", "urban", 4),
    ("411002005", "411002005002", "八西社区", "urban", 3),
    ("411002003", "411002003001", "许烟社区", "urban", 3),
    ("411002003", "411002003002", "三李社区", "urban", 2),
    ("411002002", "411002002001", "文惠社区", "urban", 3),
    ("411002010", "411002010001", "河西社区", "urban", 8),
    ("411002010", "411002010002", "塔湾社区", "urban", 2),
    ("411002001", "411002001001", "德科苑社区", "urban", 2),
    ("411002001", "411002001002", "榆柳社区", "urban", 2),
    ("411002001", "411002001003", "豫园社区", "urban", 2),
    ("411002006", "411002006001", "育才社区", "urban", 2),
    ("411002004", "411002004001", "裴山庙社区", "urban", 2),
    ("411002011", "411002011001", "西湖社区", "urban", 2),
    ("411002007", "411002007001", "刘铁庄社区", "rural", 3),
]

DEPARTMENTS = [
    "区委组织部",
    "区委办",
    "区政府办",
    "住建局",
    "信访局",
    "教体局",
    "统计局",
    "巡察办",
    "园林中心",
    "民政局",
    "城管局",
    "公安分局",
]

# (username, name, title, department, area kind, area natural key, staff)
LOGINS = [
    ("organizer", "王芳", "区委组织部干部", "区委组织部", "district", "411002", True),
    ("street", "李强", "北大街街道办干部", None, "street", "411002005", False),
    ("community", "柴松杰", "新村社区党委书记", None, "community", "411002005001", False),
    ("grid", "刘晓燕", "网格员", None, "grid", ("411002005001", 1), False),
    ("department", "孙伟", "住建局干部", "住建局", None, None, False),
    # The district's follow-through chain: 组织部 collects, 区委办 coordinates and supervises.
    ("zuzhibu", "赵敏华", "区委组织部组织科干部", "区委组织部", None, None, False),
    ("quweiban", "刘洋", "区委办督查室干部", "区委办", None, None, False),
]
# The departments' parts in the follow-through chain (Department.district_role).
DISTRICT_ROLES = {"区委组织部": "collects", "区委办": "coordinates"}

# Who serves each community on the ground (no login; the demo logins above cover 新村社区):
# community code -> (its party secretary, title). 张琳 is the page's 河西社区党总支书记.
COMMUNITY_SECRETARIES = {
    "411002005002": ("孟庆华", "八西社区党委书记"),
    "411002003001": ("杜文斌", "许烟社区党委书记"),
    "411002003002": ("韩雪梅", "三李社区党委书记"),
    "411002002001": ("冯志刚", "文惠社区党委书记"),
    "411002010001": ("张琳", "河西社区党总支书记"),
    "411002010002": ("邓丽娟", "塔湾社区党委书记"),
    "411002001001": ("曾宪民", "德科苑社区党委书记"),
    "411002001002": ("彭秀英", "榆柳社区党委书记"),
    "411002001003": ("蒋国庆", "豫园社区党委书记"),
    "411002006001": ("宋晓东", "育才社区党委书记"),
    "411002004001": ("田玉兰", "裴山庙社区党委书记"),
    "411002011001": ("潘建军", "西湖社区党委书记"),
    "411002007001": ("罗长青", "刘铁庄社区党总支书记"),
}
# One grid worker per grid (新村社区 第1网格 is the `grid` login's), named from these in turn.
GRID_WORKER_NAMES = [
    "寇莹莹", "王丽", "赵敏", "孙红梅", "周静", "吴海燕", "郑玉华", "陈佳",
    "杨帆", "黄晓丽", "许文静", "何雪", "高晓燕", "林芳", "罗娟", "梁燕",
    "宋婷", "唐慧", "韩冰", "冯霞", "邓倩", "曹颖", "彭琳", "曾艳",
    "肖红", "田萍", "董洁", "袁梅", "潘云", "于欣", "蒋悦", "蔡晶",
    "余兰", "杜鹃", "叶青", "程秀英", "苏巧", "魏凤", "吕晶晶", "丁佳怡",
]  # fmt: skip


@transaction.atomic
def load_map():
    district, _ = District.objects.get_or_create(code="411002", defaults={"name": "魏都区"})
    streets = {}
    for code, name in STREETS:
        streets[code], _ = Street.objects.get_or_create(
            code=code, defaults={"district": district, "name": name}
        )
    communities = {}
    for street_code, code, name, kind, grid_count in COMMUNITIES:
        community, _ = Community.objects.get_or_create(
            code=code, defaults={"street": streets[street_code], "name": name, "kind": kind}
        )
        communities[code] = community
        for number in range(1, grid_count + 1):
            Grid.objects.get_or_create(
                community=community, number=number, defaults={"name": f"第{number}网格"}
            )
    departments = {
        name: Department.objects.get_or_create(
            district=district, name=name, defaults={"district_role": DISTRICT_ROLES.get(name, "")}
        )[0]
        for name in DEPARTMENTS
    }
    _load_logins(district, streets, communities, departments)
    _load_local_officials(communities)
    return district


def _load_logins(district, streets, communities, departments):
    User = get_user_model()
    for username, name, title, department, area_kind, area_key, staff in LOGINS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": staff, "is_superuser": staff}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        official, _ = Official.objects.get_or_create(
            user=user,
            defaults={
                "name": name,
                "title": title,
                "department": departments.get(department),
                "phone": f"1390374{len(username):04d}",
            },
        )
        area = {
            "district": lambda key: district,
            "street": lambda key: streets[key],
            "community": lambda key: communities[key],
            "grid": lambda key: Grid.objects.get(community=communities[key[0]], number=key[1]),
            None: lambda key: None,
        }[area_kind](area_key)
        if area is not None:
            OfficialScope.objects.get_or_create(official=official, **{area_kind: area})


def _load_local_officials(communities):
    """A party secretary for every community and a grid worker for every grid, so that each
    place of the page has someone who serves it (and to whom its visits are credited)."""
    names = iter(GRID_WORKER_NAMES)
    for code, community in communities.items():
        if code in COMMUNITY_SECRETARIES:
            name, title = COMMUNITY_SECRETARIES[code]
            _local_official(f"community-{code}", name, title, community=community)
        for grid in community.grids.order_by("number"):
            if (code, grid.number) == ("411002005001", 1):
                continue  # the `grid` login
            _local_official(f"grid-{code}-{grid.number}", next(names), "网格员", grid=grid)


def _local_official(username, name, title, **area):
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        official = Official.objects.create(user=user, name=name, title=title)
        OfficialScope.objects.create(official=official, **area)


def demo_logins():
    return [(username, name, title) for username, name, title, *_rest in LOGINS]
