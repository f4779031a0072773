"""Every page runs a fixed number of SQL queries: the same for one row of what it lists and for
fifty. The pages tested elsewhere (grid, community, household, building, resident search,
petition list, dashboard, coverage, password) keep their tests next to their other tests.

Each test builds `rows` rows (bulk inserts where the services are not the point), warms up
once (the first request stamps the session), then pins the count of one request and checks
that the rows are on the page.
"""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Community, Grid, Official
from grids.models import Building, Household, Resident, Role, Tag
from petitions.models import (
    Category,
    Notification,
    Petition,
    PetitionEvent,
    PetitionPhoto,
    Visit,
    VisitPhoto,
)
from petitions.services.intake import open_petition
from petitions.services.visits import VisitRecord, record_visit
from tests import factories as f

ROWS = pytest.mark.parametrize("rows", [1, 50])


# --- builders ---------------------------------------------------------------------------------


@pytest.fixture
def elevator(casework_defaults):
    """A subcategory: its name on a page reads its parent too (物业管理 › 电梯)."""
    return Category.objects.create(
        parent=Category.objects.get(name="物业管理", parent=None), name="电梯"
    )


@pytest.fixture
def home(grid_a1):
    """安装公司家属院 6号楼 2单元 301, with 陈华 living there."""
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    unit = f.make_unit(f.make_building(compound, grid_a1, name="6号楼"), name="2单元")
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华", phone="13812345678")
    return household


def make_households(grid, n, *, unit=None):
    """`n` households in one unit (rooms 1001, 1002, …), in one bulk insert."""
    unit = unit or f.make_unit(f.make_building(f.make_compound(grid.community), grid))
    return Household.objects.bulk_create(
        Household(grid=grid, unit=unit, room=str(1001 + i)) for i in range(n)
    )


def make_residents(households, *, name="居民", **kw):
    """One resident per household, named 居民0, 居民1, … (each name its own)."""
    return Resident.objects.bulk_create(
        Resident(household=h, name=f"{name}{i}", gender="F", **kw) for i, h in enumerate(households)
    )


def make_petitions(n, *, grid, category, by, **kw):
    """`n` petitions in `grid` described 诉求0, 诉求1, …, in one bulk insert."""
    return Petition.objects.bulk_create(
        Petition(source="walk_in", category=category, grid=grid, description=f"诉求{i}",
                 created_by=by, **kw)
        for i in range(n)
    )  # fmt: skip


def make_visits(n, *, household, by, **kw):
    now = timezone.now()
    return Visit.objects.bulk_create(
        Visit(household=household, grid_id=household.grid_id, author=by, kind="routine",
              visited_at=now - datetime.timedelta(seconds=i + 1), notes=f"走访{i}", **kw)
        for i in range(n)
    )  # fmt: skip


def make_officials(n):
    """`n` officials named 干部0, 干部1, …"""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"official-{i}") for i in range(n)
    )
    return Official.objects.bulk_create(
        Official(user=u, name=f"干部{i}") for i, u in enumerate(users)
    )


def sheet(response):
    """The rows of a downloaded .xlsx, title block included."""
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def measured(client, url, django_assert_num_queries, expected, **params):
    client.get(url, params)  # warm up: the first request stamps the session
    with django_assert_num_queries(expected):
        return client.get(url, params)


# --- the map ----------------------------------------------------------------------------------


@ROWS
def test_area_list_query_count_is_the_same_for_one_community_and_fifty(
    rows, client_for, street_a_staff, street_a, django_assert_num_queries
):
    communities = Community.objects.bulk_create(
        Community(street=street_a, code=f"41100200580{i:02d}", name=f"社区{i}") for i in range(rows)
    )
    Grid.objects.bulk_create(Grid(community=c, number=1, name="第一网格") for c in communities)
    # the page header (session, user, official, areas, unread notifications);
    # communities with their street and grid count; grids outside them
    response = measured(
        client_for(street_a_staff), reverse("grids:area_list"), django_assert_num_queries, 7
    )
    assert f"社区{rows - 1}</a>" in response.text


