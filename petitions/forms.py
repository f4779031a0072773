"""Forms of the casework pages: they parse and validate; services change things."""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Official
from communities.scoping import serves_place_q
from core.forms import (
    MAX_IDS,
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    IdListField,
)
from grids.models import Building, Household, Resident

from .models import Category, Petition, Visit
from .photos import clean_photos

LATE_ENTRY = datetime.timedelta(days=30)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos, checked together and one by one by `clean_photos` (limits, re-encoding,
    EXIF removed). `already`: photos the record carries before these (a visit's correction)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args, already=0, **kwargs):
        self.already = already
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return clean_photos(files, already=self.already)


def form_key_field():
    """A hidden key made when the form is shown: a resubmission of the same form (a retry after
    no answer came) finds what the first one saved instead of saving it twice."""
    return forms.UUIDField(
        label="", required=False, widget=forms.HiddenInput, initial=uuid.uuid4
    )  # (no label: an error of it is shown alone, in the user's language)


def co_visitor_choices(user, household):
    """Who may be named as having visited `household` with `user`: whoever serves its place
    now (its grid, community and street staff and the cadres assigned there)."""
    if household is None:
        return Official.objects.none()
    return (
        Official.objects.filter(serves_place_q(household.grid))
        .exclude(user=user)
        .distinct()
        .order_by("name")
    )


def co_visitor_label(official):
    return f"{official.name} · {official.title}" if official.title else official.name


class ThreeTrustField(forms.TypedChoiceField):
    """One 三双 question: yes, no, or not asked (the default; nothing is recorded)."""

    def __init__(self, label, **kwargs):
        super().__init__(
            label=label, required=False, empty_value=None, widget=forms.RadioSelect,
            choices=[("", _("not asked")), ("yes", _("yes")), ("no", _("no"))],
            coerce=lambda value: value == "yes", **kwargs,
        )  # fmt: skip


class ThreeTrustForm(forms.Form):
    """The three 三双 questions, asked on a visit and on a petition's follow-up."""

    knows = ThreeTrustField(_("Knows the grid worker / first secretary by name (认识)"))
    trusts = ThreeTrustField(_("Would turn to them with a problem (信任)"))
    approves = ThreeTrustField(_("Satisfied with the party branch and cadres (认同)"))

    THREE_TRUSTS = ("knows", "trusts", "approves")

    def three_trust_fields(self):
        return [self[name] for name in self.THREE_TRUSTS]

    def other_visible_fields(self):
        return [f for f in self.visible_fields() if f.name not in self.THREE_TRUSTS]


class VisitForm(ThreeTrustForm):
    household = BoundedModelChoiceField(
        queryset=Household.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose the household you visited first.")},
    )
    visited_at = forms.DateTimeField(
        label=_("visited at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    idempotency_key = form_key_field()
    kind = forms.ChoiceField(label=_("kind"), choices=Visit.Kind.choices)
    notes = forms.CharField(
        label=_("notes on the household's situation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    co_visitors = BoundedModelMultipleChoiceField(
        label=_("co-visitors"),
        queryset=Official.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    photos = PhotosField(label=_("photos"), required=False)
    # The household panel's tag boxes: `tags_for` lists the members shown, `tags-<member>` the
    # tags ticked for each (see `member_tags`).
    tags_for = IdListField(label=_("Members and their tags"), required=False)

    def __init__(self, *args, user, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4()
        self.fields["household"].queryset = Household.objects.visible_to(user)
        # The household as posted or chosen from its page: who serves its place may be named.
        self.fields["co_visitors"].queryset = co_visitor_choices(user, household)
        self.fields["co_visitors"].label_from_instance = co_visitor_label
        self.fields["visited_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        members = self.data.getlist("tags_for")[:MAX_IDS] if hasattr(self.data, "getlist") else []
        for member in members:
            if str(member).isascii() and str(member).isdigit():
                self.fields[f"tags-{member}"] = IdListField(label=_("tags"), required=False)

    def clean(self):
        data = super().clean()
        if any(name.startswith("tags") for name in self.errors):
            # The tag boxes are not fields of the page: say it above the form.
            self.add_error(None, _("The members' tags could not be read; tick them again."))
        return data

    def member_tags(self) -> dict[int, list[int]]:
        """Member id -> the tag ids ticked for them, for the members whose boxes were shown."""
        return {
            int(name.removeprefix("tags-")): tags
            for name, tags in self.cleaned_data.items()
            if name.startswith("tags-")
        }

    def clean_visited_at(self):
        value = self.cleaned_data["visited_at"]
        now = timezone.now()
        if value > now + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("A visit cannot be in the future."))
        if value < now - LATE_ENTRY:
            raise forms.ValidationError(_("Visits are recorded within 30 days."))
        return value


class VisitCorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Visit.Kind.choices)
    notes = forms.CharField(
        label=_("notes on the household's situation"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(label=_("add photos"), required=False)

    def __init__(self, *args, photos_already=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].already = photos_already


class ConcernForm(forms.Form):
    """One concern raised on the doorstep: it becomes a petition when the visit is saved."""

    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.select_related("parent")
    )
    description = forms.CharField(
        label=_("what the resident asks"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    households_affected = forms.IntegerField(
        label=_("households affected"), min_value=1, max_value=100000, initial=1
    )
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=Petition.Urgency.choices, initial=Petition.Urgency.NORMAL
    )


ConcernFormSet = forms.formset_factory(ConcernForm, extra=1, max_num=10, validate_max=True)


class PetitionForm(forms.Form):
    """A petition recorded outside a visit: walk-in, hotline, WeChat group, meeting, online."""

    source = forms.ChoiceField(
        label=_("source"),
        # No source is preselected: the first one (议事会) was saved for whoever did not choose.
        choices=[("", "---------")]
        + [c for c in Petition.Source.choices if c[0] not in Petition.RECORDED_ELSEWHERE],
        error_messages={"required": _("Choose where the petition came from.")},
    )
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.select_related("parent")
    )
    household = forms.ModelChoiceField(
        queryset=Household.objects.none(), required=False, widget=forms.HiddenInput
    )
    building = forms.ModelChoiceField(
        label=_("building (for a concern shared by the building)"),
        queryset=Building.objects.none(),
        required=False,
    )
    resident = forms.ModelChoiceField(
        label=_("raised by"), queryset=Resident.objects.none(), required=False,
        empty_label=_("anonymous"),
    )  # fmt: skip
    description = forms.CharField(
        label=_("what the resident asks"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    households_affected = forms.IntegerField(
        label=_("households affected"), min_value=1, max_value=100000, initial=1
    )
    urgency = forms.ChoiceField(label=_("urgency"), choices=Petition.Urgency.choices)
    photos = PhotosField(label=_("photos"), required=False)
    idempotency_key = form_key_field()

    def __init__(self, *args, user, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4()
        self.fields["household"].queryset = Household.objects.visible_to(user)
        self.fields["building"].queryset = (
            Building.objects.visible_to(user)
            .select_related("compound")
            .order_by("compound__name", "id")
        )
        # The household is picked on the page; its members are offered once it is known.
        if household is not None:
            self.fields["resident"].queryset = household.residents.current()

    def clean(self):
        data = super().clean()
        if not data.get("household") and not data.get("building"):
            raise forms.ValidationError(_("Say where: a household or a building."))
        resident = data.get("resident")
        if resident is not None and resident.household_id != getattr(
            data.get("household"), "pk", None
        ):
            self.add_error("resident", _("Choose a member of the chosen household."))
        return data
