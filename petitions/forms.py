"""Forms of the casework pages: they parse and validate; services change things."""

import datetime
import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, FirstSecretary, Grid, Official
from communities.scoping import serving_q
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
    return forms.UUIDField(required=False, widget=forms.HiddenInput)


def co_visitor_choices(user):
    """Officials serving the user's areas, and the first secretaries sent to them."""
    grids = Grid.objects.visible_to(user)
    communities = Community.objects.filter(grids__in=grids)
    secretaries = FirstSecretary.objects.current().filter(
        Q(grid__in=grids) | Q(community__in=communities)
    )
    return (
        Official.objects.filter(
            serving_q(grids, through="")
            | serving_q(communities, through="")
            | Q(pk__in=secretaries.values("official_id"))
        )
        .exclude(user=user)
        .distinct()
        .order_by("name")
    )


class VisitForm(forms.Form):
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4()
        self.fields["household"].queryset = Household.objects.visible_to(user)
        self.fields["co_visitors"].queryset = co_visitor_choices(user)
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
