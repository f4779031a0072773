"""The actions on a petition's page: one registry entry per transition.

Each entry (a `core.workflow.Registry`) joins the transition's rule (its verb label, the
statuses and levels it starts from and who may take it: `services.rules.RULES`), the form that
parses and bounds what the official types, and the service that does it. The detail page
offers the entries `allowed_actions` returns, the action view validates the entry's form and
calls its service with the cleaned data, the docs and the matrix tests read the same table.

Forms parse and validate only; the service decides on the row as locked (and checks again what
a form already checked, since services are called from elsewhere too).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Department
from communities.scoping import serving_levels_q
from core.workflow import Registry, WorkflowForm
from grids.models import Household

from .forms import PhotosField, ThreeTrustForm
from .models import Petition
from .services import follow_through as ft
from .services import transitions as t
from .services.rules import WORKFLOW

# How far ahead a deadline or a ledger target may lie: far enough for any real case, near
# enough that a typo (year 9999) is caught as one.
DEADLINE_HORIZON = datetime.timedelta(days=2 * 366)
LEDGER_HORIZON = datetime.timedelta(days=10 * 366)


def _text(label, *, required=True, rows=2, message=None):
    return forms.CharField(
        label=label, required=required, max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else {},
    )  # fmt: skip


def _reason():
    return _text(_("reason"), message=_("Give the reason."))


def _deadline(label, *, required):
    return forms.DateTimeField(
        label=label, required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Enter a date and time."),
                        "invalid": _("Enter a real date and time, e.g. 2026-12-31 17:00.")},
    )  # fmt: skip


def _check_ahead(value, horizon):
    now = timezone.now()
    if value <= now:
        raise forms.ValidationError(_("A deadline lies in the future."))
    if value > now + horizon:
        raise forms.ValidationError(
            _("A deadline lies within %(years)d years.") % {"years": horizon.days // 366}
        )
    return value


# What one resolution of a community's petition may cost: above it an amount is a slip of the
# keyboard (a few zeros too many) that would skew every ledger and report it enters.
MAX_COST = Decimal("10000000")


def _money(label):
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=MAX_COST, max_digits=12,
        decimal_places=2, error_messages={
            "invalid": _("Enter an amount in yuan."),
            "max_value": _("Check the amount: at most 10,000,000 yuan for one resolution."),
        },
    )  # fmt: skip


def handler_choices(petition):
    """Officials who may handle the petition at its level (t.HANDLED_FROM): those serving its
    grid, community, street or the district, as far as their level reaches it, and at district
    level the lead department's staff. Nobody is offered whom `assign` would refuse."""
    levels = [level for level, handled in t.HANDLED_FROM.items() if petition.level in handled]
    who = serving_levels_q(petition.grid, levels)
    if petition.level == "district" and petition.department_id:
        who |= Q(official__department=petition.department_id)
    return (
        get_user_model()
        .objects.filter(who, is_active=True)
        .select_related("official")
        .order_by("official__name", "pk")
    )


class HandlerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        official = getattr(user, "official", None)
        name = official.name if official else user.get_username()
        return f"{name} · {official.title}" if official and official.title else name


