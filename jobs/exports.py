"""Large Excel exports go through a job; small ones are answered at once, as always.

An export view asks `export_as_job(request, rows, title=…)` before it builds its file. Past
`settings.EXPORT_JOB_ROWS` rows, the answer is the job's page; the worker then replays the same
view (`jobs.tasks.write_export`), where the call answers None and the view writes the file.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext

from communities.audit import client_address

from .models import Job
from .services import start_job
from .tasks import run_export


def export_as_job(
    request: HttpRequest, rows: QuerySet, *, title: str, limit: int | None = None
) -> HttpResponse | None:
    """The page of a new export job when `rows` are more than `limit` (by default
    `settings.EXPORT_JOB_ROWS`, a ledger with long rows says fewer); else None."""
    progress = getattr(request, "job_progress", None)
    if progress is not None:  # this is the job, in the worker: the view writes the file now
        # The rows are written in one go: the bar runs without a percentage until the file is there.
        progress(gettext("Writing %(count)d rows…") % {"count": rows.count()})
        return None
    limit = settings.EXPORT_JOB_ROWS if limit is None else limit
    if rows[: limit + 1].count() <= limit:
        return None
    job = start_job(
        kind=Job.Kind.EXPORT,
        title=title,
        owner=request.user,
        task=run_export,
        params={
            "path": request.path_info,
            "query": request.GET.urlencode(),
            "address": client_address(request),
        },
    )
    return redirect(job)
