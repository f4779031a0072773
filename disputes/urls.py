from django.urls import path, re_path

from .views import cases, report

app_name = "disputes"

urlpatterns = [
    path("disputes/", cases.dispute_list, name="list"),
    path("disputes/new/", cases.dispute_create, name="create"),
    path("disputes/report/", report.monthly, name="report"),
    path("disputes/report.xlsx", report.monthly_xlsx, name="report_xlsx"),
    path("disputes/<int:pk>/", cases.dispute_detail, name="detail"),
    path("disputes/<int:pk>/agreement/", cases.agreement, name="agreement"),
    path("disputes/parties/<int:pk>/reveal/", cases.party_reveal, name="party_reveal"),
    path("disputes/inbox/<int:pk>/", cases.notification, name="notification"),
    re_path(
        r"^disputes/(?P<pk>[0-9]{1,18})/(?P<action>[a-z_]+)/$",
        cases.dispute_action,
        name="act",
    ),
    re_path(
        r"^disputes/photos/(?P<pk>[0-9]{1,18})/(?P<size>thumb|full)/$",
        cases.dispute_photo,
        name="photo",
    ),
]
