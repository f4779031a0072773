"""What /healthz asks, each question bounded in time so the answer comes within a second.

A database that is down answers quickly (connection refused), but one that is frozen, or a pool
waiting for connections it cannot open, would hold the request for seconds or minutes. The
database is therefore asked on a thread of its own and waited for at most `timeout` seconds;
while an earlier question is still unanswered no new one is started, so a hung database costs
one thread per worker process, not one per health check.
"""

import logging
import threading

from django.db import connection

log = logging.getLogger(__name__)

_lock = threading.Lock()
_running: dict[str, threading.Thread] = {}


def check_database() -> None:
    """Raise unless the database answers `SELECT 1` (on this thread's own connection)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # back to the pool, or closed: the thread ends here


def bounded(name: str, check, timeout: float) -> str:
    """ "ok" when `check()` returned within `timeout` seconds, "down" when it raised, "timeout"
    when it had not finished (or an earlier call's check is still running)."""
    outcome = {}

    def run():
        try:
            check()
            outcome["state"] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure means "down", and is logged
            log.warning("health check %s failed: %s", name, error)
            outcome["state"] = "down"

    with _lock:
        earlier = _running.get(name)
        if earlier is not None and earlier.is_alive():
            return "timeout"
        thread = threading.Thread(target=run, name=f"healthz-{name}", daemon=True)
        _running[name] = thread
        thread.start()
    thread.join(timeout)
    return outcome.get("state", "timeout")


def database_state(timeout: float) -> str:
    """The database's state for /healthz: "ok", "down" or "timeout"."""
    return bounded("database", lambda: check_database(), timeout)
