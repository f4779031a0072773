"""Arbitrary text, unicode, huge and empty values thrown at every form and search box: never a
500, and nothing half-saved (property-based, hypothesis)."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from grids.models import Role
from petitions.models import Petition, Visit
from tests import factories as f

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
anything = st.one_of(
    st.text(max_size=60),
    st.just("长" * 5000),
    st.sampled_from(
        ["", " ", "\x00", "0", "-1", "99999999999999999999", "2026-02-30T25:61", "1e9"]
    ),
)


@pytest.fixture
def household(grid_a1, casework_defaults):
    compound = f.make_compound(grid_a1.community)
    unit = f.make_unit(f.make_building(compound, grid_a1))
    household = f.make_household(grid_a1, unit=unit, room="301")
    f.make_resident(household, name="陈华")
    return household


@FUZZ
@given(query=anything)
def test_search_boxes_never_fail(client_for, grid_worker, household, query):
    client = client_for(grid_worker)
    for name in ("grids:resident_search", "petitions:household_picker"):
        assert client.get(reverse(name), {"q": query}).status_code == 200


@FUZZ
@given(
    visited_at=anything, kind=anything, notes=anything, category=anything, description=anything,
    affected=anything, urgency=anything, total=anything,
)  # fmt: skip
def test_visit_form_never_fails_and_saves_all_or_nothing(
    client_for, grid_worker, household, visited_at, kind, notes, category, description, affected,
    urgency, total,
):  # fmt: skip
    visits, petitions = Visit.objects.count(), Petition.objects.count()
    response = client_for(grid_worker).post(
        reverse("petitions:visit_create"),
        {
            "household": household.pk, "visited_at": visited_at, "kind": kind, "notes": notes,
            "concern-TOTAL_FORMS": total, "concern-INITIAL_FORMS": "0",
            "concern-0-category": category, "concern-0-description": description,
            "concern-0-households_affected": affected, "concern-0-urgency": urgency,
        },
    )  # fmt: skip
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (Visit.objects.count(), Petition.objects.count()) == (visits, petitions)


@FUZZ
@given(kind=anything, place=anything, resident=anything, start=anything)
def test_role_appointment_never_fails(
    client_for, community_staff, household, kind, place, resident, start
):
    roles = Role.objects.count()
    url = reverse("grids:role_appoint", args=[household.grid_id])
    response = client_for(community_staff).post(
        f"{url}?kind={kind}&place={place}", {"resident": resident, "start_date": start}
    )
    # 400: a crafted kind or place in the query string (the place is an id, bounded).
    assert response.status_code in (200, 302, 400, 404)
    if response.status_code != 302:
        assert Role.objects.count() == roles


@FUZZ
@given(end=anything)
def test_ending_a_role_never_fails(client_for, community_staff, household, end):
    from grids.services import appoint_role

    Role.objects.all().delete()
    role = appoint_role(
        kind="unit_head", place=household.unit, by=community_staff,
        resident=household.residents.get(),
    )  # fmt: skip
    response = client_for(community_staff).post(
        reverse("grids:role_end", args=[role.pk]), {"end_date": end}
    )
    assert response.status_code == 302


@FUZZ
@given(
    source=anything, category=anything, building=anything, description=anything, affected=anything
)
def test_new_petition_form_never_fails(
    client_for, grid_worker, household, source, category, building, description, affected
):
    before = Petition.objects.count()
    response = client_for(grid_worker).post(
        reverse("petitions:create"),
        {"source": source, "category": category, "building": building, "household": household.pk,
         "description": description, "households_affected": affected, "urgency": "normal"},
    )  # fmt: skip
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Petition.objects.count() == before


ACTIONS = ["accept", "escalate", "return", "resolve", "follow_up", "assign", "merge",
           "request_extension", "decide_extension", "dispatch", "put_on_ledger"]  # fmt: skip
ACTION_FIELDS = ["reason", "what_was_done", "cost", "public_money", "contributions",
                 "satisfaction", "assignee", "due", "into", "until", "approve", "department",
                 "owner", "target", "code"]  # fmt: skip


@FUZZ
@given(action=st.sampled_from(ACTIONS), value=anything, version=anything)
def test_petition_actions_never_fail(
    client_for, community_staff, household, action, value, version
):
    petition = f.make_petition(
        by=community_staff, household=household, source="walk_in", description="模糊测试"
    )
    response = client_for(community_staff).post(
        reverse("petitions:act", args=[petition.pk, action]),
        {"version": version, **dict.fromkeys(ACTION_FIELDS, value)},
    )
    # Refused input re-renders the page with the form as typed and its errors (400).
    assert response.status_code in (302, 400)


# Text a spreadsheet can hold (openpyxl itself refuses control characters).
cell_text = st.text(max_size=30).filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.one_of(st.none(), cell_text, st.integers(), st.floats(allow_nan=True)),
        min_size=12,
        max_size=12,
    )
)
def test_the_registry_import_never_fails_on_arbitrary_cells(db, grid_a1, cells):
    import io

    from openpyxl import Workbook

    from grids.models import Household as H
    from grids.registry_import import SHEETS, import_registry

    book = Workbook()
    book.remove(book.active)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.title)
        ws.append(list(sheet.headers))
        ws.append(cells[: len(sheet.headers)])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    before = H.objects.count()
    result = import_registry(buffer)
    if not result.ok:
        assert H.objects.count() == before


@FUZZ
@given(username=anything, password=anything)
def test_the_login_form_never_fails(client, db, username, password):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


@FUZZ
@given(kind=anything, notes=anything)
def test_the_visit_correction_form_never_fails(client_for, grid_worker, household, kind, notes):
    from django.utils import timezone

    from petitions.services.visits import VisitRecord, record_visit

    visit = record_visit(
        VisitRecord(household=household, visited_at=timezone.now(), kind="routine", notes="原记录"),
        by=grid_worker,
    )
    response = client_for(grid_worker).post(
        reverse("petitions:visit_correct", args=[visit.pk]), {"kind": kind, "notes": notes}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        visit.refresh_from_db()
        assert visit.notes == "原记录"
