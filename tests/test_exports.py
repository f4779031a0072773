"""Every Excel export: text never becomes a formula, free text is masked and neutralised, and the
table reads right (frozen header, autofilter, widths, real dates, number formats, who exported).

Text that Excel would read as a formula is kept unchanged as a string cell carrying Excel's
quote prefix (data type "s"), the form Excel itself gives a value typed as '=...
"""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grids.models import Role
from petitions.models import Visit
from tests import factories as f

FORMULA = '=HYPERLINK("http://x","点此")'


def workbook(response):
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def cells_holding(sheet, text):
    return [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and text in c.value
    ]


def assert_text_cell(cell, value):
    assert cell.data_type == "s"
    assert cell.value == value
    assert cell.quotePrefix


@pytest.fixture
def hostile_grid(grid_a1):
    """A grid renamed in the admin to a formula."""
    grid_a1.name = FORMULA
    grid_a1.save(update_fields=["name"])
    return grid_a1


@pytest.fixture
def home(hostile_grid):
    household = f.make_household(hostile_grid, room="301")
    # A resident recorded under a formula too: the roster and the registry list names.
    f.make_resident(household, name=FORMULA, phone="13812345678")
    return household


@pytest.fixture
def petition(home, grid_worker, casework_defaults):
    return f.make_petition(
        by=grid_worker,
        household=home,
        resident=home.residents.get(),
        category="邻里纠纷",
        description='=cmd|"/c calc"!A1 请回电 138 1234 5678，身份证 11010519491231002X',
    )


@pytest.fixture
def visit(home, grid_worker):
    return f.make_visit(home, by=grid_worker, notes="=1+1 \u202e漏水\u200b\x01 电话13812345678")


def export_urls(community_a, hostile_grid):
    month = f"{timezone.localdate():%Y-%m}"
    return {
        "petition ledger": (reverse("petitions:ledger"), {}),
        "dispute ledger": (reverse("petitions:ledger"), {"dispute": "1"}),
        "visit ledger": (reverse("petitions:visit_ledger"), {}),
        "community registry": (reverse("grids:community_export", args=[community_a.pk]), {}),
        "grid registry": (reverse("grids:grid_export", args=[hostile_grid.pk]), {}),
        "roster": (reverse("grids:roster_export", args=[community_a.pk]), {}),
        "ranking": (reverse("petitions:rankings"), {"month": month, "format": "xlsx"}),
    }


@pytest.mark.parametrize(
    "export",
    [
        "petition ledger", "dispute ledger", "visit ledger", "community registry",
        "grid registry", "roster", "ranking",
    ],
)  # fmt: skip
def test_a_grid_named_as_a_formula_reaches_every_export_as_text(
    client_for, community_staff, community_a, hostile_grid, home, petition, visit, export
):
    # Made directly: appoint_role passes `grid` twice for a grid's team leader (a TypeError).
    Role.objects.create(
        kind="team_leader", grid=hostile_grid, community=community_a,
        resident=home.residents.get(), start_date=timezone.localdate(),
        appointed_by=community_staff,
    )  # fmt: skip
    url, params = export_urls(community_a, hostile_grid)[export]
    sheet = workbook(client_for(community_staff).get(url, params)).active
    found = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert found, "the grid's name is in the export"
    for cell in found:
        assert cell.data_type == "s"
        assert cell.quotePrefix or not str(cell.value).startswith("=")
    assert any(FORMULA in c.value for c in found)  # unchanged (in the roster after its community)


def test_description_and_note_starting_with_a_formula_stay_text_and_numbers_in_them_are_masked(
    client_for, street_a_staff, petition, visit
):
    client = client_for(street_a_staff)
    ledger = workbook(client.get(reverse("petitions:ledger"))).active
    [description] = cells_holding(ledger, "calc")
    assert_text_cell(description, '=cmd|"/c calc"!A1 请回电 138****5678，身份证 1101**********002X')
    disputes = workbook(client.get(reverse("petitions:ledger"), {"dispute": "1"})).active
    assert "13812345678" not in str([c.value for row in disputes.iter_rows() for c in row])
    visits = workbook(client.get(reverse("petitions:visit_ledger"))).active
    [note] = cells_holding(visits, "漏水")
    # Direction and zero-width characters and control characters are gone.
    assert_text_cell(note, "=1+1 漏水 电话138****5678")


@pytest.mark.parametrize("start", ["+", "-", "@", "\t"])
def test_every_formula_start_is_written_as_text(
    client_for, street_a_staff, home, grid_worker, start
):
    Visit.objects.create(
        household=home, grid=home.grid, visited_at=timezone.now(), kind="routine",
        author=grid_worker, notes=f"{start}SUM(A1:A9)",
    )  # fmt: skip
    visits = workbook(client_for(street_a_staff).get(reverse("petitions:visit_ledger"))).active
    [note] = cells_holding(visits, "SUM(A1:A9)")
    assert note.data_type == "s" and note.quotePrefix and note.value.startswith(start)
    assert note.value.endswith("SUM(A1:A9)")


def test_a_ledger_has_a_frozen_filtered_header_real_dates_widths_and_the_officials_name(
    client_for, street_a_staff, petition
):
    sheet = workbook(client_for(street_a_staff).get(reverse("petitions:ledger"))).active
    rows = list(sheet.iter_rows())
    assert "李强" in rows[1][0].value and "street_a" not in rows[1][0].value
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == f"A3:{rows[2][-1].column_letter}4"
    assert all(c.font.bold for c in rows[2])
    recorded = rows[3][0]
    assert isinstance(recorded.value, datetime.datetime)
    assert recorded.number_format == "yyyy-mm-dd hh:mm"
    households = rows[3][[c.value for c in rows[2]].index("涉及户数")]
    assert households.value == 1 and households.data_type == "n"
    widths = [sheet.column_dimensions[c.column_letter].width for c in rows[2]]
    assert all(6 <= w <= 60 for w in widths)
    description = [c.value for c in rows[2]].index("内容")
    assert widths[description] >= widths[0]


def test_ranking_rates_are_percentages_with_a_number_format(client_for, community_staff):
    from petitions.dashboard import ranking_parent
    from petitions.models import RankingSnapshot

    RankingSnapshot.objects.create(
        month=datetime.date(2026, 10, 1), parent=ranking_parent(community_staff), title="10月",
        published_by=community_staff,
        rows=[{"rank": 1, "name": "一网格", "highlight": "red", "composite": 0.85,
               "response": 0.9, "resolution": 0.8, "satisfaction": 0.875, "followed_up": 4}],
    )  # fmt: skip
    sheet = workbook(
        client_for(community_staff).get(
            reverse("petitions:rankings"), {"month": "2026-10", "format": "xlsx"}
        )
    ).active
    [row] = sheet.iter_rows(min_row=4)
    assert [c.value for c in row] == [1, "一网格", 0.85, 0.9, 0.8, 0.875, 4]
    assert row[0].data_type == "n" and row[-1].number_format == "0"
    assert [c.number_format for c in row[2:6]] == ["0.0%"] * 4
