"""The transition matrix, generated from the registry: every verb × every status × every level
× every role, on a plain petition and on one with everything pending (overdue, an extension
asked for, on the ledger, an assisting department, at district level dispatched to it).

A verb is offered exactly when its rule says (its statuses, its levels, its `who`, and the level
rules: who sees the petition and whose area reaches its level), an offered verb's service
succeeds, and a refused one raises TransitionError and changes nothing (a verb refused by the
status alone is called once per status, by the organizer; the others by every role). The rules
are written once, in `petitions/services/rules.py`; this test holds no second copy of them, only
who serves where (REACH) as the cast in tests/conftest.py is built.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone, translation

from core.workflow import WorkflowForm
from petitions.actions import ACTIONS
from petitions.models import Category, Petition, PetitionEvent
from petitions.services import transitions as t
from petitions.services.rules import DECIDED_ELSEWHERE, NEAR_THE_RESIDENT
from tests import factories as f

ROLES = ["grid_worker", "community_staff", "street_a_staff", "street_b_staff", "organizer",
         "department_staff", "outsider"]  # fmt: skip
# The petition lies in grid 1 of 新村社区 (street A): the petition levels each role's area reaches.
REACH = {
    "grid_worker": {"compound"},
    "community_staff": {"compound", "community"},
    "street_a_staff": {"compound", "community", "street"},
    "organizer": set(Petition.LEVELS),
}
NEAR = {"grid_worker", "community_staff", "street_a_staff", "organizer"}  # they serve an area


def arguments(verb, petition, user, world):
    """What the page's form would hand the service: valid, so that only the rule decides."""
    now = timezone.now()
    return {
        "accept": {}, "start": {}, "close": {}, "sign_off": {},
        "dispatch": {"department": world["department"]},
        "assign": {"assignee": user},
        "respond": {"note": "电话联系"},
        "escalate": {"reason": "上报"},
        "return": {"reason": "退回", "code": "other"},
        "resolve": {"what_was_done": "已疏通"},
        "follow_up": {"satisfaction": "satisfied"},
        "reject": {"reason": "不予受理"},
        "withdraw": {"reason": "撤回"},
        "supervise": {"instruction": "抓紧"},
        "merge": {"into": world["other"]},
        "request_extension": {"until": (petition.due_at or now) + datetime.timedelta(days=60),
                              "reason": "延期"},
        "decide_extension": {"approve": True},
        "add_assisting": {"department": world["second_department"]},
        "record_part": {"part": "协办"},
        "put_on_ledger": {"owner": world["department"],
                          "target": timezone.localdate() + datetime.timedelta(days=90)},
        "raise_grade": {"reason": "升级"},
        "instruct": {"leader": "区委书记", "instruction": "抓紧"},
        "coordinate": {"departments": [world["second_department"]]},
        "ledger_progress": {"progress": "进展"},
    }[verb]  # fmt: skip


def petition_at(status, level, pending, world):
    """A petition in `status` at `level`, written as the services would have left it."""
    now = timezone.now()
    working = status != "new"
    petition = Petition.objects.create(
        source="walk_in", category=world["category"], grid=world["grid"], description="矩阵测试",
        created_by=world["author"], status=status, level=level,
        accepted_at=now if working else None,
        due_at=(now - datetime.timedelta(hours=1) if pending else now + datetime.timedelta(days=7))
        if working else None,
        extension_requested_until=now + datetime.timedelta(days=30) if pending and working
        else None,
        department=world["department"] if pending and level == "district" else None,
        ledger_owner=world["department"] if pending else None,
        ledger_target=timezone.localdate() + datetime.timedelta(days=90) if pending else None,
    )  # fmt: skip
    if pending:
        petition.assisting_departments.add(world["department"])
    return petition


def expected_verbs(role, user, petition, pending):
    dispatched_here = pending and petition.level == "district" and role == "department_staff"
    sees = role in NEAR or (pending and role == "department_staff")
    expected = set()
    for verb, action in ACTIONS.items():
        rule = action.rule
        if verb in NEAR_THE_RESIDENT:
            reach = role in NEAR
        elif verb in DECIDED_ELSEWHERE:
            reach = True  # the rule's `who` says who
        else:
            reach = dispatched_here or petition.level in REACH.get(role, ())
        if (
            petition.status in rule.sources
            and sees
            and reach
            and not rule.refuses_here(user, petition)
        ):
            expected.add(verb)
    return expected


class _Undo(Exception):
    pass


def _state(petition):
    row = Petition.objects.get(pk=petition.pk)
    return row.status, row.level, row.version, PetitionEvent.objects.count()


@pytest.mark.parametrize("pending", [False, True], ids=["plain", "pending"])
@pytest.mark.parametrize("level", Petition.LEVELS)
def test_every_verb_is_offered_and_done_exactly_when_its_rule_says(
    request, level, pending, grid_a1, grid_worker, department, casework_defaults
):
    world = {
        "grid": grid_a1, "author": grid_worker, "department": department,
        "second_department": f.make_department(department.district, name="水利局"),
        "category": Category.objects.get(name="其他"),
    }  # fmt: skip
    world["other"] = petition_at("new", "compound", False, world)  # to merge into
    users = {role: request.getfixturevalue(role) for role in ROLES}
    for status in Petition.Status.values:
        petition = petition_at(status, level, pending, world)
        for role, user in users.items():
            expected = expected_verbs(role, user, petition, pending)
            offered = set(t.allowed_actions(user, petition))
            assert offered == expected, (status, level, role, sorted(offered ^ expected))
            before = _state(petition)
            row = Petition.objects.get(pk=petition.pk)  # refusals leave it as it is
            for verb in sorted(set(ACTIONS) - offered):
                if status not in ACTIONS[verb].rule.sources and role != "organizer":
                    continue  # refused by status alone: called once per status, as organizer
                with pytest.raises(t.TransitionError):
                    ACTIONS[verb].service(row, by=user, **arguments(verb, row, user, world))
            assert _state(petition) == before, (status, level, role)
            for verb in offered:
                fresh = Petition.objects.get(pk=petition.pk)
                try:
                    with transaction.atomic():
                        ACTIONS[verb].service(fresh, by=user, **arguments(verb, fresh, user, world))
                        raise _Undo
                except _Undo:
                    pass


def test_every_transition_has_a_form_a_verb_label_a_service_and_its_docs_entry():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "petition-states.md").read_text()
    diagram = docs.split("```")[1]
    assert list(ACTIONS) == list(t.RULES)
    with translation.override("zh-hans"):
        for verb, action in ACTIONS.items():
            assert issubclass(action.form, WorkflowForm), verb
            assert callable(action.service) and action.service.__doc__, verb
            assert set(action.rule.sources) <= set(Petition.Status.values), verb
            assert action.rule.levels is None or set(action.rule.levels) <= set(Petition.LEVELS)
            label = str(action.label)
            assert label != verb and not label.startswith("已"), verb  # a verb, not a state
            assert f"| `{verb}` | {label} |" in docs, verb
            assert re.search(rf"\b{verb}\b", diagram), f"{verb} is missing from the diagram"