@ROWS
def test_area_list_query_count_is_the_same_for_one_grid_and_fifty(
    rows, client_for, community_a, django_assert_num_queries
):
    grids = Grid.objects.bulk_create(
        Grid(community=community_a, number=i + 1, name=f"网格{i}") for i in range(rows)
    )
    worker = f.make_official("many-grids", areas=grids)
    # the page header (session, user, official, areas, unread notifications);
    # grids with their community and street (a grid worker serves no community: no query)
    response = measured(
        client_for(worker), reverse("grids:area_list"), django_assert_num_queries, 6
    )
    assert f"网格{rows - 1}</a>" in response.text


# --- petitions --------------------------------------------------------------------------------


@ROWS
def test_petition_detail_query_count_does_not_grow_with_events_or_photos(
    rows, client_for, community_staff, grid_worker, home, elevator, django_assert_num_queries
):
    petition = open_petition(
        by=grid_worker, source="walk_in", category=elevator, description="电梯停运",
        household=home,
    )  # fmt: skip
    PetitionEvent.objects.bulk_create(
        PetitionEvent(petition=petition, actor=grid_worker, action="respond", to_status="new",
                      from_status="new", note=f"联系{i}")
        for i in range(rows - 1)
    )  # fmt: skip
    PetitionPhoto.objects.bulk_create(
        PetitionPhoto(petition=petition, image=f"p{i}.jpg", thumbnail=f"t{i}.jpg")
        for i in range(rows)
    )
    # session, user, official, areas; petition with its places, handler and department;
    # one check that it lies in the viewer's area (asked once for all the actions); unread
    # notifications; photos; officials to assign it to; events with their actors; whether the
    # household's page is in the viewer's sight (a department's is not); resolutions (their
    # contributions only when there are some)
    response = measured(
        client_for(community_staff), reverse("petitions:detail", args=[petition.pk]),
        django_assert_num_queries, 12,
    )  # fmt: skip
    assert response.text.count('class="timeline__item"') == rows
    assert response.text.count('<img src="/petitions/photos/') == rows
    assert "物业管理 › 电梯" in response.text


@ROWS
def test_new_petition_form_query_count_does_not_grow_with_buildings(
    rows, client_for, community_staff, grid_a1, casework_defaults, django_assert_num_queries
):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    Building.objects.bulk_create(
        Building(compound=compound, grid=grid_a1, name=f"{i}号楼") for i in range(rows)
    )
    # the page header (session, user, official, areas, unread notifications);
    # categories; buildings with their compound
    response = measured(
        client_for(community_staff), reverse("petitions:create"), django_assert_num_queries, 7
    )
    assert response.text.count("安装公司家属院 ") == rows
    assert f"安装公司家属院 {rows - 1}号楼" in response.text


@ROWS
def test_new_petition_form_for_a_household_query_count_does_not_grow_with_members(
    rows, client_for, community_staff, home, casework_defaults, django_assert_num_queries
):
    make_residents([home] * rows, name="家人")
    # session, user, official, areas; the household with its place; unread notifications;
    # categories; buildings with their compound; its living members
    response = measured(
        client_for(community_staff), reverse("petitions:create"), django_assert_num_queries, 9,
        household=home.pk,
    )  # fmt: skip
    assert f">家人{rows - 1}</option>" in response.text


@ROWS
def test_tracking_page_query_count_does_not_grow_with_public_steps(
    rows, client, grid_worker, home, elevator, django_assert_num_queries
):
    petition = open_petition(
        by=grid_worker, source="walk_in", category=elevator, description="电梯停运",
        household=home,
    )  # fmt: skip
    PetitionEvent.objects.bulk_create(
        PetitionEvent(petition=petition, actor=grid_worker, action="respond", to_status="new",
                      from_status="new")
        for _ in range(rows - 1)
    )  # fmt: skip
    # no session, no user (anonymous); petition with its category; its public events
    response = measured(
        client, reverse("petitions:track"), django_assert_num_queries, 2,
        code=petition.tracking_code,
    )  # fmt: skip
    assert response.text.count('class="timeline__item"') == rows


