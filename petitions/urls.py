from django.urls import path, re_path

from .views import coverage, inbox, ledger, petitions, photos, reports, tracking, visits

app_name = "petitions"

urlpatterns = [
    path("petitions/", petitions.petition_list, name="list"),
    path("petitions/new/", petitions.petition_create, name="create"),
    path("petitions/ledger.xlsx", petitions.petition_ledger, name="ledger"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="detail"),
    re_path(
        r"^petitions/(?P<pk>[0-9]{1,18})/(?P<action>[a-z_]+)/$",
        petitions.petition_action,
        name="act",
    ),
    path("ledger/", ledger.district_ledger, name="district_ledger"),
    path("track/", tracking.track, name="track"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("rankings/", reports.rankings, name="rankings"),
    path("rankings/publish/", reports.publish_ranking, name="publish_ranking"),
    path("report/weekly/", reports.weekly_report, name="weekly_report"),
    path("inbox/read/", inbox.inbox_read, name="inbox_read"),
    path("inbox/<int:pk>/", inbox.notification_open, name="notification"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/households/", visits.household_picker, name="household_picker"),
    path("visits/households/<int:pk>/", visits.household_panel, name="household_panel"),
    path("visits/co-visitors/", visits.co_visitor_choices, name="co_visitor_choices"),
    path("visits/mine/", visits.my_visits, name="my_visits"),
    path("visits/coverage/", coverage.coverage, name="coverage"),
    path("visits/care-due/", coverage.care_visits_due, name="care_visits_due"),
    path("visits/ledger.xlsx", coverage.visit_ledger, name="visit_ledger"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/correct/", visits.visit_correct, name="visit_correct"),
    re_path(
        r"^visits/photos/(?P<pk>[0-9]{1,18})/(?P<size>thumb|full)/$",
        photos.visit_photo,
        name="visit_photo",
    ),
    re_path(
        r"^petitions/photos/(?P<pk>[0-9]{1,18})/(?P<size>thumb|full)/$",
        photos.petition_photo,
        name="petition_photo",
    ),
]
