"""The unit page, the district page of first secretaries and cadres (and its Excel), and the 三双
rates: who may open them, what they count, and a fixed number of queries for 1 or 50 rows."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity
from cadres import views as cadres_views
from communities.models import Assignment, AuditEvent
from petitions import figures_cache
from petitions.models import Category, Petition, ThreeTrustAnswer, Visit
from petitions.services import transitions as t
from petitions.services.intake import open_petition
from tests import factories as f
from tests.cadres.conftest import assign
from tests.cadres.test_assignments import visit_by

ROWS = pytest.mark.parametrize("rows", [1, 50])


@pytest.fixture
def joint_work(secretary, grid_worker, street_a_staff, home_a1, casework_defaults):
    """郑海涛 visits 陈华 with the street's 李强 and the grid's 寇莹莹, and raises a concern that
    the community solves."""
    visit = visit_by(
        secretary, home_a1, co_visitors=[grid_worker, street_a_staff], knows=True, trusts=False
    )
    petition = open_petition(
        by=secretary, source="visit", category=Category.objects.get(name="其他"),
        description="楼道灯坏了", household=home_a1, visit=visit,
    )  # fmt: skip
    petition = t.resolve(t.accept(petition, by=secretary), by=secretary, what_was_done="已更换")
    t.follow_up(petition, by=secretary, satisfaction="satisfied")
    return visit


# --- who may open what --------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["organizer", "secretary"])
def test_the_unit_page_opens_for_organizers_and_the_units_own(
    request, client_for, user, inspection
):
    response = client_for(request.getfixturevalue(user)).get(
        reverse("cadres:unit", args=[inspection.pk])
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "user", ["street_a_staff", "community_staff", "grid_worker", "department_staff", "outsider"]
)
def test_the_unit_page_is_404_for_everyone_else(request, client_for, user, secretary, inspection):
    response = client_for(request.getfixturevalue(user)).get(
        reverse("cadres:unit", args=[inspection.pk])
    )
    assert response.status_code == 404


def test_the_unit_page_counts_the_joint_visit_and_the_concern(
    client_for, organizer, inspection, joint_work
):
    page = client_for(organizer).get(reverse("cadres:unit", args=[inspection.pk])).context
    credit = page["credit"]
    assert (len(page["unit"].cadres), credit.visits, credit.households_visited) == (1, 1, 1)
    assert (credit.raised, credit.solved, credit.solved_at["compound"]) == (1, 1, 1)
    assert credit.satisfaction["satisfied"] == 1
    assert (credit.rates.knows.percent, credit.rates.trusts.percent) == (100.0, 0.0)


def test_each_co_visitor_is_credited_on_the_district_page(
    client_for, organizer, department, grid_secretary, secretary, home_a2, casework_defaults
):
    # 马超 (住建局) visits with 郑海涛 (巡察办): one visit each, one household each.
    visit_by(grid_secretary, home_a2, co_visitors=[secretary])
    page = client_for(organizer).get(reverse("cadres:list")).context
    credits = {row.official.name: row.credit.visits for row in page["page"]}
    assert credits == {"马超": 1, "郑海涛": 1}
    assert {u.department.name: u.credit.visits for u in page["units"]} == {"住建局": 1, "巡察办": 1}
    assert page["total"].households_visited == 1


@pytest.mark.parametrize(
    ("user", "names"),
    [
        ("organizer", {"郑海涛", "周建国"}),
        ("street_a_staff", {"郑海涛"}),
        ("community_staff", {"郑海涛"}),
        ("grid_worker", set()),
        ("secretary", {"郑海涛"}),
        ("department_staff", set()),
        ("outsider", set()),
    ],
)
def test_the_district_page_lists_the_cadres_each_may_see(
    request, client_for, user, names, secretary, secretary_b
):
    page = client_for(request.getfixturevalue(user)).get(reverse("cadres:list"))
    assert page.status_code == 200
    assert {row.official.name for row in page.context["page"]} == names


@pytest.mark.parametrize(("user", "linked"), [("organizer", True), ("secretary", True),
                                             ("community_staff", False)])  # fmt: skip
def test_the_district_page_links_a_unit_only_for_those_who_may_open_it(
    request, client_for, user, linked, secretary, inspection
):
    """A street or community official sees the unit's figures but its page is not theirs: the
    name is not a link to a 404."""
    page = client_for(request.getfixturevalue(user)).get(reverse("cadres:list"))
    assert inspection.name in page.text
    assert (reverse("cadres:unit", args=[inspection.pk]) in page.text) is linked


def test_a_cadre_whose_term_ended_before_the_period_is_not_listed(client_for, organizer, secretary):
    Assignment.objects.update(start_date="2020-01-01", end_date="2020-12-31")
    page = client_for(organizer).get(reverse("cadres:list"))
    assert list(page.context["page"]) == []
    assert page.context["cadre_count"] == 0


@pytest.mark.parametrize("by", ["person", "unit"])
def test_the_district_page_exports_to_excel_audited(client_for, organizer, joint_work, by):
    response = client_for(organizer).get(reverse("cadres:export"), {"by": by})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row)
    assert "巡察办" in text and ("郑海涛" in text) == (by == "person")
    assert AuditEvent.objects.filter(kind="export", user=organizer).count() == 1
    # a work unit (单位), not a building's stairwell unit (单元)
    headers = [row for row in book.active.iter_rows(values_only=True) if "单位" in row]
    assert headers and "单元" not in text


def test_the_three_trust_page_keeps_its_rates_in_the_shared_cache(
    settings, client_for, community_staff, joint_work, django_assert_num_queries
):
    settings.FIGURES_CACHE_SECONDS = 300
    client = client_for(community_staff)
    client.get(reverse("cadres:three_trusts"))
    # session, user, official, areas; unread notifications (the rates are kept as rendered)
    with django_assert_num_queries(5):
        response = client.get(reverse("cadres:three_trusts"))
    assert '<th scope="row">新村社区</th>' in response.text and "统计于" in response.text


def test_a_cadres_figures_are_kept_and_their_visits_read_on_each_load(
    settings, client_for, organizer, secretary, grid_secretary, home_a2, joint_work,
    django_assert_num_queries,
):  # fmt: skip
    settings.FIGURES_CACHE_SECONDS = 300
    client = client_for(organizer)
    url = reverse("cadres:cadre", args=[secretary.official.pk])
    client.get(url)
    visit_by(grid_secretary, home_a2, co_visitors=[secretary])
    # session, user, official, areas; unread notifications; the cadre; their posts; the newest
    # credited visits' ids; those visits (the figures are kept as rendered)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert '<span class="stat__value" id="visits-credited">1</span>' in response.text
    assert len(response.context["visits"]) == 2  # the new visit is listed already
    assert "统计于" in response.text


def test_the_three_trust_page_shows_rates_per_area(client_for, community_staff, joint_work):
    page = client_for(community_staff).get(reverse("cadres:three_trusts")).context
    assert page["total"].knows.percent == 100.0 and page["total"].trusts.percent == 0.0
    by_level = dict(page["by_level"])
    assert [str(area) for area, _r in by_level["community"]] == ["新村社区"]


def test_another_streets_rates_are_not_seen(client_for, street_b_staff, joint_work):
    page = client_for(street_b_staff).get(reverse("cadres:three_trusts")).context
    assert page["total"].answers == 0
    assert all(rows == [] for _level, rows in page["by_level"])


def test_the_dashboard_shows_the_three_trust_card(client_for, community_staff, joint_work):
    response = client_for(community_staff).get("/")
    assert 'id="three-trust-card"' in response.text
    knows, trusts, approves = (r for r, _label in response.context["three_trust_cards"])
    assert (knows.asked, trusts.yes, approves.asked) == (1, 0, 0)


def test_the_headline_compares_with_the_page(client_for, organizer, secretary, grid_secretary):
    headline = client_for(organizer).get(reverse("cadres:list")).context["headline"]
    assert (headline["unit_heads"], headline["communities"], headline["grid_secretaries"]) == (
        1, 1, 1,
    )  # fmt: skip
    assert headline["smaller"] and headline["page"]["grid_secretaries"] == 539


def _activity(title, community, by, *, officials=(), partners=(), held_on=None):
    activity = Activity.objects.create(
        kind="volunteer", title=title, community=community, what_was_done="清理楼道",
        held_on=held_on or timezone.localdate(), created_by=by,
    )  # fmt: skip
    activity.officials.set([u.official for u in officials])
    activity.partners.set(partners)
    return activity


@pytest.fixture
def activities_joined(secretary, grid_secretary, organizer, inspection, department, community_a):
    """巡察办 joins three activities this month (one by 郑海涛 alone, one as a partner unit
    with 郑海涛 there too, one as a partner unit alone); last year's and 住建局's do not count
    for it."""
    _activity("志愿服务日", community_a, organizer, officials=[secretary])
    _activity("防汛演练", community_a, organizer, officials=[secretary], partners=[inspection])
    _activity("普法宣传", community_a, organizer, partners=[inspection])
    _activity("去年的活动", community_a, organizer, officials=[secretary], partners=[inspection],
              held_on=timezone.localdate() - datetime.timedelta(days=400))  # fmt: skip
    _activity("消防检查", community_a, organizer, officials=[grid_secretary],
              partners=[department])  # fmt: skip


def test_the_unit_page_counts_the_activities_joined_once_each(
    client_for, organizer, inspection, activities_joined
):
    response = client_for(organizer).get(reverse("cadres:unit", args=[inspection.pk]))
    assert response.context["credit"].activities_joined == 3
    assert '<span class="stat__value" id="activities-joined">3</span>' in response.text
    (cadre,) = response.context["unit"].cadres
    assert cadre.credit.activities_joined == 2


def test_a_unit_without_cadres_still_counts_the_activities_it_partnered(
    client_for, organizer, department, petitions_bureau, community_a
):
    _activity("普法宣传", community_a, organizer, partners=[petitions_bureau])
    page = client_for(organizer).get(reverse("cadres:unit", args=[petitions_bureau.pk])).context
    assert page["credit"].activities_joined == 1


def test_the_district_page_counts_activities_per_unit_and_person(
    client_for, organizer, activities_joined
):
    page = client_for(organizer).get(reverse("cadres:list")).context
    assert {u.department.name: u.credit.activities_joined for u in page["units"]} == {
        "巡察办": 3, "住建局": 1,
    }  # fmt: skip
    assert {c.official.name: c.credit.activities_joined for c in page["page"]} == {
        "郑海涛": 2, "马超": 1,
    }  # fmt: skip
    assert page["total"].activities_joined == 4


# --- query counts -------------------------------------------------------------------------------


def _cadres(n, department, grid, home):
    """`n` cadres of `department` assigned to `grid`, each with a visit and an answer."""
    users = [f.make_official(f"cadre{i}", name=f"干部{i}", department=department) for i in range(n)]
    for user in users:
        assign(user, grid, kind="sent_down")
    visits = Visit.objects.bulk_create(
        Visit(household=home, grid=grid, visited_at=timezone.now(), author=u) for u in users
    )
    ThreeTrustAnswer.objects.bulk_create(
        ThreeTrustAnswer(household=home, grid=grid, asked_by=u, visit=v, knows=True)
        for u, v in zip(users, visits, strict=True)
    )
    Petition.objects.bulk_create(
        Petition(source="visit", category=Category.objects.get(name="其他"), grid=grid,
                 household=home, description="诉求", created_by=u)
        for u in users
    )  # fmt: skip
    for u in users:
        _activity("志愿服务", grid.community, u, officials=[u], partners=[department])


@ROWS
def test_unit_page_query_count_does_not_grow_with_cadres(
    rows, client_for, organizer, department, grid_a1, home_a1, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    _cadres(rows, department, grid_a1, home_a1)
    client = client_for(organizer)
    client.get(reverse("cadres:unit", args=[department.pk]))
    # session, user, official, areas; unread notifications; the department; assignments with
    # official and place; visits authored; co-visits; petitions raised; 三双 answers;
    # activities joined by the cadres, then as a partner unit; sponsorships
    with django_assert_num_queries(14):
        response = client.get(reverse("cadres:unit", args=[department.pk]))
    assert f"干部{rows - 1}</a></th>" in response.text
    assert response.context["credit"].activities_joined == rows


@ROWS
def test_district_page_query_count_does_not_grow_with_cadres(
    rows, client_for, organizer, department, grid_a1, home_a1, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    _cadres(rows, department, grid_a1, home_a1)
    client = client_for(organizer)
    client.get(reverse("cadres:list"))
    # session, user, official, areas; unread notifications; assignments with official and
    # place; visits authored; co-visits; petitions raised; 三双 answers; activities joined by
    # the cadres, then as partner units; the headline counts
    with django_assert_num_queries(13):
        response = client.get(reverse("cadres:list"))
    assert f"干部{rows - 1}</a></th>" in response.text
    assert response.context["total"].activities_joined == rows


def _kept_once(settings, client, url, department, grid, home):
    """Three cadres' work, and `url` loaded once with the figures cache on: kept from now."""
    settings.FIGURES_CACHE_SECONDS = 300
    _cadres(3, department, grid, home)
    client.get(url)
    return client


