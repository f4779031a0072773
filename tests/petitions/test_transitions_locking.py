"""Two officials at once: the row is locked and judged as locked, the version the official saw
is compared, and exactly one of two crossing transitions succeeds (docs/petition-states.md)."""

import pytest

from petitions.models import Petition, PetitionEvent
from petitions.services import transitions as t
from petitions.services.transitions import TransitionError
from tests.petitions.refusals import refused


def test_a_stale_petition_is_refused_and_changes_nothing(petition, grid_worker, community_staff):
    stale = Petition.objects.get(pk=petition.pk)
    t.accept(petition, by=grid_worker)
    assert "已被修改" in refused(t.accept, stale, by=community_staff)
    stale.refresh_from_db()
    assert stale.assignee == grid_worker


@pytest.mark.django_db(transaction=True)
def test_two_officials_accepting_at_once_exactly_one_succeeds(request):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; the version check is tested above")
    petition = request.getfixturevalue("petition")
    users = [request.getfixturevalue("grid_worker"), request.getfixturevalue("community_staff")]
    barrier = threading.Barrier(2)
    results = []

    def accept_as(user):
        seen = Petition.objects.get(pk=petition.pk)
        barrier.wait()
        try:
            t.accept(seen, by=user)
            results.append("ok")
        except TransitionError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept_as, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert PetitionEvent.objects.filter(petition=petition).count() == 1


def changed_behind_the_pages_back(petition, **changes):
    """What another official's committed transition does to the row: new values, version + 1."""
    from django.db.models import F

    Petition.objects.filter(pk=petition.pk).update(version=F("version") + 1, **changes)


def test_a_rejected_petition_is_not_accepted_by_a_post_carrying_its_new_version(
    petition, grid_worker
):
    seen = Petition.objects.get(pk=petition.pk)  # the view's read, before the transaction
    changed_behind_the_pages_back(petition, status="rejected")
    seen.version += 1  # the version the crafted POST carries matches the row again
    message = refused(t.accept, seen, by=grid_worker)
    assert "不予受理" in message
    assert not PetitionEvent.objects.filter(petition=petition).exists()


def test_a_grid_worker_cannot_resolve_a_petition_escalated_meanwhile(petition, grid_worker):
    t.accept(petition, by=grid_worker)
    seen = Petition.objects.get(pk=petition.pk)
    changed_behind_the_pages_back(petition, level="community", status="new")
    seen.version += 1
    refused(t.resolve, seen, by=grid_worker, what_was_done="疏通")
    assert list(petition.events.values_list("action", "from_status")) == [("accept", "new")]


def test_the_event_records_the_status_the_row_had_when_locked(petition, grid_worker):
    seen = Petition.objects.get(pk=petition.pk)
    changed_behind_the_pages_back(petition, status="accepted")
    seen.version += 1
    t.start_work(seen, by=grid_worker)  # allowed from the real status, not from the stale "new"
    event = petition.events.get()
    assert (event.from_status, event.to_status) == ("accepted", "in_progress")


@pytest.mark.django_db(transaction=True)
def test_a_transition_waiting_for_the_lock_is_judged_on_the_committed_row(request):
    """PostgreSQL: another official's rejection holds the row; an accept carrying the version
    that rejection will leave waits for the lock, then is refused on the rejected row."""
    import threading
    import time

    from django.db import connection, connections, transaction
    from django.db.models import F

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; the SQLite equivalent is the test above")
    petition = request.getfixturevalue("petition")
    grid_worker = request.getfixturevalue("grid_worker")
    seen = Petition.objects.get(pk=petition.pk)
    holding = threading.Event()
    results = []

    def reject_slowly():
        try:
            with transaction.atomic():
                Petition.objects.filter(pk=petition.pk).update(
                    status="rejected", version=F("version") + 1
                )
                holding.set()
                time.sleep(0.5)
        finally:
            connections.close_all()

    def accept_with_the_next_version():
        holding.wait()
        seen.version += 1
        try:
            t.accept(seen, by=grid_worker)
            results.append("accepted")
        except TransitionError as error:
            results.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reject_slowly),
               threading.Thread(target=accept_with_the_next_version)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results != ["accepted"]
    petition.refresh_from_db()
    assert petition.status == "rejected"
    assert not PetitionEvent.objects.filter(petition=petition).exists()


@pytest.mark.django_db(transaction=True)
def test_two_crossing_merges_at_once_one_succeeds_and_none_deadlocks(request):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    first = request.getfixturevalue("petition")
    grid_worker = request.getfixturevalue("grid_worker")
    second = Petition.objects.create(
        source="wechat", category=first.category, grid=first.grid, description="同一处堵塞",
        created_by=grid_worker,
    )  # fmt: skip
    barrier = threading.Barrier(2)
    results = []

    def merge(pk, into_pk):
        petition, into = Petition.objects.get(pk=pk), Petition.objects.get(pk=into_pk)
        barrier.wait()
        try:
            t.merge(petition, by=grid_worker, into=into)
            results.append("merged")
        except TransitionError:
            results.append("refused")
        except Exception as error:  # noqa: BLE001 - a deadlock is what this test looks for
            results.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=merge, args=(first.pk, second.pk)),
               threading.Thread(target=merge, args=(second.pk, first.pk))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["merged", "refused"]
    assert PetitionEvent.objects.filter(action="merge").count() == 1
