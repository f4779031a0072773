"""The dashboard's figures computed by hand on a small fixed data set, scoped, with period
boundaries in Asia/Shanghai time; the query count does not depend on the number of communities."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from petitions.dashboard import figures
from petitions.models import Petition, PetitionEvent, RateWeights
from petitions.periods import Period
from tests import factories as f

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
OCTOBER = Period("custom", datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
NOW = datetime.datetime(2026, 11, 5, 12, 0, tzinfo=SHANGHAI)


def at(day, hour=10, month=10):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def petition(grid, author, *, created, level="compound", status="new", **fields):
    return f.make_petition(
        grid,
        by=author,
        created=created,
        category="其他",
        source="walk_in",
        description="测试",
        level=level,
        status=status,
        **fields,
    )


def followed_up(p, author, when, satisfaction, responded_in_time=True):
    Petition.objects.filter(pk=p.pk).update(
        satisfaction=satisfaction,
        accepted_at=when - datetime.timedelta(days=3),
        respond_by=when - datetime.timedelta(days=2),
        responded_at=when - datetime.timedelta(days=3 if responded_in_time else 1),
    )
    event = PetitionEvent.objects.create(
        petition=p, actor=author, action="follow_up", to_status="followed_up"
    )
    PetitionEvent.objects.filter(pk=event.pk).update(at=when)


@pytest.fixture
def data(grid_a1, grid_b1, grid_worker, casework_defaults):
    homes = [f.make_household(grid_a1) for _ in range(4)]
    f.make_household(grid_b1)  # another street: never counted
    for home, day in ((homes[0], 2), (homes[0], 20), (homes[1], 31)):
        f.make_visit(home, by=grid_worker, at=at(day, 23))
    f.make_visit(homes[2], by=grid_worker, at=at(1, 0, month=11), kind="care")
    # Petitions of street A: 3 received in October (one on the 31st at 23:00 Shanghai time).
    a = petition(
        grid_a1, grid_worker, created=at(3), status="closed", closed_at=at(25), level="compound"
    )
    b = petition(
        grid_a1, grid_worker, created=at(10), status="closed", closed_at=at(26), level="community"
    )
    c = petition(
        grid_a1, grid_worker, created=at(31, 23), status="in_progress", due_at=at(1, month=11)
    )
    petition(grid_a1, grid_worker, created=at(20, month=9), status="accepted", supervised_at=at(2))
    petition(grid_b1, grid_worker, created=at(5), status="new")  # street B
    followed_up(a, grid_worker, at(24), "satisfied")
    followed_up(b, grid_worker, at(25), "basically", responded_in_time=False)
    followed_up(c, grid_worker, at(28), "not")
    return {"a": a, "b": b, "c": c}


def test_every_figure_by_hand(street_a_staff, data, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    result = figures(street_a_staff, OCTOBER, now=NOW)
    assert (result.visits, result.households_visited, result.households) == (3, 2, 4)
    assert result.coverage == pytest.approx(0.5)
    assert (result.received, result.open, result.overdue, result.supervised) == (3, 2, 1, 1)
    assert result.closed == 2
    assert result.level_share("compound") == pytest.approx(0.5)
    assert result.level_share("community") == pytest.approx(0.5)
    assert result.level_share("street") == 0
    rates = result.rates
    assert rates.followed_up == 3
    assert rates.response == pytest.approx(2 / 3)
    assert rates.resolution == pytest.approx(2 / 3)
    assert rates.satisfaction == pytest.approx((1 + 0.9) / 3)
    assert rates.composite == pytest.approx(0.1 * 2 / 3 + 0.5 * 2 / 3 + 0.4 * 1.9 / 3)


def stepped(p, actor, action, when):
    event = PetitionEvent.objects.create(petition=p, actor=actor, action=action, to_status="new")
    PetitionEvent.objects.filter(pk=event.pk).update(at=when)


def test_returned_and_reopened_count_petitions_once_within_the_period(
    street_a_staff, street_b_staff, grid_b1, grid_worker, data
):
    """The return and reopen rates count petitions, not events: a petition returned twice in
    October is one; a return in November, or in another street, is none of October's."""
    stepped(data["a"], grid_worker, "return", at(5))
    stepped(data["a"], grid_worker, "return", at(6))
    stepped(data["b"], grid_worker, "return", at(2, month=11))
    stepped(data["c"], grid_worker, "reopen", at(29))
    stepped(data["c"], grid_worker, "reopen", at(30))
    other = petition(grid_b1, grid_worker, created=at(5))
    stepped(other, grid_worker, "return", at(7))
    result = figures(street_a_staff, OCTOBER, now=NOW)
    assert (result.returned, result.reopened) == (1, 1)
    assert result.return_rate == pytest.approx(1 / 3)
    assert result.reopen_rate == pytest.approx(1 / 3)
    assert figures(street_b_staff, OCTOBER, now=NOW).returned == 1


