"""Who sees which areas: every scope sees its area and what lies inside, nothing else."""

import pytest

from communities.models import Community, Grid, Street
from communities.scoping import get_scope


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_organizer_sees_every_street_community_and_grid(
    organizer, community_a, community_b, grid_a1, grid_b1
):
    assert ids(Community.objects.visible_to(organizer)) == {community_a.pk, community_b.pk}
    assert ids(Grid.objects.visible_to(organizer)) == {grid_a1.pk, grid_b1.pk}


def test_street_staff_see_only_their_street(
    street_a_staff, street_a, community_a, grid_a1, grid_b1
):
    assert ids(Street.objects.visible_to(street_a_staff)) == {street_a.pk}
    assert ids(Community.objects.visible_to(street_a_staff)) == {community_a.pk}
    assert ids(Grid.objects.visible_to(street_a_staff)) == {grid_a1.pk}


def test_community_staff_see_their_community_and_its_grids(
    community_staff, community_a, grid_a1, grid_a2, grid_b1
):
    assert ids(Street.objects.visible_to(community_staff)) == set()
    assert ids(Community.objects.visible_to(community_staff)) == {community_a.pk}
    assert ids(Grid.objects.visible_to(community_staff)) == {grid_a1.pk, grid_a2.pk}


def test_grid_worker_sees_only_own_grid_not_the_whole_community(grid_worker, grid_a1, grid_a2):
    assert ids(Community.objects.visible_to(grid_worker)) == set()
    assert ids(Grid.objects.visible_to(grid_worker)) == {grid_a1.pk}


def test_official_serving_two_grids_sees_both(grid_a1, grid_b1, grid_a2):
    from tests.factories import make_official

    user = make_official("two_grids", areas=[grid_a1, grid_b1])
    assert ids(Grid.objects.visible_to(user)) == {grid_a1.pk, grid_b1.pk}


def test_department_staff_and_outsiders_see_no_area(department_staff, outsider, grid_a1):
    assert ids(Grid.objects.visible_to(department_staff)) == set()
    assert ids(Grid.objects.visible_to(outsider)) == set()


def test_scope_is_loaded_once_per_request_user(community_staff, django_assert_num_queries):
    with django_assert_num_queries(2):  # the official, then their areas
        get_scope(community_staff)
    with django_assert_num_queries(0):
        get_scope(community_staff)


def test_superuser_sees_everything_even_through_combined_filters(db, grid_a1, grid_b1):
    from django.contrib.auth import get_user_model

    from grids.models import Compound
    from tests import factories as f

    root = get_user_model().objects.create_superuser("root", password=f.PASSWORD)
    lonely = f.make_compound(grid_a1.community)  # no building yet: matched only by community
    assert ids(Grid.objects.visible_to(root)) == {grid_a1.pk, grid_b1.pk}
    assert lonely in Compound.objects.visible_to(root)


def test_who_serves_a_place_is_asked_of_scoping_in_every_form(
    organizer, street_a_staff, community_staff, grid_worker, street_b_staff, grid_a1, grid_b1
):
    from django.contrib.auth import get_user_model

    from communities.models import Official
    from communities.scoping import serving_q

    users = get_user_model().objects

    def who(q, model=users):
        return set(model.filter(q).distinct())

    # A grid's place at each level: the grid itself, its community, its street, its district.
    assert who(serving_q(grid_a1, "grid")) == {grid_worker}
    assert who(serving_q(grid_a1, "community")) == {community_staff}
    assert who(serving_q(grid_a1, "street")) == {street_a_staff}
    assert who(serving_q(grid_a1, "district")) == {organizer}
    # An area itself, with those serving inside it, and officials rather than users.
    community = grid_a1.community
    assert who(serving_q(community)) == {community_staff}
    assert who(serving_q(community, inside=True)) == {community_staff, grid_worker}
    assert who(serving_q(community.street, inside=True)) == {
        street_a_staff,
        community_staff,
        grid_worker,
    }
    officials = who(serving_q(Grid.objects.filter(pk=grid_b1.pk), through=""), Official.objects)
    assert officials == set()
    assert who(serving_q(Grid.objects.all(), through=""), Official.objects) == {
        grid_worker.official
    }


def test_scoping_does_not_import_the_models_it_reads():
    """communities.models imports scoping (its areas' querysets); scoping reaches Official
    through the app registry, so the two modules never import each other in a circle."""
    import ast
    import inspect

    import communities.scoping

    tree = ast.parse(inspect.getsource(communities.scoping))
    type_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    imported = [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and id(node) not in type_only
    ]
    assert "models" not in imported and "communities.models" not in imported


@pytest.mark.parametrize(
    ("role", "levels"),
    [
        ("grid_worker", {"grid"}),
        ("community_staff", {"grid", "community"}),
        ("street_a_staff", {"grid", "community", "street"}),
        ("organizer", {"grid", "community", "street", "district"}),
        ("street_b_staff", set()),
        ("department_staff", set()),
        ("outsider", set()),
    ],
)
def test_who_may_act_on_a_place_at_each_level(request, role, levels, grid_a1):
    """`reaches`: one's own area and the places inside it, never the area above one's own."""
    from communities.scoping import reaches

    user = request.getfixturevalue(role)
    for level in ("grid", "community", "street", "district"):
        assert reaches(user, grid_a1, level) == (level in levels), (role, level)


def test_the_highest_area_one_serves(
    grid_worker, community_staff, organizer, outsider, community_a
):
    from communities.scoping import highest_area

    assert highest_area(organizer)[0] == "district"
    assert highest_area(community_staff) == ("community", community_a.pk)
    assert highest_area(grid_worker)[0] == "grid"
    assert highest_area(grid_worker, ("district", "street", "community")) is None
    assert highest_area(outsider) is None


def _fresh(user):
    """The user as a new request loads it (get_scope keeps the scope on the user object)."""
    return type(user).objects.get(pk=user.pk)


def test_the_header_label_names_each_area_with_those_above_it(
    grid_worker, street_a, community_a, grid_a1, django_assert_num_queries
):
    from tests import factories as f

    user = f.make_official("two-places", areas=[community_a, grid_a1])
    scope = get_scope(_fresh(user))
    with django_assert_num_queries(2):  # the communities' names, then the grids'
        label = scope.label
    assert label == (
        f"{street_a.name} · {community_a.name}; "
        f"{street_a.name} · {community_a.name} · {grid_a1.name}"
    )


def test_the_header_label_is_kept_per_set_of_areas(grid_worker, grid_a1, django_assert_num_queries):
    first = get_scope(_fresh(grid_worker)).label
    Grid.objects.filter(pk=grid_a1.pk).update(name="改名的网格")
    scope = get_scope(_fresh(grid_worker))
    with django_assert_num_queries(0):
        assert scope.label == first  # kept LABEL_SECONDS; a renamed grid shows within that
    from django.core.cache import caches

    caches["fragments"].clear()
    assert "改名的网格" in get_scope(_fresh(grid_worker)).label


def test_a_department_official_is_labelled_with_the_department(department_staff):
    assert get_scope(_fresh(department_staff)).label == department_staff.official.department.name
