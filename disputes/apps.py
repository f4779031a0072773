from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Disputes and mediation")

    def ready(self):
        from petitions.inbox_sources import inbox_source

        from . import panels  # noqa: F401 - the dispute sections of the petition and visit pages
        from .services.inbox import INBOX

        inbox_source(INBOX)  # dispute notifications in the officials' one inbox
