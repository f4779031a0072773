"""A casework's transitions, each defined once: the machinery behind petitions (and disputes).

A casework is a model with a `status`, a `version` and usually a `level`, whose every change of
status is a *transition*: a verb an official takes, allowed from some statuses and levels to
some people, that writes the row and one immutable event. This module knows no app; a casework
declares three things and gets the rest:

- `Rule`: one transition as data (verb, the button's label as a verb, the statuses and levels
  it starts from, who may take it beyond the casework's level rules, and why it refuses).
- `Workflow`: the casework's rules plus its model, event model and two questions only it can
  answer (does the user see this row; does their area reach its level). It gives `refusal`
  (the one decision), `allowed` (what a page offers), `guard` (lock the row, compare the
  version, decide on the row as locked) and `apply` (the only writer of status: status +
  version + event, in one step).
- `Registry`: one page action per rule: its form (a `WorkflowForm`, validates input only) and
  its service (a function `service(obj, *, by, **cleaned_data)`). Views, the page's action list,
  the matrix tests and the docs read it.

A second casework (disputes) in about thirty lines::

    # disputes/services/rules.py: who may do what
    from django.utils.translation import gettext_lazy, pgettext_lazy
    from communities.scoping import get_scope, reaches
    from core.workflow import Messages, Rule, Workflow
    from ..models import Dispute, DisputeEvent
    from .inbox import notify

    def _verb(text):
        return pgettext_lazy("dispute action", text)

    WORKFLOW = Workflow(
        model=Dispute, event_model=DisputeEvent, event_to="dispute",
        rules=[
            Rule("accept", _verb("accept"), ("new",)),
            Rule("mediate", _verb("mediate"), ("accepted",),
                 who=lambda user, dispute: get_scope(user).serves("community"),
                 refusal=gettext_lazy("Only community mediators mediate.")),
            Rule("escalate", _verb("escalate"), ("new", "accepted"),
                 levels=("community", "street"),
                 refusal=gettext_lazy("A district dispute cannot be escalated further.")),
        ],
        sees=lambda user, d: Dispute.objects.visible_to(user).filter(pk=d.pk).exists(),
        reaches=lambda user, d, verb: reaches(user, d.grid, d.level),  # map levels
        messages=Messages(status=..., level=..., changed=...),  # three gettext_lazy texts
        lock_related=("grid__community",),  # what `reaches` reads, loaded with the lock
        after_apply=notify,  # optional: the inbox
    )

    # disputes/services/transitions.py: one function per verb
    @transaction.atomic
    def accept(dispute, *, by, note=""):
        # 受理: the clock starts, ... (a docstring, as every public service has)
        WORKFLOW.guard(dispute, "accept", by)
        return WORKFLOW.apply(dispute, by=by, action="accept", to_status="accepted", note=note)

    # disputes/actions.py: each rule's form and service (forms subclass WorkflowForm)
    ACTIONS = Registry(WORKFLOW, [("accept", NoInputForm, t.accept), ...])

The page then offers `WORKFLOW.allowed(user, dispute)`, binds `ACTIONS[verb].bind(dispute, user,
request.POST)` and calls `ACTIONS[verb].service(dispute, by=user, **form.cleaned_data)`, catching
TransitionError (see petitions/views/petitions.py `petition_action`). Levels, deadlines, events
and the inbox stay the casework's own: `apply(..., **changes)` writes any other fields.

The event model needs the fields `<event_to>` (the foreign key), `actor`, `action`,
`from_status`, `to_status`, `note` and `public`; the model needs `status` (with choices) and an
integer `version`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils.functional import Promise


class TransitionError(Exception):
    """A refused transition: `message` says why, in the user's language. Nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Who = Callable[[Any, Any], bool]  # (user, obj) -> may they


@dataclass(frozen=True)
class Rule:
    """One transition: its verb, what its button says (a verb: 签收, not 已签收), the statuses and
    levels it starts from (`levels=None`: any), who may take it beyond the casework's level rules
    (`who(user, obj)`), and the reason given when `levels` or `who` refuse."""

    verb: str
    label: Promise | str
    sources: tuple[str, ...]
    who: Who | None = None
    refusal: Promise | str | None = None
    levels: tuple[str, ...] | None = None

    def refuses_here(self, user, obj) -> bool:
        """Do this rule's own level and `who` conditions refuse `user` on `obj`?"""
        if self.levels is not None and obj.level not in self.levels:
            return True
        return self.who is not None and not self.who(user, obj)


@dataclass(frozen=True)
class Messages:
    """What a workflow says when it refuses. `status` is formatted with %(status)s (the row's
    status as displayed) and %(action)s (the rule's label)."""

    status: Promise | str
    level: Promise | str
    changed: Promise | str


