"""Builders of registry workbooks for the import tests: sheets as lists of rows, valid ID-card
numbers, counts of what the registry holds; and the fixtures of a good workbook."""

import datetime
import io

import openpyxl
import pytest

from core.personal_data import id_number_check_char
from grids.models import Building, Compound, Household, Resident, ResidentGroup, Tag, Unit
from grids.registry_import.layout import SHEETS_BY_TITLE
from tests import factories as f

MODELS = (Compound, Building, Unit, ResidentGroup, Household, Resident)


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


def city_block() -> dict[str, list[list]]:
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
