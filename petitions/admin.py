from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from communities.admin_tools import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import (
    CalendarDay,
    Category,
    DeadlineRule,
    Petition,
    PetitionContribution,
    PetitionEvent,
    RankingSnapshot,
    RateWeights,
    Resolution,
    SupervisionRule,
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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PetitionEventInline(ReadOnlyInline):
    model = PetitionEvent
    fields = readonly_fields = ["at", "actor", "action_shown", "from_shown", "to_shown", "note",
                                "public"]  # fmt: skip

    # The stored codes (accept, in_progress …) shown as the pages show them.
    @admin.display(description=_("action"))
    def action_shown(self, event):
        return event.action_label

    @admin.display(description=_("from"))
    def from_shown(self, event):
        return event.from_label

    @admin.display(description=_("to"))
    def to_shown(self, event):
        return event.to_label


class ResolutionInline(ReadOnlyInline):
    model = Resolution
    fields = readonly_fields = ["resolved_at", "cost", "public_money"]


class ContributionInline(ReadOnlyInline):
    model = PetitionContribution
    fields = readonly_fields = ["resolution", "household", "amount"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("resolution", "household__unit__building__compound")
        )


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Petitions are read here. Every change (status, level, deadline, handler, satisfaction…)
    goes through the services on the petition's page, which write an event and bump the
    version; an edit here would do neither."""

    list_display = ["tracking_code", "category", "grid", "level", "status", "created_at"]
    list_filter = ["status", "level", "category"]
    search_fields = ["=tracking_code", "description"]
    list_select_related = ["category__parent", "grid__community"]
    inlines = [PetitionEventInline, ResolutionInline, ContributionInline]


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


@admin.register(SupervisionRule)
class SupervisionRuleAdmin(admin.ModelAdmin):
    """When the red card follows the yellow one: add a row to change it (the newest is in force)."""

    list_display = ["since", "red_after_days"]


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Published rankings are read, never changed."""

    list_display = ["month", "title", "published_at", "published_by"]
