"""Fixtures of the casework tests: a household of 新村社区's grid 1 with one member, the
drainage category (the demo's 6号楼 story), and a new petition raised by 陈华 in grid 1."""

import pytest

from petitions.models import Category
from tests import factories as f


@pytest.fixture
def household(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华", phone="13812345678")
    return household


@pytest.fixture
def drainage(casework_defaults):
    return Category.objects.get(name="排水防涝")


@pytest.fixture
def petition(grid_a1, grid_worker, casework_defaults):
    """The 6号楼 drainage petition at compound level, new, from 陈华 of room 301 (files may
    define their own)."""
    household = f.make_household(grid_a1, room="301")
    resident = f.make_resident(household, name="陈华", phone="13812345678")
    return f.make_petition(by=grid_worker, household=household, resident=resident)


# The modules whose tests move petitions through every verb, the supervision job and the pages,
# and those that record visits: after each of their tests the counts the database keeps
# (petitions.daily_petitions, petitions.household_counts) must equal a recount, whatever the
# test did.
COUNTED_MODULES = ("test_transitions", "test_transitions_matrix", "test_transitions_locking",
                   "test_chain_transitions", "test_petition_actions", "test_follow_through",
                   "test_petition_intake", "test_inbox", "test_visits", "test_doorstep",
                   "test_daily_visits", "test_coverage")  # fmt: skip


def _counted(item) -> bool:
    module = item.module.__name__.rsplit(".", 1)[-1]
    return module in COUNTED_MODULES and bool(
        item.get_closest_marker("django_db") or "db" in item.fixturenames
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """The counts recounted as the test starts, inside its transaction (the database a process
    shares with other files may hold what SQLite's flush left behind for another test; this
    test answers for its own writes), and compared with a recount as it ends, while its data are
    still there (a fixture's teardown would come after pytest-django rolled them back)."""
    from petitions import daily_petitions, household_counts

    if _counted(item):
        daily_petitions.rebuild_petition_counts()
        household_counts.rebuild_household_counts()
    result = yield
    if _counted(item):
        assert daily_petitions.kept() == daily_petitions.recount(), "petition counts differ"
        assert household_counts.kept() == household_counts.recount(), "household counts differ"
    return result
