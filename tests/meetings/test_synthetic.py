"""The scale generator's meetings: a 议事日 every Tuesday in every community for two years."""

import pytest
from django.utils import timezone

from communities.demo import load_map
from communities.models import Community
from grids.demo import load_registry
from meetings.models import Meeting, Topic
from meetings.synthetic import WEEKS_AHEAD, WEEKS_BACK, generate_meeting_calendar


@pytest.fixture
def demo_map(db):
    load_map()
    load_registry()


def test_a_deliberation_day_a_week_per_community_for_two_years(demo_map):
    made = generate_meeting_calendar(seed=1, progress=lambda message: None)
    communities = Community.objects.count()
    assert made == Meeting.objects.count() == communities * (WEEKS_BACK + WEEKS_AHEAD)
    assert {timezone.localtime(m.starts_at).weekday() for m in Meeting.objects.all()[:200]} == {1}
    assert not Meeting.objects.filter(status="held", starts_at__gt=timezone.now()).exists()
    held = Meeting.objects.filter(status="held").count()
    assert 0.9 * communities * WEEKS_BACK < held < communities * WEEKS_BACK
    assert held <= Topic.objects.count() <= 4 * held
    for topic in Topic.objects.order_by("?")[:30]:
        topic.full_clean()
