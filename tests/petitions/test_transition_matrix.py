"""Every transition × every role, on a petition at compound level in each working status:
exactly the expected ones are offered, and every other one is refused without changing a thing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from petitions.actions import ACTIONS
from petitions.models import Category, Petition
from petitions.services import transitions as t

ROLES = ["grid_worker", "community_staff", "street_a_staff", "street_b_staff", "organizer",
         "department_staff", "outsider"]  # fmt: skip
HANDLERS = {"grid_worker", "community_staff", "street_a_staff", "organizer"}
# status -> what a handler of a compound-level petition (not overdue, no extension pending) may do
EXPECTED = {
    "new": {"accept", "escalate", "reject", "withdraw", "assign", "merge"},
    "accepted": {"start", "respond", "escalate", "resolve", "reject", "withdraw", "assign", "merge",
                 "request_extension"},
    "resolved": {"follow_up"},
    "followed_up": {"close"},
}  # fmt: skip
# Not offered here by design: return (compound is the lowest level), dispatch, add_assisting and
# put_on_ledger (district petitions only), supervise (overdue petitions only), decide_extension
# (no pending request), record_part (assisting departments only), sign_off and ledger_progress
# (ledger items only), raise_grade and instruct (区委办 only), coordinate (street level only).
CALLS = {
    "accept": {}, "start": {}, "respond": {"note": "电话"}, "escalate": {"reason": "上报"},
    "return": {"reason": "退回", "code": "other"}, "resolve": {"what_was_done": "已处理"},
    "follow_up": {"satisfaction": "satisfied"}, "close": {}, "reject": {"reason": "不予受理"},
    "withdraw": {"reason": "撤回"}, "supervise": {"instruction": "抓紧"},
    "request_extension": {"reason": "延期", "until": None}, "decide_extension": {"approve": True},
    "record_part": {"part": "协办"}, "sign_off": {},
    "raise_grade": {"reason": "升级"}, "instruct": {"leader": "区委书记", "instruction": "抓紧"},
    "coordinate": {"departments": []}, "ledger_progress": {"progress": "进展"},
}  # fmt: skip
FUNCTIONS = {verb: ACTIONS[verb].service for verb in CALLS}  # the page's registry


def petition_in(status, grid, author, handler):
    petition = Petition.objects.create(
        source="walk_in", category=Category.objects.get(name="其他"), grid=grid,
        description="矩阵测试", created_by=author,
    )  # fmt: skip
    if status != "new":
        t.accept(petition, by=handler)
    if status in ("resolved", "followed_up"):
        t.resolve(petition, by=handler, what_was_done="已处理", cost=Decimal("0"))
    if status == "followed_up":
        t.follow_up(petition, by=handler, satisfaction="basically")
    return petition


@pytest.mark.parametrize("status", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_offered_exactly_its_transitions_and_refused_the_rest(
    request, role, status, grid_a1, grid_worker, casework_defaults
):
    user = request.getfixturevalue(role)
    petition = petition_in(status, grid_a1, grid_worker, grid_worker)
    offered = set(t.allowed_actions(user, petition))
    expected = EXPECTED[status] if role in HANDLERS else set()
    if role in HANDLERS and status in ("resolved", "followed_up"):
        expected = EXPECTED[status]  # asking and closing: any official near the resident
    assert offered == expected, (role, status, sorted(offered ^ expected))
    for action, func in FUNCTIONS.items():
        if action in offered:
            continue
        kwargs = dict(CALLS[action])
        if action == "request_extension":
            kwargs["until"] = timezone.now() + datetime.timedelta(days=30)
        before = Petition.objects.get(pk=petition.pk)
        with pytest.raises(t.TransitionError):
            func(Petition.objects.get(pk=petition.pk), by=user, **kwargs)
        after = Petition.objects.get(pk=petition.pk)
        assert (after.status, after.level, after.version) == (
            before.status,
            before.level,
            before.version,
        )


def test_every_action_has_one_registry_entry_its_docs_row_and_a_verb_for_a_button():
    from pathlib import Path

    from django.utils import translation

    from petitions.actions import ACTIONS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "petition-states.md").read_text()
    assert list(ACTIONS) == list(t.RULES)
    with translation.override("zh-hans"):
        for verb, action in ACTIONS.items():
            label = str(action.label)
            assert f"| `{verb}` | {label} |" in docs, verb
            assert not label.startswith("已"), (verb, label)  # a verb, not a state


# A district petition dispatched to 住建局: what the organizer and the department are offered.
DISTRICT_EXPECTED = {
    ("organizer", "new"): {"accept", "dispatch", "assign", "return", "reject", "withdraw",
                           "merge", "add_assisting", "put_on_ledger"},
    ("organizer", "accepted"): {"start", "respond", "assign", "return", "resolve", "reject",
                                "withdraw", "merge", "request_extension", "add_assisting",
                                "put_on_ledger"},
    ("department_staff", "new"): {"accept", "return"},
    ("department_staff", "accepted"): {"start", "respond", "return", "resolve",
                                       "request_extension"},
}  # fmt: skip


@pytest.mark.parametrize(("role", "status"), list(DISTRICT_EXPECTED))
def test_at_district_level_nobody_escalates_and_the_department_only_handles_or_returns(
    request, role, status, grid_a1, grid_worker, organizer, department, casework_defaults
):
    user = request.getfixturevalue(role)
    petition = petition_in("new", grid_a1, grid_worker, grid_worker)
    for _ in range(3):
        t.escalate(petition, by=organizer, reason="上报")
    t.dispatch(petition, by=organizer, department=department)
    if status == "accepted":
        t.accept(petition, by=user)
    offered = set(t.allowed_actions(user, petition))
    assert offered == DISTRICT_EXPECTED[role, status], sorted(
        offered ^ DISTRICT_EXPECTED[role, status]
    )
    for action, func in FUNCTIONS.items():
        if action in offered:
            continue
        kwargs = dict(CALLS[action])
        if action == "request_extension":
            kwargs["until"] = timezone.now() + datetime.timedelta(days=30)
        before = Petition.objects.get(pk=petition.pk)
        with pytest.raises(t.TransitionError):
            func(Petition.objects.get(pk=petition.pk), by=user, **kwargs)
        after = Petition.objects.get(pk=petition.pk)
        assert (after.status, after.level, after.version) == (
            before.status, before.level, before.version,
        )  # fmt: skip
