from django.urls import path

from . import views

app_name = "cadres"

urlpatterns = [
    path("cadres/", views.cadre_list, name="list"),
    path("cadres/export.xlsx", views.cadre_export, name="export"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("three-trusts/", views.three_trust_rates, name="three_trusts"),
]
