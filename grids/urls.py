from django.urls import path, re_path

from .views import registry, roles

app_name = "grids"

urlpatterns = [
    path("communities/", registry.area_list, name="area_list"),
    path("communities/<int:pk>/", registry.community_detail, name="community"),
    path(
        "communities/<int:pk>/registry.xlsx",
        registry.registry_export_view,
        {"level": "community"},
        name="community_export",
    ),
    path("grids/<int:pk>/", registry.grid_detail, name="grid"),
    path(
        "grids/<int:pk>/registry.xlsx",
        registry.registry_export_view,
        {"level": "grid"},
        name="grid_export",
    ),
    path("grids/<int:grid_pk>/roles/new/", roles.role_appoint, name="role_appoint"),
    path("roles/<int:pk>/end/", roles.role_end, name="role_end"),
    path("communities/<int:pk>/roster.xlsx", roles.roster_export, name="roster_export"),
    path("buildings/<int:pk>/", registry.building_detail, name="building"),
    path("households/<int:pk>/", registry.household_detail, name="household"),
    path("residents/", registry.resident_search, name="resident_search"),
    re_path(
        r"^residents/(?P<pk>[0-9]{1,18})/reveal/(?P<field>phone|id_number)/$",
        registry.resident_reveal,
        name="resident_reveal",
    ),
]
