from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from communities.admin_tools import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    StaffUserChangeForm,
    secure_admin_site,
)
from trails.models import TrailCheck

from .models import (
    Assignment,
    AuditEvent,
    Community,
    Department,
    District,
    Grid,
    Official,
    OfficialScope,
    Street,
)

# django-axes calls its app "Axes" (shown as AXES) and has no Chinese: name it for our users.
if apps.is_installed("axes"):
    apps.get_app_config("axes").verbose_name = _("Login protection")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Street)
class StreetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "district"]
    list_filter = ["district"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["district"]


class GridInline(admin.TabularInline):
    model = Grid
    extra = 0
    fields = ["number", "name"]


@admin.register(Community)
class CommunityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "street", "kind"]
    list_filter = ["kind", "street"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["street"]
    list_select_related = ["street"]
    inlines = [GridInline]


@admin.register(Grid)
class GridAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "number", "community"]
    list_filter = ["community__street"]
    search_fields = ["name", "community__name"]
    autocomplete_fields = ["community"]
    list_select_related = ["community"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "district_role"]
    search_fields = ["name"]
    autocomplete_fields = ["district"]


class OfficialScopeInline(admin.TabularInline):
    model = OfficialScope
    extra = 1
    autocomplete_fields = ["district", "street", "community", "grid"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "department", "masked_phone", "user"]
    list_filter = ["department"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["department", "user"]
    inlines = [OfficialScopeInline]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return obj.masked_phone


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["official", "department", "community", "grid", "start_date", "end_date"]
    list_filter = ["department", "end_date"]
    search_fields = ["official__name", "community__name", "grid__community__name"]
    autocomplete_fields = ["official", "department", "community", "grid"]
    list_select_related = ["official", "department", "community", "grid__community"]
    date_hierarchy = "start_date"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "kind", "username", "address", "detail", "rows"]
    list_filter = ["kind"]
    search_fields = ["username", "detail"]
    date_hierarchy = "at"
    show_full_result_count = False

    def changelist_view(self, request, extra_context=None):
        # The trails' last verification (stored by verify_trails), above the audit log.
        context = {"trail_checks": list(TrailCheck.objects.all()), **(extra_context or {})}
        return super().changelist_view(request, context)


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Changes made in the admin, by whom and when."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "user__username"]
    date_hierarchy = "action_time"
    list_select_related = ["user", "content_type"]


# The admin is for district organizers only (see `may_use_admin`), and staff status with it;
# its views answer a number too large for the database with the 400 page.
secure_admin_site(admin.site)


class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), StaffUserAdmin)
