"""Forms of the registry pages: they parse and validate; services change things."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Official
from communities.scoping import serving_q

from .models import Resident, RoleKind
from .models.roles import SCOPE_OF_KIND
from .services import RESIDENT_PLACE_LOOKUP

ADULT_DAYS = 18 * 365
# Team leaders and courtyard heads are chosen among the active residents of a large place:
# its party members and current role holders (a select of 2,000 names would help nobody).
BROAD_PLACES = ("grid", "compound")


def candidates(kind, place):
    """Who may be appointed to `kind` on `place`: adults living there (officials for the task
    force's officials list)."""
    field = SCOPE_OF_KIND[RoleKind(kind)]
    adults = Resident.objects.current().filter(
        Q(birth_date__isnull=True)
        | Q(birth_date__lte=timezone.localdate() - datetime.timedelta(days=ADULT_DAYS)),
        **{RESIDENT_PLACE_LOOKUP[field]: place},
    )
    if field in BROAD_PLACES or field == "community":
        adults = adults.filter(
            Q(tags__name="党员") | Q(roles__end_date__isnull=True, roles__isnull=False)
        )
    return (
        adults.select_related("household__unit__building__compound", "household__resident_group")
        .distinct()
        .order_by("name")
    )


class RoleAppointForm(forms.Form):
    resident = forms.ModelChoiceField(
        label=_("resident"), queryset=Resident.objects.none(), required=False
    )
    official = forms.ModelChoiceField(
        label=_("official"), queryset=Official.objects.none(), required=False
    )
    start_date = forms.DateField(
        label=_("start date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, kind, place, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = candidates(kind, place)
        self.fields["resident"].label_from_instance = lambda r: f"{r.name} · {r.household.address}"
        if kind == RoleKind.TASK_FORCE:
            self.fields["official"].queryset = Official.objects.filter(
                serving_q(community, inside=True, through="")
            ).distinct()
        else:
            del self.fields["official"]

    def clean(self):
        data = super().clean()
        chosen = [p for p in (data.get("resident"), data.get("official")) if p]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose one person to appoint."))
        return data

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start > timezone.localdate():
            raise forms.ValidationError(_("A term starts today or earlier."))
        return start


class RoleEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("end date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
