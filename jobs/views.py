"""A job's page, the progress its page polls, and its file. A job is its owner's: others 404."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import Job

LISTED = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_job_for_user(request, pk) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk)


@require_safe
def job_list(request):
    """The user's latest jobs, to come back to one after leaving its page."""
    jobs = Job.objects.visible_to(request.user).defer("errors", "summary", "params")[:LISTED]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


@require_safe
@never_cache
def job_detail(request, pk):
    """How far the job is (a bar the page's script moves), then its result."""
    return render(request, "jobs/job_detail.html", {"job": _get_job_for_user(request, pk)})


@require_safe
@never_cache
def job_progress(request, pk):
    job = _get_job_for_user(request, pk)
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
            "finished": job.is_finished,
        }
    )


@require_safe
def job_download(request, pk):
    job = _get_job_for_user(request, pk)
    if not job.result:
        raise Http404
    return FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_name, content_type=XLSX
    )
