"""Tamper-evident trails: HMAC-SM3 chains over events, audit and reveal logs and the admin log;
editing, deleting or slipping in a row by SQL is found and named by verify_trails."""

import threading

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse

from communities.audit import record
from communities.models import AuditEvent, Department
from petitions.models import PetitionEvent
from tests import factories as f
from trails.models import TrailCheck, TrailHead
from trails.sealing import seal_everything
from trails.streams import ADMIN_LOG, all_streams
from trails.verify import verify

EVENTS = PetitionEvent._meta.db_table
AUDIT = AuditEvent._meta.db_table


def stream(name):
    return next(s for s in all_streams() if s.name == name)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def events(grid_a1, grid_worker):
    petition = f.make_petition(grid_a1, by=grid_worker)
    return [
        PetitionEvent.objects.create(
            petition=petition, actor=grid_worker, action="note", to_status="new", note=f"第{n}次"
        )
        for n in range(4)
    ]


def run_verify(capsys, *args):
    try:
        call_command("verify_trails", *args)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, capsys.readouterr().out


def test_a_clean_trail_verifies_and_the_result_is_stored(events, organizer, capsys):
    record(AuditEvent.Kind.LOGIN, user=organizer)
    LogEntry.objects.log_actions(
        organizer.pk, [f.make_department(name="住建局")], ADDITION, single_object=True
    )
    code, out = run_verify(capsys)
    assert code == 0, out
    assert f"{EVENTS}: 4 rows checked" in out
    assert f"{ADMIN_LOG}: 1 rows checked" in out
    checks = {check.stream: check for check in TrailCheck.objects.all()}
    assert set(checks) == {s.name for s in all_streams()}
    assert all(check.intact for check in checks.values())
    assert (checks[EVENTS].rows, checks[AUDIT].rows) == (4, 1)


def test_each_row_links_to_the_one_before_and_the_head_holds_the_last(events):
    assert events[0].trail_previous == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.trail_previous == before.trail_mac != ""
    assert TrailHead.objects.get(stream=EVENTS).mac == events[-1].trail_mac


def test_an_event_note_edited_in_sql_is_detected_and_named(events, capsys):
    sql(f"UPDATE {EVENTS} SET note = %s WHERE id = %s", ["已解决", events[2].pk])  # noqa: S608
    verdict = verify(stream(EVENTS))
    assert (verdict.problem, verdict.broken_row, verdict.rows) == ("edited", events[2].pk, 3)
    code, out = run_verify(capsys)
    assert code == 1
    assert f"{EVENTS}: 3 rows checked" in out and str(events[2].pk) in out
    assert TrailCheck.objects.get(stream=EVENTS).broken_row == events[2].pk


def test_a_middle_row_deleted_in_sql_is_detected_at_the_next_row(events):
    sql(f"DELETE FROM {EVENTS} WHERE id = %s", [events[1].pk])  # noqa: S608
    verdict = verify(stream(EVENTS))
    assert (verdict.problem, verdict.broken_row) == ("link", events[2].pk)


def test_the_last_row_deleted_in_sql_is_detected_through_the_head(events):
    sql(f"DELETE FROM {EVENTS} WHERE id = %s", [events[-1].pk])  # noqa: S608
    verdict = verify(stream(EVENTS))
    assert (verdict.problem, verdict.rows) == ("tail", 3)


def test_a_row_inserted_without_a_mac_is_detected(events, grid_worker):
    [slipped] = PetitionEvent.objects.bulk_create(
        [PetitionEvent(petition=events[0].petition, actor=grid_worker, action="x", to_status="new")]
    )
    verdict = verify(stream(EVENTS))
    assert (verdict.problem, verdict.broken_row) == ("no_mac", slipped.pk)
    # generate_scale writes rows so, and then seals them: the trail is whole again.
    assert seal_everything()[EVENTS] == 1
    assert verify(stream(EVENTS)).intact


def test_moving_a_row_with_its_mac_to_another_petition_is_detected(events, grid_a1, grid_worker):
    other = f.make_petition(grid_a1, by=grid_worker)
    sql(f"UPDATE {EVENTS} SET petition_id = %s WHERE id = %s", [other.pk, events[1].pk])  # noqa: S608
    assert verify(stream(EVENTS)).problem == "edited"


def test_the_admin_log_is_sealed_and_its_tampering_found(organizer):
    departments = [f.make_department(name=name) for name in ("住建局", "教体局", "统计局")]
    model_admin = admin.site._registry[Department]
    request = RequestFactory().post("/")
    request.user = organizer
    model_admin.log_addition(request, departments[0], "added")
    entries = model_admin.log_deletions(
        request, Department.objects.filter(pk__in=[d.pk for d in departments[1:]])
    )
    assert len(entries) == 2  # written in bulk, sealed by the wrapper
    assert verify(stream(ADMIN_LOG)).rows == 3 and verify(stream(ADMIN_LOG)).intact
    table = LogEntry._meta.db_table
    sql(f"UPDATE {table} SET object_repr = %s WHERE id = %s", ["别的", entries[0].pk])  # noqa: S608
    assert (verify(stream(ADMIN_LOG)).problem, verify(stream(ADMIN_LOG)).broken_row) == (
        "edited",
        entries[0].pk,
    )
    sql(f"DELETE FROM {table} WHERE id = %s", [entries[0].pk])  # noqa: S608
    assert verify(stream(ADMIN_LOG)).problem == "entry_deleted"


def test_an_admin_log_entry_without_a_seal_is_found(organizer):
    entry = LogEntry.objects.bulk_create(
        [LogEntry(user=organizer, content_type=ContentType.objects.get_for_model(Department),
                  object_id="1", object_repr="住建局", action_flag=ADDITION)]
    )[0]  # fmt: skip
    verdict = verify(stream(ADMIN_LOG))
    assert (verdict.problem, verdict.broken_row) == ("no_mac", entry.pk)


def test_an_append_costs_one_locked_select_and_one_update(db, django_assert_num_queries):
    record(AuditEvent.Kind.LOGIN, username="first")
    # SELECT the head FOR UPDATE, INSERT the event, UPDATE the head.
    with django_assert_num_queries(3):
        record(AuditEvent.Kind.LOGIN, username="second")


def test_an_unknown_stream_is_refused(db):
    with pytest.raises(CommandError, match="Unknown stream"):
        call_command("verify_trails", "--stream", "nope")


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serializes writers anyway")
    start = threading.Barrier(4)

    def writer(n):
        try:
            start.wait()
            for i in range(10):
                record(AuditEvent.Kind.LOGIN, username=f"w{n}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    verdict = verify(stream(AUDIT))
    assert verdict.intact and verdict.rows == 40


def test_the_admin_shows_the_last_verification_to_organizers_only(
    events, organizer, street_a_staff, client, capsys
):
    url = reverse("admin:communities_auditevent_changelist")
    client.force_login(organizer)
    assert "verify_trails" in client.get(url).text  # not yet verified: says how
    sql(f"UPDATE {EVENTS} SET note = %s WHERE id = %s", ["改", events[1].pk])  # noqa: S608
    run_verify(capsys)
    page = client.get(url).text
    assert EVENTS in page and str(events[1].pk) in page
    street_a_staff.is_staff = True
    street_a_staff.save()
    client.force_login(street_a_staff)
    assert client.get(url).status_code == 302  # the admin is the district organizers' only
