from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        # The community page's latest activities and the petition page's place, shown through
        # the panel registries of grids and petitions (which never import this app).
        from . import panels  # noqa: F401
