"""Petition transitions, told as stories: a whole life through all four levels, each verb's own
checks, deadlines in working days. The matrix of who may do what from where is
test_transitions_matrix.py; two officials at once, test_transitions_locking.py."""

import datetime

import pytest
from django.utils import timezone

from petitions.models import CalendarDay, DeadlineRule, Petition
from petitions.models.deadlines import add_working_days
from petitions.services import transitions as t
from tests import factories as f
from tests.petitions.refusals import refused


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


def test_escalation_and_return_need_a_reason(petition, grid_worker, community_staff):
    assert "原因" in refused(t.escalate, petition, by=grid_worker, reason="  ")
    t.escalate(petition, by=grid_worker, reason="小区解决不了")
    assert "原因" in refused(t.return_down, petition, by=community_staff, reason="")


def test_a_compound_petition_cannot_be_returned_and_a_district_one_not_escalated(
    petition, grid_worker, organizer
):
    refused(t.return_down, petition, by=grid_worker, reason="不属本级")
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    assert petition.level == "district"
    refused(t.escalate, petition, by=organizer, reason="再上报")


def test_close_only_after_a_follow_up(petition, grid_worker):
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="发动23户集资疏通")
    refused(t.close, petition, by=grid_worker)
    t.follow_up(petition, by=grid_worker, satisfaction="satisfied", comment="很满意")
    # the timeline says what the resident answered, not only that they were asked
    assert petition.events.get(action="follow_up").note == "满意：很满意"
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
    assert petition.events.get(action="follow_up").note == "不满意：还是堵"


def test_reject_and_withdraw_need_a_reason(petition, grid_worker):
    refused(t.reject, petition, by=grid_worker, reason="")
    t.withdraw(petition, by=grid_worker, reason="居民撤回")
    assert petition.status == "withdrawn"


