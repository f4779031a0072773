"""The admin's view of background work.

django-tasks-db names its app "Tasks Database Backend" in English and ships no Chinese: it is
named for our organizers here, and its strings are translated through weidu/third_party_messages.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

if apps.is_installed("django_tasks_db"):
    apps.get_app_config("django_tasks_database").verbose_name = _("Background task queue")
