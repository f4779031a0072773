"""Default petition categories and visit frequencies, created by a data migration.

The migration passes its historical models; tests that flush the database call it with the
current ones.
"""

# The categories the issue lists; organizers edit the tree in the admin.
CATEGORIES = [
    ("物业管理", False),
    ("环境卫生", False),
    ("排水防涝", False),
    ("停车管理", False),
    ("飞线充电及充电桩", False),
    ("亮化绿化", False),
    ("老旧小区改造", False),
    ("占用公共空间", False),
    ("邻里纠纷", True),
    ("治安安全", False),
    ("食品安全", False),
    ("其他", False),
]
# Visit at least every N days: ordinary households twice a year, key groups monthly.
FREQUENCIES = [(None, 182), ("独居老人", 30), ("空巢老人", 30), ("高龄老人", 30), ("低保", 30),
               ("特困供养", 30), ("残疾", 30), ("困难群众", 30), ("留守儿童", 30),
               ("社区矫正", 30), ("精神障碍", 30), ("刑满释放", 60)]  # fmt: skip
CONTROL_TAGS = ("社区矫正", "精神障碍", "刑满释放")


def ensure_defaults(Category, Tag, VisitFrequency):  # noqa: N803 - model classes
    for position, (name, is_dispute) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            parent=None, name=name, defaults={"position": position, "is_dispute": is_dispute}
        )
    for tag_name, days in FREQUENCIES:
        tag = None
        if tag_name:
            kind = "control" if tag_name in CONTROL_TAGS else "care"
            tag, _created = Tag.objects.get_or_create(name=tag_name, defaults={"kind": kind})
        if not VisitFrequency.objects.filter(tag=tag).exists():
            VisitFrequency.objects.create(tag=tag, interval_days=days)
