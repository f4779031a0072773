from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.admin_tools import ReadOnlyAdminMixin, ScopedAdminMixin
from core.personal_data import IdNumberFormField, PhoneFormField

from . import admin_import, services
from .models import (
    Building,
    Compound,
    Household,
    ModelHousehold,
    PartyMembership,
    PartyOrganization,
    Resident,
    ResidentGroup,
    RevealLog,
    Role,
    Sponsorship,
    StarRating,
    Tag,
    Unit,
)
from .models.roles import SCOPE_OF_KIND, RoleKind


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

    phone = PhoneFormField(label=_("phone"), required=False, max_length=20)
    id_number = IdNumberFormField(label=_("ID-card number"), required=False, max_length=18)

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
        return self.cleaned_data["phone"] or self.instance.phone

    def clean_id_number(self):
        return self.cleaned_data["id_number"] or self.instance.id_number


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

    def get_urls(self):
        # The registry import lives beside the residents' list (an "import" button on it).
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(admin_import.import_registry_view),
                name="grids_import_registry",
            ),
            path(
                "import/template.xlsx",
                wrap(admin_import.registry_template_view),
                name="grids_registry_template",
            ),
            *super().get_urls(),
        ]

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
class RevealLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: who revealed whose phone or ID number, and when (PIPL)."""

    list_display = ["revealed_at", "user", "resident", "field"]
    list_filter = ["field"]
    search_fields = ["user__username", "resident__name"]
    date_hierarchy = "revealed_at"
    list_select_related = ["user", "resident"]
    show_full_result_count = False


class PartyMembershipInline(admin.TabularInline):
    model = PartyMembership
    extra = 1
    autocomplete_fields = ["resident", "official"]


class StarRatingInline(admin.TabularInline):
    model = StarRating
    extra = 1


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "community",
        "grid",
        "has_flag",
        "has_sign",
        "has_rules",
        "has_archive",
    ]
    list_filter = ["kind", "has_flag", "has_sign", "has_rules", "has_archive"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community", "parent", "grid", "compound"]
    list_select_related = ["community", "grid"]
    inlines = [PartyMembershipInline, StarRatingInline]


@admin.register(ModelHousehold)
class ModelHouseholdAdmin(admin.ModelAdmin):
    list_display = ["household", "since"]
    autocomplete_fields = ["household"]
    list_select_related = ["household__unit__building__compound", "household__resident_group"]


class RoleAdminForm(forms.ModelForm):
    """New terms go through the same checks as on the grid page; a term only changes by ending.

    The official names the seat (the role and the one place it sits on: a unit for a unit head);
    the community and the grid follow from that place, and the term starts today unless said.
    """

    class Meta:
        model = Role
        fields = [
            "kind", "resident", "official", "community", "grid", "compound", "building", "unit",
            "resident_group", "start_date", "end_date",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "community" in self.fields:
            # Derived from the place, except for the task force, which sits on the community.
            self.fields["community"].required = False
        if "start_date" in self.fields and not self.instance.pk:
            self.fields["start_date"].initial = timezone.localdate

    def place(self):
        field = SCOPE_OF_KIND[self.cleaned_data["kind"]]
        return self.cleaned_data.get(field)

    def clean(self):
        data = super().clean()
        if self.instance.pk or self.errors:
            return data
        place = self.place()
        if place is None:
            field = SCOPE_OF_KIND[data["kind"]]
            self.add_error(
                field,
                _("A %(kind)s sits on a %(place)s: choose the %(place)s here.")
                % {
                    "kind": RoleKind(data["kind"]).label,
                    "place": Role._meta.get_field(field).verbose_name,
                },
            )
            return data
        try:
            community, grid = services.check_appointment(
                kind=data["kind"], place=place, by=self.request.user,
                resident=data.get("resident"), official=data.get("official"),
            )  # fmt: skip
        except services.RoleError as error:
            raise ValidationError(error.message) from None
        # The row stores its community and grid as the service would (the constraints check them).
        field = SCOPE_OF_KIND[data["kind"]]
        for name in ("grid", "compound", "building", "unit", "resident_group"):
            data[name] = place if name == field else None
        data["community"] = community
        if field in ("building", "unit", "resident_group"):
            data["grid"] = grid
        return data


# The places a role can sit on, the most common first (unit and building heads).
PLACE_FIELDS = ["unit", "building", "compound", "resident_group", "grid", "community"]


@admin.register(Role)
class RoleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = RoleAdminForm
    list_display = ["kind", "holder_name", "community", "grid", "start_date", "end_date"]
    list_filter = ["kind", "end_date", "community__street"]
    search_fields = ["resident__name", "official__name", "community__name"]
    autocomplete_fields = [
        "resident", "official", "community", "grid",
        "compound", "building", "unit", "resident_group",
    ]  # fmt: skip
    list_select_related = ["resident", "official", "community", "grid"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return super().get_fieldsets(request, obj)
        # Appointing: who, the one place the role sits on, since when.
        return [
            (None, {"fields": ["kind", "resident", "official"]}),
            (
                _("Where the role sits"),
                {
                    "fields": PLACE_FIELDS,
                    "description": _(
                        "Fill only the place the role sits on: a unit for a unit head, a building "
                        "for a building head, a compound for a courtyard head, a resident group "
                        "for a group leader or an anchor household, a grid for a team leader, the "
                        "community for the task force. The community and grid follow from it."
                    ),
                },
            ),
            (None, {"fields": ["start_date"]}),
        ]

    @admin.display(description=_("holder"), ordering="resident__name")
    def holder_name(self, obj):
        return obj.holder

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["end_date"]
        return [f for f in RoleAdminForm.Meta.fields if f != "end_date"]

    def save_model(self, request, obj, form, change):
        if change:
            if "end_date" in form.changed_data and obj.end_date:
                try:
                    services.end_role(obj, by=request.user, end_date=obj.end_date)
                except services.RoleError as error:
                    messages.error(request, error.message)
                obj.refresh_from_db()
            return
        role = services.appoint_role(
            kind=obj.kind, place=form.place(), by=request.user, resident=obj.resident,
            official=obj.official, start_date=obj.start_date,
        )  # fmt: skip
        obj.pk = role.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        return False  # past terms are history
