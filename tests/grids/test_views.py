"""Registry pages: scope (404 outside it), masking, logged reveals, search, export, query counts."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.personal_data import id_number_check_char
from grids.models import RevealLog
from tests import factories as f

PHONE = "13812345678"
ID_NUMBER = "41100219710305123" + id_number_check_char("41100219710305123")


@pytest.fixture
def building_a1(grid_a1):
    compound = f.make_compound(grid_a1.community, name="安装公司家属院")
    return f.make_building(compound, grid_a1, name="6号楼")


@pytest.fixture
def household_a1(building_a1):
    unit = f.make_unit(building_a1, name="2单元")
    return f.make_household(building_a1.grid, unit=unit, room="301")


@pytest.fixture
def resident_a1(household_a1):
    return f.make_resident(
        household_a1, name="肖明伟", gender="M", phone=PHONE, id_number=ID_NUMBER
    )


@pytest.fixture
def household_b1(grid_b1):
    household = f.make_household(grid_b1, room="502")
    f.make_resident(household, name="张琳", phone="13900001111")
    return household


def urls_of(community_a, grid_a1, household_a1, resident_a1):
    return {
        "community": reverse("grids:community", args=[community_a.pk]),
        "community_export": reverse("grids:community_export", args=[community_a.pk]),
        "grid": reverse("grids:grid", args=[grid_a1.pk]),
        "grid_export": reverse("grids:grid_export", args=[grid_a1.pk]),
        "building": reverse("grids:building", args=[household_a1.unit.building_id]),
        "household": reverse("grids:household", args=[household_a1.pk]),
    }


GRID_PAGES = {"grid", "grid_export", "building", "household"}
ALL_PAGES = GRID_PAGES | {"community", "community_export"}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("organizer", ALL_PAGES),
        ("street_a_staff", ALL_PAGES),
        ("community_staff", ALL_PAGES),
        ("grid_worker", GRID_PAGES),
        ("street_b_staff", set()),
        ("department_staff", set()),
        ("outsider", set()),
    ],
)
def test_registry_pages_answer_404_outside_the_scope(
    request, client, role, allowed, community_a, grid_a1, household_a1, resident_a1
):
    client.force_login(request.getfixturevalue(role))
    for name, url in urls_of(community_a, grid_a1, household_a1, resident_a1).items():
        expected = 200 if name in allowed else 404
        assert client.get(url).status_code == expected, (role, name)


def test_anonymous_visitor_is_sent_to_login(client, household_a1):
    response = client.get(reverse("grids:household", args=[household_a1.pk]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_household_page_shows_members_with_masked_numbers(client_for, community_staff, resident_a1):
    response = client_for(community_staff).get(
        reverse("grids:household", args=[resident_a1.household_id])
    )
    assert "肖明伟" in response.text
    assert "138****5678" in response.text
    assert "4110**********" in response.text
    assert PHONE not in response.text
    assert ID_NUMBER not in response.text


def test_reveal_shows_one_number_and_logs_it(client_for, community_staff, resident_a1):
    url = reverse("grids:resident_reveal", args=[resident_a1.pk, "phone"])
    response = client_for(community_staff).post(url)
    assert response.status_code == 200
    assert PHONE in response.text
    assert ID_NUMBER not in response.text
    assert "no-store" in response["Cache-Control"]
    log = RevealLog.objects.get()
    assert (log.user, log.resident, log.field) == (community_staff, resident_a1, "phone")


def test_reveal_needs_post(client_for, community_staff, resident_a1):
    url = reverse("grids:resident_reveal", args=[resident_a1.pk, "id_number"])
    assert client_for(community_staff).get(url).status_code == 405
    assert not RevealLog.objects.exists()


def test_reveal_outside_scope_is_404_and_not_logged(client_for, street_b_staff, resident_a1):
    url = reverse("grids:resident_reveal", args=[resident_a1.pk, "id_number"])
    assert client_for(street_b_staff).post(url).status_code == 404
    assert not RevealLog.objects.exists()


def test_reveal_of_an_unknown_field_is_404(client_for, community_staff, resident_a1):
    url = f"/residents/{resident_a1.pk}/reveal/password/"
    assert client_for(community_staff).post(url).status_code == 404


@pytest.mark.parametrize("query", ["肖", "5678", "301", "6-2-301"])
def test_search_finds_a_resident_by_name_phone_suffix_or_room(
    client_for, grid_worker, resident_a1, query
):
    response = client_for(grid_worker).get(reverse("grids:resident_search"), {"q": query})
    assert "肖明伟" in response.text
    assert "138****5678" in response.text
    assert PHONE not in response.text


def test_search_never_returns_residents_outside_the_scope(
    client_for, street_a_staff, resident_a1, household_b1
):
    response = client_for(street_a_staff).get(reverse("grids:resident_search"), {"q": "张"})
    assert "张琳" not in response.text
    assert "没有" in response.text


def test_search_fragment_for_live_results(client_for, grid_worker, resident_a1):
    response = client_for(grid_worker).get(
        reverse("grids:resident_search"), {"q": "肖"}, headers={"X-Requested-With": "fetch"}
    )
    assert "肖明伟" in response.text
    assert "<html" not in response.text


def test_registry_export_is_masked_and_scoped(
    client_for, community_staff, community_a, resident_a1, household_b1
):
    response = client_for(community_staff).get(
        reverse("grids:community_export", args=[community_a.pk])
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c]
    assert "肖明伟" in cells
    assert "138****5678" in cells
    assert "4110**********" + ID_NUMBER[-4:] in cells
    assert PHONE not in cells and ID_NUMBER not in cells
    assert "张琳" not in cells
    assert any("新村社区" in c for c in cells[:2])


def add_buildings(grid, count):
    """`count` buildings, each with a unit, a household, a resident and a unit head."""
    from grids.models import PartyMembership, PartyOrganization, Role, StarRating

    community = grid.community
    top, _ = PartyOrganization.objects.get_or_create(
        community=community, kind="committee", defaults={"name": f"{community.name}党委"}
    )
    compound = f.make_compound(community)
    for _ in range(count):
        unit = f.make_unit(f.make_building(compound, grid))
        resident = f.make_resident(f.make_household(grid, unit=unit))
        Role.objects.create(
            kind="unit_head", resident=resident, community=community, grid=grid, unit=unit,
            start_date="2025-01-01",
        )  # fmt: skip
        branch = PartyOrganization.objects.create(
            community=community, kind="compound", parent=top, compound=compound,
            name=f"支部{resident.pk}",
        )  # fmt: skip
        PartyMembership.objects.create(organization=branch, resident=resident, post="secretary")
        StarRating.objects.create(organization=branch, year=2025, stars=4)
    if not PartyOrganization.objects.filter(grid=grid).exists():
        branch = PartyOrganization.objects.create(
            community=community, kind="grid", parent=top, grid=grid, name=f"{grid.name}党支部"
        )
        StarRating.objects.create(organization=branch, year=2025, stars=3)


def test_grid_page_query_count_does_not_grow_with_buildings(
    client_for, community_staff, grid_a1, django_assert_num_queries
):
    client = client_for(community_staff)
    url = reverse("grids:grid", args=[grid_a1.pk])
    add_buildings(grid_a1, 1)
    client.get(url)  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications),
    # grid; the chain: buildings, units, resident groups, roles;
    # the branch, its secretary, its ratings; first secretaries, grid workers, community visible?
    with django_assert_num_queries(16):
        client.get(url)
    add_buildings(grid_a1, 50)
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.text.count("seat--unit_head") == 51


def test_community_page_query_count_does_not_grow_with_compounds(
    client_for, community_staff, community_a, grid_a1, django_assert_num_queries
):
    client = client_for(community_staff)
    url = reverse("grids:community", args=[community_a.pk])
    add_buildings(grid_a1, 1)
    client.get(url)  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications),
    # community; party tree: organizations, secretaries,
    # ratings; vacancies: compounds, buildings and units, current roles; grids, compounds,
    # resident groups, first secretaries, sponsorships; the next 议事日; the latest activities
    with django_assert_num_queries(19):
        client.get(url)
    for _ in range(5):
        add_buildings(grid_a1, 10)
    with django_assert_num_queries(19):
        client.get(url)


def test_household_page_query_count_does_not_grow_with_members_or_history(
    client_for, community_staff, grid_worker, household_a1, django_assert_num_queries
):
    from petitions.models import Category
    from petitions.services.visits import Concern, VisitRecord, record_visit

    def add_history():
        record_visit(
            VisitRecord(
                household=household_a1,
                visited_at=timezone.now(),
                kind="care",
                concerns=[Concern(category=Category.objects.first(), description="漏水")],
            ),
            by=grid_worker,
        )

    client = client_for(community_staff)
    url = reverse("grids:household", args=[household_a1.pk])
    f.make_resident(household_a1)
    add_history()
    client.get(url)  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications),
    # household, residents, their tags;
    # the casework's timeline: visits, their photos, petitions; the household's contributions
    with django_assert_num_queries(12):
        client.get(url)
    for _ in range(20):
        f.make_resident(household_a1)
        add_history()
    with django_assert_num_queries(12):
        client.get(url)


def test_building_page_query_count_does_not_grow_with_households(
    client_for, community_staff, household_a1, django_assert_num_queries
):
    client = client_for(community_staff)
    building = household_a1.unit.building
    url = reverse("grids:building", args=[building.pk])
    client.get(url)  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications),
    # building, units, households, heads
    with django_assert_num_queries(9):
        client.get(url)
    for n in range(30):
        f.make_resident(f.make_household(building.grid, unit=household_a1.unit, room=f"9{n:02d}"))
    with django_assert_num_queries(9):
        client.get(url)


def test_search_query_count_is_constant(
    client_for, grid_worker, household_a1, django_assert_num_queries
):
    client = client_for(grid_worker)
    f.make_resident(household_a1, name="王一")
    client.get(reverse("grids:resident_search"))  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications),
    # residents with their places
    with django_assert_num_queries(6):
        client.get(reverse("grids:resident_search"), {"q": "王"})
    for _ in range(30):
        f.make_resident(household_a1, name="王二")
    with django_assert_num_queries(6):
        client.get(reverse("grids:resident_search"), {"q": "王"})


def test_four_digit_search_looks_up_phone_suffix_then_rooms_in_two_queries(
    client_for, grid_worker, household_a1, django_assert_num_queries
):
    client = client_for(grid_worker)
    f.make_resident(household_a1, name="尾号", phone="13900003010")
    client.get(reverse("grids:resident_search"))  # warm up: the first request stamps the session
    # the page header (session, user, official, areas, unread notifications);
    # residents by phone suffix; residents by room prefix
    with django_assert_num_queries(7):
        response = client.get(reverse("grids:resident_search"), {"q": "3010"})
    assert "尾号" in response.text
