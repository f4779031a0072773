"""Forms of the dispute pages: they parse and validate; services change things."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Grid, Street
from core.forms import BoundedModelChoiceField, IdField, PageField, QueryForm, RowsPerPageField
from core.personal_data import NameFormField, PhoneFormField
from grids.models import Building, Resident
from petitions.forms import form_key_field

from .models import Dispute, DisputeKind, Party
from .services.intake import PartyData

# Options a select shows at most (the form still accepts any visible row by id).
MAX_OFFERED = 300


def _text(label, *, required=True, rows=3, message=None, max_length=4000):
    return forms.CharField(
        label=label, required=required, max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else {},
    )  # fmt: skip


def _choice(label, choices, message):
    return forms.ChoiceField(
        label=label, choices=choices,
        error_messages={"required": message, "invalid_choice": message},
    )  # fmt: skip


class DisputeForm(forms.Form):
    """A new dispute: what, how found, where, and both parties (a resident of the household it
    was opened from, or a name and a phone)."""

    idempotency_key = form_key_field()

    kind = BoundedModelChoiceField(
        label=_("kind"), queryset=DisputeKind.objects.filter(active=True),
        error_messages={"required": _("Choose the kind of dispute."),
                        "invalid_choice": _("Choose the kind of dispute.")},
    )  # fmt: skip
    found_by = _choice(_("how found"), Dispute.FoundBy.choices, _("Choose how it was found."))
    description = _text(_("what it is about"), message=_("Say what the dispute is about."))
    people_involved = forms.IntegerField(
        label=_("people involved"), min_value=1, max_value=10000, initial=2,
        error_messages={"required": _("Enter how many people are involved (1 to 10000)."),
                        "invalid": _("Enter how many people are involved (1 to 10000)."),
                        "min_value": _("Enter how many people are involved (1 to 10000)."),
                        "max_value": _("Enter how many people are involved (1 to 10000).")},
    )  # fmt: skip
    risk = _choice(_("risk"), Dispute.Risk.choices, _("Choose the risk."))
    grid = BoundedModelChoiceField(
        label=_("grid"), queryset=Grid.objects.none(),
        error_messages={"required": _("Choose the grid."),
                        "invalid_choice": _("Choose a grid of your area.")},
    )  # fmt: skip
    building = BoundedModelChoiceField(
        label=_("building"), required=False, queryset=Building.objects.none(),
        error_messages={"invalid_choice": _("Choose a building of your area.")},
    )  # fmt: skip
    applicant_resident = BoundedModelChoiceField(
        label=_("applicant (resident)"), required=False, queryset=Resident.objects.none(),
        error_messages={"invalid_choice": _("Choose a resident of your area.")},
    )  # fmt: skip
    applicant_name = NameFormField(label=_("applicant's name"), required=False, max_length=30)
    applicant_phone = PhoneFormField(label=_("applicant's phone"), required=False, max_length=20)
    respondent_resident = BoundedModelChoiceField(
        label=_("respondent (resident)"), required=False, queryset=Resident.objects.none(),
        error_messages={"invalid_choice": _("Choose a resident of your area.")},
    )  # fmt: skip
    respondent_name = NameFormField(label=_("respondent's name"), required=False, max_length=30)
    respondent_phone = PhoneFormField(label=_("respondent's phone"), required=False, max_length=20)

    def __init__(self, *args, user, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        grids = Grid.objects.visible_to(user).select_related("community")
        self.fields["grid"].queryset = grids
        self.fields["grid"].widget.choices = [("", "---------")] + [
            (g.pk, f"{g.community.name} · {g.name}") for g in grids[:MAX_OFFERED]
        ]
        buildings = Building.objects.visible_to(user).select_related("compound")
        self.fields["building"].queryset = buildings
        near = buildings.filter(grid=household.grid_id) if household else buildings
        self.fields["building"].widget.choices = [("", "---------")] + [
            (b.pk, f"{b.compound.name} {b.name}") for b in near[:MAX_OFFERED]
        ]
        residents = Resident.objects.visible_to(user)
        household_residents = (
            list(residents.filter(household=household, status="living")) if household else []
        )
        for side in ("applicant", "respondent"):
            field = self.fields[f"{side}_resident"]
            field.queryset = residents
            if not household_residents:
                # Opened without a household: nobody to pick, the parties are typed by name.
                field.widget = forms.HiddenInput()
                continue
            field.widget.choices = [("", _("— not a resident of this household —"))] + [
                (r.pk, r.name) for r in household_residents
            ]

    def clean(self):
        data = super().clean()
        grid, building = data.get("grid"), data.get("building")
        if grid and building and building.grid_id != grid.pk:
            self.add_error("building", _("The building is not in this grid."))
        for side, label in (("applicant", _("applicant")), ("respondent", _("respondent"))):
            if not data.get(f"{side}_resident") and not data.get(f"{side}_name"):
                self.add_error(
                    f"{side}_name",
                    _("Name the %(side)s, or choose a resident.") % {"side": label},
                )
        return data

    def parties(self):
        data = self.cleaned_data
        return [
            PartyData(
                side=side,
                resident=data.get(f"{side}_resident"),
                name=data.get(f"{side}_name") or "",
                phone=data.get(f"{side}_phone") or "",
            )  # fmt: skip
            for side in (Party.Side.APPLICANT, Party.Side.RESPONDENT)
        ]


class ListFilters(QueryForm):
    """The dispute list's filters, every one optional and bounded."""

    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("open", "open"), *Dispute.Status.choices]
    )
    kind = IdField(label=_("kind"))
    found_by = forms.ChoiceField(
        label=_("how found"), required=False, choices=Dispute.FoundBy.choices
    )
    community = IdField(label=_("community"))
    grid = IdField(label=_("grid"))
    page = PageField()
    per = RowsPerPageField()


def _month(value):
    return datetime.date(value.year, value.month, 1)


class ReportQuery(QueryForm):
    """The monthly report's month (YYYY-MM, default this month) and area (a street or a
    community of the user's; none: everything the user serves)."""

    month = forms.DateField(
        label=_("month"), required=False, input_formats=["%Y-%m"],
        error_messages={"invalid": _("Enter a month such as 2026-10.")},
    )  # fmt: skip
    street = IdField(label=_("street"))
    community = IdField(label=_("community"))
    format = forms.ChoiceField(required=False, choices=[("print", "print")])

    def clean_month(self):
        month = self.cleaned_data["month"] or timezone.localdate()
        if month.year < 2000 or _month(month) > _month(timezone.localdate()):
            raise forms.ValidationError(_("Choose a month between 2000 and this month."))
        return _month(month)

    def area(self, user):
        """The community or street asked for, if the user may see it (else None: 404)."""
        data = self.cleaned_data
        if data["community"]:
            return Community.objects.visible_to(user).filter(pk=data["community"]).first(), True
        if data["street"]:
            return Street.objects.visible_to(user).filter(pk=data["street"]).first(), True
        return None, False
