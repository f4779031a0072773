"""Migration 0011: every earlier 办结 becomes a Resolution; the petition's figures and its
contributions go to its latest one."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("petitions", "0010_visit_time_index")]
AFTER = [("petitions", "0011_resolutions_and_escalation_notices")]


@pytest.mark.django_db(transaction=True)
def test_earlier_resolutions_get_their_rows_and_the_latest_keeps_the_figures(
    grid_a1, grid_worker, casework_defaults
):
    from tests import factories as f

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Petition = old.get_model("petitions", "Petition")
    PetitionEvent = old.get_model("petitions", "PetitionEvent")
    PetitionContribution = old.get_model("petitions", "PetitionContribution")
    Category = old.get_model("petitions", "Category")
    payer = f.make_household(grid_a1)
    petition = Petition.objects.create(
        source="walk_in", category=Category.objects.get(name="排水防涝"), grid_id=grid_a1.pk,
        description="下水管道堵塞", created_by_id=grid_worker.pk, status="resolved",
        cost=Decimal("2300"), public_money=Decimal("2000"),
    )  # fmt: skip
    for note in ("临时疏通", "更换管道"):
        PetitionEvent.objects.create(
            petition=petition, actor_id=grid_worker.pk, action="resolve", note=note,
            from_status="in_progress", to_status="resolved",
        )  # fmt: skip
    PetitionContribution.objects.create(
        petition=petition, household_id=payer.pk, amount=Decimal("300")
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Resolution = new.get_model("petitions", "Resolution")
    first, latest = Resolution.objects.filter(petition_id=petition.pk).order_by("resolved_at", "id")
    assert (first.cost, first.event.note) == (None, "临时疏通")
    assert (latest.cost, latest.public_money, latest.event.note) == (2300, 2000, "更换管道")
    contribution = new.get_model("petitions", "PetitionContribution").objects.get()
    assert contribution.resolution_id == latest.pk


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """Later tests expect every migration applied, those after 0011 included."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
