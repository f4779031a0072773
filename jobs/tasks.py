"""The background tasks of the jobs app (django-tasks; a worker runs them: `manage.py db_worker`).

The registry import's task lives beside its page: `grids.admin_import.run_registry_import`.
"""

import uuid

from django.core.files import File
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext
from django_tasks import task

from .models import Job
from .services import Progress, run_job


@task()
def run_export(job_id: int) -> None:
    """Write a large Excel export started by `jobs.exports.export_as_job`."""
    run_job(job_id, write_export)


def write_export(job: Job, progress: Progress) -> None:
    """Replay the export's own view as its owner, now, and keep the file it answers.

    The view decides the rows and the columns and checks the scope again, as of now; the job
    only stores what it answers. Its audit record names the address the export came from.
    """
    params = job.params
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = params["path"]
    request.GET = QueryDict(params.get("query", ""))
    request.META = {
        "REMOTE_ADDR": params.get("address", ""),
        "QUERY_STRING": request.GET.urlencode(),
    }
    request.user = job.owner
    request.job_progress = progress  # tells export_as_job to let the view answer
    try:
        if not job.owner.is_active:
            raise Http404
        match = resolve(request.path_info)
        response = match.func(request, *match.args, **match.kwargs)
    except (Http404, Resolver404):
        response = None
    if not isinstance(response, FileResponse):
        job.state = Job.State.FAILED
        job.message = gettext("This export is no longer yours to make; nothing was written.")
        return
    # Not response.close(): that would signal the end of a request and close the connections.
    with response.file_to_stream as stream:
        job.result.save(f"{uuid.uuid4().hex}.xlsx", File(stream), save=False)
    job.result_name = response.filename or job.result.name
    job.message = gettext("The file is ready.")
