"""`load_demo` builds the seed's district, is idempotent, and its logins work."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from communities.models import Community, FirstSecretary, Street
from communities.scoping import get_scope
from grids.models import Compound, Household, Resident, Unit


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_the_seeds_compound_figures(demo):
    anzhuang = Compound.objects.get(name="安装公司家属院")
    assert anzhuang.community.name == "新村社区"
    assert anzhuang.community.street.name == "北大街街道"
    assert (anzhuang.year_built, anzhuang.address) == (1971, "八一路59号")
    assert anzhuang.buildings.count() == 24
    assert Household.objects.filter(unit__building__compound=anzhuang).count() == 683
    assert Community.objects.get(name="河西社区").grids.count() == 8
    assert Street.objects.count() == 14


def test_demo_residents_are_valid(demo):
    for resident in Resident.objects.order_by("?")[:200]:
        resident.full_clean()


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = [m.objects.count() for m in (Community, Compound, Unit, Household, Resident)]
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.objects.count() for m in (Community, Compound, Unit, Household, Resident)] == counts


@pytest.mark.parametrize(
    ("username", "scope_label"),
    [
        ("organizer", "魏都区"),
        ("street", "北大街街道"),
        ("community", "北大街街道 · 新村社区"),
        ("grid", "北大街街道 · 新村社区 · 第1网格"),
        ("department", "住建局"),
    ],
)
def test_each_demo_login_works_and_serves_its_area(demo, username, scope_label):
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=username, password="weidu-demo")
    assert user is not None
    assert get_scope(user).label == scope_label


def test_demo_first_secretaries_are_current(demo):
    bax = FirstSecretary.objects.current().get(community__name="八西社区")
    assert (bax.official.name, bax.department.name) == ("菅广宇", "区委办")


def test_demo_petitions_tell_the_pages_stories(demo):
    from petitions.models import Petition

    drain = Petition.objects.get(description__startswith="6号楼下水管道堵塞")
    assert drain.status == "closed" and drain.contributions.count() == 23
    square = Petition.objects.get(description__contains="私自种菜")
    assert (square.level, square.department.name, square.status) == ("district", "教体局", "closed")
    assert [d.name for d in square.assisting_departments.all()] == ["园林中心"]
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {"new", "accepted", "in_progress", "resolved", "followed_up", "closed"} <= statuses
    assert any(p.is_overdue() for p in Petition.objects.all())
