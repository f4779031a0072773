from django.contrib import admin

from weidu.admin_tools import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import (
    CalendarDay,
    Category,
    DeadlineRule,
    GoalRecord,
    Petition,
    PetitionEvent,
    RankingSnapshot,
    RateWeights,
    Visit,
    VisitFrequency,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_dispute", "position"]
    list_filter = ["is_dispute"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]


@admin.register(VisitFrequency)
class VisitFrequencyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "tag", "interval_days"]
    autocomplete_fields = ["tag"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Visits are read here; they are recorded and corrected on the visit pages, never deleted."""

    list_display = ["visited_at", "household", "kind", "author"]
    list_filter = ["kind"]
    date_hierarchy = "visited_at"
    list_select_related = [
        "household__unit__building__compound",
        "household__resident_group",
        "author",
    ]
    readonly_fields = ["household", "grid", "visited_at", "kind", "notes", "author", "co_visitors"]


class PetitionEventInline(admin.TabularInline):
    model = PetitionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "action", "from_status", "to_status", "note", "public"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Petitions change only through their transitions; the admin reads them."""

    list_display = ["tracking_code", "category", "grid", "level", "status", "created_at"]
    list_filter = ["status", "level", "category"]
    search_fields = ["=tracking_code", "description"]
    list_select_related = ["category__parent", "grid__community"]
    inlines = [PetitionEventInline]
    readonly_fields = [
        "tracking_code", "source", "category", "grid", "household", "compound", "building",
        "resident", "description", "households_affected", "urgency", "level", "status", "visit",
        "created_by",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Statutory holidays and make-up working days (调休) for deadlines in working days."""

    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "level", "working_days", "response_hours"]
    list_filter = ["level"]
    autocomplete_fields = ["category"]


@admin.register(RateWeights)
class RateWeightsAdmin(admin.ModelAdmin):
    """The composite score's weights: add a row to change them (the newest is in force)."""

    list_display = ["since", "response", "resolution", "satisfaction"]


@admin.register(GoalRecord)
class GoalRecordAdmin(admin.ModelAdmin):
    list_display = ["month", "street", "petitions_beyond_district", "cases", "accidents"]
    list_filter = ["street"]


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Published rankings are read, never changed."""

    list_display = ["month", "title", "published_at", "published_by"]
