"""Forms of the activity pages: they parse and validate; services change things."""

import datetime
import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, Grid, Official
from communities.scoping import serves_community_q
from core.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    IdField,
    PageField,
    QueryForm,
    RowsPerPageField,
)
from core.personal_data import NameFormField, PhoneFormField
from grids.models import Building, PartyOrganization
from petitions.forms import PhotosField, form_key_field
from petitions.models import Category, Petition

from .models import Activity, Place, ServiceTeam, TeamMember

FIRST_DAY = datetime.date(2000, 1, 1)
MONTH_RE = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(forms.Form):
    """An activity of one community (chosen before the form opens)."""

    idempotency_key = form_key_field()
    kind = forms.ChoiceField(label=_("kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=80)
    held_on = forms.DateField(label=_("date"), widget=_date_input())
    grid = BoundedModelChoiceField(
        label=_("grid"), queryset=Grid.objects.none(), required=False,
        empty_label=_("the whole community"),
    )  # fmt: skip
    party_organization = BoundedModelChoiceField(
        label=_("party organization"), queryset=PartyOrganization.objects.none(), required=False
    )
    team = BoundedModelChoiceField(
        label=_("service team"), queryset=ServiceTeam.objects.none(), required=False
    )
    partners = BoundedModelMultipleChoiceField(
        label=_("partner units"), queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    location = forms.CharField(label=_("where"), max_length=120, required=False)
    # Someone took part: an activity of nobody is a mistyped count.
    participants = forms.IntegerField(label=_("participants"), min_value=1, max_value=100000)
    residents_reached = forms.IntegerField(
        label=_("residents reached"), min_value=0, max_value=1000000, initial=0
    )
    officials = BoundedModelMultipleChoiceField(
        label=_("officials who joined"), queryset=Place.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    what_was_done = forms.CharField(
        label=_("what was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    checked = BoundedModelMultipleChoiceField(
        label=_("places checked"), queryset=Place.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    photos = PhotosField(label=_("photos"), required=False)

    def __init__(self, *args, user, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        self.fields["idempotency_key"].initial = uuid.uuid4()
        self.fields["held_on"].initial = timezone.localdate()
        grids = Grid.objects.visible_to(user).filter(community=community)
        self.fields["grid"].queryset = grids
        if not Community.objects.visible_to(user).filter(pk=community.pk).exists():
            # A grid worker records activities of their own grids only.
            self.fields["grid"].required = True
            self.fields["grid"].empty_label = None
        self.fields["party_organization"].queryset = PartyOrganization.objects.visible_to(
            user
        ).filter(community=community)
        self.fields["team"].queryset = ServiceTeam.objects.visible_to(user).filter(
            community=community
        )
        self.fields["partners"].queryset = Department.objects.filter(
            district_id=community.street.district_id
        )
        self.fields["officials"].queryset = (
            Official.objects.filter(serves_community_q(community)).distinct().order_by("name")
        )
        self.fields["checked"].queryset = community_places(user, community)

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An activity is recorded once it has taken place."))
        if value < FIRST_DAY:
            raise forms.ValidationError(_("Enter a date after 2000."))
        return value


def community_places(user, community):
    return (
        Place.objects.visible_to(user)
        .filter(grid__community=community)
        .select_related("grid")
        .order_by("grid__number", "name")
    )


class FindingForm(forms.Form):
    """A problem found at a place: it becomes a petition when the activity is saved."""

    place = BoundedModelChoiceField(label=_("place"), queryset=Place.objects.none())
    category = BoundedModelChoiceField(
        label=_("category"), queryset=Category.objects.select_related("parent")
    )
    description = forms.CharField(
        label=_("what is wrong"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=Petition.Urgency.choices, initial=Petition.Urgency.NORMAL
    )
    photos = PhotosField(label=_("photos"), required=False)

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        if places is not None:
            self.fields["place"].queryset = places


FindingFormSet = forms.formset_factory(FindingForm, extra=1, max_num=5, validate_max=True)


class LedgerFilters(QueryForm):
    """The ledger's filters: a month (YYYY-MM), a kind, a community, a grid, a page."""

    month = forms.CharField(label=_("month"), required=False, max_length=7)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=Activity.Kind.choices)
    street = IdField(label=_("street"))
    community = IdField(label=_("community"))
    grid = IdField(label=_("grid"))
    page = PageField()
    per = RowsPerPageField()

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            today = timezone.localdate()
            return today.replace(day=1)
        match = MONTH_RE.fullmatch(value)
        if not match:
            raise forms.ValidationError(_("Enter a month as 2026-10."))
        return datetime.date(int(match[1]), int(match[2]), 1)


class PlaceFilters(QueryForm):
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=Place.Kind.choices)
    community = IdField(label=_("community"))
    q = forms.CharField(label=_("name"), required=False, max_length=60)
    page = PageField()


class PlaceForm(forms.Form):
    grid = BoundedModelChoiceField(label=_("grid"), queryset=Grid.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=Place.Kind.choices)
    name = NameFormField(label=_("name"), max_length=60)
    address = forms.CharField(label=_("address"), max_length=120, required=False)
    building = BoundedModelChoiceField(
        label=_("building"), queryset=Building.objects.none(), required=False
    )
    responsible_person = NameFormField(label=_("responsible person"), max_length=30, required=False)
    responsible_phone = PhoneFormField(label=_("responsible person's phone"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        grids = Grid.objects.visible_to(user).select_related("community")
        self.fields["grid"].queryset = grids
        # A building is offered by id only (no list at city scale): the place's own grid's.
        self.fields["building"].queryset = Building.objects.visible_to(user)
        self.fields["building"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        grid, building = data.get("grid"), data.get("building")
        if grid is not None and building is not None and building.grid_id != grid.pk:
            self.add_error("building", _("The building must lie in the place's grid."))
        return data


class TeamForm(forms.Form):
    """A new service team; its members one per line: name, then their kind, then 队长 for the
    leader (e.g. "李明 片警", "张琳 党员 队长")."""

    kind = forms.ChoiceField(label=_("kind"), choices=ServiceTeam.Kind.choices)
    name = NameFormField(label=_("name"), max_length=60)
    grid = BoundedModelChoiceField(
        label=_("grid"), queryset=Grid.objects.none(), required=False,
        empty_label=_("the whole community"),
    )  # fmt: skip
    founded = forms.DateField(label=_("founded"), required=False, widget=_date_input())
    members = forms.CharField(
        label=_("members"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One per line: a name, a kind (居民 党员 干部 民警 物业), 队长 for the leader"
        ),
    )  # fmt: skip

    KIND_WORDS = {
        "居民": TeamMember.Kind.RESIDENT, "党员": TeamMember.Kind.PARTY_MEMBER,
        "干部": TeamMember.Kind.OFFICIAL, "民警": TeamMember.Kind.POLICE,
        "片警": TeamMember.Kind.POLICE, "物业": TeamMember.Kind.PROPERTY,
    }  # fmt: skip
    LEADER_WORD = "队长"

    def __init__(self, *args, user, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.visible_to(user).filter(community=community)

    def clean_founded(self):
        value = self.cleaned_data["founded"]
        if value is not None and not FIRST_DAY <= value <= timezone.localdate():
            raise forms.ValidationError(_("Enter a date between 2000 and today."))
        return value

    def clean_members(self):
        from .services import MemberRecord

        members = []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            words = line.replace(",", " ").replace("，", " ").split()
            if not words:
                continue
            name, rest = words[0], words[1:]
            kinds = [self.KIND_WORDS[w] for w in rest if w in self.KIND_WORDS]
            unknown = [w for w in rest if w not in self.KIND_WORDS and w != self.LEADER_WORD]
            if unknown or len(kinds) != 1 or len(name) > 30:
                raise forms.ValidationError(
                    _("Line %(n)d: write a name, one kind (居民, 党员, 干部, 民警, 物业) and "
                      "队长 for the leader.") % {"n": number}
                )  # fmt: skip
            leads = self.LEADER_WORD in rest
            members.append(MemberRecord(name=name, kind=kinds[0], is_leader=leads))
        if sum(1 for m in members if m.is_leader) != 1:
            raise forms.ValidationError(_("Name exactly one leader of the team (队长)."))
        return members
