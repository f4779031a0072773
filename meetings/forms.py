"""The meeting forms: parse and validate, choices narrowed to what the user serves."""

import datetime
import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Department, Grid, Official
from communities.scoping import area_q, own_grid_ids, serves_community_q, serving_q
from core.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    IdField,
    PageField,
    QueryForm,
    RowsPerPageField,
)
from grids.models import Building, PartyMembership, Resident, Role
from petitions.forms import PhotosField, form_key_field
from petitions.models import Category

from .models import MAX_COUNT, RESIDENT_CAPACITY_REFUSED, Attendee, Kind, Meeting, Topic

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]  # fmt: skip
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


REACH = datetime.timedelta(days=5 * 366)  # a typo (year 9999) is caught as one


def _within_reach(value):
    """A meeting's date lies within five years of today, either way."""
    if value is not None and not (timezone.now() - REACH <= value <= timezone.now() + REACH):
        raise forms.ValidationError(_("The date must lie within five years of today."))
    return value


def _count(label, required=False):
    return forms.IntegerField(label=label, required=required, min_value=0, max_value=MAX_COUNT)


def officials_serving(community):
    """Officials who may attend the community's meetings or own a follow-up (scoping says who)."""
    return Official.objects.filter(serves_community_q(community)).distinct().order_by("name")


def _communities(user):
    return Community.objects.visible_to(user).order_by("code")


def _meeting_communities(user):
    """The communities `user` may hold a meeting in: those they serve as a whole, and those of
    the grids they serve (a grid worker's 党支部会议 or 现场协商会 is held for their grid)."""
    own = Q(pk__in=Grid.objects.filter(pk__in=own_grid_ids(user)).values("community_id"))
    return Community.objects.filter(area_q(user, "community") | own).order_by("code")


