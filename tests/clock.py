"""Times for tests that count "this month" (the local month, Asia/Shanghai)."""

import datetime

from django.utils import timezone


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first moment of the local month `now` falls in."""
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def recently(at_most=datetime.timedelta(hours=1), *, now=None) -> datetime.timedelta:
    """How long ago "a moment ago" may be while staying in this local month: `at_most`, less
    shortly after midnight on the 1st (an hour ago was last month then)."""
    now = now or timezone.now()
    return min(at_most, (now - month_start(now)) / 2)
