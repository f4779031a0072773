"""Excel downloads stream their rows in chunks: the number of SQL queries does not grow with
the rows (see test_query_counts.py for the method)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grids.models import Resident, Role, Tag
from petitions.models import (
    Visit,
)
from tests.many_rows import (
    ROWS,
    elevator,
    home,
    make_households,
    make_officials,
    make_petitions,
    make_residents,
    make_visits,
    measured,
    sheet,
)

__all__ = ["elevator", "home"]  # fixtures used below


# --- Excel downloads: rows are streamed in chunks, never fetched one by one -------------------


EXPORT_QUERIES = {"community": 11, "grid": 12}


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
    # places; their tags; the export's audit record and its trail (the head locked, then moved)
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
    # holders; the export's audit record and its trail (the head locked, then moved)
    response = measured(
        client_for(community_staff),
        reverse("grids:roster_export", args=[home.grid.community_id]),
        django_assert_num_queries, 9,
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
    # (jobs/); petitions with category, places and resident; the export's audit record and its
    # trail (the head locked, then moved)
    response = measured(
        client_for(community_staff), reverse("petitions:ledger"), django_assert_num_queries, 9
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
    # (jobs/); visits with places and author; their co-visitors; the export's audit record and
    # its trail (the head locked, then moved)
    response = measured(
        client_for(community_staff), reverse("petitions:visit_ledger"),
        django_assert_num_queries, 10,
    )  # fmt: skip
    co_visitors = [row[6] for row in sheet(response) if row[7] and str(row[7]).startswith("走访")]
    assert co_visitors == ["干部0、干部1"] * rows