def test_unit_page_keeps_what_its_cadres_did_in_the_shared_cache(
    settings, client_for, organizer, department, grid_a1, home_a1, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    url = reverse("cadres:unit", args=[department.pk])
    client = _kept_once(settings, client_for(organizer), url, department, grid_a1, home_a1)
    # session, user, official, areas; unread notifications; the department; sponsorships
    with django_assert_num_queries(7):
        response = client.get(url)
    assert '<span class="stat__value" id="visits-credited">3</span>' in response.text
    assert "干部2</a></th>" in response.text
    assert "统计于" in response.text
    # another period is another entry
    other = client.get(url, {"period": "custom", "start": "2001-01-01", "end": "2001-12-31"})
    assert '<span class="stat__value" id="visits-credited">0</span>' in other.text


def test_district_page_shows_people_fifty_a_page(
    client_for, organizer, department, grid_a1, home_a1, casework_defaults
):
    _cadres(51, department, grid_a1, home_a1)
    client = client_for(organizer)
    first = client.get(reverse("cadres:list"))
    assert first.context["cadre_count"] == 51
    assert len(first.context["page"]) == 50
    assert "page=2#cadres" in first.text
    second = client.get(reverse("cadres:list"), {"page": 2})
    assert len(second.context["page"]) == 1
    assert second.context["total"].visits == 51  # the figures are the whole district's
    assert client.get(reverse("cadres:list"), {"page": "二"}).status_code == 400


def test_district_page_keeps_its_figures_in_the_shared_cache(
    settings, client_for, organizer, department, grid_a1, home_a1, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    """Like the dashboard's: a district's year costs seconds of SQL; the page says when."""
    client = _kept_once(
        settings, client_for(organizer), reverse("cadres:list"), department, grid_a1, home_a1
    )
    # session, user, official, areas; unread notifications; the headline counts (the page of
    # people is kept as rendered)
    with django_assert_num_queries(6):
        response = client.get(reverse("cadres:list"))
    assert '3</span><span class="stat__label">走访次数（同行人员各计一次）' in response.text
    assert "统计于" in response.text
    assert "干部2</a></th>" in response.text


def test_a_kept_page_of_people_lives_no_longer_than_its_figures(
    settings, client_for, organizer, department, grid_a1, home_a1, casework_defaults, monkeypatch
):  # fmt: skip
    """Page 2 rendered 200 s after the figures were computed is kept for the 100 s they have
    left: a new cadre shows on every page once the figures are computed again."""
    settings.FIGURES_CACHE_SECONDS = 300
    _cadres(51, department, grid_a1, home_a1)
    client = client_for(organizer)
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    client.get(reverse("cadres:list"))  # the figures and page 1, computed now
    clock[0] += datetime.timedelta(seconds=200)
    kept = []
    monkeypatch.setattr(
        figures_cache.shared_cache, "set", lambda key, value, seconds: kept.append(seconds)
    )
    client.get(reverse("cadres:list"), {"page": 2})
    assert kept == [100]


def test_a_page_past_the_kept_ones_is_rendered_but_not_kept(
    settings, client_for, organizer, department, grid_a1, home_a1, casework_defaults, monkeypatch
):  # fmt: skip
    settings.FIGURES_CACHE_SECONDS = 300
    _cadres(1, department, grid_a1, home_a1)
    client = client_for(organizer)
    client.get(reverse("cadres:list"))
    kept = []
    monkeypatch.setattr(
        figures_cache.shared_cache, "set", lambda key, value, seconds: kept.append(key)
    )
    response = client.get(reverse("cadres:list"), {"page": cadres_views.KEPT_PAGES + 1})
    assert response.status_code == 200
    assert "干部0</a></th>" not in response.text  # past the last page: no one
    assert kept == []


@ROWS
def test_three_trust_page_query_count_does_not_grow_with_areas(
    rows, client_for, organizer, department, grid_a1, home_a1, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    _cadres(1, department, grid_a1, home_a1)
    for i in range(rows):
        grid = f.make_grid(grid_a1.community, number=10 + i, name=f"网格{i}")
        home = f.make_household(grid, room="101")
        ThreeTrustAnswer.objects.create(household=home, grid=grid, asked_by=organizer, knows=True)
    client = client_for(organizer)
    client.get(reverse("cadres:three_trusts"))
    # session, user, official, areas; unread notifications; the total; per street, community
    # and grid: the rates, then the areas
    with django_assert_num_queries(12):
        response = client.get(reverse("cadres:three_trusts"))
    assert f"网格{rows - 1}</th>" in response.text


# --- a cadre's page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("organizer", 200),
        ("secretary", 200),  # their own
        ("street_a_staff", 200),  # a cadre at work in their street
        ("community_staff", 200),
        ("grid_worker", 404),  # the community is not the grid's
        ("department_staff", 404),  # another unit's cadre, elsewhere
        ("street_b_staff", 404),
        ("outsider", 404),
    ],
)
def test_a_cadres_page_opens_for_those_who_see_the_assignment(
    request, client_for, user, status, secretary
):
    response = client_for(request.getfixturevalue(user)).get(
        reverse("cadres:cadre", args=[secretary.official.pk])
    )
    assert response.status_code == status


def test_an_official_who_was_never_assigned_has_no_cadre_page(
    client_for, organizer, department_staff
):
    response = client_for(organizer).get(
        reverse("cadres:cadre", args=[department_staff.official.pk])
    )
    assert response.status_code == 404


def test_a_cadres_page_counts_and_lists_the_visits_credited(
    client_for, organizer, secretary, grid_secretary, home_a1, home_a2, joint_work
):
    # 马超 visits 新村小区 with 郑海涛: credited to 郑海涛 as a co-visitor.
    visit_by(grid_secretary, home_a2, co_visitors=[secretary])
    response = client_for(organizer).get(reverse("cadres:cadre", args=[secretary.official.pk]))
    credit = response.context["credit"]
    assert (credit.visits, credit.households_visited, credit.raised, credit.solved) == (2, 2, 1, 1)
    assert [v.household for v in response.context["visits"]] == [home_a2, home_a1]
    assert [str(a.area) for a in response.context["assignments"]] == ["新村社区"]
    assert "安装公司家属院 6号楼 2单元 301" in response.text


def test_a_cadres_page_lists_only_the_visits_the_viewer_sees(
    client_for, street_b_staff, secretary_b, secretary, home_a1, home_b, casework_defaults
):
    """周建国 (河西社区) once co-visited in 新村社区: street B's staff see his page, its figures,
    but not the household of street A."""
    visit = Visit.objects.create(
        household=home_a1, grid=home_a1.grid, author=secretary, visited_at=timezone.now()
    )
    visit.co_visitors.set([secretary_b.official])
    visit_by(secretary_b, home_b)
    response = client_for(street_b_staff).get(
        reverse("cadres:cadre", args=[secretary_b.official.pk])
    )
    assert response.context["credit"].visits == 2
    assert [v.household for v in response.context["visits"]] == [home_b]
    assert "安装公司家属院" not in response.text


@ROWS
def test_cadre_page_query_count_does_not_grow_with_visits(
    rows, client_for, organizer, secretary, grid_a1, casework_defaults,
    django_assert_num_queries,
):  # fmt: skip
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    homes = [f.make_household(grid_a1, unit=unit, room=f"{i + 101}") for i in range(rows)]
    Visit.objects.bulk_create(
        Visit(household=h, grid=grid_a1, visited_at=timezone.now(), author=secretary) for h in homes
    )
    _activity("志愿服务", grid_a1.community, organizer, officials=[secretary])
    client = client_for(organizer)
    url = reverse("cadres:cadre", args=[secretary.official.pk])
    client.get(url)
    # session, user, official, areas; unread notifications; the cadre; their posts; visits
    # authored; co-visits; petitions raised; 三双 answers; activities joined; the newest
    # credited visits' ids (authored UNION co-visited); those visits with what rows show
    with django_assert_num_queries(14):
        response = client.get(url)
    assert f"6号楼 2单元 {rows + 100}</a>" in response.text
    assert response.context["credit"].households_visited == rows
