from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    """What the district's units and their cadres do in the communities: unit pages, the
    district's page of first secretaries and sent-down cadres, and their demo."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cadres"
    verbose_name = _("cadres and their units")