class ActionForm(WorkflowForm):
    """A form of one action on one petition; its cleaned data are the service's arguments."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = self.subject


class NoInputForm(ActionForm):
    pass


class RespondForm(ActionForm):
    note = _text(_("how the resident was reached"), message=_("Say how the resident was reached."))


class ReasonForm(ActionForm):
    reason = _reason()


class ReturnForm(ActionForm):
    code = forms.ChoiceField(label=_("return reason"), choices=Petition.ReturnReason.choices)
    reason = _reason()


class ResolveForm(ActionForm):
    what_was_done = _text(_("what was done"), message=_("Say what was done."))
    cost = _money(_("cost (yuan)"))
    public_money = _money(_("public money (yuan)"))
    contributions = forms.CharField(
        label=_("residents' contributions"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "301 100\n6-2-302 100"}),
        help_text=_("One household a line: its room (or building-unit-room) and the amount in "
                    "yuan."),
    )  # fmt: skip
    photos = PhotosField(label=_("photos"), required=False)

    def clean_contributions(self):
        """Lines of "room amount" (or "building-unit-room amount"), one paying household
        each, found in the petition's building or compound."""
        lines = [x.strip() for x in self.cleaned_data["contributions"].splitlines()]
        if not any(lines):
            return []
        petition = self.petition
        where = (
            Q(unit__building=petition.building_id) if petition.building_id
            else Q(unit__building__compound=petition.compound_id) if petition.compound_id
            else Q(unit__building__compound__in=Household.objects.filter(
                pk=petition.household_id).values("unit__building__compound"))
        )  # fmt: skip
        households = list(Household.objects.filter(where).select_related("unit__building"))
        amount_field = forms.DecimalField(
            max_digits=10, decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_COST
        )
        pairs, errors = [], []
        for number, line in enumerate(filter(None, lines), start=1):
            place, _sep, amount = line.rpartition(" ")
            place = place.strip()
            try:
                amount = amount_field.clean(amount)
            except forms.ValidationError:
                # A number out of range is not a missing amount: say which it is.
                looks_numeric = (
                    place
                    and amount.replace(".", "", 1).isascii()
                    and amount.replace(".", "", 1).isdigit()
                )
                errors.append(
                    _("Contribution line %(n)d: an amount lies between 0.01 and 10,000,000 "
                      "yuan.") % {"n": number}
                    if looks_numeric
                    else _("Contribution line %(n)d: write a room and an amount.") % {"n": number}
                )  # fmt: skip
                continue
            match = [h for h in households if place in (h.room, _short_address(h))]
            if len(match) != 1:
                errors.append(
                    _("Contribution line %(n)d: no single household “%(place)s” here.")
                    % {"n": number, "place": place}
                )
            elif match[0] in [household for household, _amount in pairs]:
                errors.append(_("A household is listed twice among the contributions."))
            else:
                pairs.append((match[0], amount))
        if errors:
            raise forms.ValidationError(errors)
        return pairs

    def clean(self):
        """Who paid cannot add up to more than what it cost, when the cost is given, nor past
        what one resolution may cost (MAX_COST) when it is not."""
        data = super().clean()
        cost = data.get("cost")
        paid = (data.get("public_money") or 0) + sum(
            amount for _household, amount in data.get("contributions") or ()
        )
        if cost is None and paid > MAX_COST:
            self.add_error(
                "contributions",
                _("Check the amount: at most 10,000,000 yuan for one resolution."),
            )
        if cost is not None and paid > cost:
            self.add_error(
                "cost",
                _("Public money and residents' contributions (%(paid)s yuan) add up to more "
                  "than the cost.") % {"paid": paid},
            )  # fmt: skip
        return data


def _short_address(household):
    """6-2-301 for 6号楼 2单元 301."""
    unit = household.unit
    if unit is None:
        return household.room
    building = "".join(c for c in unit.building.name if c.isdigit())
    return f"{building}-{''.join(c for c in unit.name if c.isdigit())}-{household.room}"


class FollowUpForm(ActionForm, ThreeTrustForm):
    field_order = ["satisfaction", "comment"]
    satisfaction = forms.ChoiceField(label=_("satisfaction"), choices=Petition.Satisfaction.choices)
    comment = _text(_("note"), required=False)


class SuperviseForm(ActionForm):
    instruction = _text(_("instruction"), message=_("Give the instruction."))


class DepartmentForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("lead department"), queryset=Department.objects.order_by("name"),
        error_messages={"required": _("Choose a department."),
                        "invalid_choice": _("Choose a department.")},
    )  # fmt: skip


class AssistingForm(DepartmentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].label = _("assisting departments")


