"""Crafted values that gave 500s to any official now give a 400 page or a field error in
Chinese, and change nothing: periods in year 0001 or 9999, ids past 64 bits (SQLite raises
OverflowError on them), "²" (str.isdigit() says yes, int() says no), a crafted return address
on ending a role (the role was ended, then the page failed)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grids.models import Role
from grids.services import appoint_role
from petitions.models import Visit
from petitions.periods import Period, period_from
from tests import factories as f

HUGE = str(10**30)
Y9999 = {"period": "custom", "start": "9999-12-01", "end": "9999-12-31"}
Y0001 = {"period": "custom", "start": "0001-01-01", "end": "0001-01-02"}


@pytest.fixture
def household(grid_a1, casework_defaults):
    household = f.make_household(grid_a1, unit=f.make_unit(f.make_building(
        f.make_compound(grid_a1.community), grid_a1)), room="301")  # fmt: skip
    f.make_resident(household, name="陈华")
    return household


def test_a_period_outside_the_years_it_may_take_falls_back_to_this_month_with_the_reason():
    today = datetime.date(2026, 11, 28)
    for params in (Y9999, Y0001):
        period = period_from(params, today)
        assert period == Period("this_month", datetime.date(2026, 11, 1), today)
        assert period.errors
    assert not period_from({"period": "custom", "start": "2026-10-01", "end": "2026-10-31"}).errors


@pytest.mark.parametrize("params", [Y9999, Y0001], ids=["9999", "0001"])
def test_the_dashboard_and_coverage_show_why_a_period_was_refused(client_for, organizer, params):
    client = client_for(organizer)
    for name in ("home", "petitions:coverage"):
        response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        assert "请选择 2000-01-01 至 2099-12-31 之间的日期。" in response.text
        assert "现显示本月的数据。" in response.text


@pytest.mark.parametrize("params", [Y9999, Y0001], ids=["9999", "0001"])
def test_the_lists_and_ledgers_refuse_a_crafted_period_with_a_400_page(
    client_for, organizer, params
):
    client = client_for(organizer)
    for name in ("petitions:list", "petitions:ledger", "petitions:visit_ledger"):
        response = client.get(reverse(name), params)
        assert response.status_code == 400, name
        assert "请求有误" in response.text


@pytest.mark.parametrize("value", [HUGE, "²", "-1", "9" * 5000])
@pytest.mark.parametrize(
    ("name", "param"),
    [("petitions:list", p) for p in ("street", "community", "grid", "category", "page")]
    + [("petitions:ledger", "category"), ("petitions:coverage", "street"),
       ("petitions:coverage", "page")],
)  # fmt: skip
def test_a_crafted_id_in_a_filter_is_a_400_page_in_chinese(
    client_for, organizer, name, param, value
):
    response = client_for(organizer).get(reverse(name), {param: value})
    assert response.status_code == 400
    assert "请求有误" in response.text
    assert response.context["errors"]


def test_the_filters_still_narrow_the_list(client_for, organizer, street_a, street_b):
    response = client_for(organizer).get(reverse("petitions:list"), {"street": street_b.pk})
    assert response.status_code == 200
    assert response.context["chosen"]["street"] == street_b.pk


def _visit(household, **extra):
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {
        "household": household.pk, "visited_at": now, "kind": "routine", "notes": "",
        "concern-TOTAL_FORMS": "0", "concern-INITIAL_FORMS": "0", **extra,
    }  # fmt: skip


@pytest.mark.parametrize(
    "extra",
    [{"co_visitors": HUGE},
     {"tags_for": HUGE}, {"tags_for": "²"}, {"tags_for": "{member}", "tags-{member}": HUGE}],
    ids=["co-visitor-huge", "member-huge",
         "member-superscript", "tag-huge"],
)  # fmt: skip
def test_crafted_co_visitors_and_tags_are_a_form_error_and_save_nothing(
    client_for, grid_worker, household, extra
):
    member = household.residents.get().pk
    extra = {k.format(member=member): v.format(member=member) if isinstance(v, str) else v
             for k, v in extra.items()}  # fmt: skip
    response = client_for(grid_worker).post(
        reverse("petitions:visit_create"), _visit(household, **extra)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Visit.objects.count() == 0


def test_the_members_tags_are_still_saved_with_the_visit(client_for, grid_worker, household):
    from grids.models import Tag

    member = household.residents.get()
    tag = Tag.objects.order_by("pk").first()
    data = _visit(household, tags_for=member.pk, **{f"tags-{member.pk}": tag.pk})
    response = client_for(grid_worker).post(reverse("petitions:visit_create"), data)
    assert response.status_code == 302
    assert list(member.tags.all()) == [tag]


@pytest.mark.parametrize("grid", ["abc", HUGE, "²", "1\x00"])
def test_ending_a_role_with_a_crafted_grid_is_refused_and_the_role_is_not_ended(
    client_for, community_staff, household, grid
):
    role = appoint_role(
        kind="unit_head", place=household.unit, by=community_staff,
        resident=household.residents.get(),
    )  # fmt: skip
    response = client_for(community_staff).post(
        reverse("grids:role_end", args=[role.pk]), {"end_date": "2026-01-02", "grid": grid}
    )
    assert response.status_code == 400
    assert "请求有误" in response.text
    role.refresh_from_db()
    assert role.end_date is None


def test_ending_a_role_goes_back_to_its_grid(client_for, community_staff, household):
    role = appoint_role(
        kind="unit_head", place=household.unit, by=community_staff,
        resident=household.residents.get(),
    )  # fmt: skip
    response = client_for(community_staff).post(
        reverse("grids:role_end", args=[role.pk]),
        {"end_date": timezone.localdate().isoformat(), "grid": household.grid_id},
    )
    assert response.status_code == 302
    assert response.url == reverse("grids:grid", args=[household.grid_id])
    assert Role.objects.get(pk=role.pk).end_date is not None


@pytest.mark.parametrize("place", [HUGE, "²", "2026-01-01"])
def test_a_crafted_place_on_the_role_page_is_a_400(client_for, community_staff, household, place):
    url = reverse("grids:role_appoint", args=[household.grid_id])
    response = client_for(community_staff).get(url, {"kind": "unit_head", "place": place})
    assert response.status_code == 400


@pytest.mark.parametrize("household_id", ["9" * 5000, "²"])
def test_a_crafted_household_on_the_create_pages_is_ignored(
    client_for, grid_worker, household, household_id
):
    client = client_for(grid_worker)
    for name in ("petitions:create", "petitions:visit_create"):
        assert client.get(reverse(name), {"household": household_id}).status_code == 200


def test_the_400_page_is_in_chinese_and_says_what_was_wrong(client_for, organizer):
    response = client_for(organizer).get(reverse("petitions:list"), {"grid": "abc"})
    assert response.status_code == 400
    assert "请求有误" in response.text
    assert "网格: 请选择有效的项目。" in response.text


def test_djangos_own_400_uses_the_chinese_page(client, db):
    # A disallowed host is refused by Django itself, through handler400 and templates/400.html.
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