def test_supervision_only_by_street_or_district_and_only_when_overdue(
    petition, grid_worker, street_a_staff
):
    t.accept(petition, by=grid_worker)
    assert "街道只能督办" in refused(t.supervise, petition, by=grid_worker, instruction="抓紧")
    assert "逾期" in refused(t.supervise, petition, by=street_a_staff, instruction="抓紧")
    assert "supervise" not in t.allowed_actions(street_a_staff, petition)
    Petition.objects.filter(pk=petition.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    petition.refresh_from_db()
    assert "supervise" in t.allowed_actions(street_a_staff, petition)
    t.supervise(petition, by=street_a_staff, instruction="三日内办结")
    assert petition.supervised_at and not petition.events.last().public


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


@pytest.mark.parametrize(
    ("urgency", "respond"),
    [("urgent", datetime.timedelta(hours=2)), ("emergency", datetime.timedelta(minutes=30))],
)
def test_an_urgent_petition_is_answered_within_its_urgencys_limit(
    petition, grid_worker, urgency, respond
):
    """紧急 and 特急 are answered within hours; they are solved within the category's days."""
    Petition.objects.filter(pk=petition.pk).update(urgency=urgency)
    petition.refresh_from_db()
    t.accept(petition, by=grid_worker)
    assert petition.respond_by - petition.accepted_at == respond
    local = timezone.localtime(petition.accepted_at).date()
    assert timezone.localtime(petition.due_at).date() == add_working_days(local, 7)


def test_a_category_rule_shorter_than_the_urgency_keeps_its_own_limits(petition, grid_worker):
    DeadlineRule.objects.create(
        category=petition.category, level="compound", working_days=2, response_hours=1
    )
    Petition.objects.filter(pk=petition.pk).update(urgency="urgent")
    petition.refresh_from_db()
    t.accept(petition, by=grid_worker)
    assert petition.respond_by - petition.accepted_at == datetime.timedelta(hours=1)


def test_a_normal_petition_keeps_the_working_days(petition, grid_worker):
    t.accept(petition, by=grid_worker)
    local = timezone.localtime(petition.accepted_at).date()
    assert timezone.localtime(petition.due_at).date() == add_working_days(local, 7)


def test_district_dispatches_to_a_department_which_then_handles_it(
    petition, organizer, department_staff, department, street_a_staff, grid_worker
):
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    assert not Petition.objects.visible_to(department_staff).exists()
    refused(t.accept, petition, by=department_staff)
    assert "只有区" in refused(t.dispatch, petition, by=street_a_staff, department=department)
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


def to_district(petition, organizer):
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")


def test_resolve_records_cost_public_money_and_each_households_contribution(
    petition, grid_worker, grid_a1
):
    from decimal import Decimal

    t.accept(petition, by=grid_worker)
    payers = [f.make_household(grid_a1) for _ in range(23)]
    t.resolve(
        petition, by=grid_worker, what_was_done="23户集资疏通下水管道", cost=Decimal("2300"),
        public_money=Decimal("0"), contributions=[(h, Decimal("100")) for h in payers],
    )  # fmt: skip
    assert petition.cost == Decimal("2300") and petition.contributions.count() == 23
    assert sum(c.amount for c in petition.contributions.all()) == Decimal("2300")


def test_resolve_refuses_bad_money_and_saves_nothing(petition, grid_worker, grid_a1):
    from decimal import Decimal

    t.accept(petition, by=grid_worker)
    payer = f.make_household(grid_a1)
    assert "正数" in refused(
        t.resolve,
        petition,
        by=grid_worker,
        what_was_done="x",
        contributions=[(payer, Decimal("-5"))],
    )
    refused(
        t.resolve,
        petition,
        by=grid_worker,
        what_was_done="x",
        contributions=[(payer, Decimal("5")), (payer, Decimal("5"))],
    )
    refused(t.resolve, petition, by=grid_worker, what_was_done="x", cost=Decimal("-1"))
    assert not petition.contributions.exists()


def test_return_names_a_standard_reason_and_a_department_hands_back_to_the_district(
    petition, organizer, department, department_staff, community_staff, grid_worker
):
    t.escalate(petition, by=grid_worker, reason="小区解决不了")
    assert "标准" in refused(
        t.return_down, petition, by=community_staff, reason="x", code="nonsense"
    )
    t.return_down(petition, by=community_staff, reason="属于小区物业", code="ownership")
    assert (petition.level, petition.return_reason) == ("compound", "ownership")
    to_district(petition, organizer)
    t.dispatch(petition, by=organizer, department=department)
    t.return_down(petition, by=department_staff, reason="不属于住建局", code="duties")
    assert (petition.level, petition.department) == ("district", None)
    assert not Petition.objects.visible_to(department_staff).filter(pk=petition.pk).exists()
    # The district refuses the return: it dispatches the petition again.
    t.dispatch(petition, by=organizer, department=department, note="退单不予认可,请继续办理")
    assert petition.department == department


def test_assign_to_an_official_who_can_handle_it(
    petition, community_staff, grid_worker, street_b_staff
):
    t.assign(petition, by=community_staff, assignee=grid_worker)
    assert petition.assignee == grid_worker
    assert "不能办理" in refused(t.assign, petition, by=community_staff, assignee=street_b_staff)


def test_merge_into_another_open_petition(petition, grid_worker, grid_a1):
    other = Petition.objects.create(
        source="wechat", category=petition.category, grid=grid_a1, description="同一处堵塞",
        created_by=grid_worker,
    )  # fmt: skip
    refused(t.merge, petition, by=grid_worker, into=petition)
    t.merge(other, by=grid_worker, into=petition)
    assert (other.status, other.merged_into) == ("merged", petition)
    refused(t.merge, petition, by=grid_worker, into=other)  # merged is not open


def test_a_repeat_is_recorded_and_merged_at_once_or_not_at_all(petition, grid_worker):
    from petitions.services.intake import open_petition

    recording = {"by": grid_worker, "source": "walk_in", "category": petition.category,
                 "description": "又堵了", "household": petition.household}  # fmt: skip
    t.withdraw(Petition.objects.get(pk=petition.pk), by=grid_worker, reason="居民撤回")
    count = Petition.objects.count()
    with pytest.raises(t.TransitionError):  # a withdrawn petition takes no repeats
        open_petition(**recording, merge_into=petition)
    assert Petition.objects.count() == count  # the new one was not kept either
    other = open_petition(**recording)
    repeat = open_petition(**recording, merge_into=other)
    assert (repeat.status, repeat.merged_into) == ("merged", other)


def test_extension_is_requested_by_the_handler_and_decided_one_level_up(
    petition, grid_worker, community_staff, street_a_staff
):
    t.accept(petition, by=grid_worker)
    later = petition.due_at + datetime.timedelta(days=5)
    refused(t.request_extension, petition, by=grid_worker, until=petition.due_at, reason="施工")
    t.request_extension(petition, by=grid_worker, until=later, reason="需要采购管材")
    refused(t.request_extension, petition, by=grid_worker, until=later, reason="再延")
    assert "decide_extension" not in t.allowed_actions(grid_worker, petition)
    refused(t.decide_extension, petition, by=grid_worker, approve=True)
    assert "decide_extension" in t.allowed_actions(community_staff, petition)
    t.decide_extension(petition, by=community_staff, approve=True)
    assert petition.due_at == later and petition.extension_requested_until is None


def test_assisting_departments_record_their_part_and_the_lead_resolves(
    petition, organizer, department, department_staff, district
):
    greening = f.make_department(district, name="园林中心")
    gardener = f.make_official("gardener", name="园林中心 周", department=greening)
    to_district(petition, organizer)
    t.dispatch(petition, by=organizer, department=department)
    refused(t.add_assisting, petition, by=organizer, department=department)
    t.add_assisting(petition, by=organizer, department=greening)
    assert list(Petition.objects.visible_to(gardener)) == [petition]
    t.accept(petition, by=department_staff)
    refused(t.record_part, petition, by=department_staff, part="x")  # the lead is not assisting
    assert t.allowed_actions(gardener, petition) == ["record_part"]  # it assists, it does not lead
    t.record_part(petition, by=gardener, part="种植行道绿化树")
    refused(t.resolve, petition, by=gardener, what_was_done="x")
    t.resolve(petition, by=department_staff, what_was_done="健身广场建成")
    assert "园林中心: 种植行道绿化树" in [e.note for e in petition.events.all()]


def test_the_district_ledger_from_putting_on_to_signing_off(
    petition, organizer, department, grid_worker
):
    to_district(petition, organizer)
    target = timezone.localdate() + datetime.timedelta(days=180)
    refused(t.put_on_ledger, petition, by=organizer, owner=department, target=timezone.localdate())
    t.put_on_ledger(petition, by=organizer, owner=department, target=target)
    assert (petition.ledger_owner, petition.ledger_target) == (department, target)
    refused(t.sign_off, petition, by=organizer)  # not closed yet
    t.accept(petition, by=organizer)
    t.resolve(petition, by=organizer, what_was_done="老旧小区改造完成")
    t.follow_up(petition, by=grid_worker, satisfaction="satisfied")
    t.close(petition, by=grid_worker)
    refused(t.sign_off, petition, by=grid_worker)
    t.sign_off(petition, by=organizer)
    assert petition.ledger_signed_off_at


def test_a_department_returns_what_was_dispatched_to_it_and_may_not_reject_or_withdraw_it(
    petition, organizer, department, department_staff
):
    to_district(petition, organizer)
    t.dispatch(petition, by=organizer, department=department)
    assert set(t.allowed_actions(department_staff, petition)) == {"accept", "return"}
    for action in (t.reject, t.withdraw):
        assert "退回" in refused(action, petition, by=department_staff, reason="不归我们管")
    t.accept(petition, by=department_staff)
    assert set(t.allowed_actions(department_staff, petition)) == {
        "start", "respond", "return", "resolve", "request_extension",
    }  # fmt: skip
    refused(t.reject, petition, by=department_staff, reason="不归我们管")
    refused(t.escalate, petition, by=department_staff, reason="再上报")
    refused(t.assign, petition, by=department_staff, assignee=department_staff)


def test_nobody_withdraws_a_resolved_petition(petition, grid_worker, organizer):
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="疏通")
    for user in (grid_worker, organizer):
        assert "withdraw" not in t.allowed_actions(user, petition)
        refused(t.withdraw, petition, by=user, reason="撤回")
    t.follow_up(petition, by=grid_worker, satisfaction="satisfied")
    refused(t.withdraw, petition, by=organizer, reason="撤回")


