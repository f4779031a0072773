"""The Excel import of the household registry: checks, writes, the command and the admin pages."""

import datetime
import io
import time

import openpyxl
import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation

from core.personal_data import id_number_check_char
from grids.admin_import import import_registry_view, registry_template_view
from grids.models import Building, Compound, Household, Resident, ResidentGroup, Tag, Unit
from grids.registry_import import SHEETS, build_template, import_registry
from grids.registry_import.layout import SHEETS_BY_TITLE
from jobs.models import Job
from tests import factories as f
from weidu.urls import urlpatterns as project_urlpatterns

MODELS = (Compound, Building, Unit, ResidentGroup, Household, Resident)

# The admin pages, wired as grids/admin.py wires them, for the client tests below.
urlpatterns = [
    path(
        "admin/",
        (
            [
                path(
                    "grids/import/",
                    admin.site.admin_view(import_registry_view),
                    name="grids_import_registry",
                ),
                path(
                    "grids/import/template/",
                    admin.site.admin_view(registry_template_view),
                    name="grids_registry_template",
                ),
                *admin.site.get_urls(),
            ],
            "admin",
            admin.site.name,
        ),
    ),
    *(p for p in project_urlpatterns if getattr(p, "namespace", None) != "admin"),
]


# --- Builders -------------------------------------------------------------------------------


def workbook(sheets: dict[str, list[list]]) -> io.BytesIO:
    """An .xlsx with one sheet per title: the right header row, then `rows`."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(SHEETS_BY_TITLE[title].headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "registry.xlsx"
    return buffer


def id_number(birth: str, sequence: int) -> str:
    """A valid ID-card number of Weidu district: an odd `sequence` is a man's."""
    first17 = f"411002{birth}{sequence:03d}"
    return first17 + id_number_check_char(first17)


def resident_row(place: list, room, name, gender, **cells) -> list:
    """A 居民 row: `place` is [community, compound, building, unit, group]."""
    keys = ("birth_date", "phone", "id_number", "relation", "tags", "status", "status_date")
    return [*place, room, name, gender, *(cells.get(key) for key in keys)]


def object_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def places(result) -> list[tuple]:
    return [(error.sheet, error.row, error.column) for error in result.errors]


ZHANG_WEI = id_number("19650308", 11)
# One whose check character is X, written in lower case in the workbook.
LI_NA = next(n for n in (id_number("19680501", s) for s in range(0, 999, 2)) if n[-1] == "X")
ZHAO_QIANG = id_number("19500101", 33)


