"""Every page runs a fixed number of SQL queries: the same for one row of what it lists and for
fifty. The pages tested elsewhere (grid, community, household, building, resident search,
petition list, dashboard, coverage, password) keep their tests next to their other tests; the
visit pages and the Excel downloads have their own files beside this one.

Each test builds `rows` rows (bulk inserts where the services are not the point), warms up
once (the first request stamps the session), then pins the count of one request and checks
that the rows are on the page.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Grid
from grids.models import Building
from petitions.models import (
    Notification,
    PetitionEvent,
    PetitionPhoto,
    VisitPhoto,
)
from petitions.services.intake import open_petition
from tests import factories as f
from tests.many_rows import (
    ROWS,
    elevator,
    home,
    make_households,
    make_petitions,
    make_residents,
    measured,
    sheet,
    visit_with_company,
)

__all__ = ["elevator", "home"]  # fixtures used below


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
    # session, user, official, areas; petition with its places, handler and department
    # (loaded through the viewer's scope, so the actions offered ask no more); unread
    # notifications; photos; officials to assign it to; events with their actors; resolutions
    # (their contributions only when there are some); the disputes panel: the disputes turned
    # from it (whether the viewer serves its place, to offer turning it into one, and whether
    # the household's page is in their sight come from the scope);
    # the meetings panel: the meetings that took the petition up, and the next meetings of its
    # community to put it on the agenda of
    response = measured(
        client_for(community_staff), reverse("petitions:detail", args=[petition.pk]),
        django_assert_num_queries, 13,
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
    _dispute_notifications(grid_worker, grid_a1, rows)
    # the page header (session, user, official, areas, unread notifications: the petitions'
    # and the disputes' in one query); the official again (for their department); petitions
    # due within 24 hours with their categories; notifications with their petitions and
    # categories; the disputes' notifications with their disputes and kinds (the shared inbox)
    response = measured(
        client_for(grid_worker), reverse("petitions:inbox"), django_assert_num_queries, 9
    )
    assert response.text.count("物业管理 › 电梯") == 2 * rows
    assert f"诉求{rows - 1}" in response.text
    assert response.text.count('href="/disputes/inbox/') == rows
    assert response.context["unread_notifications"] == 2 * rows


def _dispute_notifications(user, grid, rows):
    from disputes.defaults import ensure_kinds
    from disputes.models import DisputeKind, DisputeNotification
    from disputes.services.intake import PartyData, open_dispute

    ensure_kinds(DisputeKind)
    parties = [PartyData("applicant", name="张三"), PartyData("respondent", name="李四")]
    disputes = [
        open_dispute(by=user, kind=DisputeKind.objects.first(), found_by="wechat",
                     description=f"纠纷{n}", grid=grid, parties=parties)
        for n in range(rows)
    ]  # fmt: skip
    DisputeNotification.objects.bulk_create(
        DisputeNotification(user=user, dispute=d, kind="escalated") for d in disputes
    )


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
    # the three zeros broken per grid (safety.ranking_marks); unread notifications; published
    # months
    response = measured(
        client_for(community_staff), reverse("petitions:rankings"), django_assert_num_queries, 12
    )
    assert f"排名网格{rows - 1}</td>" in response.text


@ROWS
def test_ranking_export_query_count_does_not_grow_with_areas_ranked(
    rows, client_for, community_staff, community_a, django_assert_num_queries
):
    _ranked_grids(community_a, rows)
    # session, user, official, areas; the latest month with follow-ups (no month asked); the
    # published ranking (none); grids; petitions followed up per grid; rate weights; the three
    # zeros broken per grid (safety.ranking_marks); the export's audit record and its trail (the
    # head locked, then moved)
    response = measured(
        client_for(community_staff), reverse("petitions:rankings"), django_assert_num_queries, 13,
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
    # session, user, official, areas; the weekly trends (visits; petitions received and
    # closed per day); the week's figures (visits, households, petitions per day, open per due
    # day, overdue today, returned and reopened, rates, weights); unread notifications; overdue
    # petitions with category and community
    response = measured(
        client_for(community_staff), reverse("petitions:weekly_report"),
        django_assert_num_queries, 16,
    )  # fmt: skip
    assert response.text.count("物业管理 › 电梯") == min(rows, 40)  # the 40 most overdue


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


# --- photos and pages that list nothing -------------------------------------------------------


@ROWS
@pytest.mark.parametrize("size", ["thumb", "full"])
def test_photo_query_count_does_not_grow_with_the_photos_beside_it(
    rows, size, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    visit = visit_with_company(home, grid_worker, elevator, rows)
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
