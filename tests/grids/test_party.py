"""Party organizations: the tree's rules, one secretary, the four haves and the star history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grids.models import PartyMembership, PartyOrganization, StarRating
from grids.party_tree import grid_branch, party_tree
from tests import factories as f


@pytest.fixture
def committee(community_a):
    return PartyOrganization.objects.create(
        community=community_a, kind="committee", name="新村社区党委"
    )


@pytest.fixture
def branch(committee, grid_a1):
    return PartyOrganization.objects.create(
        community=committee.community, kind="grid", parent=committee, grid=grid_a1,
        name="第一网格党支部", has_flag=True, has_sign=True,
    )  # fmt: skip


def test_a_community_has_one_committee_or_general_branch(committee):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrganization.objects.create(
            community=committee.community, kind="general", name="另一个"
        )


def test_a_grid_has_one_branch(branch):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrganization.objects.create(
            community=branch.community,
            kind="grid",
            parent=branch.parent,
            grid=branch.grid,
            name="重复",
        )


def test_a_grid_branch_needs_a_parent_and_a_grid(committee, grid_a1):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrganization.objects.create(
            community=committee.community, kind="grid", grid=grid_a1, name="无上级"
        )


def test_grid_branch_must_belong_to_its_own_community(committee, grid_b1):
    org = PartyOrganization(
        community=committee.community, kind="grid", parent=committee, grid=grid_b1, name="错社区"
    )
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert "grid" in excinfo.value.message_dict


def test_one_secretary_per_organization(branch, grid_a1):
    a = f.make_resident(f.make_household(grid_a1), name="寇莹莹")
    b = f.make_resident(f.make_household(grid_a1))
    PartyMembership.objects.create(organization=branch, resident=a, post="secretary")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyMembership.objects.create(organization=branch, resident=b, post="secretary")
    PartyMembership.objects.create(organization=branch, resident=b, post="member")


def test_member_is_a_resident_or_an_official_not_both(branch, grid_a1, community_staff):
    resident = f.make_resident(f.make_household(grid_a1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyMembership.objects.create(
            organization=branch, resident=resident, official=community_staff.official
        )
    PartyMembership.objects.create(
        organization=branch, official=community_staff.official, post="committee"
    )


def test_four_haves_checklist(branch):
    assert branch.four_haves_done == 2
    assert [done for _label, done in branch.four_haves] == [True, True, False, False]


def test_star_ratings_keep_one_per_year_and_at_most_five(branch):
    StarRating.objects.create(organization=branch, year=2024, stars=3)
    StarRating.objects.create(organization=branch, year=2025, stars=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StarRating.objects.create(organization=branch, year=2025, stars=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        StarRating.objects.create(organization=branch, year=2026, stars=6)
    assert [r.year for r in grid_branch(branch.grid).ratings] == [2025, 2024]


def test_party_tree_lists_parents_before_children(committee, branch, grid_a2):
    second = PartyOrganization.objects.create(
        community=committee.community,
        kind="grid",
        parent=committee,
        grid=grid_a2,
        name="第二网格党支部",
    )
    tree = party_tree(committee.community)
    assert tree == [committee, branch, second]
    assert [o.depth for o in tree] == [0, 1, 1]
