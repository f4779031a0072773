"""The cast: a small fixed district with two streets and one user per role.

Street A (北大街街道) has 新村社区 with grids 1 and 2; street B (文峰街道) has 河西社区 with grid 1.
- organizer: district organizer (whole district, admin access)
- street_a_staff / street_b_staff: staff of street A / B
- community_staff: staff of 新村社区 (street A)
- grid_worker: grid worker of 新村社区 grid 1
- department_staff: staff of 住建局 (no area)
- zuzhibu / quweiban: staff of 区委组织部 / 区委办, the district's follow-through chain (no area)
- outsider: a user with no official profile
"""

import io

import pytest
from django.contrib.auth import get_user_model

from tests import factories as f


@pytest.fixture
def district(db):
    return f.make_district()


@pytest.fixture
def street_a(district):
    return f.make_street(district, name="北大街街道", code="411002005")


@pytest.fixture
def street_b(district):
    return f.make_street(district, name="文峰街道", code="411002010")


@pytest.fixture
def community_a(street_a):
    return f.make_community(street_a, name="新村社区", code="411002005001")


@pytest.fixture
def community_b(street_b):
    return f.make_community(street_b, name="河西社区", code="411002010001")


@pytest.fixture
def grid_a1(community_a):
    return f.make_grid(community_a, number=1, name="第一网格")


@pytest.fixture
def grid_a2(community_a):
    return f.make_grid(community_a, number=2, name="第二网格")


@pytest.fixture
def grid_b1(community_b):
    return f.make_grid(community_b, number=1, name="第一网格")


@pytest.fixture
def department(district):
    return f.make_department(district, name="住建局")


@pytest.fixture
def organizer(district):
    return f.make_official("organizer", name="区委组织部 王芳", areas=[district], is_staff=True)


@pytest.fixture
def street_a_staff(street_a):
    return f.make_official("street_a", name="李强", areas=[street_a])


@pytest.fixture
def street_b_staff(street_b):
    return f.make_official("street_b", name="赵敏", areas=[street_b])


@pytest.fixture
def community_staff(community_a):
    return f.make_official("community", name="柴松杰", areas=[community_a])


@pytest.fixture
def grid_worker(grid_a1):
    return f.make_official("grid", name="寇莹莹", areas=[grid_a1], title="网格员")


@pytest.fixture
def department_staff(department):
    return f.make_official("department", name="住建局 孙伟", department=department)


@pytest.fixture
def zuzhibu(district):
    """Staff of 区委组织部 (collects, keeps the ledger; no area)."""
    body = f.make_department(district, name="区委组织部", district_role="collects")
    return f.make_official("zuzhibu", name="赵敏华", department=body)


@pytest.fixture
def quweiban(district):
    """Staff of 区委办 (coordinates and supervises; no area)."""
    body = f.make_department(district, name="区委办", district_role="coordinates")
    return f.make_official("quweiban", name="刘洋", department=body)


@pytest.fixture
def outsider(db):
    return get_user_model().objects.create_user("outsider", password=f.PASSWORD)


@pytest.fixture
def client_for(client):
    """Log `client` in as a user: `client_for(grid_worker).get(...)`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Tests run without psycopg's pool: pooled connections held by live-server and thread
    tests would keep the test database from being dropped. The pool's settings are checked in
    tests/weidu/test_settings.py."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        database.get("OPTIONS", {}).pop("pool", None)


@pytest.fixture(autouse=True)
def _dashboard_computed_on_every_load(settings):
    """Tests change data and look at the dashboard again; the cache has its own tests."""
    settings.FIGURES_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def casework_defaults(db):
    """The categories and visit frequencies the data migration creates; tests on the live
    server flush the database after each test, data migrations included."""
    from grids.models import Tag
    from petitions.defaults import ensure_defaults
    from petitions.models import Category, VisitFrequency

    ensure_defaults(Category, Tag, VisitFrequency)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache, the navigation and the scopes' labels in the
    fragment cache (keyed by ids a later test reuses): each test starts with none."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()
    yield
    cache.clear()
    caches["fragments"].clear()


# --- Every test starts from the database `migrate` leaves ----------------------------------------

_db_blocker = []


@pytest.fixture(scope="session", autouse=True)
def _remember_the_db_blocker(django_db_blocker):
    _db_blocker.append(django_db_blocker)


def _empties_the_database(item):
    """Transactional tests (live server, threads, the worker) end by emptying every table."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transactional, reset_sequences, *_rest = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return bool(
        {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has emptied the database, put back the rows the data
    migrations make (categories, visit frequencies, the trails' heads), as `migrate` left them.
    On one process pytest-django runs transactional tests last, so no other test saw the empty
    database; on several (make test) a process takes whole files in any order, and the next
    file would find no category. The counts the triggers keep are recounted: on SQLite the flush
    deletes table after table, and a trigger counted petitions deleted after their counts."""
    result = yield
    if nextitem is not None and _db_blocker and _empties_the_database(item):
        from django.core.management import call_command

        from grids.models import Tag
        from petitions.defaults import ensure_defaults
        from petitions.models import Category, VisitFrequency
        from trails.sealing import ensure_heads

        with _db_blocker[0].unblock():
            ensure_defaults(Category, Tag, VisitFrequency)
            ensure_heads()
            call_command("rebuild_counts", stdout=io.StringIO())
    return result


@pytest.fixture
def back_to_the_latest_migrations():
    """For a test that migrates the database back to an old state: forward again afterwards."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
