"""Migration 0005: first secretaries become assignments of kind "first secretary", rows kept;
a cadre entered without a department takes the one that sent them (scoping reads only a
department's officials' assignments)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("communities", "0005_department_district_role")]
AFTER = [("communities", "0006_first_secretaries_become_assignments")]


@pytest.mark.django_db(transaction=True)
def test_first_secretaries_are_kept_as_assignments(community_a, grid_a1, department):
    from tests import factories as f

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    FirstSecretary = old.get_model("communities", "FirstSecretary")
    with_unit = f.make_official("with_unit", department=department).official
    without = f.make_official("without_unit").official
    FirstSecretary.objects.create(
        official_id=with_unit.pk, department_id=department.pk, community_id=community_a.pk,
        start_date="2023-03-01",
    )  # fmt: skip
    FirstSecretary.objects.create(
        official_id=without.pk, department_id=department.pk, grid_id=grid_a1.pk,
        start_date="2023-03-01", end_date="2024-03-01",
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Assignment = new.get_model("communities", "Assignment")
    rows = Assignment.objects.order_by("pk").values_list("kind", "community_id", "grid_id")
    assert list(rows) == [
        ("first_secretary", community_a.pk, None), ("first_secretary", None, grid_a1.pk),
    ]  # fmt: skip
    Official = new.get_model("communities", "Official")
    assert Official.objects.get(pk=without.pk).department_id == department.pk


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
