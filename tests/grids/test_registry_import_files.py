"""The registry import's files: the template, the management command, fifty thousand residents
in one go, and heavy files (zip bombs, oversized sheets) refused before they are read."""

import io
import time

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from grids.models import Compound, Resident
from grids.registry_import import SHEETS, build_template, import_registry
from grids.registry_import.layout import SHEETS_BY_TITLE
from tests.grids.registry_sheets import (
    city_block,
    workbook,
)

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


# --- Scale ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_fifty_thousand_residents_import_in_one_go(community_a, grid_a1, grid_a2, tags):
    """1 compound, 10 buildings, 50 units, 10,000 households, 50,000 residents."""
    sheets = city_block()
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


# --- Sheets by name ---------------------------------------------------------------------------


def _renamed(buffer: io.BytesIO, old: str, new: str) -> io.BytesIO:
    book = openpyxl.load_workbook(buffer)
    book[old].title = new
    book.create_sheet("Sheet1")  # an empty sheet, as a new workbook has: ignored
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_a_renamed_sheet_is_refused_not_skipped(good_sheets):
    """居民信息 instead of 居民: its rows would have been skipped while the rest imported."""
    result = import_registry(_renamed(workbook(good_sheets), "居民", "居民信息"))
    assert not result.ok
    assert "“居民信息”" in result.errors[0].message
    assert not Compound.objects.exists() and not Resident.objects.exists()


def test_spaces_around_a_sheets_name_do_not_matter(good_sheets):
    result = import_registry(_renamed(workbook(good_sheets), "居民", " 居民 "))
    assert result.ok, result.errors
    assert Resident.objects.count() == 5
