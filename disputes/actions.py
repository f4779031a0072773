"""The actions on a dispute's page: one registry entry per transition (its rule in
`services.rules.RULES`, the form that parses what the official types, the service)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Official
from communities.scoping import serves_place_q
from core.forms import BoundedModelChoiceField
from core.personal_data import NameFormField
from core.workflow import Registry, WorkflowForm
from petitions.forms import PhotosField

from .models import Dispute, Mediator
from .services import transitions as t
from .services.rules import WORKFLOW

MEDIATOR_ROWS = 4


def _text(label, *, required=True, rows=2, message=None):
    return forms.CharField(
        label=label, required=required, max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else {},
    )  # fmt: skip


def mediator_choices(dispute):
    """Officials serving the dispute's grid, community or street, and those assigned there now
    (the community police officer and the 三官一律 among them)."""
    return (
        Official.objects.filter(serves_place_q(dispute.grid), user__is_active=True)
        .distinct()
        .order_by("name")
    )


class ActionForm(WorkflowForm):
    """A form of one action on one dispute; its cleaned data are the service's arguments."""

    @property
    def dispute(self):
        return self.subject


class NoInputForm(ActionForm):
    note = _text(_("note"), required=False)


class ReasonForm(ActionForm):
    reason = _text(_("reason"), message=_("Give the reason."))


class MediateForm(ActionForm):
    held_on = forms.DateField(
        label=_("held on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter a date."),
                        "invalid": _("Enter a real date, e.g. 2026-10-31.")},
    )  # fmt: skip
    place = forms.CharField(
        label=_("place"), max_length=100,
        error_messages={"required": _("Say where the mediation was held.")},
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=Dispute.Outcome.choices,
        error_messages={"required": _("Choose how the mediation ended."),
                        "invalid_choice": _("Choose how the mediation ended.")},
    )  # fmt: skip
    terms = _text(_("agreement terms"), required=False, rows=4)
    notes = _text(_("what was said (internal)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officials = mediator_choices(self.dispute)
        # The four mediator rows offer the same officials: read them once (a page render
        # evaluated the queryset and built its options once per row).
        offered = [("", "---------"), *((o.pk, o.name) for o in officials.only("pk", "name"))]
        for i in range(1, MEDIATOR_ROWS + 1):
            self.fields[f"role_{i}"] = forms.ChoiceField(
                label=_("mediator %(n)d: role") % {"n": i}, required=False,
                choices=[("", "---------"), *Mediator.Role.choices],
                error_messages={"invalid_choice": _("Choose the mediator's role.")},
            )  # fmt: skip
            self.fields[f"official_{i}"] = BoundedModelChoiceField(
                label=_("official"), required=False, queryset=officials,
                error_messages={"invalid_choice": _("Choose an official serving this place.")},
            )  # fmt: skip
            self.fields[f"official_{i}"].widget.choices = offered
            self.fields[f"name_{i}"] = NameFormField(
                label=_("or name"), required=False, max_length=30
            )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A mediation is recorded once it was held."))
        if (timezone.localdate() - held_on).days > 366:
            raise forms.ValidationError(_("A mediation is recorded within a year."))
        return held_on

    def clean(self):
        data = super().clean()
        mediators = []
        for i in range(1, MEDIATOR_ROWS + 1):
            role, official = data.get(f"role_{i}"), data.get(f"official_{i}")
            name = data.get(f"name_{i}") or ""
            if not (role or official or name):
                continue
            if not role or not (official or name):
                self.add_error(
                    f"role_{i}", _("Give each mediator a role and an official or a name.")
                )
                continue
            mediators.append((role, official, name))
        if not mediators and not self.errors:
            self.add_error("role_1", _("Name at least one mediator."))
        if data.get("outcome") in ("success", "partial") and not (data.get("terms") or "").strip():
            self.add_error("terms", _("Write the terms the parties agreed on."))
        for key in list(data):
            if key.split("_")[0] in ("role", "official", "name"):
                data.pop(key)
        data["mediators"] = mediators
        return data


class ReferForm(ActionForm):
    route = forms.ChoiceField(
        label=_("referred to"), choices=Dispute.Route.choices,
        error_messages={"required": _("Choose where the dispute is referred to."),
                        "invalid_choice": _("Choose where the dispute is referred to.")},
    )  # fmt: skip
    body = forms.CharField(
        label=_("received by"), max_length=100,
        error_messages={"required": _("Say who received it, e.g. 魏都区人民法院.")},
    )  # fmt: skip
    note = _text(_("note"), required=False)


class UploadForm(ActionForm):
    photos = PhotosField(
        label=_("scan of the signed agreement"),
        error_messages={"required": _("Attach the scan of the signed agreement.")},
    )
    note = _text(_("note"), required=False)


class FollowUpForm(ActionForm):
    performance = forms.ChoiceField(
        label=_("performance of the agreement"), choices=Dispute.Performance.choices,
        error_messages={"required": _("Choose how the agreement was performed."),
                        "invalid_choice": _("Choose how the agreement was performed.")},
    )  # fmt: skip
    note = _text(_("note"), required=False)


ACTIONS = Registry(
    WORKFLOW,
    [
        ("accept", NoInputForm, t.accept),
        ("mediate", MediateForm, t.mediate),
        ("upload_agreement", UploadForm, t.upload_agreement),
        ("refer", ReferForm, t.refer),
        ("follow_up", FollowUpForm, t.follow_up),
        ("close", NoInputForm, t.close),
        ("escalate", ReasonForm, t.escalate),
        ("return", ReasonForm, t.return_down),
        ("withdraw", ReasonForm, t.withdraw),
    ],
)