def test_weights_edited_in_the_admin_change_the_composite(street_a_staff, data):
    RateWeights.objects.create(response=0.3, resolution=0.35, satisfaction=0.35)
    rates = figures(street_a_staff, OCTOBER, now=NOW).rates
    assert rates.composite == pytest.approx(0.3 * 2 / 3 + 0.35 * 2 / 3 + 0.35 * 1.9 / 3)


def test_another_street_counts_nothing_of_this_one(street_b_staff, data):
    result = figures(street_b_staff, OCTOBER, now=NOW)
    assert (result.visits, result.households, result.received, result.rates.followed_up) == (
        0,
        1,
        1,
        0,
    )
    assert result.rates.composite is None


def test_dashboard_query_count_is_the_same_for_one_community_and_twenty(
    client_for,
    street_a_staff,
    street_a,
    grid_a1,
    grid_worker,
    django_assert_num_queries,
    casework_defaults,
):
    client = client_for(street_a_staff)
    petition(grid_a1, grid_worker, created=timezone.now())
    client.get("/")  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications); the figures:
    # visits, households (of the communities; by the day of their latest visit), petitions per
    # day (received ... closed by level), open per due day,
    # overdue today, returned and reopened (one pass over the events), weights, followed up;
    # weekly visits, petitions per day
    # (received and closed); categories; units, buildings, 5+3 holders, branches;
    # the ranking: communities, their follow-ups grouped, weights, the three zeros broken;
    # overdue care visits: the households due (counted; their key groups are not needed);
    # rates by month: weights, follow-ups grouped by month; the three zeros' panel
    # (safety.panels): incidents grouped, communities; the 三双 answers
    # (one aggregate); meetings: 议事日 held and planned, topics decided; activities: by kind,
    # findings raised and rectified
    with django_assert_num_queries(35):
        client.get("/")
    for _ in range(19):
        grid = f.make_grid(f.make_community(street_a))
        f.make_household(grid)
        petition(grid, grid_worker, created=timezone.now())
    with django_assert_num_queries(35):
        response = client.get("/")
    assert 'id="overdue-figure"' in response.text


def test_ranking_orders_by_composite_and_marks_red_and_black_lists(
    street_a_staff, street_a, grid_worker, casework_defaults
):
    from petitions.dashboard import ranking

    scores = {}
    for n in range(12):
        community = f.make_community(street_a, name=f"社区{n:02d}")
        grid = f.make_grid(community)
        for k in range(n % 4 + 1):  # more satisfied follow-ups for some communities
            p = petition(grid, grid_worker, created=at(2))
            followed_up(p, grid_worker, at(20), "satisfied" if k < n % 3 + 1 else "not")
        scores[community.name] = n
    rows = ranking(street_a_staff, OCTOBER)
    scored = [r.rates.composite for r in rows if r.rates.composite is not None]
    assert scored == sorted(scored, reverse=True)
    assert rows[-1].name == "新村社区" and rows[-1].rates.composite is None  # no follow-up: last
    assert [r.highlight for r in rows].count("red") == 5
    assert [r.highlight for r in rows].count("black") == 5
    assert rows[0].rank == 1 and rows[0].highlight == "red"


