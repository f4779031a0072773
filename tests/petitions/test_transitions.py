"""Petition transitions: every allowed and refused move, for each role; a whole life through all
four levels; deadlines in working days; the optimistic lock."""

import datetime

import pytest
from django.utils import timezone, translation

from petitions.models import CalendarDay, Category, DeadlineRule, Petition, PetitionEvent
from petitions.models.deadlines import add_working_days
from petitions.services import transitions as t
from petitions.services.transitions import TransitionError
from tests import factories as f


@pytest.fixture
def petition(grid_a1, grid_worker, casework_defaults):
    household = f.make_household(grid_a1)
    return Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        household=household, description="6号楼下水管道堵塞", created_by=grid_worker,
    )  # fmt: skip


def refused(func, petition, **kw):
    before = Petition.objects.get(pk=petition.pk)
    events = PetitionEvent.objects.count()
    with pytest.raises(TransitionError) as excinfo, translation.override("zh-hans"):
        func(petition, **kw)
    after = Petition.objects.get(pk=petition.pk)
    assert (after.status, after.level, after.version) == (
        before.status,
        before.level,
        before.version,
    )
    assert PetitionEvent.objects.count() == events
    return excinfo.value.message


def test_grid_worker_accepts_and_the_clock_starts(petition, grid_worker):
    t.accept(petition, by=grid_worker)
    assert petition.status == "accepted" and petition.assignee == grid_worker
    assert petition.accepted_at and petition.due_at > petition.accepted_at
    event = petition.events.get()
    assert (event.action, event.from_status, event.to_status) == ("accept", "new", "accepted")


@pytest.mark.parametrize("role", ["street_b_staff", "department_staff", "outsider"])
def test_officials_outside_the_scope_cannot_act(request, petition, role):
    user = request.getfixturevalue(role)
    assert t.allowed_actions(user, petition) == []
    refused(t.accept, petition, by=user)


def test_a_street_level_petition_is_not_handled_by_the_grid_worker(
    petition, grid_worker, community_staff, street_a_staff
):
    t.escalate(petition, by=grid_worker, reason="小区解决不了")
    t.escalate(petition, by=community_staff, reason="需要街道协调")
    assert petition.level == "street"
    assert "无权" in refused(t.accept, petition, by=grid_worker)
    assert "无权" in refused(t.accept, petition, by=community_staff)
    t.accept(petition, by=street_a_staff)


def test_escalation_and_return_need_a_reason(petition, grid_worker):
    assert "原因" in refused(t.escalate, petition, by=grid_worker, reason="  ")
    assert "原因" in refused(t.return_down, petition, by=grid_worker, reason="")


def test_a_compound_petition_cannot_be_returned_and_a_district_one_not_escalated(
    petition, grid_worker, organizer
):
    refused(t.return_down, petition, by=grid_worker, reason="不属本级")
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    assert petition.level == "district"
    refused(t.escalate, petition, by=organizer, reason="再上报")


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        (t.start_work, {}), (t.resolve, {"what_was_done": "疏通"}),
        (t.follow_up, {"satisfaction": "satisfied"}), (t.close, {}),
    ],
)  # fmt: skip
def test_moves_that_need_an_earlier_step_are_refused_from_new(
    petition, grid_worker, action, kwargs
):
    assert "不能" in refused(action, petition, by=grid_worker, **kwargs)


def test_close_only_after_a_follow_up(petition, grid_worker):
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="发动23户集资疏通")
    refused(t.close, petition, by=grid_worker)
    t.follow_up(petition, by=grid_worker, satisfaction="satisfied", comment="很满意")
    t.close(petition, by=grid_worker)
    assert petition.status == "closed" and petition.closed_at
    refused(t.withdraw, petition, by=grid_worker, reason="已结案")


def test_not_satisfied_reopens_and_counts_as_redone(petition, grid_worker):
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="临时处理")
    t.follow_up(petition, by=grid_worker, satisfaction="not", comment="还是堵")
    assert (petition.status, petition.reopen_count, petition.satisfaction) == (
        "in_progress",
        1,
        "not",
    )
    assert [e.action for e in petition.events.all()] == ["accept", "resolve", "follow_up", "reopen"]


def test_reject_and_withdraw_need_a_reason(petition, grid_worker):
    refused(t.reject, petition, by=grid_worker, reason="")
    t.withdraw(petition, by=grid_worker, reason="居民撤回")
    assert petition.status == "withdrawn"


