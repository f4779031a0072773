"""The kinds of dispute of the monthly 矛盾纠纷排查调处情况表, created by a data migration and
editable in the admin afterwards."""

KINDS = ["邻里纠纷", "婚姻家庭纠纷", "物业纠纷", "房屋土地纠纷", "劳资纠纷", "消费纠纷",
         "交通事故纠纷", "其他纠纷"]  # fmt: skip


def ensure_kinds(DisputeKind):
    """Create the report's kinds that are missing (idempotent; tests on the live server flush
    the database, data migrations included)."""
    for position, name in enumerate(KINDS):
        DisputeKind.objects.get_or_create(name=name, defaults={"position": position})
