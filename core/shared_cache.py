"""The shared cache (Redis in production) is an optimisation: when it fails, pages go on without it.

Every read and write of the cache by the app goes through here. A failing cache (refused,
killed, frozen: the Redis client's socket timeouts in CACHES bound each call to a fraction of a
second) is logged and treated as a miss; after a failure this process leaves the cache alone for
RETRY_AFTER seconds, so a frozen Redis costs one short wait per worker and interval instead of
one per request. Callers that must know the cache is down (the tracking page's rate limit
falls back to its own counter) use `call`, which raises CacheDown.
"""

import contextlib
import logging
import threading
import time

from django.core.cache import cache

log = logging.getLogger(__name__)

RETRY_AFTER = 10.0  # seconds

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a dependency; locmem needs nothing
    RedisError = OSError

FAILURES = (RedisError, OSError)

_lock = threading.Lock()
_down_until = 0.0


class CacheDown(Exception):
    """The shared cache did not answer; the caller goes on without it."""


def call(method: str, *args, **kwargs):
    """`cache.<method>(*args, **kwargs)`, or CacheDown when the cache fails or failed recently."""
    global _down_until
    if time.monotonic() < _down_until:
        raise CacheDown
    try:
        return getattr(cache, method)(*args, **kwargs)
    except FAILURES as error:
        with _lock:
            _down_until = time.monotonic() + RETRY_AFTER
        log.warning("shared cache unavailable (%s: %s); going on without it", method, error)
        raise CacheDown from error


def get(key: str, default=None):
    """The cached value, or `default` when it is missing or the cache is down."""
    try:
        return call("get", key, default)
    except CacheDown:
        return default


def set(key: str, value, timeout: float) -> None:  # noqa: A001 - mirrors the cache API
    """Keep `value`; nothing happens when the cache is down."""
    with contextlib.suppress(CacheDown):
        call("set", key, value, timeout)


def state() -> str:
    """ "ok" or "down", asked of the cache itself now (for /healthz), whatever happened before."""
    global _down_until
    try:
        cache.get("healthz:probe")
    except FAILURES as error:
        log.warning("shared cache unavailable (health check): %s", error)
        return "down"
    with _lock:
        _down_until = 0.0  # it answers again: stop skipping it
    return "ok"


def reset() -> None:
    """Forget a recent failure (tests)."""
    global _down_until
    _down_until = 0.0
