"""The Django admin for district organizers: masked personal data, read-only reveal log, access."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.personal_data import id_number_check_char
from grids.models import RevealLog
from tests import factories as f

PHONE = "13812345678"
ID_NUMBER = "41100219710305123" + id_number_check_char("41100219710305123")


@pytest.fixture
def resident(grid_a1):
    household = f.make_household(grid_a1, room="301")
    return f.make_resident(household, name="肖明伟", gender="M", phone=PHONE, id_number=ID_NUMBER)


def test_resident_list_shows_masked_numbers_only(client_for, organizer, resident):
    response = client_for(organizer).get(reverse("admin:grids_resident_changelist"))
    assert response.status_code == 200
    assert "138****5678" in response.text
    assert PHONE not in response.text and ID_NUMBER not in response.text


def test_resident_can_be_found_by_exact_phone_suffix(client_for, organizer, resident):
    response = client_for(organizer).get(reverse("admin:grids_resident_changelist"), {"q": "5678"})
    assert "肖明伟" in response.text


def test_household_page_inlines_members_masked(client_for, organizer, resident):
    url = reverse("admin:grids_household_change", args=[resident.household_id])
    response = client_for(organizer).get(url)
    assert "138****5678" in response.text
    assert PHONE not in response.text and ID_NUMBER not in response.text


def test_resident_form_never_sends_full_numbers_and_keeps_them_when_left_empty(
    client_for, organizer, resident
):
    client = client_for(organizer)
    url = reverse("admin:grids_resident_change", args=[resident.pk])
    page = client.get(url)
    assert PHONE not in page.text and ID_NUMBER not in page.text
    assert "138****5678" in page.text
    data = {
        "household": resident.household_id,
        "name": "肖明伟",
        "gender": "M",
        "birth_date": "1971-03-05",
        "phone": "",
        "id_number": "",
        "relation": "head",
        "status": "living",
        "status_date": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    resident.refresh_from_db()
    assert (resident.phone, resident.id_number) == (PHONE, ID_NUMBER)
    client.post(url, {**data, "phone": "139 0000 1111"})
    resident.refresh_from_db()
    assert resident.phone == "13900001111"


def test_resident_form_refuses_a_bad_id_number_in_chinese(client_for, organizer, resident):
    url = reverse("admin:grids_resident_change", args=[resident.pk])
    response = client_for(organizer).post(
        url,
        {
            "household": resident.household_id,
            "name": "肖明伟",
            "gender": "M",
            "id_number": "411002197103051230",
            "relation": "head",
            "status": "living",
        },
    )
    assert response.status_code == 200
    assert "校验位错误" in response.text
    resident.refresh_from_db()
    assert resident.id_number == ID_NUMBER


def test_reveal_log_is_readable_but_cannot_be_changed_or_deleted(client_for, organizer, resident):
    log = RevealLog.objects.create(user=organizer, resident=resident, field="phone")
    client = client_for(organizer)
    assert client.get(reverse("admin:grids_reveallog_changelist")).status_code == 200
    assert client.get(reverse("admin:grids_reveallog_add")).status_code == 403
    assert client.post(reverse("admin:grids_reveallog_delete", args=[log.pk])).status_code == 403
    change = client.post(
        reverse("admin:grids_reveallog_change", args=[log.pk]), {"field": "id_number"}
    )
    assert change.status_code == 403
    log.refresh_from_db()
    assert log.field == "phone"


@pytest.mark.parametrize("role", ["community_staff", "grid_worker", "department_staff", "outsider"])
def test_admin_is_only_for_organizers(request, client, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:grids_resident_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_filtered_resident_list_never_counts_the_whole_table(client_for, organizer, resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(organizer)
    url = reverse("admin:grids_resident_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"status__exact": "living"})
    assert response.context["cl"].show_full_result_count is False
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "grids_resident" in q["sql"]]
    assert counts and all("WHERE" in sql for sql in counts)


def test_registry_import_is_linked_from_the_residents_list(client_for, organizer):
    client = client_for(organizer)
    page = client.get(reverse("admin:grids_resident_changelist"))
    assert reverse("admin:grids_import_registry") in page.text
    assert client.get(reverse("admin:grids_import_registry")).status_code == 200
    template = client.get(reverse("admin:grids_registry_template"))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_registry_import_is_closed_to_non_staff(client_for, community_staff):
    response = client_for(community_staff).get(reverse("admin:grids_import_registry"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def role_form(**data):
    return {"kind": "unit_head", "start_date": "2025-10-01", **data}


def test_admin_appoints_a_role_through_the_same_rules(client_for, organizer, grid_a1):
    from grids.models import Role

    compound = f.make_compound(grid_a1.community)
    unit = f.make_unit(f.make_building(compound, grid_a1))
    chen = f.make_resident(f.make_household(grid_a1, unit=unit), name="陈华")
    outsider = f.make_resident(f.make_household(grid_a1), name="外人")
    client = client_for(organizer)
    url = reverse("admin:grids_role_add")
    refused = client.post(
        url, role_form(resident=outsider.pk, community=grid_a1.community_id, unit=unit.pk)
    )
    assert refused.status_code == 200 and "不住在这里" in refused.text
    assert not Role.objects.exists()
    done = client.post(
        url, role_form(resident=chen.pk, community=grid_a1.community_id, unit=unit.pk)
    )
    assert done.status_code == 302
    role = Role.objects.get()
    assert (role.unit, role.grid, role.appointed_by) == (unit, grid_a1, organizer)
    second = client.post(
        url, role_form(resident=chen.pk, community=grid_a1.community_id, unit=unit.pk)
    )
    assert "此处已有单元长" in second.text
    ended = client.post(
        reverse("admin:grids_role_change", args=[role.pk]), {"end_date": "2025-11-01"}
    )
    assert ended.status_code == 302
    role.refresh_from_db()
    assert str(role.end_date) == "2025-11-01" and role.ended_by == organizer
    assert client.post(reverse("admin:grids_role_delete", args=[role.pk])).status_code == 403


def test_admin_appoints_a_unit_head_from_the_unit_alone(client_for, organizer, grid_a1):
    """The seat (role and unit) says where: no community, grid, compound or building to fill."""
    from grids.models import Role

    unit = f.make_unit(f.make_building(f.make_compound(grid_a1.community), grid_a1))
    chen = f.make_resident(f.make_household(grid_a1, unit=unit), name="陈华")
    client = client_for(organizer)
    url = reverse("admin:grids_role_add")

    form = client.get(url, {"kind": "unit_head", "unit": unit.pk})
    today = timezone.localdate().isoformat()
    assert form.context["adminform"].form["start_date"].value() == timezone.localdate()
    assert form.context["adminform"].form["unit"].value() == str(unit.pk)  # the seat, given
    assert "单元长填单元" in form.text  # which one place to fill, in Chinese

    done = client.post(url, {"kind": "unit_head", "resident": chen.pk, "unit": unit.pk,
                             "start_date": today})  # fmt: skip
    assert done.status_code == 302
    role = Role.objects.get()
    assert (role.unit, role.grid, role.community) == (unit, grid_a1, grid_a1.community)
    assert role.start_date == timezone.localdate()


def test_admin_asks_for_the_place_the_role_sits_on_next_to_its_field(
    client_for, organizer, grid_a1
):
    from grids.models import Role

    building = f.make_building(f.make_compound(grid_a1.community), grid_a1)
    unit = f.make_unit(building)
    chen = f.make_resident(f.make_household(grid_a1, unit=unit), name="陈华")
    response = client_for(organizer).post(
        reverse("admin:grids_role_add"),
        {
            "kind": "unit_head",
            "resident": chen.pk,
            "building": building.pk,
            "start_date": "2025-10-01",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unit"] == [
        "单元长对应一个单元:请在这里选择单元。"
    ]
    assert "community" not in response.context["adminform"].form.errors
    assert not Role.objects.exists()


def test_role_list_names_its_holder_column_in_chinese(client_for, organizer, grid_a1):
    from grids import services

    unit = f.make_unit(f.make_building(f.make_compound(grid_a1.community), grid_a1))
    chen = f.make_resident(f.make_household(grid_a1, unit=unit), name="陈华")
    services.appoint_role(kind="unit_head", place=unit, by=organizer, resident=chen)
    response = client_for(organizer).get(reverse("admin:grids_role_changelist"))
    assert "任职人" in response.text and "陈华" in response.text
    assert "Holder" not in response.text


def test_admin_greets_the_official_by_name_and_says_xiugai_on_change_links(client_for, organizer):
    response = client_for(organizer).get(reverse("admin:index"))
    assert "<strong>区委组织部 王芳</strong>" in response.text
    assert ">修改<" in response.text
    assert "更换" not in response.text


def test_login_protection_admin_is_in_chinese(client_for, organizer):
    index = client_for(organizer).get(reverse("admin:index")).text
    assert "登录保护" in index and "登录尝试" in index and "登录日志" in index
    for english in ("Axes", "Access attempts", "Access logs", "Access failures", "Model name"):
        assert english not in index
    log = client_for(organizer).get(reverse("admin:axes_accesslog_changelist")).text
    assert "IP 地址" in log and "尝试时间" in log


def test_the_background_task_queue_is_not_in_the_organizers_admin(client_for, organizer):
    index = client_for(organizer).get(reverse("admin:index")).text
    for english in ("Tasks Database Backend", "Task Results", "DB task results"):
        assert english not in index
    assert "/admin/django_tasks_database/" not in index
