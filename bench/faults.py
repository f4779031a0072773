"""What users get when Redis or PostgreSQL fail under load (private servers, gunicorn).

    .venv/bin/python bench/faults.py [--phase-seconds 8] [--clients 3] [--workers 3]

It starts its OWN PostgreSQL (initdb into a temporary folder, port --pg-port, 55432) and its own
Redis (port --redis-port, 56379), both on 127.0.0.1 only, loads the demo data, and runs the app
under gunicorn with production settings (DEBUG off, psycopg pool, Redis cache). A few client
threads then load the dashboard, coverage, the petition list and /track/ over loopback while a
poller asks /healthz twice a second, through these phases:

    baseline · Redis killed · Redis back · Redis frozen (SIGSTOP) · Redis thawed (SIGCONT) ·
    PostgreSQL stopped · PostgreSQL back · settled

and it prints, per phase, the status codes users got (and whether an error was the Chinese
outage page), their latency, and what /healthz answered. Everything it started is stopped and
its folder removed at the end. The load is bounded: --clients threads, --phase-seconds per phase,
at most --max-requests requests. It refuses the system's ports 5432 and 6379.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from http_load import Session, free_port, server_environment, start_gunicorn  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SYSTEM_PORTS = {5432, 6379}
OUTAGE_MARKERS = ("系统暂时无法使用", "系统出错了")  # templates/503.html, templates/500.html


# --- The private servers ------------------------------------------------------------------------


class PrivatePostgres:
    """A throw-away cluster in `folder`, trust auth, listening on 127.0.0.1:`port` only."""

    def __init__(self, folder: Path, port: int):
        self.data, self.port, self.log = folder / "pg", port, folder / "pg.log"
        # initdb refuses to run as root: the cluster then belongs to the postgres user.
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *command, check=True):
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return subprocess.run(  # noqa: S603 - fixed PostgreSQL binaries
            [*prefix, *map(str, command)], check=check, capture_output=True, text=True
        )

    def init(self):
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.data.parent, entry.pw_uid, entry.pw_gid)
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                  "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")  # fmt: skip
        self.start()
        self._run(PG_BIN / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres",
                  "weidu")  # fmt: skip

    def start(self):
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.data.parent} -c fsync=off "
                   "-c max_connections=60")  # fmt: skip
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w",
                  "start")  # fmt: skip

    def stop(self, mode="fast"):
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def query(self, sql):
        result = self._run(PG_BIN.parent / "bin" / "psql", "-h", "127.0.0.1", "-p", self.port,
                           "-U", "postgres", "-d", "weidu", "-Atc", sql)  # fmt: skip
        return result.stdout.strip()

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/weidu"


class PrivateRedis:
    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - the Debian redis-server
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(0.3)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait()

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    @property
    def url(self):
        return f"rediscache://127.0.0.1:{self.port}/0"


# --- The load -----------------------------------------------------------------------------------


class Recorder:
    """What users got in the current phase."""

    def __init__(self):
        self.lock = threading.Lock()
        self.phase = None
        self.pages = collections.defaultdict(list)  # phase -> [(status, ms, outage page?)]
        self.health = collections.defaultdict(list)  # phase -> [(status, ms, body)]
        self.started = {}  # phase -> when it started (monotonic)
        self.count = 0

    def page(self, status, ms, body):
        with self.lock:
            self.count += 1
            outage = any(marker in body for marker in OUTAGE_MARKERS)
            after = time.monotonic() - self.started[self.phase]
            self.pages[self.phase].append((status, ms, outage, after))

    def healthz(self, status, ms, body):
        with self.lock:
            self.health[self.phase].append((status, ms, body))


def request(session, path):
    """(status, ms, body); a connection error or timeout counts as status 0."""
    started = time.perf_counter()
    try:
        status, body, _ = session.request("GET", path)
    except OSError as error:
        return 0, (time.perf_counter() - started) * 1000, str(error)
    return status, (time.perf_counter() - started) * 1000, body


def client_loop(session, paths, recorder, stop, max_requests):
    n = 0
    while not stop.is_set() and recorder.count < max_requests:
        status, ms, body = request(session[n % len(session)], paths[n % len(paths)])
        recorder.page(status, ms, body)
        n += 1


def health_loop(port, recorder, stop):
    probe = Session(port)
    while not stop.is_set():
        status, ms, body = request(probe, "/healthz")
        recorder.healthz(status, ms, body)
        stop.wait(0.5)


# --- The report ---------------------------------------------------------------------------------


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))] if values else 0


def health_summary(answers):
    seen = collections.Counter()
    for status, _, body in answers:
        try:
            states = json.loads(body)
            seen[f"{status} db={states['database']} cache={states['cache']}"] += 1
        except (ValueError, KeyError, TypeError):
            seen[f"{status} (no JSON)"] += 1
    return ", ".join(f"{label} ×{n}" for label, n in seen.most_common())


def report(phases, recorder):
    lines = [
        "| phase | requests | answers (status ×count) | Chinese outage page | last 5xx "
        "| p50 ms | p95 ms | max ms | /healthz answers | /healthz max ms |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for phase in phases:
        pages, health = recorder.pages[phase], recorder.health[phase]
        statuses = collections.Counter(status for status, *_ in pages)
        answers = ", ".join(f"{s} ×{n}" for s, n in sorted(statuses.items()))
        outage = sum(1 for _, _, page, _ in pages if page)
        ms = [m for _, m, *_ in pages]
        failed = [after for status, _, _, after in pages if status == 0 or status >= 500]
        last_error = f"+{max(failed):.1f} s" if failed else "–"
        health_ms = max((m for _, m, _ in health), default=0)
        lines.append(
            f"| {phase} | {len(pages)} | {answers} | {outage} | {last_error} "
            f"| {percentile(ms, 0.5):.0f} "
            f"| {percentile(ms, 0.95):.0f} | {max(ms, default=0):.0f} | "
            f"{health_summary(health)} | {health_ms:.0f} |"
        )
    return "\n".join(lines)


# --- The run ------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--redis-port", type=int, default=56379)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=3, help="client threads")
    parser.add_argument("--phase-seconds", type=float, default=8.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if {args.pg_port, args.redis_port} & SYSTEM_PORTS:
        raise SystemExit("refusing the system's PostgreSQL/Redis ports (5432, 6379)")

    folder = Path(tempfile.mkdtemp(prefix="weidu-faults-"))
    postgres = PrivatePostgres(folder, args.pg_port)
    redis = PrivateRedis(args.redis_port)
    server = None
    try:
        print(f"private PostgreSQL on 127.0.0.1:{args.pg_port}, Redis on {args.redis_port}, "
              f"in {folder}", file=sys.stderr)  # fmt: skip
        postgres.init()
        redis.start()
        env = server_environment(folder / "static")
        env.update(DATABASE_URL=postgres.url, CACHE_URL=redis.url)
        for command in (["migrate", "-v0"], ["load_demo"]):
            subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        code = postgres.query("SELECT tracking_code FROM petitions_petition LIMIT 1")
        port = free_port()
        server = start_gunicorn(env, args.workers, port)
        sessions = [Session(port, "street") for _ in range(args.clients)]
        for session in sessions:
            session.login()
        paths = ["/", "/visits/coverage/", "/petitions/", f"/track/?code={code}",
                 f"/track/?code={urllib.parse.quote('WRONGCODE2')}"]  # fmt: skip

        recorder, stop = Recorder(), threading.Event()
        phases = [
            ("baseline", None),
            ("Redis killed", redis.kill),
            ("Redis back", redis.start),
            ("Redis frozen (SIGSTOP)", redis.freeze),
            ("Redis thawed (SIGCONT)", redis.thaw),
            ("PostgreSQL stopped", postgres.stop),
            ("PostgreSQL back", postgres.start),
            ("settled", None),
        ]
        recorder.phase = phases[0][0]
        threads = [
            threading.Thread(target=client_loop,
                             args=([s], paths[i:] + paths[:i], recorder, stop, args.max_requests))
            for i, s in enumerate(sessions)
        ] + [threading.Thread(target=health_loop, args=(port, recorder, stop))]  # fmt: skip
        for thread in threads:
            thread.start()
        for name, action in phases:
            # A phase starts with its action (stopping PostgreSQL takes a moment, starting it
            # too): what users got meanwhile counts in it.
            with recorder.lock:
                recorder.phase = name
                recorder.started[name] = time.monotonic()
            print(f"{time.strftime('%H:%M:%S')} {name}", file=sys.stderr)
            if action is not None:
                action()
            time.sleep(max(0.0, recorder.started[name] + args.phase_seconds - time.monotonic()))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        print(
            f"gunicorn {args.workers} sync workers, {args.clients} clients (street official: "
            f"dashboard, coverage, petition list, /track/ right and wrong code), "
            f"{args.phase_seconds:.0f} s per phase; /healthz polled every 0.5 s. 429 is the "
            "wrong-code limit of /track/ (every client shares 127.0.0.1); 'last 5xx' is how long "
            "after the phase's action the last failed answer came; status 0: no answer.\n"
        )
        print(report([name for name, _ in phases], recorder))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        redis.kill()
        postgres.stop("immediate")
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
