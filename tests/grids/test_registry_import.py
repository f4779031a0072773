"""The Excel import of the household registry: a good workbook creates, updates and re-imports
exactly its rows; a bad one writes nothing and reports every error."""

import datetime
import io

import openpyxl
from django.utils import translation

from grids.models import Building, Compound, Household, Resident
from grids.registry_import import import_registry
from tests import factories as f
from tests.grids.registry_sheets import (
    LI_NA,
    ZHANG_WEI,
    ZHAO_QIANG,
    id_number,
    object_counts,
    places,
    resident_row,
    with_wrong_check_character,
    workbook,
)

# --- A good workbook ------------------------------------------------------------------------


def test_a_good_workbook_creates_exactly_its_rows(good_sheets, grid_a1, grid_a2, tags):
    result = import_registry(workbook(good_sheets))

    assert result.errors == []
    assert {title: counts.created for title, counts in result.counts.items()} == {
        "小区": 1,
        "楼栋": 2,
        "单元": 3,
        "居民组": 1,
        "户": 4,
        "居民": 5,
    }
    assert object_counts() == {
        "Compound": 1,
        "Building": 2,
        "Unit": 3,
        "ResidentGroup": 1,
        "Household": 4,
        "Resident": 5,
    }
    compound = Compound.objects.get()
    assert (compound.address, compound.year_built, compound.committee) == (
        "新兴路12号",
        1971,
        Compound.Committee.PROPERTY,
    )
    assert Building.objects.get(name="7号楼").grid == grid_a2
    assert Household.objects.get(room="301").grid == grid_a2
    assert Household.objects.get(room="12号").resident_group.name == "第三居民组"
    zhang = Resident.objects.get(name="张伟")
    # The birth date comes from the ID-card number when the cell is empty; the phone is normalized.
    assert (zhang.birth_date, zhang.phone, zhang.gender) == (
        datetime.date(1965, 3, 8),
        "13800138000",
        Resident.Gender.MALE,
    )
    assert zhang.household.address == "安装公司家属院 6号楼 1单元 101"
    li = Resident.objects.get(name="李娜")
    assert (li.id_number, li.relation) == (LI_NA, Resident.Relation.SPOUSE)
    assert set(li.tags.all()) == {tags["党员"], tags["独居老人"]}
    wang = Resident.objects.get(name="王芳")
    assert (wang.status, wang.status_date) == (Resident.Status.MOVED_OUT, datetime.date(2024, 6, 1))
    assert Resident.objects.get(name="刘洋").relation == Resident.Relation.HEAD


def test_importing_the_same_workbook_again_changes_nothing(good_sheets):
    import_registry(workbook(good_sheets))
    before = object_counts()

    result = import_registry(workbook(good_sheets))

    assert result.errors == []
    assert all(counts.created == counts.updated == 0 for counts in result.counts.values())
    assert sum(counts.unchanged for counts in result.counts.values()) == 16
    assert object_counts() == before


def test_a_changed_cell_updates_its_row_and_nothing_else(good_sheets, grid_a1, grid_a2, tags):
    import_registry(workbook(good_sheets))
    good_sheets["小区"][0][3] = 1972
    good_sheets["楼栋"][0][3] = 2  # 6号楼 moves to grid 2, with its households
    good_sheets["居民"][0][9] = "13900139000"
    good_sheets["居民"][1][12] = "低保"

    result = import_registry(workbook(good_sheets))

    assert result.errors == []
    assert {title: vars(counts) for title, counts in result.counts.items()} == {
        "小区": {"created": 0, "updated": 1, "unchanged": 0},
        "楼栋": {"created": 0, "updated": 1, "unchanged": 1},
        "单元": {"created": 0, "updated": 0, "unchanged": 3},
        "居民组": {"created": 0, "updated": 0, "unchanged": 1},
        "户": {"created": 0, "updated": 2, "unchanged": 2},  # the two of 6号楼 changed grid
        "居民": {"created": 0, "updated": 2, "unchanged": 3},
    }
    assert Compound.objects.get().year_built == 1972
    assert set(
        Household.objects.filter(unit__building__name="6号楼").values_list("grid", flat=True)
    ) == {grid_a2.pk}
    assert Resident.objects.get(name="张伟").phone == "13900139000"
    assert list(Resident.objects.get(name="李娜").tags.all()) == [tags["低保"]]