class Workflow:
    """One casework's transitions and the generic steps every verb service takes."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        event_model: type[models.Model],
        event_to: str,
        rules: Iterable[Rule],
        sees: Callable[[Any, Any], bool],
        reaches: Callable[[Any, Any, str], bool],
        messages: Messages,
        lock_related: tuple[str, ...] = (),
        after_apply: Callable[[Any, str, Any], None] | None = None,
    ):
        self.model, self.event_model, self.event_to = model, event_model, event_to
        self.rules: dict[str, Rule] = {}
        for rule in rules:
            assert rule.verb not in self.rules, f"{rule.verb} is defined twice"
            self.rules[rule.verb] = rule
        self.sees, self.reaches, self.messages = sees, reaches, messages
        self.lock_related, self.after_apply = lock_related, after_apply

    def refusal(self, user, obj, verb: str, *, sees: bool | None = None) -> str | None:
        """Why `user` may not take `verb` on `obj` as it stands, or None if they may.

        The one decision behind both the offered actions and the guard (which asks it on the
        row as locked). `sees` skips the visibility question when the caller already knows.
        """
        rule = self.rules[verb]
        if obj.status not in rule.sources:
            return str(self.messages.status) % {
                "status": obj.get_status_display(),
                "action": rule.label,
            }
        if not (self.sees(user, obj) if sees is None else sees) or not self.reaches(
            user, obj, verb
        ):
            return str(self.messages.level)
        if rule.refuses_here(user, obj):
            return str(rule.refusal)
        return None

    def allowed(self, user, obj, *, sees: bool | None = None) -> list[str]:
        """The verbs `user` may take on `obj` now, in the order of the rules. `sees=True` skips
        the visibility query when `obj` was loaded through the user's scope (a detail page)."""
        if not (self.sees(user, obj) if sees is None else sees):  # asked once, not per verb
            return []
        return [verb for verb in self.rules if self.refusal(user, obj, verb, sees=True) is None]

    def guard(self, obj, verb: str, by) -> None:
        """Lock the row and decide on it as locked, never on the copy the caller loaded earlier.

        Call inside a transaction. `obj.version` is the version the official saw (the page posts
        it back). The row is re-read under `SELECT ... FOR UPDATE` (PostgreSQL holds it until the
        transaction ends; SQLite serialises writers and `apply` compares the version again), the
        versions are compared, and only then are status, level, permission and the rule's own
        conditions checked, on the fresh values now held by `obj`.
        """
        seen = obj.version
        locked = self.model._default_manager.select_for_update(of=("self",))
        if self.lock_related:
            locked = locked.select_related(*self.lock_related)
        try:
            obj.refresh_from_db(from_queryset=locked)
        except self.model.DoesNotExist:
            raise TransitionError(str(self.messages.changed)) from None
        if obj.version != seen:
            # Acting on what they saw before someone else acted: told so, not given a
            # misleading refusal.
            raise TransitionError(str(self.messages.changed))
        reason = self.refusal(by, obj, verb)
        if reason is not None:
            raise TransitionError(reason)

    def apply(self, obj, *, by, action: str, to_status: str | None = None, note: str = "",
              public: bool = True, **changes):  # fmt: skip
        """Write the change if nobody changed the row meanwhile, bump its version and record its
        immutable event; `after_apply(obj, action, by)` follows (the inbox). The only writer of
        status: call it inside the transaction that `guard` opened."""
        from_status = obj.status
        to_status = to_status or from_status
        updated = self.model._default_manager.filter(pk=obj.pk, version=obj.version).update(
            status=to_status, version=F("version") + 1, **changes
        )
        if not updated:
            raise TransitionError(str(self.messages.changed))
        self.event_model._default_manager.create(
            **{self.event_to: obj}, actor=by, action=action, from_status=from_status,
            to_status=to_status, note=note, public=public,
        )  # fmt: skip
        obj.refresh_from_db()
        if self.after_apply is not None:
            self.after_apply(obj, action, by)
        return obj


class WorkflowForm(forms.Form):
    """The form of one transition on one row; its cleaned data are the service's arguments."""

    def __init__(self, *args, subject, user, verb: str, **kwargs):
        kwargs.setdefault("auto_id", f"{verb}-%s")
        super().__init__(*args, **kwargs)
        self.subject, self.user = subject, user


@dataclass(frozen=True)
class Action:
    """A page action: a rule, the form that parses its input and the service that does it."""

    rule: Rule
    form: type[WorkflowForm]
    service: Callable[..., Any]

    @property
    def verb(self) -> str:
        return self.rule.verb

    @property
    def label(self) -> Promise | str:
        return self.rule.label

    def bind(self, obj, user, data=None, files=None) -> WorkflowForm:
        return self.form(data, files, subject=obj, user=user, verb=self.verb)


class Registry(Mapping[str, Action]):
    """Every transition of a workflow with its form and service, one entry per rule."""

    def __init__(self, workflow: Workflow, entries: Iterable[tuple[str, type, Callable]]):
        self.workflow = workflow
        self._actions = {}
        for verb, form, service in entries:
            assert verb not in self._actions, f"{verb} has two page actions"
            self._actions[verb] = Action(workflow.rules[verb], form, service)
        missing = workflow.rules.keys() - self._actions.keys()
        assert not missing, f"no page action for {sorted(missing)}"

    def __getitem__(self, verb: str) -> Action:
        return self._actions[verb]

    def __iter__(self) -> Iterator[str]:
        return iter(self.workflow.rules)  # the order of the rules

    def __len__(self) -> int:
        return len(self._actions)
