from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety and rule of law")

    def ready(self):
        from . import ranking_marks  # noqa: F401 - puts the three zeros on the ranking's rows