def with_wrong_check_character(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def rural_community(street_a):
    community = f.make_community(street_a, kind="rural", name="丁庄社区", code="411002005099")
    f.make_grid(community, number=1)
    return community


@pytest.fixture
def tags(db):
    # Some of these exist already: the visit frequencies migration creates the key-group tags.
    return {name: Tag.objects.get_or_create(name=name)[0] for name in ("党员", "独居老人", "低保")}


@pytest.fixture
def good_sheets(community_a, grid_a1, grid_a2, rural_community, tags):
    """Two buildings of a compound of 新村社区 (urban) and a resident group of 丁庄社区 (rural)."""
    six_1 = ["新村社区", "安装公司家属院", "6号楼", "1单元", None]
    six_2 = ["新村社区", "安装公司家属院", "6号楼", "2单元", None]
    seven_1 = ["411002005001", "安装公司家属院", "7号楼", "1单元", None]
    group = ["丁庄社区", None, None, None, "第三居民组"]
    return {
        "小区": [["新村社区", "安装公司家属院", "新兴路12号", 1971, "物管会"]],
        "楼栋": [
            ["新村社区", "安装公司家属院", "6号楼", 1],
            ["411002005001", "安装公司家属院", "7号楼", "2"],
        ],
        "单元": [six_1[:4], six_2[:4], seven_1[:4]],
        "居民组": [["丁庄社区", "第三居民组", 1]],
        "户": [[*six_1, "101"], [*six_2, 201], [*seven_1, "301"], [*group, "12号"]],
        "居民": [
            resident_row(
                six_1, "101", "张伟", "男", phone="138 0013 8000", id_number=ZHANG_WEI, tags="党员"
            ),
            resident_row(
                six_1,
                "101",
                "李娜",
                "女",
                birth_date=datetime.datetime(1968, 5, 1),
                id_number=LI_NA.lower(),
                relation="配偶",
                tags="党员、独居老人",
            ),
            resident_row(
                six_2,
                201,
                "王芳",
                "女",
                birth_date="1990-01-02",
                status="已迁出",
                status_date="2024-06-01",
            ),
            resident_row(seven_1, "301", "刘洋", "男"),
            resident_row(group, "12号", "赵强", "男", phone="0374-2345678", id_number=ZHAO_QIANG),
        ],
    }


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


# --- The template ---------------------------------------------------------------------------


def test_the_template_has_every_sheet_with_its_header_and_no_data():
    book = openpyxl.load_workbook(io.BytesIO(build_template()))

    assert book.sheetnames == [*(sheet.title for sheet in SHEETS), "说明"]
    for sheet in SHEETS:
        rows = list(book[sheet.title].iter_rows(values_only=True))
        assert rows == [sheet.headers]
        assert book[sheet.title].freeze_panes == "A2"
    notes = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert all(f"工作表“{sheet.title}”" in "".join(filter(None, notes)) for sheet in SHEETS)


def test_the_empty_template_imports_nothing(db):
    result = import_registry(io.BytesIO(build_template()))

    assert result.ok
    assert len(result.counts) == len(SHEETS)
    assert all(
        vars(counts) == {"created": 0, "updated": 0, "unchanged": 0}
        for counts in result.counts.values()
    )


# --- The management command -----------------------------------------------------------------


def test_the_command_imports_a_workbook_and_prints_the_counts(good_sheets, tmp_path, capsys):
    path_ = tmp_path / "registry.xlsx"
    path_.write_bytes(workbook(good_sheets).getvalue())

    with translation.override("en"):
        call_command("import_registry", str(path_))

    assert "居民: 5 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Resident.objects.count() == 5


def test_the_command_lists_every_error_and_fails(good_sheets, tmp_path, capsys):
    good_sheets["居民"][0][9] = "12345"
    good_sheets["居民"][1][6] = None
    path_ = tmp_path / "registry.xlsx"
    path_.write_bytes(workbook(good_sheets).getvalue())

    with pytest.raises(CommandError, match="2 error"):
        call_command("import_registry", str(path_))

    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["居民 第2行 电话", "居民 第3行 姓名"]
    assert Resident.objects.count() == 0


def test_the_command_writes_the_template(tmp_path):
    out = tmp_path / "template.xlsx"

    call_command("import_registry", "--template", str(out))

    assert openpyxl.load_workbook(out).sheetnames[-1] == "说明"


# --- The admin pages ------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_an_organizer_gets_the_import_form(client_for, organizer):
    response = client_for(organizer).get("/admin/grids/import/")

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert reverse("admin:grids_registry_template").encode() in response.content


@pytest.mark.urls(__name__)
def test_an_organizer_downloads_the_template(client_for, organizer):
    response = client_for(organizer).get("/admin/grids/import/template/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == "小区"


# A worker imports the posted workbook (jobs/); here it runs at once, inside the request.
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.urls(__name__)
def test_a_bad_workbook_posted_shows_every_error_and_writes_nothing(
    settings, client_for, organizer, good_sheets
):
    settings.TASKS = IMMEDIATE_TASKS
    good_sheets["户"].append(["新村社区", "安装公司家属院", "6号楼", "1单元", None, "101"])

    response = client_for(organizer).post(
        "/admin/grids/import/", {"workbook": workbook(good_sheets)}, follow=True
    )

    assert response.status_code == 200
    assert response.context["job"].error_count == 1
    assert "第6行" not in response.content.decode()  # the table has the row in its own column
    assert "<td>户</td>" in response.content.decode()
    assert set(object_counts().values()) == {0}


@pytest.mark.urls(__name__)
def test_a_good_workbook_posted_is_imported(settings, client_for, organizer, good_sheets):
    settings.TASKS = IMMEDIATE_TASKS
    response = client_for(organizer).post(
        "/admin/grids/import/", {"workbook": workbook(good_sheets)}
    )

    assert response.status_code == 302
    assert response.url == reverse("jobs:detail", args=[Job.objects.get().pk])
    assert Resident.objects.count() == 5


@pytest.mark.urls(__name__)
def test_a_post_without_the_csrf_token_is_refused(organizer, good_sheets):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organizer)

    response = client.post("/admin/grids/import/", {"workbook": workbook(good_sheets)})

    assert response.status_code == 403
    assert Resident.objects.count() == 0


@pytest.mark.parametrize("view", [import_registry_view, registry_template_view])
def test_the_views_refuse_a_user_who_is_not_staff(community_staff, view):
    request = RequestFactory().get("/")
    request.user = community_staff

    with pytest.raises(PermissionDenied):
        view(request)


# --- Scale ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_fifty_thousand_residents_import_in_one_go(community_a, grid_a1, grid_a2, tags):
    """1 compound, 10 buildings, 50 units, 10,000 households, 50,000 residents."""
    sheets = _city_block()
    book = workbook(sheets)

    started = time.monotonic()
    result = import_registry(book)
    first = time.monotonic() - started
    book.seek(0)
    started = time.monotonic()
    again = import_registry(book)
    second = time.monotonic() - started

    print(f"\n50,000 residents: imported in {first:.1f} s, imported again in {second:.1f} s")
    assert result.errors == []
    assert result.counts["居民"].created == 50_000
    assert again.counts["居民"].unchanged == 50_000
    assert Resident.objects.count() == 50_000


def _city_block() -> dict[str, list[list]]:
    compound = ["新村社区", "纺织厂家属院"]
    buildings = [f"{b}号楼" for b in range(1, 11)]
    units = [(b, f"{u}单元") for b in buildings for u in range(1, 6)]
    rooms = [f"{floor}0{door}" for floor in range(1, 41) for door in range(1, 6)]
    households = [(b, u, room) for b, u in units for room in rooms]
    residents = []
    for i in range(50_000):
        building, unit, room = households[i // 5]
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=i % 25_000)
        number = id_number(born.strftime("%Y%m%d"), (i // 25_000) * 2 + i % 2)
        residents.append(
            resident_row(
                [*compound, building, unit, None],
                room,
                f"居民{i}",
                "男" if i % 2 else "女",
                birth_date=born,
                phone=f"138{i:08d}",
                id_number=number,
                relation="户主" if i % 5 == 0 else "子女",
                tags="党员" if i % 7 == 0 else None,
            )
        )
    return {
        "小区": [compound],
        "楼栋": [[*compound, b, 1 + n % 2] for n, b in enumerate(buildings)],
        "单元": [[*compound, b, u] for b, u in units],
        "户": [[*compound, b, u, None, room] for b, u, room in households],
        "居民": residents,
    }


# --- Heavy files: refused from the zip's directory and the sheet's size, before reading --------


def _rezip(buffer: io.BytesIO, change=None, add=()) -> io.BytesIO:
    """The workbook in `buffer` zipped again, each member's bytes passed through
    `change(name, data)`, with the (name, data) members `add`ed."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_:
        for info in source.infolist():
            data = source.read(info.filename)
            zip_.writestr(info.filename, change(info.filename, data) if change else data)
        for name, data in add:
            zip_.writestr(name, data)
    out.seek(0)
    return out


def _never_opened(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("grids.registry_import.workbook.openpyxl.load_workbook", fail)


def test_a_workbook_that_would_inflate_past_the_cap_is_refused_unread(
    community_a, settings, monkeypatch
):
    settings.REGISTRY_IMPORT_MAX_UNCOMPRESSED_BYTES = 2_000_000
    book = _rezip(
        workbook({"小区": [["新村社区", "甲"]]}), add=[("xl/media/big.bin", b"x" * 2_100_000)]
    )
    _never_opened(monkeypatch)

    result = import_registry(book)

    [error] = result.errors
    assert (error.sheet, error.row) == ("", None)
    assert "2 MB" in error.message
    assert Compound.objects.count() == 0


def test_a_workbook_compressed_like_a_zip_bomb_is_refused_unread(community_a, monkeypatch):
    # 3 MB of zeros deflate about a thousand times: no registry sheet compresses like that.
    book = _rezip(
        workbook({"小区": [["新村社区", "甲"]]}), add=[("xl/worksheets/x.xml", bytes(3 * 2**20))]
    )
    _never_opened(monkeypatch)

    with translation.override("zh-hans"):
        result = import_registry(book)

    [error] = result.errors
    assert "压缩" in error.message
    assert Compound.objects.count() == 0


def test_the_compression_cap_can_be_lowered_in_the_settings(community_a, settings):
    settings.REGISTRY_IMPORT_MAX_COMPRESSION_RATIO = 2
    book = _rezip(workbook({"小区": [["新村社区", "甲"]]}), add=[("docProps/x.xml", b"ab" * 2**20)])

    assert not import_registry(book).ok


def test_a_sheet_declaring_more_rows_than_the_limit_is_refused_before_its_rows_are_read(
    community_a, monkeypatch
):
    # One cell on row 1,000,001: the stored dimension says A1:B1000001, the file is tiny.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "小区"
    sheet.append(SHEETS_BY_TITLE["小区"].headers)
    sheet.append(["新村社区", "甲"])
    sheet.cell(row=1_000_001, column=1, value="新村社区")
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    read = []
    monkeypatch.setattr(
        "grids.registry_import.workbook._read_sheet", lambda *a: read.append(a) or ([], 0)
    )

    result = import_registry(buffer)

    assert not result.ok and read == []
    assert "200000" in result.errors[0].message


def test_empty_rows_count_towards_the_row_limit_even_without_a_stored_dimension(
    community_a, monkeypatch
):
    import re

    monkeypatch.setattr("grids.registry_import.workbook.MAX_ROWS", 5)
    # Two rows with data, then one on row 10: 9 rows after the header, 3 of them filled.
    book = workbook(
        {"小区": [["新村社区", "甲"], ["新村社区", "乙"], *[[]] * 6, ["新村社区", "丙"]]}
    )
    without_dimension = _rezip(
        book,
        change=lambda name, data: (
            re.sub(rb"<dimension[^>]*/>", b"", data) if name.startswith("xl/worksheets/") else data
        ),
    )

    result = import_registry(without_dimension)

    assert not result.ok
    assert "5" in result.errors[0].message
    assert Compound.objects.count() == 0
