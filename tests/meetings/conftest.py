import datetime

import pytest
from django.utils import timezone

from meetings.services import schedule_meeting
from petitions.models import Category
from petitions.services.intake import open_petition
from tests import factories as f


@pytest.fixture
def household_a(grid_a1, casework_defaults):
    household = f.make_household(grid_a1, room="301")
    f.make_resident(household, name="陈华")
    return household


@pytest.fixture
def petition_a(household_a, grid_worker):
    return open_petition(
        by=grid_worker, source="walk_in", category=Category.objects.get(name="其他"),
        description="小区路灯不亮", household=household_a,
    )  # fmt: skip


@pytest.fixture
def meeting_a(community_a, community_staff):
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    return schedule_meeting(
        by=community_staff, community=community_a, kind="day", starts_at=today,
        place="社区议事厅",
    )  # fmt: skip


@pytest.fixture
def future_meeting(community_a, community_staff):
    return schedule_meeting(
        by=community_staff, community=community_a, kind="day",
        starts_at=timezone.now() + datetime.timedelta(days=3), place="社区议事厅",
    )  # fmt: skip