def test_households_follow_their_building_into_its_new_grid(community_a, grid_a1, grid_a2):
    building = f.make_building(f.make_compound(community_a, name="帝豪花园"), grid_a1, name="1号楼")
    household = f.make_household(grid_a1, unit=f.make_unit(building))

    result = import_registry(workbook({"楼栋": [["新村社区", "帝豪花园", "1号楼", 2]]}))

    assert vars(result.counts["楼栋"]) == {"created": 0, "updated": 1, "unchanged": 0}
    household.refresh_from_db()
    assert household.grid == grid_a2


def test_later_sheets_may_refer_to_rows_already_in_the_registry(community_a, grid_a1):
    compound = f.make_compound(community_a, name="帝豪花园")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="1号楼"), name="1单元")
    place = ["新村社区", "帝豪花园", "1号楼", "1单元", None]

    result = import_registry(
        workbook({"户": [[*place, "501"]], "居民": [resident_row(place, "501", "孙丽", "女")]})
    )

    assert result.errors == []
    household = Household.objects.get(unit=unit, room="501")
    assert household.grid == grid_a1
    assert household.residents.get().name == "孙丽"


def test_a_resident_first_imported_without_id_number_is_updated_when_it_comes(good_sheets):
    good_sheets["居民"][3][10] = None
    import_registry(workbook(good_sheets))
    good_sheets["居民"][3][10] = liu_yang = id_number("19800101", 1)

    result = import_registry(workbook(good_sheets))

    assert result.counts["居民"].updated == 1
    assert Resident.objects.get(name="刘洋").id_number == liu_yang
    assert Resident.objects.count() == 5


def test_a_row_without_id_number_keeps_the_one_in_the_registry(good_sheets):
    import_registry(workbook(good_sheets))
    good_sheets["居民"][0][10] = None

    result = import_registry(workbook(good_sheets))

    assert result.counts["居民"].updated == 0
    assert Resident.objects.get(name="张伟").id_number == ZHANG_WEI


# --- Bad workbooks --------------------------------------------------------------------------


def test_a_workbook_with_bad_rows_writes_nothing_and_reports_every_error(good_sheets):
    place = ["新村社区", "安装公司家属院", "6号楼", "1单元", None]
    born_1965 = id_number("19650308", 13)
    good_sheets["单元"].append(["丁庄社区", "丁庄小区", "1号楼", "1单元"])  # row 5
    good_sheets["户"].append(["河东社区", None, None, None, "第一组", "1"])  # row 6
    good_sheets["户"].append([*place, "101"])  # row 7: a second 101 in one unit
    good_sheets["居民"] += [
        # rows 7 to 11
        resident_row(place, "101", "甲", "男", id_number=with_wrong_check_character(ZHANG_WEI)),
        resident_row(place, "101", "乙", "男", birth_date="1970-01-01", id_number=born_1965),
        resident_row(place, "101", "丙", "女", phone="12345"),
        resident_row(place, "101", None, "女"),
        resident_row(place, "101", "丁", "女", status="已去世"),
    ]

    result = import_registry(workbook(good_sheets))

    assert result.counts == {}
    assert places(result) == [
        ("单元", 5, "社区"),
        ("户", 6, "社区"),
        ("户", 7, "房号"),
        ("居民", 7, "身份证号"),
        ("居民", 8, "出生日期"),
        ("居民", 9, "电话"),
        ("居民", 10, "姓名"),
        ("居民", 11, "状态日期"),
    ]
    assert set(object_counts().values()) == {0}


def test_errors_say_what_is_wrong_in_the_active_language(community_a):
    sheets = {"小区": [["河东社区", "安装公司家属院", None, None, None]]}

    with translation.override("en"):
        result = import_registry(workbook(sheets))

    assert str(result.errors[0]) == "小区 第2行 社区: Unknown community “河东社区”."


def test_a_unit_in_a_rural_community_is_refused(rural_community):
    group = ["丁庄社区", "安装公司家属院", "6号楼", "1单元", None, "101"]

    result = import_registry(workbook({"单元": [group[:4]], "户": [group]}))

    assert places(result) == [("单元", 2, "社区"), ("户", 2, "小区名称")]


def test_a_resident_group_in_an_urban_community_is_refused(community_a, grid_a1):
    result = import_registry(workbook({"居民组": [["新村社区", "第一组", 1]]}))

    assert places(result) == [("居民组", 2, "社区")]


