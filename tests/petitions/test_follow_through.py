"""The district's follow-through chain: 区委组织部 and 区委办 as roles, the 督办 grades raised on
time limits, the district ledger page and the headline figures."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grids.models import Household
from petitions.headline import headline
from petitions.models import (
    Category,
    Notification,
    Petition,
    PetitionEvent,
    SupervisionRule,
)
from petitions.periods import period_from
from petitions.services.supervision import raise_due_grades
from tests import factories as f

ROWS = pytest.mark.parametrize("rows", [1, 50])


def _petition(grid, by, **kw):
    return Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid,
        description=kw.pop("description", "地下室渗水"), created_by=by, **kw,
    )  # fmt: skip


@pytest.fixture
def cases(grid_a1, grid_b1, grid_worker, department, casework_defaults):
    """A street A petition at grid level, a street B one at district level dispatched to
    住建局, and a street B one on the ledger (still at street level)."""
    return {
        "local": _petition(grid_a1, grid_worker, description="楼道灯不亮"),
        "district": _petition(grid_b1, grid_worker, level="district", department=department,
                              description="雨水管网老化"),
        "ledger": _petition(grid_b1, grid_worker, level="street", ledger_owner=department,
                            ledger_target=timezone.localdate() + datetime.timedelta(days=30),
                            description="小区停车难"),
    }  # fmt: skip


# --- who sees what ------------------------------------------------------------------------------


def test_the_party_office_sees_every_petition_of_the_district_but_no_household(
    quweiban, cases, grid_a1
):
    assert set(Petition.objects.visible_to(quweiban)) == set(cases.values())
    f.make_household(grid_a1)
    assert not Household.objects.visible_to(quweiban).exists()


def test_the_organization_department_sees_district_petitions_and_the_ledger(zuzhibu, cases):
    assert set(Petition.objects.visible_to(zuzhibu)) == {cases["district"], cases["ledger"]}


def test_a_ledger_owner_sees_its_items_and_a_street_sees_only_its_own(
    department_staff, street_a_staff, cases
):
    assert set(Petition.objects.visible_to(department_staff)) == {
        cases["district"],
        cases["ledger"],
    }
    assert set(Petition.objects.visible_to(street_a_staff)) == {cases["local"]}


def test_the_district_bodies_open_a_petition_they_oversee_which_was_a_404(
    client_for, quweiban, zuzhibu, cases
):
    url = reverse("petitions:detail", args=[cases["local"].pk])
    assert client_for(quweiban).get(url).status_code == 200
    assert client_for(zuzhibu).get(url).status_code == 404  # not district level, not on ledger


def test_the_party_office_records_no_visit(client_for, quweiban, grid_a1):
    response = client_for(quweiban).get(reverse("petitions:visit_create"))
    assert response.status_code == 302


def test_the_district_bodies_home_is_the_follow_through_chain(client_for, quweiban, zuzhibu, cases):
    response = client_for(quweiban).get(reverse("home"))
    assert 'id="headline"' in response.text and 'id="waiting-red"' in response.text
    assert 'id="waiting-triage"' not in response.text
    response = client_for(zuzhibu).get(reverse("home"))
    assert 'id="waiting-triage"' in response.text
    assert response.context["follow_through"]["waiting"]["ledger_open"] == 1


def test_the_organizers_dashboard_carries_the_headline(client_for, organizer, cases):
    response = client_for(organizer).get(reverse("home"))
    assert 'id="headline"' in response.text


def test_a_street_official_has_no_headline(client_for, street_a_staff, cases):
    response = client_for(street_a_staff).get(reverse("home"))
    assert 'id="headline"' not in response.text


# --- the ledger page ----------------------------------------------------------------------------


def test_the_ledger_is_seen_by_the_bodies_and_the_owner_and_nobody_else(
    client_for, quweiban, zuzhibu, organizer, department_staff, street_a_staff, grid_worker,
    outsider, cases,
):  # fmt: skip
    url = reverse("petitions:district_ledger")
    for user in (quweiban, zuzhibu, organizer, department_staff):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert "小区停车难" in response.text
    for user in (street_a_staff, grid_worker, outsider):
        assert client_for(user).get(url).status_code == 404, user


def test_a_department_sees_only_its_own_ledger_items(client_for, district, cases, grid_b1):
    other = f.make_department(district, name="城管局")
    _petition(grid_b1, cases["local"].created_by, level="district", ledger_owner=other,
              ledger_target=timezone.localdate(), description="占道经营")  # fmt: skip
    staff = f.make_official("chengguan", department=other)
    response = client_for(staff).get(reverse("petitions:district_ledger"))
    assert "占道经营" in response.text and "小区停车难" not in response.text


def test_the_ledger_marks_overdue_and_signed_off_items(client_for, quweiban, cases):
    Petition.objects.filter(pk=cases["ledger"].pk).update(
        ledger_target=timezone.localdate() - datetime.timedelta(days=1)
    )
    url = reverse("petitions:district_ledger")
    response = client_for(quweiban).get(url, {"state": "overdue"})
    assert "小区停车难" in response.text
    assert response.context["departments"][0]["overdue"] == 1
    response = client_for(quweiban).get(url, {"state": "signed_off"})
    assert "小区停车难" not in response.text


def test_the_ledger_refuses_a_bad_filter_in_chinese(client_for, quweiban, cases):
    response = client_for(quweiban).get(reverse("petitions:district_ledger"), {"state": "x"})
    assert response.status_code == 400


@ROWS
def test_ledger_query_count_is_the_same_for_one_item_and_fifty(
    rows, client_for, quweiban, department, grid_b1, grid_worker, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    target = timezone.localdate() + datetime.timedelta(days=10)
    for i in range(rows):
        p = _petition(grid_b1, grid_worker, level="district", ledger_owner=department,
                      ledger_target=target, description=f"台账{i}")  # fmt: skip
        PetitionEvent.objects.create(petition=p, actor=grid_worker, action="ledger_progress",
                                     to_status="new", note=f"进展{i}")  # fmt: skip
    client = client_for(quweiban)
    url = reverse("petitions:district_ledger")
    client.get(url)
    # session, user, official (with its department), areas, current assignments (a department's
    # official may be sent down), unread notifications; departments' counts, the page of items
    # with their latest progress
    with django_assert_num_queries(8):
        response = client.get(url)
    assert f"进展{rows - 1}" in response.text


@ROWS
def test_the_party_office_home_query_count_is_the_same_for_one_petition_and_fifty(
    rows, client_for, quweiban, grid_b1, grid_worker, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    for i in range(rows):
        _petition(grid_b1, grid_worker, level="district", description=f"诉求{i}")
    client = client_for(quweiban)
    client.get(reverse("home"))
    # the page header (6: a department's official's assignments too); waiting counts; headline:
    # terms, visits, raised, the 5 steps in one query
    with django_assert_num_queries(11):
        response = client.get(reverse("home"))
    assert response.context["follow_through"]["waiting"]["district_open"] == rows


# --- 督办 grades on time limits -----------------------------------------------------------------


def test_the_clock_gives_a_yellow_then_a_red_card_once_each_and_tells_the_handler(
    cases, department_staff, grid_worker
):
    petition = cases["district"]
    now = timezone.now()
    Petition.objects.filter(pk=petition.pk).update(
        status="accepted", due_at=now - datetime.timedelta(hours=1)
    )
    assert raise_due_grades(now) == {"yellow": 1, "red": 0}
    assert raise_due_grades(now) == {"yellow": 0, "red": 0}  # idempotent
    petition.refresh_from_db()
    assert petition.supervision_grade == "yellow" and petition.supervised_at
    assert Notification.objects.filter(user=department_staff, kind="yellow_card").count() == 1
    later = now + datetime.timedelta(days=30)
    assert raise_due_grades(later) == {"yellow": 0, "red": 1}
    assert raise_due_grades(later) == {"yellow": 0, "red": 0}
    petition.refresh_from_db()
    assert petition.supervision_grade == "red"
    assert Notification.objects.filter(user=department_staff, kind="red_card").count() == 1
    events = list(petition.events.values_list("action", "public"))
    assert events == [("raise_grade", False), ("raise_grade", False)]


def test_the_red_card_waits_for_the_span_set_in_the_admin(cases):
    SupervisionRule.objects.create(red_after_days=20)
    now = timezone.now()
    Petition.objects.filter(pk=cases["local"].pk).update(
        status="accepted", due_at=now - datetime.timedelta(days=10)
    )
    assert raise_due_grades(now) == {"yellow": 1, "red": 0}


def test_the_clock_skips_resolved_closed_and_not_yet_due_petitions(cases):
    now = timezone.now()
    Petition.objects.filter(pk=cases["local"].pk).update(
        status="closed", due_at=now - datetime.timedelta(days=10)
    )
    Petition.objects.filter(pk=cases["ledger"].pk).update(
        status="resolved", due_at=now - datetime.timedelta(days=10)
    )
    Petition.objects.filter(pk=cases["district"].pk).update(
        status="accepted", due_at=now + datetime.timedelta(days=1)
    )
    assert raise_due_grades(now) == {"yellow": 0, "red": 0}


def test_the_command_raises_the_grades_and_says_how_many(cases, capsys):
    Petition.objects.filter(pk=cases["local"].pk).update(
        status="accepted", due_at=timezone.now() - datetime.timedelta(hours=2)
    )
    call_command("raise_supervision")
    assert "1 yellow card(s), 0 red card(s)." in capsys.readouterr().out


def test_the_command_can_hand_the_work_to_the_task_worker(db, capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("raise_supervision", "--enqueue")
    assert "Enqueued as task" in capsys.readouterr().out
    task = DBTaskResult.objects.get()
    assert task.task_path == "petitions.tasks.raise_supervision_grades"


def test_the_lists_show_the_card_and_filter_by_it(client_for, quweiban, cases):
    Petition.objects.filter(pk=cases["district"].pk).update(supervision_grade="red")
    response = client_for(quweiban).get(reverse("petitions:list"), {"grade": "red"})
    assert "雨水管网老化" in response.text and "楼道灯不亮" not in response.text
    assert "红牌" in response.text


# --- headline figures ---------------------------------------------------------------------------


def test_the_headline_counts_each_step_of_the_chain_in_the_period_and_links_to_it(
    client_for, quweiban, cases, grid_worker
):
    for action, key in [
        ("put_on_ledger", "ledger"),
        ("supervise", "district"),
        ("sign_off", "ledger"),
    ]:
        PetitionEvent.objects.create(petition=cases[key], actor=grid_worker, action=action,
                                     to_status="new")  # fmt: skip
    period = period_from({"period": "this_month"})
    figures = {f.key: f for f in headline(quweiban, period)}
    assert figures["raised"].value == 3
    assert (figures["collected"].value, figures["supervised"].value) == (1, 1)
    assert figures["signed_off"].value == 1
    response = client_for(quweiban).get(figures["supervised"].url)
    assert "雨水管网老化" in response.text and "小区停车难" not in response.text


def test_the_headline_counts_first_secretaries_and_the_places_they_cover(
    quweiban, department, community_a, grid_b1, cases
):
    from communities.models import Assignment as FirstSecretary

    cadre = f.make_official("cadre", department=department)
    start = timezone.localdate() - datetime.timedelta(days=400)
    FirstSecretary.objects.create(official=cadre.official, department=department,
                                  community=community_a, start_date=start)  # fmt: skip
    FirstSecretary.objects.create(official=cadre.official, department=department,
                                  grid=grid_b1, start_date=start,
                                  end_date=start + datetime.timedelta(days=10))  # fmt: skip
    figures = {f.key: f.value for f in headline(quweiban, period_from({"period": "this_month"}))}
    assert (figures["secretaries"], figures["secretary_communities"]) == (1, 1)
    assert figures["secretary_grids"] == 0  # that term ended before the period
