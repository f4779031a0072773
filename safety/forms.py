"""Forms of the safety app: they parse and check; the services write."""

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Official, Street
from communities.scoping import get_scope, serves_community_q
from core.forms import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    IdField,
    PageField,
    QueryForm,
)
from petitions.forms import PhotosField, form_key_field
from petitions.periods import FIRST_DAY

from .models import Incident
from .services import NO_OFFICER

# A count typed for one community on one day: no community sees more in a day.
MAX_COUNT = 10_000


def count_field(label):
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_COUNT, initial=0,
        error_messages={
            "min_value": _("Enter a number of 0 or more."),
            "max_value": _("Enter a number of at most %(limit_value)s."),
            "invalid": _("Enter a whole number."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip


def _date_in_range(value, *, future_allowed):
    if value < FIRST_DAY:
        raise forms.ValidationError(_("Choose a date from %(first)s on.") % {"first": FIRST_DAY})
    if not future_allowed and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    if value > timezone.localdate() + datetime.timedelta(days=366):
        raise forms.ValidationError(_("Schedule at most a year ahead."))
    return value


class PoliceDayForm(forms.Form):
    idempotency_key = form_key_field()
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    theme = forms.CharField(label=_("theme"), max_length=100)
    street = BoundedModelChoiceField(
        label=_("street"), queryset=Street.objects.none(), required=False,
        empty_label=_("the whole district"),
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        street = self.fields["street"]
        street.queryset = Street.objects.visible_to(user).order_by("code")
        if not get_scope(user).is_organizer:
            # Only the district schedules a day for the whole district: a street picks its own.
            street.required, street.empty_label = True, None

    def clean_date(self):
        return _date_in_range(self.cleaned_data["date"], future_allowed=True)


class TurnoutForm(forms.Form):
    officers = BoundedModelMultipleChoiceField(
        label=_("officers with an account"), queryset=Official.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    other_officers = count_field(_("other officers (without an account)"))
    households_visited = count_field(_("households visited"))
    consultations = count_field(_("legal consultations"))
    publicity = count_field(_("legal publicity sessions"))
    document_help = count_field(_("help with legal documents"))
    note = forms.CharField(label=_("note"), max_length=2000, required=False, widget=forms.Textarea)
    photos = PhotosField(label=_("photos"), required=False)

    def __init__(self, *args, community, already=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officer_choices(community)
        self.fields["photos"].already = already

    def clean(self):
        data = super().clean()
        if not data.get("officers") and data.get("other_officers") == 0:
            self.add_error("officers", NO_OFFICER)
        return data


def officer_choices(community):
    """Officials who serve `community`, its grids or its street, and those assigned there now
    (its police officer, judge, prosecutor and lawyer: the 三官一律)."""
    return Official.objects.filter(serves_community_q(community)).distinct().order_by("name", "pk")


class IncidentForm(forms.Form):
    idempotency_key = form_key_field()
    goal = forms.ChoiceField(label=_("goal broken"), choices=Incident.Goal.choices)
    # Grouped by goal, so that the list offers each goal's kinds under its name. The blank
    # first choice: an untouched form sends no kind (and is told the kind is required), not
    # the first goal's first kind (which would not go with the goal shown).
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[("", "---------")]
        + [(label, [(k.value, k.label) for k in Incident.KINDS[goal]])
           for goal, label in Incident.Goal.choices],
    )  # fmt: skip
    occurred_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    community = BoundedModelChoiceField(label=_("community"), queryset=Community.objects.none())
    persons = forms.IntegerField(
        label=_("persons involved"), min_value=0, max_value=MAX_COUNT, initial=1,
        error_messages={"min_value": _("Enter a number of 0 or more."),
                        "max_value": _("Enter a number of at most %(limit_value)s."),
                        "invalid": _("Enter a whole number.")},
    )  # fmt: skip
    summary = forms.CharField(label=_("summary"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.visible_to(user).order_by("code")

    def clean_occurred_on(self):
        return _date_in_range(self.cleaned_data["occurred_on"], future_allowed=False)

    def clean(self):
        data = super().clean()
        goal, kind = data.get("goal"), data.get("kind")
        if goal and kind and kind not in Incident.KINDS[goal]:
            self.add_error("kind", _("This kind does not go with this goal."))
        return data


def parse_month(raw: str, today: datetime.date) -> datetime.date | None:
    """The first day of the month YYYY-MM between 2000-01 and this month, else None."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", (raw or "").strip())
    # The year is checked before a date is made: "0000-01" would raise, not refuse.
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < FIRST_DAY.year:
        return None
    first = datetime.date(int(match[1]), int(match[2]), 1)
    return first if FIRST_DAY <= first <= today.replace(day=1) else None


class MonthField(forms.CharField):
    """A month as YYYY-MM, from 2000-01 to the running month; empty is the running month."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("label", _("month"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        today = timezone.localdate()
        if not value:
            return today.replace(day=1)
        first = parse_month(value, today)
        if first is None:
            raise forms.ValidationError(
                _("Choose a month between %(first)s and %(last)s (as YYYY-MM).")
                % {"first": f"{FIRST_DAY:%Y-%m}", "last": f"{today:%Y-%m}"}
            )
        return first


class ZerosQuery(QueryForm):
    month = MonthField()
    street = IdField()


class IncidentFilters(QueryForm):
    month = MonthField()
    goal = forms.ChoiceField(choices=[("", ""), *Incident.Goal.choices], required=False)
    community = IdField()
    page = PageField()


class PoliceDayFilters(QueryForm):
    page = PageField()
