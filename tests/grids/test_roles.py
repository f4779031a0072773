"""The "5+3" role services: every allowed and refused appointment and ending."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from grids.models import Role, RoleKind
from grids.services import RoleError, appoint_role, end_role
from tests import factories as f


@pytest.fixture
def unit(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    return f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")


@pytest.fixture
def neighbours(unit):
    """Two residents of the unit and one of another building."""
    grid = unit.building.grid
    a = f.make_resident(f.make_household(grid, unit=unit, room="101"), name="陈华")
    b = f.make_resident(f.make_household(grid, unit=unit, room="102"), name="曹艳")
    elsewhere = f.make_resident(f.make_household(grid), name="外人")
    return a, b, elsewhere


@pytest.fixture
def rural_group(street_a):
    rural = f.make_community(street_a, name="刘铁庄社区", kind="rural")
    return f.make_resident_group(f.make_grid(rural), name="第一居民组")


def refused(callable_, **kw):
    with pytest.raises(RoleError) as excinfo, translation.override("zh-hans"):
        callable_(**kw)
    return excinfo.value.message


def test_community_official_appoints_a_unit_head(community_staff, unit, neighbours):
    role = appoint_role(
        kind=RoleKind.UNIT_HEAD, place=unit, by=community_staff, resident=neighbours[0]
    )
    assert (role.unit, role.grid, role.community) == (
        unit,
        unit.building.grid,
        unit.building.grid.community,
    )
    assert role.appointed_by == community_staff
    assert role.start_date == timezone.localdate()


def test_community_official_appoints_a_grid_team_leader(community_staff, unit, neighbours):
    grid = unit.building.grid
    role = appoint_role(
        kind=RoleKind.TEAM_LEADER, place=grid, by=community_staff, resident=neighbours[0]
    )
    assert (role.grid, role.community) == (grid, grid.community)
    assert Role.objects.current().filter(kind=RoleKind.TEAM_LEADER, grid=grid).count() == 1


def test_grid_worker_appoints_in_own_grid(grid_worker, unit, neighbours):
    appoint_role(
        kind=RoleKind.BUILDING_HEAD, place=unit.building, by=grid_worker, resident=neighbours[1]
    )
    assert Role.objects.current().filter(building=unit.building).count() == 1


def test_official_of_another_street_is_refused(street_b_staff, unit, neighbours):
    message = refused(
        appoint_role, kind=RoleKind.UNIT_HEAD, place=unit, by=street_b_staff, resident=neighbours[0]
    )
    assert "无权" in message
    assert not Role.objects.exists()


def test_second_unit_head_is_refused_and_names_the_holder(community_staff, unit, neighbours):
    appoint_role(kind=RoleKind.UNIT_HEAD, place=unit, by=community_staff, resident=neighbours[0])
    message = refused(
        appoint_role,
        kind=RoleKind.UNIT_HEAD,
        place=unit,
        by=community_staff,
        resident=neighbours[1],
    )
    assert "陈华" in message and "单元长" in message
    assert Role.objects.count() == 1


def test_resident_living_elsewhere_is_refused(community_staff, unit, neighbours):
    message = refused(
        appoint_role,
        kind=RoleKind.UNIT_HEAD,
        place=unit,
        by=community_staff,
        resident=neighbours[2],
    )
    assert "不住在这里" in message


def test_resident_who_moved_out_is_refused(community_staff, unit, neighbours):
    neighbours[0].status, neighbours[0].status_date = "moved_out", datetime.date(2025, 1, 1)
    neighbours[0].save()
    refused(
        appoint_role,
        kind=RoleKind.UNIT_HEAD,
        place=unit,
        by=community_staff,
        resident=neighbours[0],
    )


def test_role_on_the_wrong_kind_of_place_is_refused(community_staff, unit, neighbours):
    message = refused(
        appoint_role, kind=RoleKind.UNIT_HEAD, place=unit.building, by=community_staff,
        resident=neighbours[0],
    )  # fmt: skip
    assert "位置" in message


def test_urban_roles_are_refused_in_a_rural_community(organizer, rural_group):
    resident = f.make_resident(f.make_household(rural_group.grid, resident_group=rural_group))
    message = refused(
        appoint_role, kind=RoleKind.TEAM_LEADER, place=rural_group.grid, by=organizer,
        resident=resident,
    )  # fmt: skip
    assert "涉农社区" in message


def test_rural_group_leader_and_anchor_households(organizer, rural_group):
    grid = rural_group.grid
    a = f.make_resident(f.make_household(grid, resident_group=rural_group, room="1号"))
    b = f.make_resident(f.make_household(grid, resident_group=rural_group, room="2号"))
    appoint_role(kind=RoleKind.GROUP_LEADER, place=rural_group, by=organizer, resident=a)
    appoint_role(kind=RoleKind.ANCHOR_HOUSEHOLD, place=rural_group, by=organizer, resident=a)
    appoint_role(kind=RoleKind.ANCHOR_HOUSEHOLD, place=rural_group, by=organizer, resident=b)
    assert Role.objects.filter(kind="anchor_household").count() == 2
    refused(appoint_role, kind=RoleKind.GROUP_LEADER, place=rural_group, by=organizer, resident=b)


def test_task_force_may_include_officials_other_roles_may_not(
    community_staff, community_a, unit, neighbours
):
    official = community_staff.official
    role = appoint_role(
        kind=RoleKind.TASK_FORCE, place=community_a, by=community_staff, official=official
    )
    assert role.holder == official
    refused(
        appoint_role, kind=RoleKind.UNIT_HEAD, place=unit, by=community_staff, official=official
    )


def test_grid_worker_cannot_appoint_the_community_task_force(grid_worker, community_a, neighbours):
    refused(
        appoint_role,
        kind=RoleKind.TASK_FORCE,
        place=community_a,
        by=grid_worker,
        resident=neighbours[0],
    )


def test_ending_a_term_keeps_it_and_frees_the_place(community_staff, unit, neighbours):
    first = appoint_role(
        kind=RoleKind.UNIT_HEAD, place=unit, by=community_staff, resident=neighbours[0]
    )
    end_role(first, by=community_staff)
    first.refresh_from_db()
    assert first.end_date == timezone.localdate() and first.ended_by == community_staff
    appoint_role(kind=RoleKind.UNIT_HEAD, place=unit, by=community_staff, resident=neighbours[1])
    assert Role.objects.filter(unit=unit).count() == 2
    assert Role.objects.current().get(unit=unit).resident == neighbours[1]


def test_ending_is_refused_twice_in_the_future_before_start_and_outside_scope(
    community_staff, street_b_staff, unit, neighbours
):
    role = appoint_role(
        kind=RoleKind.UNIT_HEAD, place=unit, by=community_staff, resident=neighbours[0],
        start_date=datetime.date(2025, 6, 1),
    )  # fmt: skip
    refused(end_role, role=role, by=street_b_staff)
    refused(
        end_role,
        role=role,
        by=community_staff,
        end_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    refused(end_role, role=role, by=community_staff, end_date=datetime.date(2025, 5, 1))
    end_role(role, by=community_staff)
    assert "已经结束" in refused(end_role, role=role, by=community_staff)


def test_database_refuses_a_second_current_holder_that_slipped_past_the_check(
    community_staff, unit, neighbours, monkeypatch
):
    """Two appointments racing: both pass the check; the unique index refuses the second."""
    appoint_role(kind=RoleKind.UNIT_HEAD, place=unit, by=community_staff, resident=neighbours[0])
    real = __import__("grids.services", fromlist=["_current_holder"])._current_holder
    calls = []

    def blind_first_check(kind, place):
        calls.append(kind)
        return None if len(calls) == 1 else real(kind, place)

    monkeypatch.setattr("grids.services._current_holder", blind_first_check)
    message = refused(
        appoint_role,
        kind=RoleKind.UNIT_HEAD,
        place=unit,
        by=community_staff,
        resident=neighbours[1],
    )
    assert "陈华" in message
    assert Role.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_appointments_exactly_one_succeeds(request):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; the index path is tested above")
    staff = request.getfixturevalue("community_staff")
    unit = request.getfixturevalue("unit")
    a, b, _ = request.getfixturevalue("neighbours")
    barrier = threading.Barrier(2)
    results = []

    def appoint(resident):
        from django.db import connections

        barrier.wait()
        try:
            appoint_role(kind=RoleKind.UNIT_HEAD, place=unit, by=staff, resident=resident)
            results.append("ok")
        except RoleError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=appoint, args=(r,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert Role.objects.current().filter(unit=unit).count() == 1
