from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Administrative map")

    def ready(self):
        from . import audit  # noqa: F401 - connects the login audit receivers