@ROWS
def test_inbox_query_count_does_not_grow_with_notifications(
    rows, client_for, grid_worker, grid_a1, elevator, django_assert_num_queries
):
    petitions = make_petitions(
        rows, grid=grid_a1, category=elevator, by=grid_worker, assignee=grid_worker,
        status="accepted", due_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip
    Notification.objects.bulk_create(
        Notification(user=grid_worker, petition=p, kind="assigned") for p in petitions
    )
    # the page header (session, user, official, areas, unread notifications);
    # the official again (for their department); petitions due within 24 hours with their
    # categories; notifications with their petitions and categories
    response = measured(
        client_for(grid_worker), reverse("petitions:inbox"), django_assert_num_queries, 8
    )
    assert response.text.count("物业管理 › 电梯") == 2 * rows
    assert f"诉求{rows - 1}" in response.text


# --- rankings and reports ---------------------------------------------------------------------


def _ranked_grids(community, rows):
    Grid.objects.bulk_create(
        Grid(community=community, number=10 + i, name=f"排名网格{i}") for i in range(rows)
    )


@ROWS
def test_rankings_query_count_does_not_grow_with_areas_ranked(
    rows, client_for, community_staff, community_a, django_assert_num_queries
):
    _ranked_grids(community_a, rows)
    # session, user, official, areas; the latest month with follow-ups (no month asked);
    # the published ranking (none); grids; petitions followed up per grid; rate weights;
    # unread notifications; published months
    response = measured(
        client_for(community_staff), reverse("petitions:rankings"), django_assert_num_queries, 11
    )
    assert f"排名网格{rows - 1}</td>" in response.text


@ROWS
def test_ranking_export_query_count_does_not_grow_with_areas_ranked(
    rows, client_for, community_staff, community_a, django_assert_num_queries
):
    _ranked_grids(community_a, rows)
    # session, user, official, areas; the latest month with follow-ups (no month asked); the
    # published ranking (none); grids; petitions followed up per grid; rate weights; the
    # export's audit record
    response = measured(
        client_for(community_staff), reverse("petitions:rankings"), django_assert_num_queries, 10,
        format="xlsx",
    )  # fmt: skip
    assert sum(1 for row in sheet(response) if str(row[1]).startswith("排名网格")) == rows


@ROWS
def test_weekly_report_query_count_does_not_grow_with_overdue_petitions(
    rows, client_for, community_staff, grid_worker, grid_a1, elevator, django_assert_num_queries
):
    make_petitions(
        rows, grid=grid_a1, category=elevator, by=grid_worker, status="accepted",
        due_at=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    # session, user, official, areas; the weekly trends (visits, received, closed);
    # the week's figures (visits, households, received, closed, returned, rates, weights,
    # reopened); unread notifications; overdue petitions with category and community
    response = measured(
        client_for(community_staff), reverse("petitions:weekly_report"),
        django_assert_num_queries, 17,
    )  # fmt: skip
    assert response.text.count("物业管理 › 电梯") == min(rows, 40)  # the 40 most overdue


# --- visits -----------------------------------------------------------------------------------


def _busy_household(home, grid_worker, elevator, rows):
    """`rows` visits, `rows` more members (tagged) and `rows` open petitions at `home`."""
    make_visits(rows, household=home, by=grid_worker)
    members = make_residents([home] * rows, name="家人", relation="child")
    alone = Tag.objects.get(name="独居老人")
    Resident.tags.through.objects.bulk_create(
        Resident.tags.through(resident=m, tag=alone) for m in members
    )
    make_petitions(rows, grid=home.grid, category=elevator, by=grid_worker, household=home)


@ROWS
def test_visit_form_for_a_household_query_count_does_not_grow_with_its_history(
    rows, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    _busy_household(home, grid_worker, elevator, rows)
    # session, user, official, areas; the household with its place; unread notifications;
    # last visits; open petitions; members, their tags; all tags; co-visitors;
    # categories of the concern form and of its template
    response = measured(
        client_for(grid_worker), reverse("petitions:visit_create"), django_assert_num_queries, 14,
        household=home.pk,
    )  # fmt: skip
    assert f"家人{rows - 1} · " in response.text
    assert response.text.count("物业管理 › 电梯 · ") == min(rows, 10)


@ROWS
def test_household_panel_query_count_does_not_grow_with_its_history(
    rows, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    _busy_household(home, grid_worker, elevator, rows)
    # session, user, official, areas (a fragment: no header); the household with its place;
    # last visits; open petitions; members with their tags; all tags
    response = measured(
        client_for(grid_worker), reverse("petitions:household_panel", args=[home.pk]),
        django_assert_num_queries, 10,
    )  # fmt: skip
    assert f"家人{rows - 1} · " in response.text
    assert response.text.count("物业管理 › 电梯 · ") == min(rows, 10)


@ROWS
def test_household_picker_query_count_does_not_grow_with_matches(
    rows, client_for, grid_worker, grid_a1, django_assert_num_queries
):
    make_residents(make_households(grid_a1, rows), name="陈")
    # session, user, official, areas (a fragment: no header); residents by name with places
    response = measured(
        client_for(grid_worker), reverse("petitions:household_picker"),
        django_assert_num_queries, 5, q="陈",
    )  # fmt: skip
    assert response.text.count('class="choice"') == min(rows, 12)


@ROWS
def test_my_visits_query_count_does_not_grow_with_visits(
    rows, client_for, grid_worker, home, django_assert_num_queries
):
    make_visits(rows, household=home, by=grid_worker)
    # the page header (session, user, official, areas, unread notifications);
    # my visits with their households' places
    response = measured(
        client_for(grid_worker), reverse("petitions:my_visits"), django_assert_num_queries, 6
    )
    assert response.text.count("安装公司家属院 6号楼 2单元 301") == rows


@ROWS
def test_overdue_care_visits_query_count_does_not_grow_with_households_due(
    rows, client_for, community_staff, grid_a1, casework_defaults, django_assert_num_queries
):
    residents = make_residents(make_households(grid_a1, rows))
    alone = Tag.objects.get(name="独居老人")
    Resident.tags.through.objects.bulk_create(
        Resident.tags.through(resident=r, tag=alone) for r in residents
    )
    # session, user; key-group frequencies; official, areas; households due with their
    # places; their key groups; unread notifications
    response = measured(
        client_for(community_staff),
        reverse("petitions:care_visits_due"),
        django_assert_num_queries,
        8,
    )
    assert response.text.count("独居老人</span>") == rows


def _visit_with_company(home, grid_worker, elevator, rows):
    """A visit with `rows` photos, `rows` co-visitors and `rows` petitions collected."""
    visit = record_visit(
        VisitRecord(household=home, visited_at=timezone.now(), kind="care", notes="独居"),
        by=grid_worker,
    )
    VisitPhoto.objects.bulk_create(
        VisitPhoto(visit=visit, image=f"v{i}.jpg", thumbnail=f"t{i}.jpg") for i in range(rows)
    )
    visit.co_visitors.set(make_officials(rows))
    make_petitions(rows, grid=home.grid, category=elevator, by=grid_worker, household=home,
                   visit=visit)  # fmt: skip
    return visit


@ROWS
def test_visit_detail_query_count_does_not_grow_with_photos_co_visitors_or_petitions(
    rows, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    visit = _visit_with_company(home, grid_worker, elevator, rows)
    # session, user, official, areas; visit with its household's place and author;
    # unread notifications; co-visitors; photos; petitions collected with their categories
    response = measured(
        client_for(grid_worker), reverse("petitions:visit_detail", args=[visit.pk]),
        django_assert_num_queries, 9,
    )  # fmt: skip
    assert response.text.count('<img src="/visits/photos/') == rows
    assert f"干部{rows - 1}" in response.text
    assert response.text.count("物业管理 › 电梯 · ") == rows


@ROWS
def test_visit_correction_form_query_count_does_not_grow_with_photos(
    rows, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    visit = _visit_with_company(home, grid_worker, elevator, rows)
    # session, user, official, areas; visit with its household's place and author;
    # unread notifications (the form lists nothing)
    response = measured(
        client_for(grid_worker), reverse("petitions:visit_correct", args=[visit.pk]),
        django_assert_num_queries, 6,
    )  # fmt: skip
    assert "安装公司家属院 6号楼 2单元 301" in response.text


# --- roles ------------------------------------------------------------------------------------


@ROWS
def test_appoint_form_query_count_does_not_grow_with_candidates(
    rows, client_for, community_staff, home, django_assert_num_queries
):
    building = home.unit.building
    make_residents(make_households(home.grid, rows, unit=home.unit), name="楼长候选")
    # session, user, official, areas; grid with its community; the building; unread
    # notifications; the building's compound (the title); any candidate?; candidates with
    # their addresses
    response = measured(
        client_for(community_staff), reverse("grids:role_appoint", args=[home.grid_id]),
        django_assert_num_queries, 10, kind="building_head", place=building.pk,
    )  # fmt: skip
    assert response.text.count("楼长候选") == rows
    assert f"楼长候选{rows - 1} · 安装公司家属院 6号楼 2单元 {1001 + rows - 1}" in response.text


# --- Excel downloads: rows are streamed in chunks, never fetched one by one -------------------


EXPORT_QUERIES = {"community": 9, "grid": 10}


def _registry(home, rows):
    members = make_residents(make_households(home.grid, rows, unit=home.unit), name="登记")
    alone = Tag.objects.get_or_create(name="独居老人")[0]
    Resident.tags.through.objects.bulk_create(
        Resident.tags.through(resident=m, tag=alone) for m in members
    )


@ROWS
@pytest.mark.parametrize("level", ["community", "grid"])
def test_registry_export_query_count_does_not_grow_with_residents(
    rows, level, client_for, community_staff, home, django_assert_num_queries
):
    _registry(home, rows)
    area = home.grid.community if level == "community" else home.grid
    # session, user, official, areas; the area (and a grid's community, for the title);
    # whether there are too many residents for a request (jobs/); residents with their
    # places; their tags; the export's audit record
    response = measured(
        client_for(community_staff), reverse(f"grids:{level}_export", args=[area.pk]),
        django_assert_num_queries, EXPORT_QUERIES[level],
    )  # fmt: skip
    names = [row[3] for row in sheet(response)]
    assert sum(1 for name in names if str(name).startswith("登记")) == rows


@ROWS
def test_roster_export_query_count_does_not_grow_with_roles(
    rows, client_for, community_staff, home, django_assert_num_queries
):
    holders = make_residents(make_households(home.grid, rows, unit=home.unit), name="队员")
    today = timezone.localdate()
    # Half of them on the community's task force, half team leaders of the grid: the place
    # column names the community or the grid.
    Role.objects.bulk_create(
        Role(kind="task_force", resident=r, community=home.grid.community, start_date=today)
        if i % 2
        else Role(kind="team_leader", resident=r, community=home.grid.community,
                  grid=home.grid, start_date=today)
        for i, r in enumerate(holders)
    )  # fmt: skip
    # session, user, official, areas; the community; current roles with their places and
    # holders; the export's audit record
    response = measured(
        client_for(community_staff),
        reverse("grids:roster_export", args=[home.grid.community_id]),
        django_assert_num_queries, 7,
    )  # fmt: skip
    places = [row[1] for row in sheet(response) if str(row[2]).startswith("队员")]
    assert len(places) == rows
    assert "新村社区 第一网格" in places


@ROWS
def test_petition_ledger_query_count_does_not_grow_with_petitions(
    rows, client_for, community_staff, grid_worker, home, elevator, django_assert_num_queries
):
    make_petitions(
        rows, grid=home.grid, category=elevator, by=grid_worker, household=home,
        resident=home.residents.get(), due_at=timezone.now() - datetime.timedelta(hours=1),
        status="accepted",
    )  # fmt: skip
    # session, user, official, areas; whether there are too many petitions for a request
    # (jobs/); petitions with category, places and resident; the export's audit record
    response = measured(
        client_for(community_staff), reverse("petitions:ledger"), django_assert_num_queries, 7
    )
    categories = [row[2] for row in sheet(response)]
    assert categories.count("物业管理 › 电梯") == rows


@ROWS
def test_visit_ledger_query_count_does_not_grow_with_visits(
    rows, client_for, community_staff, grid_worker, home, django_assert_num_queries
):
    visits = make_visits(rows, household=home, by=grid_worker)
    company = make_officials(2)
    Visit.co_visitors.through.objects.bulk_create(
        Visit.co_visitors.through(visit=v, official=o) for v in visits for o in company
    )
    # session, user, official, areas; whether there are too many visits for a request
    # (jobs/); visits with places and author; their co-visitors; the export's audit record
    response = measured(
        client_for(community_staff), reverse("petitions:visit_ledger"),
        django_assert_num_queries, 8,
    )  # fmt: skip
    co_visitors = [row[6] for row in sheet(response) if row[7] and str(row[7]).startswith("走访")]
    assert co_visitors == ["干部0、干部1"] * rows


# --- photos and pages that list nothing -------------------------------------------------------


@ROWS
@pytest.mark.parametrize("size", ["thumb", "full"])
def test_photo_query_count_does_not_grow_with_the_photos_beside_it(
    rows, size, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    visit = _visit_with_company(home, grid_worker, elevator, rows)
    photo = VisitPhoto.objects.create(
        visit=visit, image=ContentFile(b"full", "v.jpg"), thumbnail=ContentFile(b"thumb", "t.jpg")
    )
    petition = visit.petitions.first()
    PetitionPhoto.objects.bulk_create(
        PetitionPhoto(petition=petition, image=f"p{i}.jpg", thumbnail=f"t{i}.jpg")
        for i in range(rows)
    )
    petition_photo = PetitionPhoto.objects.create(
        petition=petition, image=ContentFile(b"full", "p.jpg"),
        thumbnail=ContentFile(b"thumb", "t.jpg"),
    )  # fmt: skip
    client = client_for(grid_worker)
    for name, pk in (("visit_photo", photo.pk), ("petition_photo", petition_photo.pk)):
        # session, user, official, areas; the photo, if what it belongs to is in the areas
        response = measured(
            client, reverse(f"petitions:{name}", args=[pk, size]), django_assert_num_queries, 5
        )
        assert b"".join(response.streaming_content) == size.encode()


@pytest.mark.parametrize(
    ("name", "signed_in", "expected"),
    [
        # no session, no user: nothing to read
        ("login", False, 0),
        # session, user, official, areas, unread notifications (the page header)
        ("password_change_done", True, 5),
        # nothing on the request's connection: the load balancer asks every few seconds, and
        # the database's SELECT 1 runs on a thread of its own, bounded to a second
        # (tests/weidu/test_faults.py)
        ("healthz", False, 0),
    ],
)
def test_pages_that_list_nothing_run_a_fixed_number_of_queries(
    name, signed_in, expected, client, client_for, grid_worker, django_assert_num_queries
):
    client = client_for(grid_worker) if signed_in else client
    response = measured(client, reverse(name), django_assert_num_queries, expected)
    assert response.status_code == 200


# --- a department's home ----------------------------------------------------------------------


@ROWS
def test_department_home_query_count_does_not_grow_with_dispatched_petitions(
    rows, client_for, department_staff, department, grid_worker, grid_a1, elevator,
    django_assert_num_queries,
):  # fmt: skip
    make_petitions(
        rows, grid=grid_a1, category=elevator, by=grid_worker, status="accepted",
        level="district", department=department,
        due_at=timezone.now() + datetime.timedelta(hours=3),
    )  # fmt: skip
    for i in range(rows):
        f.make_department(department.district, name=f"单位{i}")
    # session, user, official (with department), areas, current assignments (any department's
    # official may be sent down); unread notifications; the counts (open, due soon, overdue,
    # resolved); returned; open petitions with category, place and department; rates
    # (followed up, weights); departments; their follow-ups; weights
    response = measured(client_for(department_staff), "/", django_assert_num_queries, 14)
    assert response.text.count("物业管理 › 电梯") == min(rows, 30)
    assert f"单位{rows - 1}</td>" in response.text