class AssignForm(ActionForm):
    assignee = HandlerChoiceField(
        label=_("handler"), queryset=get_user_model().objects.none(),
        error_messages={"required": _("Choose an official."),
                        "invalid_choice": _("Choose an official.")},
    )  # fmt: skip
    due = _deadline(_("due"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = handler_choices(self.petition)

    def clean_due(self):
        due = self.cleaned_data["due"]
        return None if due is None else _check_ahead(due, DEADLINE_HORIZON)


class MergeForm(ActionForm):
    into = forms.CharField(label=_("tracking code of the petition to merge into"), max_length=12)

    def clean_into(self):
        code = self.cleaned_data["into"].strip().upper()
        if code == self.petition.tracking_code:
            raise forms.ValidationError(
                _("This is this petition's own code: type the other one's.")
            )
        into = (
            Petition.objects.visible_to(self.user)
            .filter(tracking_code=code)
            .exclude(pk=self.petition.pk)
            .first()
        )
        if into is None:
            raise forms.ValidationError(_("No petition in your area has this tracking code."))
        return into


class ExtensionForm(ActionForm):
    until = _deadline(_("extension requested until"), required=True)
    reason = _reason()

    def clean_until(self):
        until = _check_ahead(self.cleaned_data["until"], DEADLINE_HORIZON)
        if self.petition.due_at and until <= self.petition.due_at:
            raise forms.ValidationError(_("An extension moves the deadline later."))
        return until


class DecideExtensionForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("extension decided"),
        choices=[("1", _("extension approved")), ("0", _("extension refused"))],
        coerce=lambda value: value == "1",
    )


class PartForm(ActionForm):
    part = _text(_("assisting department's part"), message=_("Say what your department did."))


class LedgerForm(ActionForm):
    owner = forms.ModelChoiceField(
        label=_("ledger owner"), queryset=Department.objects.order_by("name"),
        error_messages={"required": _("Choose a department."),
                        "invalid_choice": _("Choose a department.")},
    )  # fmt: skip
    target = forms.DateField(
        label=_("ledger target date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter a date."),
                        "invalid": _("Enter a real date, e.g. 2027-06-30.")},
    )  # fmt: skip

    def clean_target(self):
        target = self.cleaned_data["target"]
        today = timezone.localdate()
        if target <= today:
            raise forms.ValidationError(_("A target date lies in the future."))
        if target > today + LEDGER_HORIZON:
            raise forms.ValidationError(
                _("A target date lies within %(years)d years.")
                % {"years": LEDGER_HORIZON.days // 366}
            )
        return target


class InstructForm(ActionForm):
    leader = forms.CharField(
        label=_("whose instruction"), max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "区委书记"}),
        error_messages={"required": _("Say whose instruction it is.")},
    )  # fmt: skip
    instruction = _text(_("instruction"), message=_("Give the instruction."))


class ProgressForm(ActionForm):
    progress = _text(_("progress"), message=_("Say what has been done so far."))


class CoordinateForm(ActionForm):
    """协调: the departments the street brings in (several at once), and what for."""

    departments = forms.ModelMultipleChoiceField(
        label=_("departments brought in"), widget=forms.CheckboxSelectMultiple,
        queryset=Department.objects.filter(district_role="").order_by("name"),
        error_messages={"required": _("Choose a department."),
                        "invalid_choice": _("Choose a department."),
                        "invalid_pk_value": _("Choose a department.")},
    )  # fmt: skip
    note = _text(_("what each should do"), required=False)


ACTIONS = Registry(WORKFLOW, [
    ("accept", NoInputForm, t.accept),
    ("dispatch", DepartmentForm, t.dispatch),
    ("assign", AssignForm, t.assign),
    ("start", NoInputForm, t.start_work),
    ("respond", RespondForm, t.respond),
    ("escalate", ReasonForm, t.escalate),
    ("return", ReturnForm, t.return_down),
    ("resolve", ResolveForm, t.resolve),
    ("follow_up", FollowUpForm, t.follow_up),
    ("close", NoInputForm, t.close),
    ("reject", ReasonForm, t.reject),
    ("withdraw", ReasonForm, t.withdraw),
    ("supervise", SuperviseForm, t.supervise),
    ("raise_grade", ReasonForm, ft.raise_grade),
    ("instruct", InstructForm, ft.instruct),
    ("coordinate", CoordinateForm, ft.coordinate),
    ("merge", MergeForm, t.merge),
    ("request_extension", ExtensionForm, t.request_extension),
    ("decide_extension", DecideExtensionForm, t.decide_extension),
    ("add_assisting", AssistingForm, t.add_assisting),
    ("record_part", PartForm, t.record_part),
    ("put_on_ledger", LedgerForm, t.put_on_ledger),
    ("ledger_progress", ProgressForm, ft.note_progress),
    ("sign_off", NoInputForm, t.sign_off),
])  # fmt: skip
