"""The app under gunicorn, measured with concurrent clients: latency and throughput per page.

Run against a generated database (bench/README.md says how to make one):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/weidu_city \\
        .venv/bin/python bench/http_load.py --out bench/results-city.md

It collects the static files, starts gunicorn, signs in as each role, warms every page up, then
sends each page's requests from `--clients` threads at once and prints p50 / p95 / p99 and
requests per second, with `/healthz` as the floor. A soak of `--soak` mixed requests follows and
the gunicorn workers' memory is read from /proc. `--smoke` runs a few requests per page (CI):
it checks every page answers as expected, not how fast.

The benchmark writes to the database it measures: it records visits and accepts petitions it
opened itself in the grid worker's grid.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import itertools
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "weidu-demo"  # noqa: S105 - the demo logins (communities/demo.py)
ROLES = ("street", "organizer", "community", "grid")


@dataclass
class Page:
    label: str
    role: str | None  # None: anonymous
    paths: list[str]
    method: str = "GET"
    body: object = None  # callable(session, n) -> dict, for POST
    expect: int = 200
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    cursor: object = None  # where the paths go on from, across warm-up, measure and soak
    errors: int = 0
    wall: float = 0.0


# --- HTTP ---------------------------------------------------------------------------------------


class Session:
    """One signed-in official: cookies carried by hand (the server runs without TLS here)."""

    def __init__(self, port, role=None):
        self.port, self.role, self.cookies = port, role, {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        if response.status in (301, 302) and "/accounts/login/" in response.headers.get(
            "Location", ""
        ):
            return 401, "", elapsed  # signed out: never count it as the expected redirect
        return response.status, content.decode("utf-8", "replace"), elapsed

    def login(self):
        self.request("GET", "/accounts/login/")
        status, _, _ = self.request(
            "POST", "/accounts/login/", {"username": self.role, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"could not sign in as {self.role} (HTTP {status})")

    def csrf_form_token(self, path):
        _, html, _ = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""


# --- The server ---------------------------------------------------------------------------------


def server_environment(static_root):
    env = dict(os.environ)
    env.update(
        DEBUG="off",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="off",
        SESSION_COOKIE_SECURE="off",
        CSRF_COOKIE_SECURE="off",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(static_root),
        DJANGO_SETTINGS_MODULE="weidu.settings",
    )
    # Several workers share one cache in production (README); Redis runs on this machine.
    env.setdefault("CACHE_URL", "rediscache://127.0.0.1:6379/2")
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, workers, port):
    bindir = Path(sys.executable).parent
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [str(bindir / "gunicorn"), "weidu.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Session(port).request("GET", "/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def worker_memory_mb(master_pid):
    """Resident memory of each gunicorn worker, from /proc."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


# --- What is measured ---------------------------------------------------------------------------


