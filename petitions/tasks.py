"""The casework's background task: the 督办 clock (django-tasks; a worker runs it)."""

from django_tasks import task

from .services.supervision import raise_due_grades


@task()
def raise_supervision_grades() -> dict[str, int]:
    """Give the yellow and red cards the deadlines have earned (idempotent)."""
    return raise_due_grades()
