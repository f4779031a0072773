"""Small builders for test data: `make_*` functions with sensible defaults, no fixtures files."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from communities.models import (
    Community,
    Department,
    District,
    Grid,
    Official,
    OfficialScope,
    Street,
)
from grids.models import Building, Compound, Household, Resident, ResidentGroup, Unit
from petitions.models import Category, Petition, Visit
from petitions.services.visits import note_visit

PASSWORD = "weidu-test-pass-2026"
_seq = itertools.count(1)


def make_district(**kw):
    kw.setdefault("code", "411002")
    kw.setdefault("name", "魏都区")
    return District.objects.get_or_create(code=kw.pop("code"), defaults=kw)[0]


def make_street(district=None, **kw):
    n = next(_seq)
    kw.setdefault("code", f"411002{n:03d}")
    kw.setdefault("name", f"测试街道{n}")
    return Street.objects.create(district=district or make_district(), **kw)


def make_community(street=None, **kw):
    n = next(_seq)
    kw.setdefault("code", f"411002999{n:03d}")
    kw.setdefault("name", f"测试社区{n}")
    return Community.objects.create(street=street or make_street(), **kw)


def make_grid(community=None, **kw):
    community = community or make_community()
    n = kw.pop("number", None) or community.grids.count() + 1
    kw.setdefault("name", f"第{n}网格")
    return Grid.objects.create(community=community, number=n, **kw)


def make_department(district=None, **kw):
    kw.setdefault("name", f"测试局{next(_seq)}")
    return Department.objects.create(district=district or make_district(), **kw)


def make_official(username, *, name=None, areas=(), department=None, is_staff=False, **kw):
    """A user with an official profile serving `areas` (districts, streets, communities, grids).

    Staff (district organizers) get every admin permission, as the demo organizer does.
    """
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=is_staff, is_superuser=is_staff
    )
    official = Official.objects.create(
        user=user, name=name or username, department=department, **kw
    )
    for area in areas:
        OfficialScope.objects.create(official=official, **{type(area).__name__.lower(): area})
    return user


def make_compound(community, **kw):
    kw.setdefault("name", f"测试小区{next(_seq)}")
    return Compound.objects.create(community=community, **kw)


def make_building(compound, grid, **kw):
    kw.setdefault("name", f"{next(_seq)}号楼")
    return Building.objects.create(compound=compound, grid=grid, **kw)


def make_unit(building, **kw):
    kw.setdefault("name", f"{next(_seq)}单元")
    return Unit.objects.create(building=building, **kw)


def make_household(grid, *, unit=None, resident_group=None, **kw):
    if unit is None and resident_group is None:
        compound = make_compound(grid.community)
        unit = make_unit(make_building(compound, grid))
    kw.setdefault("room", f"{next(_seq)}")
    return Household.objects.create(grid=grid, unit=unit, resident_group=resident_group, **kw)


def make_resident_group(grid, **kw):
    kw.setdefault("name", f"第{next(_seq)}居民组")
    return ResidentGroup.objects.create(community=grid.community, grid=grid, **kw)


def make_resident(household, **kw):
    kw.setdefault("name", f"居民{next(_seq)}")
    kw.setdefault("gender", Resident.Gender.FEMALE)
    return Resident.objects.create(household=household, **kw)


def make_petition(grid=None, *, by, household=None, category="排水防涝", created=None, **kw):
    """A petition recorded by `by` in `grid` (or `household`'s grid), written directly with the
    status, level and dates given: for tests about reading petitions, not about transitions.
    `category` is a Category or the name of one (the casework defaults must be loaded)."""
    if isinstance(category, str):
        category = Category.objects.get(name=category)
    kw.setdefault("source", "visit")
    kw.setdefault("description", "6号楼下水管道堵塞")
    petition = Petition.objects.create(
        grid=grid or household.grid, household=household, category=category, created_by=by, **kw
    )
    if created is not None:  # auto_now_add ignores a value given to create()
        Petition.objects.filter(pk=petition.pk).update(created_at=created)
        petition.refresh_from_db()
    return petition


def make_visit(household, *, by, at=None, **kw):
    """A visit to `household` by `by`, at `at` (now by default), written directly; its
    household's latest visit and its community's day count move as `record_visit` moves them."""
    kw.setdefault("kind", "routine")
    visit = Visit.objects.create(
        household=household, grid=household.grid, visited_at=at or timezone.now(), author=by, **kw
    )
    note_visit(visit)
    return visit