class MeetingForm(forms.Form):
    idempotency_key = form_key_field()
    community = BoundedModelChoiceField(label=_("community"), queryset=Community.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    starts_at = forms.DateTimeField(label=_("date and time"), widget=DATETIME)
    place = forms.CharField(label=_("place"), max_length=100)
    grid = BoundedModelChoiceField(label=_("grid"), queryset=Grid.objects.none(), required=False)
    chair = BoundedModelChoiceField(
        label=_("chair"), queryset=Official.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        communities = _meeting_communities(user)
        self.fields["community"].queryset = communities
        self.fields["grid"].queryset = Grid.objects.visible_to(user).filter(
            community__in=communities
        )
        self.fields["chair"].queryset = Official.objects.filter(
            serving_q(communities, inside=True, through="")
        ).distinct()

    def clean_starts_at(self):
        return _within_reach(self.cleaned_data["starts_at"])

    def clean(self):
        data = super().clean()
        grid, community = data.get("grid"), data.get("community")
        if grid and community and grid.community_id != community.pk:
            self.add_error("grid", _("The grid is not in this community."))
        elif community and not grid and not _serves_whole(self.user, community):
            # A grid worker holds meetings for their grid, never for the whole community.
            self.add_error("grid", _("You serve a grid of this community: choose your grid."))
        return data


def _serves_whole(user, community) -> bool:
    return Community.objects.visible_to(user).filter(pk=community.pk).exists()


class ScheduleForm(forms.Form):
    idempotency_key = form_key_field()
    community = BoundedModelChoiceField(label=_("community"), queryset=Community.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices, initial=Kind.DELIBERATION_DAY)
    weekday = forms.TypedChoiceField(label=_("every"), choices=WEEKDAYS, coerce=int, initial=1)
    time = forms.TimeField(label=_("time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("place"), max_length=100)
    chair = BoundedModelChoiceField(
        label=_("chair"), queryset=Official.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = _communities(user)
        self.fields["community"].queryset = communities
        self.fields["chair"].queryset = Official.objects.filter(
            serving_q(communities, inside=True, through="")
        ).distinct()


class TopicForm(forms.Form):
    title = forms.CharField(label=_("topic"), max_length=100)
    description = forms.CharField(
        label=_("description"), max_length=4000, required=False, widget=forms.Textarea
    )


class AgendaForm(forms.Form):
    petition = IdField(label=_("petition"), required=True)


class AttendeesForm(forms.Form):
    officials = BoundedModelMultipleChoiceField(
        label=_("officials"), queryset=Official.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    residents = BoundedModelMultipleChoiceField(
        label=_("residents"), queryset=Resident.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    departments = BoundedModelMultipleChoiceField(
        label=_("sponsoring units"), queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    # Officials are recorded as officials and units as units: the capacity is that of the
    # residents ticked above and of the person typed below.
    capacity = forms.ChoiceField(
        label=_("residents and others attend as"), choices=Attendee.Capacity.choices,
        initial=Attendee.Capacity.RESIDENT,
    )  # fmt: skip
    name = forms.CharField(
        label=_("someone else"), max_length=40, required=False,
        help_text=_("e.g. the community police officer, a property manager"),
    )  # fmt: skip
    headcount = forms.IntegerField(
        label=_("people"), min_value=1, max_value=MAX_COUNT, initial=1, required=False
    )
    field_order = ["officials", "departments", "residents", "capacity", "name", "headcount"]

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        community = meeting.community
        self.fields["officials"].queryset = officials_serving(community)
        self.fields["residents"].queryset = attendee_residents(meeting)
        self.fields["departments"].queryset = Department.objects.filter(
            district_id=community.street.district_id
        )

    def clean(self):
        data = super().clean()
        if data.get("residents") and data.get("capacity") not in Attendee.RESIDENT_CAPACITIES:
            self.add_error("capacity", RESIDENT_CAPACITY_REFUSED)
        return data


def attendee_residents(meeting):
    """Residents offered as attendees: the community's 5+3 members and party members, and the
    households whose petitions are on the agenda.

    Their ids come first, in one UNION query: an OR of the three subqueries made PostgreSQL scan
    every resident of the city (3.5 s a meeting page at city size)."""
    community = meeting.community
    roles = Role.objects.current().filter(community=community, resident__isnull=False)
    members = PartyMembership.objects.filter(resident__household__grid__community=community)
    petitioners = Resident.objects.filter(
        household__in=meeting.topics.filter(petition__household__isnull=False).values(
            "petition__household_id"
        )
    )
    ids = (
        roles.values_list("resident_id", flat=True)
        .order_by()
        .union(
            members.values_list("resident_id", flat=True).order_by(),
            petitioners.values_list("pk", flat=True).order_by(),
        )
    )
    return (
        Resident.objects.current()
        .filter(pk__in=list(ids))
        .select_related("household__unit__building__compound", "household__resident_group")
        .order_by("household_id", "id")
    )


class DecisionForm(forms.Form):
    decided_how = forms.ChoiceField(label=_("decided"), choices=Topic.Decided.choices)
    decision = forms.CharField(label=_("decision"), max_length=4000, widget=forms.Textarea)
    votes_for = _count(_("for"))
    votes_against = _count(_("against"))
    abstentions = _count(_("abstentions"))
    action = forms.CharField(label=_("follow-up action"), max_length=200, required=False)
    owner = BoundedModelChoiceField(
        label=_("owner"), queryset=Official.objects.none(), required=False
    )
    owner_name = forms.CharField(label=_("owner (not an official)"), max_length=40, required=False)
    due = forms.DateField(
        label=_("due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officials_serving(meeting.community)

    def clean(self):
        data = super().clean()
        if data.get("decided_how") == Topic.Decided.VOTE and (
            data.get("votes_for") is None or data.get("votes_against") is None
        ):
            self.add_error("votes_for", _("A show of hands needs the votes for and against."))
        if data.get("action"):
            if not data.get("owner") and not data.get("owner_name"):
                self.add_error("owner", _("Who will do it?"))
            due = data.get("due")
            if not due:
                self.add_error("due", _("By when?"))
            elif abs(due - timezone.localdate()) > REACH:
                self.add_error("due", _("The date must lie within five years of today."))
        return data

    @property
    def follow_ups(self):
        data = self.cleaned_data
        if not data.get("action"):
            return []
        return [(data["action"], data.get("owner"), data.get("owner_name", ""), data["due"])]


class RaisePetitionForm(forms.Form):
    category = BoundedModelChoiceField(label=_("category"), queryset=Category.objects.none())
    building = BoundedModelChoiceField(label=_("building"), queryset=Building.objects.none())
    description = forms.CharField(label=_("description"), max_length=4000, widget=forms.Textarea)

    def __init__(self, *args, meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.select_related("parent")
        # A grid worker raises petitions in their own grid's buildings only.
        self.fields["building"].queryset = (
            Building.objects.filter(grid__community_id=meeting.community_id)
            .filter(area_q(user, "grid", "grid"))
            .select_related("compound")
        )


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("minutes"), max_length=20000, required=False, widget=forms.Textarea
    )
    unnamed_residents = forms.IntegerField(
        label=_("other residents present"), min_value=0, max_value=MAX_COUNT, initial=0
    )
    photos = PhotosField(label=_("photos"), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].already = meeting.photos.count()


MONTH = re.compile(r"^(20[0-9]{2})-(0[1-9]|1[0-2])$")


class LedgerFilters(QueryForm):
    """The meeting ledger's filters, each optional and bounded."""

    month = forms.CharField(label=_("month"), required=False, max_length=7)
    street = IdField(label=_("street"))
    community = IdField(label=_("community"))
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=Kind.choices)
    status = forms.ChoiceField(label=_("status"), required=False, choices=Meeting.Status.choices)
    page = PageField()
    per = RowsPerPageField()

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month and not MONTH.match(month):
            raise forms.ValidationError(_("Write the month as 2026-11."))
        return month
