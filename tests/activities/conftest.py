"""Fixtures of the activity tests: places in 新村社区's grid 1 and in 河西社区 (street B), and a
patrol of grid 1 that found 飞线充电 at the bicycle shed."""

import pytest
from django.utils import timezone

from activities.models import Place
from activities.services import ActivityRecord, FindingRecord, record_activity
from petitions.models import Category
from tests import factories as f


@pytest.fixture
def building_a1(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    return f.make_building(compound, grid_a1, name="3号楼")


@pytest.fixture
def shed(grid_a1, building_a1):
    return Place.objects.create(
        grid=grid_a1, kind=Place.Kind.CHARGING, name="3号楼车棚", building=building_a1,
        responsible_person="王建国", responsible_phone="13911112222",
    )  # fmt: skip


@pytest.fixture
def square(grid_a1):
    return Place.objects.create(grid=grid_a1, kind=Place.Kind.SQUARE, name="健身广场")


@pytest.fixture
def foreign_place(grid_b1):
    return Place.objects.create(
        grid=grid_b1, kind=Place.Kind.RESTAURANT, name="滨河饭店", responsible_phone="13900001111"
    )


@pytest.fixture
def safety(casework_defaults):
    return Category.objects.order_by("pk").first()


@pytest.fixture
def patrol(grid_worker, grid_a1, shed, square, safety):
    """Grid 1's patrol: the shed has 飞线充电 (a petition now), the square passed."""
    record = ActivityRecord(
        kind="patrol", title="红马甲巡查", community=grid_a1.community, grid=grid_a1,
        held_on=timezone.localdate(), what_was_done="巡查楼院",
        participants=6, checked=[square],
        findings=[FindingRecord(place=shed, category=safety, description="3号楼车棚飞线充电")],
    )  # fmt: skip
    return record_activity(record, by=grid_worker)
