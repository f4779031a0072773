from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from core.forms import LoginForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language can be switched on the login page too, before anyone signs in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("grids.urls")),
    path("", include("petitions.urls")),
    path("", include("disputes.urls")),
    path("", include("meetings.urls")),
    path("", include("activities.urls")),
    path("", include("cadres.urls")),
    path("", include("jobs.urls")),
    path("safety/", include("safety.urls")),
]

admin.site.site_header = admin.site.site_title = _("Weidu grid governance · administration")
handler500 = "weidu.views.server_error"
