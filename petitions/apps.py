from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Casework")

    def ready(self):
        from . import panels  # noqa: F401 - registers the household timeline on the registry page
