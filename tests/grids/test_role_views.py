"""The 5+3 chain on the grid page: vacancies shown, appointing and ending from the page, roster."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grids.models import Role
from tests import factories as f


@pytest.fixture
def unit(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    return f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")


@pytest.fixture
def chen(unit):
    household = f.make_household(unit.building.grid, unit=unit, room="101")
    return f.make_resident(household, name="陈华", phone="13812345678")


def appoint_url(grid, kind, place):
    return reverse("grids:role_appoint", args=[grid.pk]) + f"?kind={kind}&place={place.pk}"


def test_grid_page_marks_each_vacancy(client_for, grid_worker, grid_a1, unit):
    response = client_for(grid_worker).get(reverse("grids:grid", args=[grid_a1.pk]))
    assert response.status_code == 200
    assert f'id="unit_head-{unit.pk}"' in response.text
    assert "seat--vacant" in response.text
    assert "空缺" in response.text
    assert appoint_url(grid_a1, "unit_head", unit).replace("&", "&amp;") in response.text


def test_grid_worker_appoints_a_unit_head_from_the_page(
    client_for, grid_worker, grid_a1, unit, chen
):
    client = client_for(grid_worker)
    url = appoint_url(grid_a1, "unit_head", unit)
    form = client.get(url)
    assert form.status_code == 200 and "陈华" in form.text
    response = client.post(url, {"resident": chen.pk, "start_date": "2025-10-01"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("grids:grid", args=[grid_a1.pk])
    assert "已任命 陈华" in response.text
    role = Role.objects.get()
    assert (role.kind, role.unit, role.resident) == ("unit_head", unit, chen)
    assert f'id="unit_head-{unit.pk}"' in response.text
    assert "138****5678" in response.text and "13812345678" not in response.text


def test_appointing_without_a_person_shows_a_chinese_error(
    client_for, grid_worker, grid_a1, unit, chen
):
    response = client_for(grid_worker).post(
        appoint_url(grid_a1, "unit_head", unit), {"start_date": "2025-10-01"}
    )
    assert response.status_code == 200
    assert "请选择一名任职人员" in response.text
    assert not Role.objects.exists()


def test_appointing_to_an_occupied_unit_shows_who_holds_it(
    client_for, grid_worker, community_staff, grid_a1, unit, chen
):
    from grids.services import appoint_role

    appoint_role(kind="unit_head", place=unit, by=community_staff, resident=chen)
    other = f.make_resident(f.make_household(grid_a1, unit=unit, room="102"), name="曹艳")
    response = client_for(grid_worker).post(
        appoint_url(grid_a1, "unit_head", unit), {"resident": other.pk, "start_date": "2025-10-01"}
    )
    assert response.status_code == 200
    assert "此处已有单元长：陈华" in response.text
    assert Role.objects.count() == 1


@pytest.mark.parametrize("role", ["street_b_staff", "department_staff", "outsider"])
def test_appoint_page_is_404_outside_the_scope(request, client, role, grid_a1, unit):
    client.force_login(request.getfixturevalue(role))
    assert client.get(appoint_url(grid_a1, "unit_head", unit)).status_code == 404


def test_a_place_of_another_grid_is_404(client_for, grid_worker, grid_a1, grid_a2):
    compound = f.make_compound(grid_a2.community)
    other_unit = f.make_unit(f.make_building(compound, grid_a2))
    client = client_for(grid_worker)
    assert client.get(appoint_url(grid_a1, "unit_head", other_unit)).status_code == 404


def test_unknown_role_kind_is_404(client_for, grid_worker, grid_a1, unit):
    assert client_for(grid_worker).get(appoint_url(grid_a1, "mayor", unit)).status_code == 404


def test_ending_a_term_from_the_page(client_for, grid_worker, community_staff, grid_a1, unit, chen):
    from grids.services import appoint_role

    role = appoint_role(
        kind="unit_head", place=unit, by=community_staff, resident=chen, start_date=date(2025, 1, 1)
    )
    client = client_for(grid_worker)
    url = reverse("grids:role_end", args=[role.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"end_date": "2025-11-01", "grid": grid_a1.pk}, follow=True)
    assert "任期已结束" in response.text
    role.refresh_from_db()
    assert role.end_date == date(2025, 11, 1)
    assert "seat--vacant" in response.text


def test_ending_outside_the_scope_is_404(client_for, street_b_staff, community_staff, unit, chen):
    from grids.services import appoint_role

    role = appoint_role(kind="unit_head", place=unit, by=community_staff, resident=chen)
    response = client_for(street_b_staff).post(
        reverse("grids:role_end", args=[role.pk]), {"end_date": "2026-11-01"}
    )
    assert response.status_code == 404
    role.refresh_from_db()
    assert role.end_date is None


def test_roster_export_is_masked_and_scoped(
    client_for, community_staff, street_b_staff, community_a, unit, chen
):
    from grids.services import appoint_role

    appoint_role(kind="unit_head", place=unit, by=community_staff, resident=chen)
    url = reverse("grids:roster_export", args=[community_a.pk])
    response = client_for(community_staff).get(url)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert "新村社区" in rows[0][0]
    assert rows[3][:4] == ("单元长", "安装公司家属院 6号楼 2单元", "陈华", "138****5678")
    assert client_for(street_b_staff).get(url).status_code == 404


def test_community_page_summarises_vacancies(client_for, community_staff, community_a, unit, chen):
    from grids.services import appoint_role

    f.make_unit(unit.building, name="3单元")
    appoint_role(kind="unit_head", place=unit, by=community_staff, resident=chen)
    response = client_for(community_staff).get(reverse("grids:community", args=[community_a.pk]))
    assert "单元长</strong> 1 / 2" in response.text
    assert "空缺 1" in response.text
