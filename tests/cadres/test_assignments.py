"""A cadre works in the places they are assigned to, from the assignment itself: while the term
runs they see its households and petitions, visit (as author or co-visitor), raise petitions and
follow them up; the day after it ends they see nothing of it, and their record stays."""

import datetime
import operator
from functools import reduce

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Assignment
from communities.scoping import get_scope, serving_levels_q, serving_q
from grids.models import Household
from petitions import figures_cache
from petitions.models import Category, Petition, ThreeTrustAnswer, Visit
from petitions.services import transitions as t
from petitions.services.intake import open_petition
from petitions.services.visits import VisitRecord, record_visit
from tests import factories as f
from tests.cadres.conftest import assign

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def visit_by(user, household, co_visitors=(), **trusts):
    return record_visit(
        VisitRecord(
            household=household, visited_at=timezone.now(), kind="routine",
            co_visitors=[u.official for u in co_visitors], three_trusts=trusts,
        ),
        by=user,
    )  # fmt: skip


def fresh(user):
    """The same user as a new request sees them (the scope is kept per request)."""
    return get_user_model().objects.get(pk=user.pk)


def test_first_secretary_sees_the_communitys_households_and_petitions(
    secretary, home_a1, home_a2, home_b, grid_worker, casework_defaults
):
    petition = open_petition(
        by=grid_worker, source="walk_in", category=Category.objects.get(name="其他"),
        description="路灯不亮", household=home_a1,
    )  # fmt: skip
    assert set(Household.objects.visible_to(secretary)) == {home_a1, home_a2}
    assert list(Petition.objects.visible_to(secretary)) == [petition]
    assert "新村社区" in get_scope(secretary).label


def test_grid_first_secretary_sees_only_their_grid(grid_secretary, home_a1, home_a2):
    assert list(Household.objects.visible_to(grid_secretary)) == [home_a2]


def test_cadre_records_a_visit_raises_a_petition_and_follows_it_up(
    secretary, home_a1, casework_defaults
):
    visit = visit_by(secretary, home_a1, knows=True, trusts=True, approves=None)
    petition = open_petition(
        by=secretary, source="visit", category=Category.objects.get(name="其他"),
        description="楼道灯坏了", household=home_a1, visit=visit,
    )  # fmt: skip
    assert visit.author == secretary and petition.created_by == secretary
    answer = ThreeTrustAnswer.objects.get(visit=visit)
    assert (answer.knows, answer.trusts, answer.approves) == (True, True, None)
    petition = t.accept(petition, by=secretary)
    petition = t.resolve(petition, by=secretary, what_was_done="已更换灯泡")
    petition = t.follow_up(petition, by=secretary, satisfaction="satisfied", knows=False)
    assert petition.status == "followed_up"
    assert ThreeTrustAnswer.objects.get(petition=petition).knows is False


def test_a_follow_up_without_the_questions_records_no_answer(secretary, home_a1, casework_defaults):
    petition = open_petition(
        by=secretary, source="walk_in", category=Category.objects.get(name="其他"),
        description="楼道灯坏了", household=home_a1,
    )  # fmt: skip
    petition = t.resolve(t.accept(petition, by=secretary), by=secretary, what_was_done="修好了")
    t.follow_up(petition, by=secretary, satisfaction="satisfied")
    assert not ThreeTrustAnswer.objects.exists()


def test_when_the_term_ended_yesterday_access_ends_and_the_record_stays(
    client_for, secretary, home_a1, casework_defaults
):
    visit = visit_by(secretary, home_a1)
    client = client_for(secretary)
    assert client.get(reverse("grids:household", args=[home_a1.pk])).status_code == 200
    Assignment.objects.filter(official=secretary.official).update(
        start_date=YESTERDAY - datetime.timedelta(days=30), end_date=YESTERDAY
    )
    assert client.get(reverse("grids:household", args=[home_a1.pk])).status_code == 404
    assert client.get(reverse("petitions:visit_detail", args=[visit.pk])).status_code == 404
    assert not Household.objects.visible_to(fresh(secretary)).exists()
    assert Visit.objects.filter(author=secretary).count() == 1  # the record stays
    assert Assignment.objects.filter(official=secretary.official).exists()


def test_a_term_not_yet_begun_gives_no_access(inspection, community_a, home_a1):
    user = f.make_official("next_year", department=inspection)
    assign(user, community_a, start=timezone.localdate() + datetime.timedelta(days=1))
    assert not Household.objects.visible_to(user).exists()


