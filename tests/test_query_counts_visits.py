"""The visit pages run a fixed number of SQL queries, whatever a household's history, the
photos, the co-visitors or the households due (see test_query_counts.py for the method)."""

import re

from django.urls import reverse

from grids.models import Resident, Tag
from tests.many_rows import (
    ROWS,
    elevator,
    home,
    make_households,
    make_petitions,
    make_residents,
    make_visits,
    measured,
    visit_with_company,
)

__all__ = ["elevator", "home"]  # fixtures used below


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


def _disputes_found(visit, by, rows):
    from disputes.defaults import ensure_kinds
    from disputes.models import DisputeKind
    from disputes.services.intake import PartyData, open_dispute

    ensure_kinds(DisputeKind)
    for _ in range(rows):
        open_dispute(
            by=by, kind=DisputeKind.objects.first(), found_by="visit", description="入户发现",
            grid=visit.grid, visit=visit,
            parties=[PartyData("applicant", name="张三"), PartyData("respondent", name="李四")],
        )  # fmt: skip


@ROWS
def test_visit_detail_query_count_does_not_grow_with_photos_co_visitors_or_petitions(
    rows, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    visit = visit_with_company(home, grid_worker, elevator, rows)
    _disputes_found(visit, grid_worker, rows)
    # session, user, official, areas; visit with its household's place and author;
    # unread notifications; co-visitors; photos; petitions collected with their categories;
    # the disputes panel: the disputes found during the visit with their kinds, may the user
    # open one in the visit's grid
    response = measured(
        client_for(grid_worker), reverse("petitions:visit_detail", args=[visit.pk]),
        django_assert_num_queries, 11,
    )  # fmt: skip
    assert response.text.count('<img src="/visits/photos/') == rows
    assert len(re.findall(r'href="/disputes/[0-9]+/"', response.text)) == rows
    assert f'href="/disputes/new/?visit={visit.pk}"' in response.text
    assert f"干部{rows - 1}" in response.text
    assert response.text.count("物业管理 › 电梯 · ") == rows


@ROWS
def test_visit_correction_form_query_count_does_not_grow_with_photos(
    rows, client_for, grid_worker, home, elevator, django_assert_num_queries
):
    visit = visit_with_company(home, grid_worker, elevator, rows)
    # session, user, official, areas; visit with its household's place and author;
    # unread notifications (the form lists nothing)
    response = measured(
        client_for(grid_worker), reverse("petitions:visit_correct", args=[visit.pk]),
        django_assert_num_queries, 6,
    )  # fmt: skip
    assert "安装公司家属院 6号楼 2单元 301" in response.text