def test_a_household_in_a_unit_and_a_resident_group_is_refused(community_a):
    row = ["新村社区", "安装公司家属院", "6号楼", "1单元", "第一组", "101"]

    result = import_registry(workbook({"户": [row]}))

    assert places(result) == [("户", 2, "居民组")]


def test_a_building_in_a_grid_of_another_community_is_refused(community_a, grid_b1):
    # Grid numbers are read within the building's community: 新村社区 has no grid 1 here.
    sheets = {
        "小区": [["新村社区", "安装公司家属院"]],
        "楼栋": [["新村社区", "安装公司家属院", "1号楼", 1]],
    }

    result = import_registry(workbook(sheets))

    assert places(result) == [("楼栋", 2, "网格编号")]


def test_the_gender_must_match_the_id_number(good_sheets):
    good_sheets["居民"][0][7] = "女"

    result = import_registry(workbook(good_sheets))

    assert places(result) == [("居民", 2, "性别")]


def test_an_id_number_may_appear_once_in_the_file(good_sheets):
    good_sheets["居民"][3][10] = ZHANG_WEI

    result = import_registry(workbook(good_sheets))

    assert places(result) == [("居民", 5, "身份证号")]


def test_an_id_number_typed_as_a_number_is_refused(good_sheets):
    good_sheets["居民"][0][10] = int(ZHANG_WEI)

    result = import_registry(workbook(good_sheets))

    assert places(result) == [("居民", 2, "身份证号")]


def test_an_id_number_of_another_resident_in_the_registry_is_refused(good_sheets, grid_b1):
    f.make_resident(f.make_household(grid_b1), name="周敏", gender="M", id_number=ZHAO_QIANG)

    result = import_registry(workbook(good_sheets))

    assert places(result) == [("居民", 6, "身份证号")]


def test_a_resident_of_an_unknown_room_is_refused(good_sheets):
    good_sheets["居民"][3][5] = "302"

    result = import_registry(workbook(good_sheets))

    assert places(result) == [("居民", 5, "房号")]


def test_a_community_name_shared_by_two_streets_needs_the_division_code(community_a, street_b):
    f.make_community(street_b, name="新村社区", code="411002010009")
    sheets = {"小区": [["新村社区", "甲小区"], ["411002005001", "乙小区"]]}

    result = import_registry(workbook(sheets))

    assert places(result) == [("小区", 2, "社区")]


def test_communities_outside_the_given_ones_are_unknown(community_a, community_b):
    sheets = {"小区": [["新村社区", "甲小区"], ["河西社区", "乙小区"]]}

    result = import_registry(workbook(sheets), communities=community_a.street.communities.all())

    assert places(result) == [("小区", 3, "社区")]


def test_unknown_tags_are_refused(good_sheets):
    good_sheets["居民"][0][12] = "党员，退役军人"

    result = import_registry(workbook(good_sheets))

    assert places(result) == [("居民", 2, "标签")]


def test_a_file_that_is_not_an_xlsx_workbook_is_refused(db):
    result = import_registry(io.BytesIO("姓名,电话\n张伟,13800138000\n".encode()))

    assert len(result.errors) == 1
    assert (result.errors[0].sheet, result.errors[0].row) == ("", None)


def test_a_sheet_with_another_header_row_is_refused(community_a):
    book = openpyxl.Workbook()
    book.active.title = "小区"
    book.active.append(["社区", "名称"])
    book.active.append(["新村社区", "安装公司家属院"])
    buffer = io.BytesIO()
    book.save(buffer)

    result = import_registry(buffer)

    assert places(result) == [("小区", 1, "")]
    assert Compound.objects.count() == 0


def test_a_workbook_with_too_many_rows_is_refused(community_a, monkeypatch):
    monkeypatch.setattr("grids.registry_import.workbook.MAX_ROWS", 2)
    sheets = {
        "小区": [["新村社区", "甲"], ["新村社区", "乙"]],
        "楼栋": [["新村社区", "甲", "1号楼", 1]],
    }

    result = import_registry(workbook(sheets))

    assert len(result.errors) == 1
    assert "2" in result.errors[0].message


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(community_a):
    sheets = {"小区": [["新村社区", "甲"], [], [None, "  "], ["新村社区", "甲"]]}

    result = import_registry(workbook(sheets))

    assert places(result) == [("小区", 5, "小区名称")]
