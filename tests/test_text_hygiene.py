"""What people type: invisible and direction characters kept out of names and neutralised in
free text, and phone or ID-card numbers typed into free text masked on every page that shows it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grids.models import Compound, Resident
from petitions.models import Petition
from tests import factories as f

RLO, ZWSP, LRI, PDI, BOM = "\u202e", "\u200b", "\u2066", "\u2069", "\ufeff"
PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
TYPED = f"请回电{PHONE}，身份证 {ID_NUMBER}，{RLO}水漏{ZWSP}了{LRI}x{PDI}"
SHOWN = "请回电138****5678，身份证 1101**********002X，水漏了x"


def test_free_text_is_neutralised_and_its_numbers_masked():
    from core.personal_data import free_text_for_display

    assert free_text_for_display(TYPED) == SHOWN
    # Grouped, full-width, with +86; a line break and a tab stay; other controls go.
    assert free_text_for_display("电话 +86 138 1234 5678\n１３９８７６５４３２１\t\x01") == (
        "电话 138****5678\n139****4321\t"
    )
    # Dates, amounts, rooms and counts are not numbers of a person.
    kept = "2026-05-01 居民集资 301 100 元，共 12 户，6-2-301"
    assert free_text_for_display(kept) == kept
    # A date before two phones is not read as one long number.
    assert free_text_for_display("2026-05-01 138 1234 5678 139 8765 4321") == (
        "2026-05-01 138****5678 139****4321"
    )
    assert free_text_for_display("座机0374-2345678") == "座机0374****5678"


@pytest.mark.parametrize(
    "raw", [f"张{ZWSP}三", f"{BOM}张三", f"张三{RLO}", f"{LRI}张三{PDI}", "张三\u3000"]
)
def test_names_lose_invisible_and_direction_characters(raw):
    from core.personal_data import clean_name

    assert clean_name(raw) == "张三"


@pytest.fixture
def home(grid_a1):
    return f.make_household(grid_a1, room="301")


@pytest.fixture
def petition(home, grid_worker, casework_defaults):
    return f.make_petition(by=grid_worker, household=home, description=TYPED)


@pytest.fixture
def visit(home, grid_worker):
    return f.make_visit(home, by=grid_worker, notes=TYPED)


def assert_shown_safely(response):
    assert response.status_code == 200
    text = response.content.decode()
    assert PHONE not in text and ID_NUMBER not in text
    assert "138****5678" in text
    for char in (RLO, ZWSP, LRI, PDI):
        assert char not in text


def test_petition_page_and_list_mask_numbers_in_the_description(
    client_for, community_staff, petition
):
    client = client_for(community_staff)
    assert_shown_safely(client.get(reverse("petitions:detail", args=[petition.pk])))
    assert_shown_safely(client.get(reverse("petitions:list")))


def test_visit_page_masks_numbers_in_the_notes(client_for, community_staff, visit):
    response = client_for(community_staff).get(reverse("petitions:visit_detail", args=[visit.pk]))
    assert_shown_safely(response)


def test_household_timeline_masks_numbers_in_notes_and_descriptions(
    client_for, community_staff, home, visit, petition
):
    response = client_for(community_staff).get(reverse("grids:household", args=[home.pk]))
    assert_shown_safely(response)
    assert response.content.decode().count("138****5678") >= 2


def test_admin_strips_invisible_characters_from_a_residents_name(client_for, organizer, home):
    response = client_for(organizer).post(
        reverse("admin:grids_resident_add"),
        {
            "household": home.pk, "name": f"{RLO}陈{ZWSP}华 ", "gender": "F",
            "relation": "head", "status": "living",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Resident.objects.get().name == "陈华"


def test_a_compound_name_with_a_zero_width_space_is_the_same_compound(community_a):
    Compound.objects.create(community=community_a, name="安装公司家属院")
    twin = Compound(community=community_a, name=f"安装公司{ZWSP}家属院")
    with pytest.raises(Exception, match="已经存在|已存在"):
        twin.full_clean()


def test_an_official_name_is_stored_without_direction_characters(community_a):
    from django import forms

    from communities.models import Official

    form_class = forms.modelform_factory(Official, fields=["name", "phone"])
    form = form_class({"name": f"{LRI}柴松杰{PDI}", "phone": "１３９ ０３７４ ０００１"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["name"], form.cleaned_data["phone"]) == ("柴松杰", "13903740001")


def test_the_import_strips_invisible_characters_from_names(community_a, grid_a1):
    from grids.registry_import import import_registry
    from tests.grids.registry_sheets import resident_row, workbook

    place = ["新村社区", f"安装公司{ZWSP}家属院", "6号楼", "1单元", None]
    result = import_registry(
        workbook(
            {
                "小区": [["新村社区", "安装公司家属院", "新兴路12号", 1971, None]],
                "楼栋": [["新村社区", "安装公司家属院", f"6号{RLO}楼", 1]],
                "单元": [place[:4]],
                "户": [[*place, "101"]],
                "居民": [resident_row(place, "101", f"张{ZWSP}伟{BOM}", "男")],
            }
        )
    )
    assert not result.errors, result.errors
    assert Compound.objects.get().name == "安装公司家属院"
    assert Resident.objects.get().name == "张伟"
    assert Resident.objects.get().household.unit.building.name == "6号楼"


def test_household_panel_and_weekly_report_mask_numbers_in_descriptions(
    client_for, community_staff, home, petition
):
    client = client_for(community_staff)
    assert_shown_safely(client.get(reverse("petitions:household_panel", args=[home.pk])))
    Petition.objects.filter(pk=petition.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert_shown_safely(client.get(reverse("petitions:weekly_report")))
