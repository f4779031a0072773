"""Background jobs: the cost of enqueueing, how soon a worker starts a job, and a 50,000-resident
registry import through the worker, as the admin's import page runs it.

Run on a new, migrated database (manage.py migrate), which it fills and which you throw away:
    DATABASE_URL=... MEDIA_ROOT=/tmp/bench-media .venv/bin/python bench/jobs.py
It makes the map the workbook needs (新村社区, grids 1 and 2) and an organizer, starts its own
`manage.py db_worker`, posts the workbook (in-process client), follows the job as its page does,
then imports the same file again (everything unchanged), and prints the figures.
"""

import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weidu.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from grids.models import Tag  # noqa: E402
from jobs.models import Job  # noqa: E402
from jobs.tasks import run_export  # noqa: E402
from tests import factories as f  # noqa: E402
from tests.grids.registry_sheets import city_block, workbook  # noqa: E402

ENQUEUES = 200


def enqueue_latency() -> list[float]:
    """Milliseconds per enqueue (one INSERT), with no worker running; the rows are removed."""
    times, ids = [], []
    for _ in range(ENQUEUES):
        started = time.perf_counter()
        ids.append(run_export.enqueue(0).id)
        times.append((time.perf_counter() - started) * 1000)
    DBTaskResult.objects.filter(id__in=ids).delete()
    return times


def follow(job_id: int, posted: float) -> dict:
    """Poll the job as its page does (here every 0.1 s) until it has finished."""
    seen, started = [], None
    while True:
        job = Job.objects.get(pk=job_id)
        now = time.perf_counter() - posted
        if started is None and job.state != Job.State.QUEUED:
            started = now
        if not seen or seen[-1][1] != job.percent:
            seen.append((round(now, 1), job.percent))
        if job.is_finished:
            return {"started": started, "finished": now, "job": job, "bar": seen}
        time.sleep(0.1)


def make_map():
    """新村社区 with grids 1 and 2, the tag 党员; returns an organizer of the district."""
    district = f.make_district()
    community = f.make_community(
        f.make_street(district, name="北大街街道", code="411002005"), name="新村社区",
        code="411002005001",
    )  # fmt: skip
    f.make_grid(community, number=1)
    f.make_grid(community, number=2)
    Tag.objects.get_or_create(name="党员")
    return f.make_official("bench-organizer", areas=[district], is_staff=True)


def main():
    print(f"database: {django.db.connection.vendor}")
    organizer = make_map()
    times = enqueue_latency()
    print(
        f"enqueue: p50 {statistics.median(times):.2f} ms, "
        f"p95 {statistics.quantiles(times, n=20)[18]:.2f} ms ({ENQUEUES} tasks)"
    )
    content = workbook(city_block()).getvalue()
    print(f"workbook: 50,000 residents, {len(content) / 1e6:.1f} MB")
    worker = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--verbosity", "0"], cwd=ROOT
    )
    try:
        time.sleep(3)  # the worker starts (and waits up to 1 s, its startup delay)
        client = Client(HTTP_HOST="localhost")
        client.force_login(organizer)
        for attempt in ("first import", "same file again"):
            upload = io.BytesIO(content)
            upload.name = "city-block.xlsx"
            posted = time.perf_counter()
            response = client.post(reverse("admin:grids_import_registry"), {"workbook": upload})
            answered = time.perf_counter() - posted
            job_id = int(response.url.rstrip("/").rsplit("/", 1)[1])
            run = follow(job_id, posted)
            job = run["job"]
            print(
                f"{attempt}: the page answered in {answered:.2f} s ({response.status_code}); "
                f"the worker started it after {run['started']:.2f} s; finished after "
                f"{run['finished']:.1f} s, {job.state}: {'; '.join(job.summary[-1:])}"
            )
            print("  bar (s, %): " + " ".join(f"{t}:{p}" for t, p in run["bar"]))
    finally:
        worker.terminate()
        worker.wait(10)


if __name__ == "__main__":
    main()
