from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.personal_data import normalize_phone
from weidu.admin_tools import ScopedAdminMixin

from .models import (
    Building,
    Compound,
    Household,
    Resident,
    ResidentGroup,
    RevealLog,
    Sponsorship,
    Tag,
    Unit,
)


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0
    fields = ["name", "grid"]
    autocomplete_fields = ["grid"]
    show_change_link = True


@admin.register(Compound)
class CompoundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "community", "year_built", "committee"]
    list_filter = ["committee", "community__street"]
    search_fields = ["name", "address", "community__name"]
    autocomplete_fields = ["community"]
    list_select_related = ["community"]
    inlines = [BuildingInline]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name"]
    show_change_link = True


@admin.register(Building)
class BuildingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "compound", "grid"]
    list_filter = ["grid__community__street"]
    search_fields = ["name", "compound__name"]
    autocomplete_fields = ["compound", "grid"]
    list_select_related = ["compound", "grid__community"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "building"]
    search_fields = ["name", "building__name", "building__compound__name"]
    autocomplete_fields = ["building"]
    list_select_related = ["building__compound"]


@admin.register(ResidentGroup)
class ResidentGroupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "community", "grid"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community", "grid"]
    list_select_related = ["community", "grid__community"]


class ResidentInline(admin.TabularInline):
    """Members of a household, with their phone and ID number masked."""

    model = Resident
    extra = 0
    fields = ["name", "gender", "relation", "status", "masked_phone", "masked_id_number"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return obj.masked_phone

    @admin.display(description=_("ID-card number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "grid"]
    list_filter = ["grid__community__street"]
    search_fields = ["room", "unit__building__compound__name", "resident_group__name"]
    autocomplete_fields = ["grid", "unit", "resident_group"]
    list_select_related = ["grid__community", "unit__building__compound", "resident_group"]
    inlines = [ResidentInline]


class ResidentAdminForm(forms.ModelForm):
    """Phone and ID number are never sent to the browser: a new value replaces the stored one.

    Leaving the field empty keeps the current value (shown masked in the help text).
    """

    phone = forms.CharField(label=_("phone"), required=False, max_length=20)
    id_number = forms.CharField(label=_("ID-card number"), required=False, max_length=18)

    class Meta:
        model = Resident
        fields = [
            "household",
            "name",
            "gender",
            "birth_date",
            "phone",
            "id_number",
            "relation",
            "tags",
            "status",
            "status_date",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["phone"] = self.initial["id_number"] = ""
        if self.instance.pk:
            keep = _("Current: %(value)s. Leave empty to keep it.")
            self.fields["phone"].help_text = keep % {"value": self.instance.masked_phone or "—"}
            self.fields["id_number"].help_text = keep % {
                "value": self.instance.masked_id_number or "—"
            }

    def clean_phone(self):
        value = normalize_phone(self.cleaned_data["phone"])
        return value or self.instance.phone

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        return value or self.instance.id_number


@admin.register(Resident)
class ResidentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = ResidentAdminForm
    list_display = [
        "name",
        "gender",
        "birth_date",
        "masked_phone",
        "masked_id_number",
        "relation",
        "status",
        "household",
    ]
    list_filter = ["status", "gender", "tags"]
    # Exact matches only on personal numbers: a search never lists numbers by prefix.
    search_fields = ["name", "=phone_suffix", "=id_number"]
    autocomplete_fields = ["household"]
    filter_horizontal = ["tags"]
    list_select_related = ["household__unit__building__compound", "household__resident_group"]
    readonly_fields = ["phone_suffix"]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return obj.masked_phone

    @admin.display(description=_("ID-card number"))
    def masked_id_number(self, obj):
        return obj.masked_id_number


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    list_display = ["department", "community", "compound", "kind", "start_date", "end_date"]
    list_filter = ["kind", "department"]
    search_fields = ["department__name", "community__name", "compound__name"]
    autocomplete_fields = ["department", "community", "compound"]
    list_select_related = ["department", "community", "compound"]


@admin.register(RevealLog)
class RevealLogAdmin(admin.ModelAdmin):
    """Read-only: who revealed whose phone or ID number, and when (PIPL)."""

    list_display = ["revealed_at", "user", "resident", "field"]
    list_filter = ["field"]
    search_fields = ["user__username", "resident__name"]
    date_hierarchy = "revealed_at"
    list_select_related = ["user", "resident"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
