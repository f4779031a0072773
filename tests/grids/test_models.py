"""Consistency rules of the registry, refused with a clear message in the model and the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from core.personal_data import id_number_check_char
from grids.models import Building, Compound, Household, Resident, ResidentGroup
from tests import factories as f


def valid_id(birth="19710305", seq="123"):
    first17 = f"411002{birth}{seq}"
    return first17 + id_number_check_char(first17)


def messages(excinfo):
    with translation.override("zh-hans"):
        return " ".join(str(m) for msgs in excinfo.value.message_dict.values() for m in msgs)


@pytest.fixture
def unit_a1(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    return f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")


def test_building_grid_must_lie_in_the_compounds_community(community_a, grid_b1):
    compound = f.make_compound(community_a)
    building = Building(compound=compound, grid=grid_b1, name="1号楼")
    with pytest.raises(ValidationError) as excinfo:
        building.full_clean()
    assert "楼栋所在网格必须属于该小区所在社区" in messages(excinfo)


def test_rural_community_has_no_compounds(street_a):
    rural = f.make_community(street_a, kind="rural")
    with pytest.raises(ValidationError) as excinfo:
        Compound(community=rural, name="新小区").full_clean()
    assert "涉农社区按居民组划分" in messages(excinfo)


def test_urban_community_has_no_resident_groups(grid_a1):
    group = ResidentGroup(community=grid_a1.community, grid=grid_a1, name="第一居民组")
    with pytest.raises(ValidationError) as excinfo:
        group.full_clean()
    assert "城市社区按小区、楼栋、单元划分" in messages(excinfo)


def test_rural_resident_group_accepts_a_household(street_a):
    rural = f.make_community(street_a, kind="rural")
    grid = f.make_grid(rural)
    group = ResidentGroup(community=rural, grid=grid, name="第一居民组")
    group.full_clean()
    group.save()
    household = Household(grid=grid, resident_group=group, room="12号")
    household.full_clean()


def test_room_numbers_are_unique_per_unit(unit_a1):
    Household.objects.create(grid=unit_a1.building.grid, unit=unit_a1, room="301")
    duplicate = Household(grid=unit_a1.building.grid, unit=unit_a1, room="301")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "该单元已有此房号" in str(excinfo.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_same_room_number_in_another_unit_is_fine(unit_a1):
    other = f.make_unit(unit_a1.building, name="3单元")
    Household.objects.create(grid=unit_a1.building.grid, unit=unit_a1, room="301")
    Household(grid=unit_a1.building.grid, unit=other, room="301").full_clean()


def test_household_is_in_a_unit_or_a_group_never_both_or_neither(grid_a1, unit_a1):
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(grid=grid_a1, room="1")


def test_household_grid_must_be_its_buildings_grid(unit_a1, grid_a2):
    with pytest.raises(ValidationError) as excinfo:
        Household(grid=grid_a2, unit=unit_a1, room="101").full_clean()
    assert "户所在网格必须与楼栋所在网格一致" in messages(excinfo)


def test_resident_with_valid_id_matching_birth_date_and_gender_is_accepted(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    resident = Resident(
        household=household,
        name="肖明伟",
        gender="M",
        birth_date=datetime.date(1971, 3, 5),
        id_number=valid_id(seq="123"),
        phone="13812341234",
    )
    resident.full_clean()


def test_id_number_with_bad_checksum_is_refused(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    bad = valid_id()[:-1] + ("1" if valid_id()[-1] != "1" else "2")
    resident = Resident(household=household, name="甲", gender="M", id_number=bad)
    with pytest.raises(ValidationError) as excinfo:
        resident.full_clean()
    assert "校验位错误" in messages(excinfo)


def test_birth_date_must_agree_with_id_number(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    resident = Resident(
        household=household,
        name="乙",
        gender="M",
        birth_date=datetime.date(1972, 3, 5),
        id_number=valid_id(seq="123"),
    )
    with pytest.raises(ValidationError) as excinfo:
        resident.full_clean()
    assert "出生日期与身份证号码不符" in messages(excinfo)


def test_gender_must_agree_with_id_number(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    resident = Resident(household=household, name="丙", gender="F", id_number=valid_id(seq="123"))
    with pytest.raises(ValidationError) as excinfo:
        resident.full_clean()
    assert "性别与身份证号码不符" in messages(excinfo)


def test_invalid_phone_is_refused(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    resident = Resident(household=household, name="丁", gender="F", phone="12345")
    with pytest.raises(ValidationError) as excinfo:
        resident.full_clean()
    assert "11位手机号码" in messages(excinfo)


def test_id_numbers_are_unique_among_residents(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    f.make_resident(household, gender="M", id_number=valid_id(seq="123"))
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_resident(household, gender="M", id_number=valid_id(seq="123"))


def test_moving_out_needs_a_date_and_is_kept(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    resident = f.make_resident(household)
    resident.status = Resident.Status.MOVED_OUT
    with pytest.raises(IntegrityError), transaction.atomic():
        resident.save()
    resident.status_date = datetime.date(2025, 6, 1)
    resident.save()
    assert Resident.objects.filter(pk=resident.pk, status="moved_out").exists()


def test_phone_suffix_is_derived_by_the_database(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    resident = f.make_resident(household, phone="13812345678")
    resident.refresh_from_db()
    assert resident.phone_suffix == "5678"


def test_residents_cannot_be_deleted_while_households_reference_them(unit_a1):
    household = f.make_household(unit_a1.building.grid, unit=unit_a1)
    f.make_resident(household)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        household.delete()