def test_a_published_ranking_does_not_change_afterwards(
    client_for, organizer, street_a, grid_a1, grid_worker, casework_defaults
):
    from django.urls import reverse

    from petitions.models import RankingSnapshot

    p = petition(grid_a1, grid_worker, created=at(2))
    followed_up(p, grid_worker, at(20), "satisfied")
    client = client_for(organizer)
    page = client.get(reverse("petitions:rankings"), {"month": "2026-10"})
    assert "北大街街道" in page.text and "100.0%" in page.text
    client.post(reverse("petitions:publish_ranking"), {"month": "2026-10"})
    snapshot = RankingSnapshot.objects.get()
    assert (snapshot.month.isoformat(), snapshot.parent) == ("2026-10-01", "district")
    # A later follow-up in October would change a live ranking; the published one stays.
    q = petition(grid_a1, grid_worker, created=at(3))
    followed_up(q, grid_worker, at(21), "not")
    page = client.get(reverse("petitions:rankings"), {"month": "2026-10"})
    assert "100.0%" in page.text and "已发布" in page.text
    again = client.post(reverse("petitions:publish_ranking"), {"month": "2026-10"}, follow=True)
    assert "已经发布" in again.text and RankingSnapshot.objects.count() == 1


def test_only_organizers_publish_rankings(client_for, street_a_staff, community_a):
    from django.urls import reverse

    response = client_for(street_a_staff).post(
        reverse("petitions:publish_ranking"), {"month": "2026-10"}
    )
    assert response.status_code == 403


def test_ranking_export_and_weekly_report(
    client_for, street_a_staff, community_a, grid_a1, grid_worker, casework_defaults
):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    client = client_for(street_a_staff)
    export = client.get(reverse("petitions:rankings"), {"month": "2026-10", "format": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[3][1] == "新村社区"
    overdue = petition(grid_a1, grid_worker, created=timezone.now(), status="accepted",
                       due_at=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    report = client.get(reverse("petitions:weekly_report"))
    assert report.status_code == 200 and "周报" in report.text
    assert overdue.category.name in report.text


def test_department_staff_see_the_dashboard_of_what_is_dispatched_to_them(
    client_for, department_staff, department, grid_a1, grid_worker, casework_defaults
):
    p = petition(
        grid_a1, grid_worker, created=timezone.now(), level="district", department=department
    )
    petition(grid_a1, grid_worker, created=timezone.now())  # not dispatched
    response = client_for(department_staff).get("/")
    assert 'id="overdue-figure"' in response.text
    assert p.tracking_code  # the figures count only the dispatched petition
    from petitions.dashboard import figures
    from petitions.periods import period_from

    assert figures(department_staff, period_from({})).received == 1


def test_rates_by_month_follow_the_follow_up_month(street_a_staff, data):
    from petitions.dashboard import monthly_rates

    months, rates = monthly_rates(street_a_staff, months=3, now=NOW)
    assert months == ["2026-09", "2026-10", "2026-11"]
    assert [r.followed_up for r in rates] == [0, 3, 0]
    assert rates[1].satisfaction == pytest.approx(1.9 / 3)


def test_dashboard_figures_are_kept_for_the_areas_served_and_say_when(
    settings, client_for, street_a_staff, street_b_staff, grid_a1, grid_b1, grid_worker,
    casework_defaults, django_assert_num_queries,
):  # fmt: skip
    settings.FIGURES_CACHE_SECONDS = 300
    petition(grid_a1, grid_worker, created=timezone.now())
    client = client_for(street_a_staff)
    first = client.get("/")
    assert "统计于" in first.text
    assert first.context["figures"].received == 1
    # Within the five minutes the figures come from the cache: only the page header's queries.
    petition(grid_a1, grid_worker, created=timezone.now())
    with django_assert_num_queries(5):
        again = client.get("/")
    assert again.context["figures"].received == 1
    # Another street never gets street A's figures: its key is its own areas.
    other = client_for(street_b_staff).get("/")
    assert other.context["figures"].received == 0
    # Another period is computed apart.
    client = client_for(street_a_staff)  # client_for signs the one test client in
    assert client.get("/", {"period": "this_year"}).context["figures"].received == 2


def test_an_official_of_the_same_street_shares_the_figures(
    settings, client_for, street_a, street_a_staff, grid_a1, grid_worker, casework_defaults
):
    settings.FIGURES_CACHE_SECONDS = 300
    colleague = f.make_official("street_a_colleague", areas=[street_a])
    petition(grid_a1, grid_worker, created=timezone.now())
    client_for(street_a_staff).get("/")
    petition(grid_a1, grid_worker, created=timezone.now())
    assert client_for(colleague).get("/").context["figures"].received == 1
