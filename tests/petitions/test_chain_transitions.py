"""The transitions of the district's follow-through chain and of street coordination, each
allowed to whom it should be and refused (changing nothing) to everyone else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions.models import Category, Notification, Petition
from petitions.services import follow_through as ft
from petitions.services import transitions as t
from tests import factories as f
from tests.petitions.test_transitions import refused


@pytest.fixture
def petition(grid_a1, grid_worker, casework_defaults):
    return Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        household=f.make_household(grid_a1), description="地下室渗水", created_by=grid_worker,
    )  # fmt: skip


@pytest.fixture
def at_district(petition, organizer, zuzhibu, department):
    """Escalated to the district; 区委组织部 dispatches it to 住建局."""
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    t.dispatch(petition, by=zuzhibu, department=department)
    return petition


@pytest.fixture
def at_street(petition, grid_worker, community_staff):
    t.escalate(petition, by=grid_worker, reason="需社区协调")
    t.escalate(petition, by=community_staff, reason="需街道协调")
    return petition


@pytest.fixture
def greening(district):
    return f.make_department(district, name="园林中心")


# --- 区委办: supervise any open petition, grades, instructions ----------------------------------


def test_the_party_office_supervises_any_open_petition_and_the_handler_is_told(
    petition, quweiban, grid_worker, street_a_staff
):
    t.accept(petition, by=grid_worker)
    assert not petition.is_overdue()
    assert {"supervise", "raise_grade", "instruct"} <= set(t.allowed_actions(quweiban, petition))
    assert "accept" not in t.allowed_actions(quweiban, petition)  # it does not handle
    refused(t.supervise, petition, by=street_a_staff, instruction="抓紧")  # not overdue
    t.supervise(petition, by=quweiban, instruction="请三日内办结")
    assert petition.supervised_at
    assert Notification.objects.filter(user=grid_worker, kind="supervised").exists()


def test_nobody_supervises_a_closed_petition(petition, quweiban):
    Petition.objects.filter(pk=petition.pk).update(status="closed")
    petition.refresh_from_db()
    assert "已结案" in refused(t.supervise, petition, by=quweiban, instruction="抓紧")


def test_grades_rise_by_hand_to_red_and_no_further(petition, quweiban, grid_worker):
    t.accept(petition, by=grid_worker)
    ft.raise_grade(petition, by=quweiban, reason="群众多次反映")
    assert petition.supervision_grade == "yellow" and petition.supervised_at
    ft.raise_grade(petition, by=quweiban, reason="仍未办结")
    assert petition.supervision_grade == "red"
    assert "红牌" in refused(ft.raise_grade, petition, by=quweiban, reason="再升级")
    kinds = set(Notification.objects.filter(user=grid_worker).values_list("kind", flat=True))
    assert {"yellow_card", "red_card"} <= kinds
    assert not petition.events.filter(action="raise_grade", public=True).exists()


@pytest.mark.parametrize("role", ["organizer", "zuzhibu", "street_a_staff", "grid_worker",
                                  "department_staff"])  # fmt: skip
def test_only_the_party_office_raises_grades_and_records_instructions(request, petition, role):
    user = request.getfixturevalue(role)
    assert "区委办" in refused(ft.raise_grade, petition, by=user, reason="升级") or role in (
        "zuzhibu", "department_staff")  # fmt: skip
    refused(ft.instruct, petition, by=user, leader="区委书记", instruction="抓紧")


def test_a_leaders_instruction_is_internal_and_told_to_the_handler(
    at_district, quweiban, department_staff
):
    ft.instruct(at_district, by=quweiban, leader="区委书记", instruction="汛期前完工")
    event = at_district.events.last()
    assert (event.action, event.note, event.public) == ("instruct", "区委书记: 汛期前完工", False)
    assert Notification.objects.filter(user=department_staff, kind="instruction").exists()
    assert "批示领导" in refused(ft.instruct, at_district, by=quweiban, leader=" ",
                                 instruction="x")  # fmt: skip


def test_the_party_office_adds_assisting_departments_at_district_level_only(
    at_district, petition, quweiban, greening
):
    t.add_assisting(at_district, by=quweiban, department=greening)
    assert list(at_district.assisting_departments.all()) == [greening]


def test_the_party_office_adds_no_assisting_department_below_the_district(
    petition, quweiban, greening
):
    refused(t.add_assisting, petition, by=quweiban, department=greening)


# --- 区委组织部: triage and the ledger ----------------------------------------------------------


def test_the_organization_department_triages_and_puts_on_the_ledger(
    petition, organizer, zuzhibu, quweiban, department
):
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    assert {"dispatch", "put_on_ledger"} <= set(t.allowed_actions(zuzhibu, petition))
    target = timezone.localdate() + datetime.timedelta(days=90)
    refused(t.put_on_ledger, petition, by=quweiban, owner=department, target=target)
    t.dispatch(petition, by=zuzhibu, department=department)
    t.put_on_ledger(petition, by=zuzhibu, owner=department, target=target)
    assert petition.ledger_owner == department


def test_the_organization_department_does_not_touch_what_is_not_the_districts(
    petition, zuzhibu, department
):
    target = timezone.localdate() + datetime.timedelta(days=90)
    refused(t.put_on_ledger, petition, by=zuzhibu, owner=department, target=target)
    refused(t.dispatch, petition, by=zuzhibu, department=department)


def test_the_owner_notes_progress_resolves_and_signs_off(
    at_district, zuzhibu, quweiban, department, department_staff, district
):
    target = timezone.localdate() + datetime.timedelta(days=90)
    t.put_on_ledger(at_district, by=zuzhibu, owner=department, target=target)
    other = f.make_official("chengguan", department=f.make_department(district, name="城管局"))
    refused(ft.note_progress, at_district, by=other, progress="x")
    refused(ft.note_progress, at_district, by=quweiban, progress="x")
    t.accept(at_district, by=department_staff)
    ft.note_progress(at_district, by=department_staff, progress="方案已编制")
    refused(t.sign_off, at_district, by=department_staff)  # not rectified yet
    t.resolve(at_district, by=department_staff, what_was_done="管网改造完成")
    refused(t.sign_off, at_district, by=quweiban)
    refused(t.sign_off, at_district, by=other)
    t.sign_off(at_district, by=department_staff)
    assert at_district.ledger_signed_off_at
    refused(ft.note_progress, at_district, by=department_staff, progress="x")  # signed off
    refused(t.sign_off, at_district, by=zuzhibu)


# --- 协调: the street brings departments in -----------------------------------------------------


def test_the_street_brings_departments_in_without_escalating(
    at_street, street_a_staff, department, department_staff, greening
):
    t.accept(at_street, by=street_a_staff)
    ft.coordinate(at_street, by=street_a_staff, departments=[department, greening],
                  note="住建局查管网,园林中心恢复绿化")  # fmt: skip
    at_street.refresh_from_db()
    assert at_street.level == "street" and at_street.department_id is None
    assert set(at_street.assisting_departments.all()) == {department, greening}
    assert Notification.objects.filter(user=department_staff, kind="coordinated").exists()
    # The department sees it and takes its part; it neither resolves nor escalates it.
    assert t.allowed_actions(department_staff, at_street) == ["record_part"]
    t.record_part(at_street, by=department_staff, part="更换管网20米")
    t.resolve(at_street, by=street_a_staff, what_was_done="街道协调部门解决")
    assert at_street.status == "resolved" and at_street.level == "street"


def test_coordination_is_refused_to_others_and_below_the_street(
    petition, at_street, street_a_staff, street_b_staff, community_staff, quweiban,
    department_staff, department,
):  # fmt: skip
    for user in (street_b_staff, community_staff, quweiban, department_staff):
        refused(ft.coordinate, at_street, by=user, departments=[department])
    assert "已经参与" not in refused(ft.coordinate, at_street, by=street_a_staff, departments=[])


def test_coordination_is_only_for_street_level_petitions(
    petition, street_a_staff, department, casework_defaults
):
    assert "街道级" in refused(ft.coordinate, petition, by=street_a_staff,
                              departments=[department])  # fmt: skip


def test_a_department_is_brought_in_once(at_street, street_a_staff, department):
    ft.coordinate(at_street, by=street_a_staff, departments=[department])
    assert "已经参与" in refused(ft.coordinate, at_street, by=street_a_staff,
                                departments=[department])  # fmt: skip


# --- the forms on the page ---------------------------------------------------------------------


def _post(client, petition, action, data):
    url = reverse("petitions:act", args=[petition.pk, action])
    return client.post(url, {"version": petition.version, **data})


def test_the_coordinate_form_takes_several_departments_and_refuses_a_bad_one_in_chinese(
    client_for, at_street, street_a_staff, department, greening
):
    client = client_for(street_a_staff)
    response = _post(client, at_street, "coordinate", {"departments": ["999999"]})
    assert response.status_code == 400 and "请选择区直单位" in response.text
    response = _post(client, at_street, "coordinate",
                     {"departments": [department.pk, greening.pk], "note": "联合处置"})  # fmt: skip
    assert response.status_code == 302
    assert at_street.assisting_departments.count() == 2


def test_the_instruction_form_needs_the_leader(client_for, petition, quweiban):
    client = client_for(quweiban)
    response = _post(client, petition, "instruct", {"instruction": "抓紧"})
    assert response.status_code == 400 and "请填写批示领导" in response.text
    response = _post(client, petition, "instruct", {"leader": "区长", "instruction": "抓紧"})
    assert response.status_code == 302


def test_the_party_office_sees_the_supervision_buttons_on_the_page(client_for, petition, quweiban):
    response = client_for(quweiban).get(reverse("petitions:detail", args=[petition.pk]))
    for action in ("supervise", "raise_grade", "instruct"):
        assert f'id="action-{action}"' in response.text
    assert 'id="action-accept"' not in response.text
