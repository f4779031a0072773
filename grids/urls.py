from django.urls import path, re_path

from . import views

app_name = "grids"

urlpatterns = [
    path("communities/", views.area_list, name="area_list"),
    path("communities/<int:pk>/", views.community_detail, name="community"),
    path(
        "communities/<int:pk>/registry.xlsx",
        views.registry_export_view,
        {"level": "community"},
        name="community_export",
    ),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
    path(
        "grids/<int:pk>/registry.xlsx",
        views.registry_export_view,
        {"level": "grid"},
        name="grid_export",
    ),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("residents/", views.resident_search, name="resident_search"),
    re_path(
        r"^residents/(?P<pk>\d+)/reveal/(?P<field>phone|id_number)/$",
        views.resident_reveal,
        name="resident_reveal",
    ),
]
