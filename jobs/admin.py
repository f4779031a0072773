"""The admin's view of background work.

django-tasks-db registers its queue (DBTaskResult) in the admin, in English and with a task's
arguments and tracebacks: that is for whoever runs the servers, not for organizers, who follow
their imports and exports on the job pages (jobs/views.py). It is taken out of the admin; its app
keeps a Chinese name for anywhere Django still shows it.
"""

from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

if apps.is_installed("django_tasks_db"):
    from django_tasks_db.models import DBTaskResult

    apps.get_app_config("django_tasks_database").verbose_name = _("Background task queue")
    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
