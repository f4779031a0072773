from django.apps import AppConfig


class WeiduConfig(AppConfig):
    name = "weidu"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
