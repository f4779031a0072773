"""Long work that must not run inside a web request: background jobs users can follow.

A `Job` is what the user sees: what runs, how far it is, and its result (the errors found, or
the file to download). The work itself runs in a worker of the django-tasks framework (the
backport of Django 6's `django.tasks`), with its database backend: `manage.py db_worker`.

- the registry import: `grids.admin_import.run_registry_import`
- a large Excel export: `jobs.tasks.run_export`, which replays the export's own view
"""
