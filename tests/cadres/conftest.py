"""The cadres' cast, beside the common one: 新村社区's first secretary (郑海涛 of 巡察办), a grid
first secretary of 新村社区 grid 2 (马超 of 住建局), and a first secretary of 河西社区 in street B
(周建国 of 信访局). Terms began a year ago and run on."""

import datetime

import pytest
from django.utils import timezone

from communities.models import Assignment
from tests import factories as f


def assign(user, place, *, kind="first_secretary", start=None, end=None):
    official = user.official
    level = "grid" if place.scope_level == "grid" else "community"
    return Assignment.objects.create(
        official=official, department=official.department, kind=kind, **{level: place},
        start_date=start or timezone.localdate() - datetime.timedelta(days=365), end_date=end,
    )  # fmt: skip


@pytest.fixture
def inspection(district):
    return f.make_department(district, name="巡察办")


@pytest.fixture
def petitions_bureau(district):
    return f.make_department(district, name="信访局")


@pytest.fixture
def secretary(inspection, community_a):
    user = f.make_official("secretary", name="郑海涛", department=inspection, title="第一书记")
    assign(user, community_a)
    return user


@pytest.fixture
def grid_secretary(department, grid_a2):
    user = f.make_official("grid_secretary", name="马超", department=department, title="第一书记")
    assign(user, grid_a2)
    return user


@pytest.fixture
def secretary_b(petitions_bureau, community_b):
    user = f.make_official("secretary_b", name="周建国", department=petitions_bureau)
    assign(user, community_b)
    return user


@pytest.fixture
def home_a1(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华", phone="13812345678")
    return household


@pytest.fixture
def home_a2(grid_a2):
    compound = f.make_compound(grid_a2.community, name="新村小区")
    unit = f.make_unit(f.make_building(compound, grid_a2, name="1号楼"), name="1单元")
    return f.make_household(grid_a2, unit=unit, room="101")


@pytest.fixture
def home_b(grid_b1):
    compound = f.make_compound(grid_b1.community, name="滨河花园")
    unit = f.make_unit(f.make_building(compound, grid_b1, name="1号楼"), name="1单元")
    return f.make_household(grid_b1, unit=unit, room="101")