def test_only_the_sending_departments_own_officials_are_assigned(inspection, community_a):
    stranger = f.make_official("stranger", areas=[])
    assignment = Assignment(
        official=stranger.official, department=inspection, community=community_a,
        start_date=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        assignment.full_clean()


def test_the_figures_cache_key_changes_when_the_term_ends(secretary, settings, monkeypatch):
    settings.FIGURES_CACHE_SECONDS = 300
    keys = []
    monkeypatch.setattr(figures_cache.shared_cache, "get", lambda key: keys.append(key))
    monkeypatch.setattr(figures_cache.shared_cache, "set", lambda *a: None)
    figures_cache.cached_for_areas(fresh(secretary), "board", (), lambda: 1)
    Assignment.objects.filter(official=secretary.official).update(
        start_date=YESTERDAY - datetime.timedelta(days=30), end_date=YESTERDAY
    )
    figures_cache.cached_for_areas(fresh(secretary), "board", (), lambda: 1)
    assert keys[0] != keys[1]


def test_who_serves_a_place_includes_its_current_cadres_only(
    secretary, grid_secretary, secretary_b, grid_a1, grid_a2
):
    User = get_user_model()
    assert secretary in User.objects.filter(serving_q(grid_a1, "community"))
    assert grid_secretary in User.objects.filter(serving_q(grid_a2, "grid"))
    assert grid_secretary not in User.objects.filter(serving_q(grid_a1, "grid"))
    assert secretary_b not in User.objects.filter(serving_q(grid_a1, "community"))
    Assignment.objects.filter(official=secretary.official).update(end_date=YESTERDAY)
    assert secretary not in User.objects.filter(serving_q(grid_a1, "community"))


def test_street_staff_and_cadres_can_be_co_visitors_other_streets_cannot(
    grid_worker, street_a_staff, secretary, street_b_staff, secretary_b, home_a1
):
    visit = visit_by(grid_worker, home_a1, co_visitors=[street_a_staff, secretary])
    assert set(visit.co_visitors.all()) == {street_a_staff.official, secretary.official}
    for outsider in (street_b_staff, secretary_b):
        with pytest.raises(PermissionDenied):
            visit_by(grid_worker, home_a1, co_visitors=[outsider])


def test_a_joint_visit_is_one_household_visited_and_one_visit_credited_to_each(
    client_for, organizer, grid_worker, street_a_staff, secretary, home_a1
):
    visit_by(secretary, home_a1, co_visitors=[grid_worker, street_a_staff])
    page = client_for(organizer).get(reverse("petitions:coverage")).context
    per_official = {row["author__official__name"]: row["n"] for row in page["per_official"]}
    assert per_official == {"郑海涛": 1, "寇莹莹": 1, "李强": 1}
    assert page["rows"][0].visited == 1 and page["rows"][0].visits == 1


# --- the co-visitor choices, as you type -------------------------------------------------------


def test_co_visitor_choices_list_who_serves_the_households_place(
    client_for, grid_worker, street_a_staff, community_staff, secretary, street_b_staff, home_a1
):
    response = client_for(grid_worker).get(
        reverse("petitions:co_visitor_choices"), {"household": home_a1.pk}
    )
    labels = [o["label"] for o in response.json()["officials"]]
    assert {"李强", "柴松杰", "郑海涛 · 第一书记"} <= set(labels)
    assert not any(label.startswith(("赵敏", "寇莹莹")) for label in labels)


@pytest.mark.parametrize("user", ["street_b_staff", "department_staff", "outsider"])
def test_co_visitor_choices_of_a_household_out_of_scope_are_404(request, client_for, user, home_a1):
    response = client_for(request.getfixturevalue(user)).get(
        reverse("petitions:co_visitor_choices"), {"household": home_a1.pk}
    )
    assert response.status_code == 404


def test_co_visitor_choices_refuse_a_bad_household(client_for, grid_worker):
    response = client_for(grid_worker).get(
        reverse("petitions:co_visitor_choices"), {"household": "abc"}
    )
    assert response.status_code == 400


def test_visit_form_records_co_visitors_and_three_trusts(
    client_for, secretary, street_a_staff, grid_worker, home_a1, casework_defaults
):
    client = client_for(secretary)
    page = client.get(reverse("petitions:visit_create"), {"household": home_a1.pk})
    assert "李强" in page.text and "寇莹莹" in page.text
    response = client.post(
        reverse("petitions:visit_create"),
        {
            "household": home_a1.pk, "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "routine", "co_visitors": [street_a_staff.official.pk, grid_worker.official.pk],
            "knows": "yes", "trusts": "no", "approves": "",
            "concern-TOTAL_FORMS": "0", "concern-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302
    visit = Visit.objects.get(author=secretary)
    assert set(visit.co_visitors.all()) == {street_a_staff.official, grid_worker.official}
    answer = visit.three_trusts
    assert (answer.knows, answer.trusts, answer.approves) == (True, False, None)


def test_visit_form_refuses_a_co_visitor_from_another_street(
    client_for, grid_worker, street_b_staff, home_a1, casework_defaults
):
    response = client_for(grid_worker).post(
        reverse("petitions:visit_create"),
        {
            "household": home_a1.pk, "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "kind": "routine", "co_visitors": [street_b_staff.official.pk],
            "concern-TOTAL_FORMS": "0", "concern-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200 and not Visit.objects.exists()


@pytest.mark.parametrize(
    "levels",
    [
        ("grid",),
        ("community",),
        ("street", "district"),
        ("grid", "community", "street", "district"),
        (),
    ],
)
def test_who_serves_a_place_at_several_levels_is_who_serves_it_at_each(
    levels, secretary, grid_secretary, secretary_b, street_a_staff, organizer, grid_a1, grid_a2
):
    User = get_user_model()
    for grid in (grid_a1, grid_a2):
        # each level's area on its own, through serving_q's path for an area (scopes joined)
        areas = {
            "grid": grid,
            "community": grid.community,
            "street": grid.community.street,
            "district": grid.community.street.district,
        }
        each = set(
            User.objects.filter(
                reduce(operator.or_, (serving_q(areas[level]) for level in levels), Q(pk__in=[]))
            ).distinct()
        )
        together = list(User.objects.filter(serving_levels_q(grid, levels)))
        assert sorted(u.pk for u in together) == sorted(u.pk for u in each)  # and none twice
    # the community's cadre serves grid_a1's community, and no grid
    assert (secretary in User.objects.filter(serving_levels_q(grid_a1, levels))) == (
        "community" in levels
    )
