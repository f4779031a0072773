"""District organizers read meetings here (they are recorded on the meeting pages, through the
services) and keep the recurring schedules: a schedule changed here takes effect when the
weekly `generate_meetings` command next runs."""

from django.contrib import admin

from communities.admin_tools import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Meeting, MeetingSchedule, Topic


class TopicInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Topic
    fields = ["title", "petition", "decided_how", "decision", "decided_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["starts_at", "community", "kind", "place", "status"]
    list_filter = ["kind", "status"]
    date_hierarchy = "starts_at"
    list_select_related = ["community"]
    inlines = [TopicInline]


@admin.register(MeetingSchedule)
class MeetingScheduleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["community", "kind", "weekday", "time", "place", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["community"]
    raw_id_fields = ["community", "chair"]
    readonly_fields = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
