"""The three zeros are computed from the incidents: per community and month, per street, on the
dashboard and on the ranking."""

import datetime

from django.utils import timezone

from petitions import dashboard
from petitions.periods import Period
from safety import zeros
from tests import factories as f

from .conftest import make_incident

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


def test_an_accident_breaks_zero_accidents_for_its_community_and_month_only(
    organizer, community_a, community_b
):
    make_incident(community_a, organizer, occurred_on=datetime.date(2026, 10, 14))
    streets, rows = zeros.zeros_by_area(organizer, *OCTOBER)
    by_name = {row.name: row for _street, row in rows}
    assert by_name["新村社区"].broken == {"accident": 1} and not by_name["新村社区"].holds_all
    assert by_name["河西社区"].holds_all
    assert {s.name: s.holds_all for s in streets} == {"北大街街道": False, "文峰街道": True}
    _streets, september = zeros.zeros_by_area(organizer, datetime.date(2026, 9, 1),
                                              datetime.date(2026, 9, 30))  # fmt: skip
    assert all(row.holds_all for _s, row in september)


def test_a_street_holds_all_three_only_when_every_community_does(organizer, street_a, community_a):
    other = f.make_community(street_a, name="八西社区")
    make_incident(other, organizer, goal="case", kind="theft",
                  occurred_on=datetime.date(2026, 10, 2))  # fmt: skip
    streets, _rows = zeros.zeros_by_area(organizer, *OCTOBER)
    street = next(s for s in streets if s.pk == street_a.pk)
    assert street.broken == {"case": 1} and (street.holding, street.communities) == (1, 2)


def test_each_official_sees_the_zeros_of_their_own_areas(
    street_a_staff, community_staff, organizer, community_a, community_b
):
    make_incident(community_b, organizer, occurred_on=datetime.date(2026, 10, 3))
    for user in (street_a_staff, community_staff):
        _streets, rows = zeros.zeros_by_area(user, *OCTOBER)
        assert [row.name for _s, row in rows] == ["新村社区"] and rows[0][1].holds_all
    assert zeros.summary(organizer, *OCTOBER)["holding"] == 1


def test_the_ranking_marks_an_area_that_broke_a_zero(
    street_a_staff, organizer, community_a, grid_a1
):
    make_incident(community_a, organizer, occurred_on=datetime.date(2026, 10, 3))
    rows = dashboard.ranking(street_a_staff, Period("custom", *OCTOBER))
    [row] = rows
    assert row.marks[0]["ok"] is False and "零事故" in str(row.marks[0]["label"])
    rows = dashboard.ranking(street_a_staff, Period("custom", datetime.date(2026, 9, 1),
                                                    datetime.date(2026, 9, 30)))  # fmt: skip
    assert rows[0].marks[0]["ok"] is True


def test_an_area_that_broke_a_zero_is_passed_over_for_the_red_list(
    monkeypatch, organizer, street_a_staff, street_a, community_a, grid_worker, casework_defaults
):
    """一票否决: with one place on each list, the best community broke 零事故, so the second
    best is on the red list; the ranks are unchanged."""
    from tests.petitions.test_dashboard import at, followed_up, petition

    monkeypatch.setattr(dashboard.rankings, "RED_BLACK_SIZE", 1)
    communities = [community_a, *(f.make_community(street_a) for _ in range(2))]
    for community, satisfaction in zip(communities, ["satisfied", "basically", "not"],
                                       strict=True):  # fmt: skip
        p = petition(f.make_grid(community), grid_worker, created=at(2))
        followed_up(p, grid_worker, at(20), satisfaction)
    make_incident(community_a, organizer, occurred_on=datetime.date(2026, 10, 3))
    rows = dashboard.ranking(street_a_staff, Period("custom", *OCTOBER))
    assert [(r.pk, r.rank, r.highlight) for r in rows] == [
        (communities[0].pk, 1, ""), (communities[1].pk, 2, "red"), (communities[2].pk, 3, "black"),
    ]  # fmt: skip


def test_the_dashboard_shows_the_three_zeros_computed(
    client_for, street_a_staff, organizer, community_a, casework_defaults
):
    client = client_for(street_a_staff)
    page = client.get("/").text
    assert "达标社区" in page and "1 / 1" in page
    make_incident(community_a, organizer, occurred_on=timezone.localdate())
    page = client.get("/").text
    assert "0 / 1" in page and "未达标：" in page
