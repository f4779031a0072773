from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "disputes"
    verbose_name = _("Disputes and mediation")

    def ready(self):
        from . import panels  # noqa: F401 - the dispute link on the petition page
