"""District organizers edit the place register and the service teams in the admin too."""

from django.contrib import admin

from communities.admin_tools import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Activity, Place, PlaceRevealLog, ServiceTeam, TeamMember


@admin.register(Place)
class PlaceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "grid", "address", "responsible_person"]
    list_filter = ["kind"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["grid", "building"]
    list_select_related = ["grid__community"]


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    fields = ["name", "kind", "is_leader", "official", "resident"]
    raw_id_fields = ["official", "resident"]


@admin.register(ServiceTeam)
class ServiceTeamAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "community", "grid"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["community", "grid"]
    list_select_related = ["community", "grid__community"]
    inlines = [TeamMemberInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Activities are recorded on the app's form (their findings become petitions there)."""

    list_display = ["held_on", "title", "kind", "community", "participants"]
    list_filter = ["kind"]
    search_fields = ["title"]
    date_hierarchy = "held_on"
    list_select_related = ["community"]


@admin.register(PlaceRevealLog)
class PlaceRevealLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: who revealed which place's responsible person's phone, and when (PIPL)."""

    list_display = ["revealed_at", "user", "place"]
    search_fields = ["user__username", "place__name"]
    date_hierarchy = "revealed_at"
    list_select_related = ["user", "place"]
    show_full_result_count = False
