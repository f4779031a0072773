"""The district organizers' view of the safety records. Incidents are added through the same
service as the page (its checks apply); an organizer may correct a summary or delete a record
entered by mistake. Police-down days and turnouts are read here, recorded on the pages."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.admin_tools import ReadOnlyAdminMixin, ScopedAdminMixin

from . import services
from .dispute_counts import with_dispute_counts
from .models import Incident, PoliceDay, Turnout


class IncidentAdminForm(forms.ModelForm):
    """The page's checks, for a new record: a kind of its goal, no date in the future."""

    class Meta:
        model = Incident
        fields = ["goal", "kind", "occurred_on", "community", "persons", "summary"]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        goal, kind, day = data.get("goal"), data.get("kind"), data.get("occurred_on")
        if goal and kind and kind not in Incident.KINDS.get(goal, ()):
            self.add_error("kind", _("This kind does not go with this goal."))
        if day and day > timezone.localdate():
            self.add_error("occurred_on", _("The date cannot be in the future."))
        return data


@admin.register(Incident)
class IncidentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = IncidentAdminForm
    list_display = ["occurred_on", "community", "goal", "kind", "persons", "recorded_by"]
    list_filter = ["goal", "kind", "community__street"]
    search_fields = ["summary", "community__name"]
    list_select_related = ["community", "recorded_by"]
    date_hierarchy = "occurred_on"
    fields = ["goal", "kind", "occurred_on", "community", "persons", "summary"]
    raw_id_fields = ["community"]

    def get_readonly_fields(self, request, obj=None):
        return ["goal", "kind", "occurred_on", "community", "persons"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["summary"])
            return
        # The form checked what the service refuses; the admin is the organizers' (who may).
        saved = services.record_incident(
            by=request.user, goal=obj.goal, kind=obj.kind, occurred_on=obj.occurred_on,
            community=obj.community, summary=obj.summary, persons=obj.persons,
        )  # fmt: skip
        obj.pk = saved.pk


class TurnoutInline(admin.TabularInline):
    model = Turnout
    fields = ["community", "officer_count", "households_visited", "disputes_screened",
              "disputes_resolved", "consultations", "publicity", "document_help"]  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return with_dispute_counts(super().get_queryset(request))

    # Counted from the disputes found on the day (not fields of the turnout).
    @admin.display(description=_("disputes screened"))
    def disputes_screened(self, obj):
        return obj.disputes_screened

    @admin.display(description=_("disputes resolved"))
    def disputes_resolved(self, obj):
        return obj.disputes_resolved


@admin.register(PoliceDay)
class PoliceDayAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "theme", "street", "scheduled_by"]
    list_filter = ["street"]
    list_select_related = ["street", "scheduled_by"]
    date_hierarchy = "date"
    inlines = [TurnoutInline]