def test_a_district_petition_is_not_offered_escalation(petition, organizer):
    to_district(petition, organizer)
    assert "escalate" not in t.allowed_actions(organizer, petition)
    assert "区级" in refused(t.escalate, petition, by=organizer, reason="再上报")


def test_a_petition_resolved_twice_keeps_both_resolutions_figures(petition, grid_worker, grid_a1):
    from decimal import Decimal

    payer = f.make_household(grid_a1)
    t.accept(petition, by=grid_worker)
    t.resolve(petition, by=grid_worker, what_was_done="临时疏通", cost=Decimal("300"),
              public_money=Decimal("300"))  # fmt: skip
    t.follow_up(petition, by=grid_worker, satisfaction="not", comment="还是堵")
    t.resolve(petition, by=grid_worker, what_was_done="更换管道", cost=Decimal("2300"),
              public_money=Decimal("2000"), contributions=[(payer, Decimal("300"))])  # fmt: skip
    first, second = petition.resolutions.all()
    assert (first.cost, first.public_money, first.residents_money) == (300, 300, 0)
    assert (second.cost, second.public_money, second.residents_money) == (2300, 2000, 300)
    assert first.event.note == "临时疏通" and second.event.note == "更换管道"
    assert [c.resolution for c in petition.contributions.all()] == [second]
