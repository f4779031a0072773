from django.urls import path, re_path

from .views import activities, places, teams

app_name = "activities"

urlpatterns = [
    path("activities/", activities.activity_ledger, name="ledger"),
    path("activities/ledger.xlsx", activities.activity_ledger_export, name="ledger_export"),
    path("activities/new/", activities.activity_create, name="create"),
    path("activities/<int:pk>/", activities.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="edit"),
    path("activities/<int:pk>/findings/new/", activities.activity_add_finding, name="add_finding"),
    re_path(
        r"^activities/photos/(?P<pk>[0-9]{1,18})/(?P<size>thumb|full)/$",
        activities.activity_photo,
        name="photo",
    ),
    path("places/", places.place_list, name="place_list"),
    path("places/new/", places.place_create, name="place_create"),
    path("places/<int:pk>/", places.place_detail, name="place_detail"),
    path("places/<int:pk>/reveal/", places.place_reveal, name="place_reveal"),
    path("teams/", teams.team_list, name="team_list"),
    path("teams/new/", teams.team_create, name="team_create"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
]
