"""The district headline's "households visited by cadres": households visited (as author or
co-visitor) by officials holding an assignment (first secretary, sent-down cadre) to the visit's
place on the visit's day. A department's official without one is not a cadre at work there; one
household visited by three officials together is one household."""

import datetime

import pytest
from django.utils import timezone

from petitions.headline import headline
from petitions.models import Visit
from petitions.periods import period_from
from tests import factories as f
from tests.cadres.conftest import assign
from tests.cadres.test_assignments import visit_by


def _figures(user):
    period = period_from({"period": "this_month"})
    return {x.key: x.value for x in headline(user, period)}


def _visit(author, household, co_visitors=(), when=None):
    """A visit written straight to the table: the rows the headline reads, whoever made them."""
    visit = Visit.objects.create(
        household=household, grid=household.grid, author=author,
        visited_at=when or timezone.now(),
    )  # fmt: skip
    visit.co_visitors.set([u.official for u in co_visitors])
    return visit


def test_one_household_visited_by_three_officials_together_is_one_household(
    quweiban, secretary, grid_worker, street_a_staff, home_a1, casework_defaults
):
    visit_by(secretary, home_a1, co_visitors=[grid_worker, street_a_staff])
    visit_by(grid_worker, home_a1, co_visitors=[secretary])
    figures = _figures(quweiban)
    assert (figures["cadre_households"], figures["joint_households"]) == (1, 1)


def test_a_cadre_co_visitor_makes_it_a_cadres_visit(
    quweiban, grid_secretary, secretary, grid_worker, home_a1, home_a2, casework_defaults
):
    _visit(grid_worker, home_a1, co_visitors=[secretary])  # 郑海涛 serves all of 新村社区
    _visit(grid_worker, home_a2)  # no cadre went
    assert _figures(quweiban)["cadre_households"] == 1


def test_a_departments_official_without_an_assignment_is_not_a_cadre(
    quweiban, department_staff, grid_worker, home_a1, home_a2, casework_defaults
):
    _visit(department_staff, home_a1)
    _visit(grid_worker, home_a2, co_visitors=[department_staff])
    figures = _figures(quweiban)
    assert (figures["cadre_households"], figures["joint_households"]) == (0, 0)


def test_a_visit_outside_the_cadres_place_is_not_counted(
    quweiban, secretary, grid_secretary, grid_worker, home_a1, home_a2, home_b, casework_defaults
):
    _visit(secretary, home_b)  # 河西社区 is not 郑海涛's
    _visit(grid_worker, home_a1, co_visitors=[grid_secretary])  # 马超 serves grid 2, not grid 1
    assert _figures(quweiban)["cadre_households"] == 0
    _visit(grid_secretary, home_a2)  # in grid 2: his
    assert _figures(quweiban)["cadre_households"] == 1


@pytest.mark.parametrize("term", ["ended", "not begun"])
def test_a_visit_outside_the_cadres_term_is_not_counted(
    quweiban, inspection, grid_worker, home_a1, casework_defaults, term
):
    cadre = f.make_official("cadre", name="许文博", department=inspection)
    today = timezone.localdate()
    if term == "ended":
        assign(cadre, home_a1.grid.community, start=today - datetime.timedelta(days=400),
               end=today - datetime.timedelta(days=1))  # fmt: skip
    else:
        assign(cadre, home_a1.grid.community, start=today + datetime.timedelta(days=1))
    _visit(cadre, home_a1)
    _visit(grid_worker, home_a1, co_visitors=[cadre])
    assert _figures(quweiban)["cadre_households"] == 0


def test_the_last_day_of_a_term_still_counts(quweiban, inspection, home_a1, casework_defaults):
    cadre = f.make_official("cadre", name="许文博", department=inspection)
    today = timezone.localdate()
    assign(cadre, home_a1.grid.community, start=today - datetime.timedelta(days=30), end=today)
    _visit(cadre, home_a1)
    assert _figures(quweiban)["cadre_households"] == 1


def test_a_police_officer_sent_to_the_community_is_not_counted_among_the_cadres(
    quweiban, inspection, home_a1, casework_defaults
):
    police = f.make_official("police", name="赵刚", department=inspection)
    assign(police, home_a1.grid.community, kind="police")
    _visit(police, home_a1)
    assert _figures(quweiban)["cadre_households"] == 0


def test_each_figure_links_to_its_period(quweiban, casework_defaults):
    """A figure's link opens the list or page of the same period (it once carried a method's
    repr instead of the period, and the list fell back to all time)."""
    period = period_from({"period": "last_month"})
    linked = [x for x in headline(quweiban, period) if x.url]
    assert len(linked) >= 5
    wanted = f"period=last_month&start={period.start:%Y-%m-%d}&end={period.end:%Y-%m-%d}"
    for figure in linked:
        assert figure.url.endswith(wanted), (figure.key, figure.url)


def test_the_solved_figure_opens_the_list_of_the_same_petitions(
    client_for, quweiban, grid_worker, home_a1, casework_defaults
):
    """Followed as a browser would: the list behind "concerns solved" shows as many petitions as
    the figure says, not those solved in any other period."""
    from petitions.models import Category
    from petitions.services import transitions as t
    from petitions.services.intake import open_petition

    petition = open_petition(by=grid_worker, source="walk_in",
                             category=Category.objects.get(name="其他"), description="路灯不亮",
                             household=home_a1)  # fmt: skip
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="换了灯泡")
    this_month = period_from({"period": "this_month"})
    last_month = period_from({"period": "last_month"})
    solved = {x.key: x for x in headline(quweiban, this_month)}["solved"]
    assert solved.value == 1
    assert len(client_for(quweiban).get(solved.url).context["page"].object_list) == 1
    before = {x.key: x for x in headline(quweiban, last_month)}["solved"]
    assert before.value == 0
    assert len(client_for(quweiban).get(before.url).context["page"].object_list) == 0