def test_supervision_only_by_street_or_district_and_only_when_overdue(
    petition, grid_worker, street_a_staff
):
    t.accept(petition, by=grid_worker)
    assert "街道或区" in refused(t.supervise, petition, by=grid_worker, instruction="抓紧")
    assert "逾期" in refused(t.supervise, petition, by=street_a_staff, instruction="抓紧")
    assert "supervise" not in t.allowed_actions(street_a_staff, petition)
    Petition.objects.filter(pk=petition.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    petition.refresh_from_db()
    assert "supervise" in t.allowed_actions(street_a_staff, petition)
    t.supervise(petition, by=street_a_staff, instruction="三日内办结")
    assert petition.supervised_at and not petition.events.last().public


def test_a_stale_petition_is_refused_and_changes_nothing(petition, grid_worker, community_staff):
    stale = Petition.objects.get(pk=petition.pk)
    t.accept(petition, by=grid_worker)
    assert "已被修改" in refused(t.accept, stale, by=community_staff)
    stale.refresh_from_db()
    assert stale.assignee == grid_worker


def test_a_whole_life_through_all_four_levels(
    petition, grid_worker, community_staff, street_a_staff, organizer
):
    t.escalate(petition, by=grid_worker, reason="小区解决不了")
    t.escalate(petition, by=community_staff, reason="需要街道协调")
    t.escalate(petition, by=street_a_staff, reason="需要区直部门")
    assert petition.level == "district"
    t.accept(petition, by=organizer)
    t.start_work(petition, by=organizer)
    t.respond(petition, by=organizer, note="电话联系居民")
    t.resolve(petition, by=organizer, what_was_done="住建局更换管网")
    t.follow_up(petition, by=organizer, satisfaction="basically")
    t.close(petition, by=organizer)
    actions = [e.action for e in petition.events.all()]
    assert actions == [
        "escalate",
        "escalate",
        "escalate",
        "accept",
        "start",
        "respond",
        "resolve",
        "follow_up",
        "close",
    ]
    assert petition.status == "closed" and petition.responded_at


def test_deadlines_count_working_days_with_holidays_and_make_up_days(db):
    friday = datetime.date(2026, 9, 25)
    assert add_working_days(friday, 1) == datetime.date(2026, 9, 28)  # over the weekend
    CalendarDay.objects.create(date=datetime.date(2026, 9, 28), is_workday=False, note="假日")
    CalendarDay.objects.create(date=datetime.date(2026, 9, 27), is_workday=True, note="调休上班")
    assert add_working_days(friday, 1) == datetime.date(2026, 9, 27)  # the make-up Sunday
    assert add_working_days(friday, 2) == datetime.date(2026, 9, 29)  # the holiday skipped


def test_deadline_rule_of_the_category_wins_over_the_default(petition, grid_worker):
    DeadlineRule.objects.create(category=None, level="compound", working_days=7)
    DeadlineRule.objects.create(
        category=petition.category, level="compound", working_days=2, response_hours=2
    )
    t.accept(petition, by=grid_worker)
    local = timezone.localtime(petition.accepted_at).date()
    assert timezone.localtime(petition.due_at).date() == add_working_days(local, 2)
    assert petition.respond_by - petition.accepted_at == datetime.timedelta(hours=2)


def test_district_dispatches_to_a_department_which_then_handles_it(
    petition, organizer, department_staff, department, street_a_staff, grid_worker
):
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    assert not Petition.objects.visible_to(department_staff).exists()
    refused(t.accept, petition, by=department_staff)
    assert "无权" in refused(t.dispatch, petition, by=street_a_staff, department=department)
    t.dispatch(petition, by=organizer, department=department)
    assert list(Petition.objects.visible_to(department_staff)) == [petition]
    t.accept(petition, by=department_staff)
    t.resolve(petition, by=department_staff, what_was_done="住建局维修")
    assert petition.status == "resolved"
    # Asking the resident and closing belong to the officials near the resident.
    assert "follow_up" not in t.allowed_actions(department_staff, petition)
    t.follow_up(petition, by=grid_worker, satisfaction="satisfied")
    t.close(petition, by=grid_worker)
    assert petition.status == "closed"


def test_dispatch_is_only_for_district_petitions(petition, organizer, department):
    assert "只有区" in refused(t.dispatch, petition, by=organizer, department=department)


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
