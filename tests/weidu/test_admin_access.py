"""The admin is the district organizers' tool: staff status alone opens nothing, and staff
status is given to district organizers only (`communities.admin_tools.may_use_admin`).

A street official made staff used to see every street in the admin lists and could add a
resident to another street's household.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from grids.models import Resident
from tests import factories as f


def _staff_with_every_permission(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.all())
    return user


@pytest.fixture
def staff_street_official(street_a_staff):
    return _staff_with_every_permission(street_a_staff)


@pytest.fixture
def organizer_not_superuser(district):
    user = f.make_official("organizer2", name="区委组织部 刘洋", areas=[district])
    return _staff_with_every_permission(user)


ADMIN_PAGES = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


def test_a_street_official_made_staff_is_sent_to_the_admin_login(client_for, staff_street_official):
    response = client_for(staff_street_official).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(("app", "model"), ADMIN_PAGES)
def test_no_admin_list_or_form_opens_for_a_street_official_made_staff(
    client_for, staff_street_official, app, model
):
    client = client_for(staff_street_official)
    for page in ("changelist", "add"):
        response = client.get(reverse(f"admin:{app}_{model}_{page}"))
        assert response.status_code == 302, (page, response.status_code)


def test_a_street_official_made_staff_cannot_add_a_resident_to_another_streets_household(
    client_for, staff_street_official, grid_b1
):
    household = f.make_household(grid_b1, room="502")
    response = client_for(staff_street_official).post(
        reverse("admin:grids_resident_add"),
        {"household": household.pk, "name": "王五", "gender": "M", "relation": "head",
         "status": "living"},
    )  # fmt: skip
    assert response.status_code == 302
    assert not Resident.objects.filter(name="王五").exists()


def test_the_registry_import_is_closed_to_a_street_official_made_staff(
    client_for, staff_street_official
):
    response = client_for(staff_street_official).get(reverse("admin:grids_import_registry"))
    assert response.status_code == 302


def test_a_district_organizer_who_is_not_superuser_uses_the_admin(
    client_for, organizer_not_superuser
):
    client = client_for(organizer_not_superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:grids_unit_changelist")).status_code == 200


def _user_form(user, **changes):
    return {
        "username": user.username, "first_name": "", "last_name": "", "email": "",
        "is_active": "on", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00",
        "last_login_0": "", "last_login_1": "", **changes,
    }  # fmt: skip


def test_staff_status_is_refused_to_anyone_but_a_district_organizer(
    client_for, organizer, street_a_staff
):
    url = reverse("admin:auth_user_change", args=[street_a_staff.pk])
    with_staff = _user_form(street_a_staff, is_staff="on")

    response = client_for(organizer).post(url, with_staff)

    assert response.status_code == 200
    assert "只有区级组织人员才能使用管理后台" in response.text
    street_a_staff.refresh_from_db()
    assert not street_a_staff.is_staff


def test_staff_status_is_given_to_a_district_organizer(client_for, organizer, district):
    user = f.make_official("organizer3", name="区委组织部 陈静", areas=[district])
    url = reverse("admin:auth_user_change", args=[user.pk])

    response = client_for(organizer).post(url, _user_form(user, is_staff="on"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_staff
