"""When Redis or the database fail: pages go on without the cache, /healthz reports both within a
second, a database outage gives the Chinese 503 page, and the outage pages need nothing."""

import json
import socket
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.template import loader
from django.test import Client
from django.urls import reverse

from core import shared_cache
from petitions.models import Category, Petition
from petitions.views import tracking
from tests import factories as f
from tests.test_url_scoping import ROLES, URL_RULES, foreign  # noqa: F401 - the fixture
from weidu import health

CLOSED_PORT = "redis://127.0.0.1:1/0"
# What weidu/settings.py gives the Redis backend (tests/weidu/test_settings.py checks it).
TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def redis_cache_at(location):
    """The shared cache moved to `location`; the process-local caches (fragments) kept."""
    return {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "OPTIONS": TIMEOUTS,
        },
    }


@pytest.fixture
def cache_down(settings):
    """The shared cache at a closed port, the figures meant to be kept there for 5 minutes."""
    original = settings.CACHES
    settings.CACHES = redis_cache_at(CLOSED_PORT)
    settings.FIGURES_CACHE_SECONDS = 300
    shared_cache.reset()
    yield
    settings.CACHES = original  # before conftest's cache.clear() runs at teardown
    shared_cache.reset()


@pytest.fixture
def frozen_cache(settings):
    """A 'Redis' that accepts connections and never answers (like one stopped with SIGSTOP)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    original = settings.CACHES
    settings.CACHES = redis_cache_at(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    settings.FIGURES_CACHE_SECONDS = 300
    shared_cache.reset()
    yield
    settings.CACHES = original
    shared_cache.reset()
    listener.close()


@pytest.fixture
def own_petition(grid_a1, grid_worker, casework_defaults):
    household = f.make_household(grid_a1, room="302")
    return Petition.objects.create(
        source="visit", category=Category.objects.get(name="排水防涝"), grid=grid_a1,
        household=household, description="地下室漏水", created_by=grid_worker,
    )  # fmt: skip


# --- The cache is down ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_each_role_with_the_cache_at_a_closed_port(
    request, client, role, own_petition, cache_down
):
    objects = request.getfixturevalue("foreign")  # street B's objects, as in the scoping walk
    user = request.getfixturevalue(role)
    client.force_login(user)
    for name, (method, kwargs, query) in URL_RULES.items():
        url = reverse(name, kwargs=kwargs(objects)) + (query(objects) if callable(query) else query)
        response = getattr(client, method)(url)
        assert response.status_code < 500, (role, name, response.status_code)
        client.force_login(user)  # logout and password pages may have signed the user out
    for path in ("/", reverse("petitions:coverage")):
        assert client.get(path).status_code == 200, (role, path)
    response = client.get(reverse("petitions:track"), {"code": own_petition.tracking_code})
    assert response.status_code == 200 and "排水防涝" in response.text


def test_dashboard_figures_are_computed_when_the_cache_is_down(
    client_for, street_a_staff, own_petition, cache_down
):
    response = client_for(street_a_staff).get("/")
    assert response.status_code == 200
    assert response.context["months"]  # the figures are there, computed for this request


def test_a_frozen_cache_costs_a_page_a_fraction_of_a_second_once_per_interval(
    client_for, street_a_staff, frozen_cache
):
    client = client_for(street_a_staff)
    started = time.monotonic()
    assert client.get("/").status_code == 200
    first = time.monotonic() - started
    started = time.monotonic()
    assert client.get("/").status_code == 200
    second = time.monotonic() - started
    assert first < 2.0  # one socket timeout (0.25 s) on top of the page, not 5 s per call
    assert second < first  # the next request skips the cache that just failed


def test_tracking_rate_limit_counts_in_process_memory_while_the_cache_is_down(
    client, own_petition, cache_down
):
    tracking._local.clear()
    url = reverse("petitions:track")
    for n in range(tracking.WRONG_CODES_ALLOWED):
        assert client.get(url, {"code": f"WRONGCODE{n}"}).status_code == 200
    assert client.get(url, {"code": "WRONGCODEX"}).status_code == 429
    assert client.get(url, {"code": own_petition.tracking_code}).status_code == 200
    tracking._local.clear()


# --- /healthz -------------------------------------------------------------------------------


def healthz(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, json.loads(response.content), time.monotonic() - started


def test_healthz_names_the_state_of_database_and_cache(client, db):
    response, body, _ = healthz(client)
    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_stays_200_with_the_cache_down_and_says_it_is_degraded(client, db, cache_down):
    response, body, elapsed = healthz(client)
    assert response.status_code == 200
    assert body == {"status": "degraded", "database": "ok", "cache": "down"}
    assert elapsed < 1.0


def test_healthz_answers_within_a_second_with_a_frozen_cache(client, db, frozen_cache):
    response, body, elapsed = healthz(client)
    assert (response.status_code, body["cache"]) == (200, "down")
    assert elapsed < 1.0


def test_healthz_answers_503_when_the_database_refuses(client, db, monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "check_database", refused)
    response, body, _ = healthz(client)
    assert response.status_code == 503
    assert body == {"status": "down", "database": "down", "cache": "ok"}


def test_healthz_answers_within_a_second_when_the_database_hangs(client, db, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(health, "check_database", lambda: release.wait(10))
    try:
        response, body, elapsed = healthz(client)
        assert (response.status_code, body["database"]) == (503, "timeout")
        assert elapsed < 1.0
        # A second check while the first still hangs starts no new thread and answers at once.
        response, body, elapsed = healthz(client)
        assert (response.status_code, body["database"], elapsed < 0.5) == (503, "timeout", True)
    finally:
        release.set()
        health._running["database"].join(5)


# --- Outage pages ---------------------------------------------------------------------------


@pytest.fixture
def unraised(db):
    """A client that returns the error page instead of raising, as a browser would see it."""
    return Client(raise_request_exception=False)


def test_a_database_outage_during_a_request_gives_the_chinese_503_page(
    unraised, community_staff, monkeypatch
):
    unraised.force_login(community_staff)

    def refused(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    # The first thing a signed-in request asks the database: its session.
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", refused)
    response = unraised.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "系统暂时无法使用" in text and "没有丢失" in text


def test_a_pool_timeout_in_a_view_gives_the_503_page(unraised, community_staff, monkeypatch):
    from psycopg_pool import PoolTimeout

    def no_connection(user):
        raise PoolTimeout("couldn't get a connection after 3.00 sec")

    monkeypatch.setattr("weidu.views.get_scope", no_connection)
    unraised.force_login(community_staff)
    assert unraised.get("/").status_code == 503


def test_any_other_error_gives_the_chinese_500_page(unraised, community_staff, monkeypatch):
    def broken(user):
        raise RuntimeError("a bug")

    monkeypatch.setattr("weidu.views.get_scope", broken)
    unraised.force_login(community_staff)
    response = unraised.get("/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "系统出错了" in text and "没有丢失" in text


@pytest.mark.parametrize("name", ["500.html", "503.html"])
def test_outage_pages_stand_alone_without_database_or_context(name, db, django_assert_num_queries):
    for part in (name, "_outage_page.html"):  # the page and the one it includes
        source = loader.get_template(part).template.source
        assert "{% extends" not in source and "{% url" not in source and "{% static" not in source
    with django_assert_num_queries(0):
        html = loader.get_template(name).render()
    assert "魏都区网格治理" in html