def targets():
    """Ids to request, read from the database in the bench process (Django set up here too)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from communities.models import Assignment, Department, Grid
    from grids.models import Household
    from petitions.models import Category, Petition
    from petitions.services.intake import open_petition

    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    street, grid_worker = users["street"], users["grid"]
    petitions = list(
        Petition.objects.visible_to(street).order_by("-id").values_list("pk", flat=True)[:200]
    )
    households = list(
        Household.objects.visible_to(street).order_by("-id").values_list("pk", flat=True)[:200]
    )
    grids = list(Grid.objects.visible_to(street).values_list("pk", flat=True)[:50])
    own = list(Household.objects.visible_to(grid_worker).order_by("id")[:50])
    category = Category.objects.order_by("id").first()
    # The units with the most cadres (generate_cadres: 48 heads, 539 grid first secretaries).
    units = list(
        Department.objects.annotate(n=Count("assignments"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[:20]
    )
    # Cadres of those units (each page reads one cadre's visits, concerns and activities).
    cadres = list(
        Assignment.objects.filter(department__in=units)
        .order_by("official_id")
        .values_list("official_id", flat=True)
        .distinct()[:20]
    )

    # The new capabilities' detail pages: the street's latest disputes and meetings.
    from disputes.models import Dispute
    from meetings.models import Meeting

    disputes = list(
        Dispute.objects.visible_to(street).order_by("-id").values_list("pk", flat=True)[:100]
    )
    meetings = list(
        Meeting.objects.visible_to(street).order_by("-id").values_list("pk", flat=True)[:100]
    )

    def new_petitions(count):
        """Petitions the transition page accepts, one per request, opened here beforehand."""
        return [
            open_petition(
                by=grid_worker,
                source="walk_in",
                category=category,
                description="基准测试:待签收诉求",
                household=own[n % len(own)],
            )  # fmt: skip
            for n in range(count)
        ]

    return petitions, households, grids, own, new_petitions, units, cadres, disputes, meetings


def pages(petitions, households, grids, own, new_petitions, units, cadres, disputes, meetings):
    filters = ["", "?status=open", "?overdue=1", "?dispute=1&period=this_year",
               "?status=open&sort=due", "?page=20"]  # fmt: skip
    typed = ["3", "30", "301", "6-2", "6-2-301", "张", "张伟", "5678"]
    now = datetime.datetime.now().strftime("%Y-%m-%dT%H:%M")
    household_ids = itertools.cycle(h.pk for h in own)
    to_accept = iter([])

    def visit_form(session, n):
        return {
            "household": next(household_ids), "visited_at": now, "kind": "routine",
            "notes": "基准测试走访", "concern-TOTAL_FORMS": "0", "concern-INITIAL_FORMS": "0",
            "concern-MIN_NUM_FORMS": "0", "concern-MAX_NUM_FORMS": "10",
        }  # fmt: skip

    def accept_form(session, n):
        return {"version": next(to_accept).version}

    result = [
        Page("/healthz (floor)", None, ["/healthz"]),
        # The lightest signed-in page: the session, the user, the middleware and the page's
        # frame (header, menu, unread count) with nothing in it, what every page pays first.
        Page("signed-in floor (empty page)", "street", ["/accounts/password/done/"]),
        Page("dashboard, street", "street", ["/"]),
        Page("dashboard, district", "organizer", ["/"]),
        Page("petition list, street", "street", [f"/petitions/{f}" for f in filters]),
        Page("petition list, district", "organizer", [f"/petitions/{f}" for f in filters]),
        Page("petition detail", "street", [f"/petitions/{pk}/" for pk in petitions]),
        Page("household search, grid", "grid", [f"/visits/households/?q={q}" for q in typed]),
        Page("resident search, street", "street", [f"/residents/?q={q}" for q in typed]),
        Page("household page", "street", [f"/households/{pk}/" for pk in households]),
        Page("grid page", "street", [f"/grids/{pk}/" for pk in grids]),
        Page("coverage, street", "street", ["/visits/coverage/"]),
        Page("coverage, district", "organizer", ["/visits/coverage/"]),
        Page("visit create", "grid", ["/visits/new/"], "POST", visit_form, 302),
        Page("cadres, district", "organizer", ["/cadres/", "/cadres/?period=this_year"]),
        Page("unit page", "organizer", [f"/units/{pk}/?period=this_year" for pk in units]),
        Page("cadre page", "organizer", [f"/cadres/{pk}/?period=this_year" for pk in cadres]),
        Page("三双 rates, street", "street", ["/three-trusts/", "/three-trusts/?period=this_year"]),
        Page("dispute list, street", "street", ["/disputes/", "/disputes/?period=this_year"]),
        Page("dispute list, district", "organizer", ["/disputes/", "/disputes/?page=5"]),
        Page("dispute detail", "street", [f"/disputes/{pk}/" for pk in disputes]),
        Page("dispute report, street", "street", ["/disputes/report/"]),
        Page("dispute report, district", "organizer", ["/disputes/report/"]),
        Page("meeting ledger, street", "street", ["/meetings/"]),
        Page("meeting ledger, district", "organizer", ["/meetings/"]),
        Page("meeting page", "street", [f"/meetings/{pk}/" for pk in meetings]),
        Page("activity ledger, street", "street", ["/activities/"]),
        Page("activity ledger, district", "organizer", ["/activities/"]),
        Page("police days, district", "organizer", ["/safety/police-days/"]),
        Page("three zeros, district", "organizer", ["/safety/three-zeros/"]),
    ]
    accept = Page("petition accept", "grid", [], "POST", accept_form, 302)
    # Quote the path safely: search terms are Chinese.
    for page in result:
        page.paths = [urllib.parse.quote(p, safe="/?=&") for p in page.paths]

    def prepare_accept(count):
        nonlocal to_accept
        opened = new_petitions(count)
        accept.paths = [f"/petitions/{p.pk}/accept/" for p in opened]
        to_accept = iter(opened)
        return opened

    return result + [accept], accept, prepare_accept


def run_page(page, sessions, clients, count, record=True):
    if page.cursor is None:
        page.cursor = itertools.cycle(page.paths)
    paths = page.cursor
    lock = threading.Lock()
    counter = itertools.count()

    def client(session):
        while True:
            with lock:
                n = next(counter)
                if n >= count:
                    return
                path = next(paths)
                form = page.body(session, n) if page.body else None
            status, _, elapsed = session.request(page.method, path, form)
            with lock:
                if status != page.expect:
                    page.errors += 1
                if record:
                    page.latencies.append(elapsed * 1000)

    threads = [threading.Thread(target=client, args=(sessions[i],)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if record:
        page.wall = time.perf_counter() - started
        page.requests = count


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))]


def table(measured, floor_p95):
    lines = [
        "| page | role | requests | errors | p50 ms | p95 ms | p99 ms | req/s | p95 ÷ healthz |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in measured:
        p50, p95, p99 = (percentile(page.latencies, s) for s in (0.50, 0.95, 0.99))
        lines.append(
            f"| {page.label} | {page.role or 'anonymous'} | {page.requests} | {page.errors} "
            f"| {p50:.1f} | {p95:.1f} | {p99:.1f} | {page.requests / page.wall:.1f} "
            f"| {p95 / floor_p95:.1f}× |"
        )
    return "\n".join(lines)


def database_summary():
    from django.db import connection

    from grids.models import Household, Resident
    from petitions.models import Petition, Visit

    if connection.vendor != "postgresql":
        models = (Household, Resident, Visit, Petition)
        return ", ".join(f"{m._meta.db_table}: {m.objects.count():,}" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname IN "
            "('grids_household', 'grids_resident', 'petitions_visit', 'petitions_petition') "
            "ORDER BY relname"
        )
        return ", ".join(f"{name}: ~{rows:,}" for name, rows in cursor.fetchall())


def commit():
    command = ["git", "rev-parse", "--short", "HEAD"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: S603


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured requests per page")
    parser.add_argument("--soak", type=int, default=10_000, help="mixed requests before memory")
    parser.add_argument("--out", type=Path, help="write the table to this file (Markdown)")
    parser.add_argument("--smoke", action="store_true", help="a few requests per page (CI)")
    parser.add_argument(
        "--only",
        help="measure only pages whose label contains one of these texts (comma-separated)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.workers, args.requests, args.warmup, args.soak = 2, 2, 6, 2, 40

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weidu.settings")
    with tempfile.TemporaryDirectory() as static_root:
        env = server_environment(static_root)
        os.environ.update(
            {k: env[k] for k in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CACHE_URL")}
        )
        found = targets()
        from django.core.cache import cache

        cache.clear()  # no figures left from an earlier run
        all_pages, accept, prepare_accept = pages(*found)
        if args.only:  # the floor is always measured
            wanted = args.only.split(",")
            all_pages = all_pages[:1] + [
                p for p in all_pages[1:] if any(text in p.label for text in wanted)
            ]
        port = free_port()
        server = start_gunicorn(env, args.workers, port)
        try:
            report, failures = measure(args, port, server, all_pages, accept, prepare_accept)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
        print(f"\nwritten to {args.out}")
    if failures:
        raise SystemExit(f"unexpected answers: {failures}")


def measure(args, port, server, all_pages, accept, prepare_accept):
    sessions = {None: [Session(port) for _ in range(args.clients)]}
    for role in ROLES:
        sessions[role] = [Session(port, role) for _ in range(args.clients)]
        for session in sessions[role]:
            session.login()
    opened = prepare_accept(args.warmup + args.requests) if accept in all_pages else []
    for page in all_pages:  # warm up every page first: caches, connection pool, imports
        run_page(page, sessions[page.role], args.clients, args.warmup, record=False)
    warmup_errors = {p.label: p.errors for p in all_pages if p.errors}
    for page in all_pages:
        page.errors = 0
        run_page(page, sessions[page.role], args.clients, args.requests)
        print(f"measured {page.label}: {page.requests / page.wall:.1f} req/s", file=sys.stderr)
    floor = percentile(all_pages[0].latencies, 0.95)
    from django.utils import timezone

    served = len(all_pages) * (args.warmup + args.requests)
    soak = [p for p in all_pages if p.method == "GET"]
    per_page = max(1, (args.soak - served) // len(soak))
    for page in soak:
        run_page(page, sessions[page.role], args.clients, per_page, record=False)
    served += per_page * len(soak)
    memory = worker_memory_mb(server.pid)
    lines = [
        f"Commit {commit()}, {timezone.localtime():%Y-%m-%d %H:%M} Beijing time; database: "
        f"{database_summary()}.",
        f"gunicorn: {args.workers} sync workers; {args.clients} concurrent clients; "
        f"{args.requests} measured requests per page after {args.warmup} to warm up.",
        "",
        table(all_pages, floor),
        "",
        f"Worker memory (RSS) after {served:,} requests: "
        + ", ".join(f"{m:.0f} MB" for m in memory),
    ]
    failures = {p.label: p.errors for p in all_pages if p.errors}
    failures.update(warmup_errors)
    # Both outcomes of an action redirect to the petition: ask the database whether it happened.
    not_accepted = sum(1 for p in opened if p.__class__.objects.get(pk=p.pk).status != "accepted")
    if not_accepted:
        failures["petition accept (still not accepted)"] = not_accepted
    return "\n".join(lines), failures


if __name__ == "__main__":
    main()
