import pytest


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are enqueued, inside the request (django-tasks' ImmediateBackend).

    The path users take, a worker taking tasks from the database, is tested in test_worker.py.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
