"""Migration 0002: the dispute counts typed on turnouts are dropped (they are counted from the
disputes now), and what had been typed is kept as a line of the turnout's note."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("safety", "0001_police_days_and_incidents")]
AFTER = [("safety", "0002_turnout_disputes_counted")]


@pytest.mark.django_db(transaction=True)
def test_the_typed_counts_go_to_the_note(organizer, community_a, community_b):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    PoliceDay, Turnout = (old.get_model("safety", name) for name in ("PoliceDay", "Turnout"))
    day = PoliceDay.objects.create(
        date=datetime.date(2026, 10, 30), theme="警力下沉日", scheduled_by_id=organizer.pk
    )
    typed = Turnout.objects.create(
        day=day, community_id=community_a.pk, disputes_screened=9, disputes_resolved=8,
        note="民法典宣传", recorded_by_id=organizer.pk,
    )  # fmt: skip
    untyped = Turnout.objects.create(
        day=day, community_id=community_b.pk, recorded_by_id=organizer.pk
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("safety", "Turnout")
    assert (
        new.objects.get(pk=typed.pk).note == "民法典宣传\n（原手工登记：排查矛盾纠纷9件，化解8件）"
    )
    assert new.objects.get(pk=untyped.pk).note == ""
    assert "disputes_screened" not in {f.name for f in new._meta.get_fields()}


@pytest.fixture(autouse=True)
def _back_to_the_latest_migrations():
    """Later tests expect every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
