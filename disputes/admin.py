"""The district organizers' admin: the report's kinds (editable), the disputes to look up
(read-only: they change through their transitions), the log of phone reveals."""

from django.contrib import admin

from communities.admin_tools import ReadOnlyAdminMixin

from .models import Dispute, DisputeKind, PartyRevealLog


@admin.register(DisputeKind)
class DisputeKindAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name"]


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "level", "grid", "created_at"]
    list_filter = ["status", "level", "kind", "found_by"]
    date_hierarchy = "created_at"
    list_select_related = ["kind", "grid"]
    show_full_result_count = False


@admin.register(PartyRevealLog)
class PartyRevealLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: who revealed which party's phone, and when (PIPL)."""

    list_display = ["revealed_at", "user", "party"]
    search_fields = ["user__username", "party__name"]
    date_hierarchy = "revealed_at"
    list_select_related = ["user", "party__resident"]
    show_full_result_count = False
