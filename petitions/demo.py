"""Demo visits: 新村社区 visited 269 households (the page's figure), the other communities about
a third of theirs, over the last months. Idempotent: nothing is added once visits exist."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communities.models import Community
from grids.models import Household

from .models import Visit

XINCUN_VISITED = 269
NOTES = ["家中整洁,老人身体尚好", "反映楼道灯不亮", "子女在外地,需定期关注", "宣传防诈骗知识",
         "了解就业情况", "邻里关系和睦", "提醒注意用电安全"]  # fmt: skip


@transaction.atomic
def load_visits():
    if Visit.objects.exists():
        return
    rng = random.Random(269)  # noqa: S311 - demo data
    users = get_user_model().objects
    visitors = [users.get(username="grid"), users.get(username="community")]
    now = timezone.now()
    visits = []
    for community in Community.objects.order_by("code"):
        households = list(Household.objects.filter(grid__community=community).order_by("pk"))
        share = XINCUN_VISITED if community.code == "411002005001" else len(households) // 3
        for household in rng.sample(households, min(share, len(households))):
            visits.append(
                Visit(
                    household=household,
                    grid_id=household.grid_id,
                    visited_at=now
                    - datetime.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 8)),
                    kind=rng.choice(["routine", "routine", "care"]),
                    notes=rng.choice(NOTES),
                    author=rng.choice(visitors),
                )
            )
    Visit.objects.bulk_create(visits, batch_size=1000)
