from django.urls import path, re_path

from . import views

app_name = "safety"

urlpatterns = [
    path("police-days/", views.police_days, name="police_days"),
    path("police-days/new/", views.police_day_create, name="police_day_create"),
    path("police-days/<int:pk>/", views.police_day, name="police_day"),
    path(
        "police-days/<int:pk>/communities/<int:community_pk>/",
        views.turnout_record,
        name="turnout_record",
    ),
    re_path(
        r"^photos/(?P<pk>[0-9]{1,18})/(?P<size>thumb|full)/$",
        views.turnout_photo,
        name="turnout_photo",
    ),
    path("three-zeros/", views.three_zeros, name="three_zeros"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/new/", views.incident_create, name="incident_create"),
]
