"""Many rows at once for the query-count tests: bulk builders of households, residents,
petitions, visits and officials, the fixtures of a household with an elevator category, and
`measured` (one request's query count pinned)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Official
from grids.models import Household, Resident
from petitions.models import (
    Category,
    Petition,
    Visit,
    VisitPhoto,
)
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


def visit_with_company(home, grid_worker, elevator, rows):
    """A visit with `rows` photos, `rows` co-visitors and `rows` petitions collected."""
    visit = record_visit(
        VisitRecord(household=home, visited_at=timezone.now(), kind="care", notes="独居"),
        by=grid_worker,
    )
    VisitPhoto.objects.bulk_create(
        VisitPhoto(visit=visit, image=f"v{i}.jpg", thumbnail=f"t{i}.jpg") for i in range(rows)
    )
    visit.co_visitors.set(make_officials(rows))
    make_petitions(
        rows, grid=home.grid, category=elevator, by=grid_worker, household=home, visit=visit
    )
    return visit
