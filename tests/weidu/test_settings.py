"""Settings read from the environment refuse unsafe production configurations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "PII_KEYS",
            "PII_INDEX_KEY",
            "TRAIL_KEY",
        }
    }
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DEBUG="off", ALLOWED_HOSTS="weidu.example.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_manage(
        "check",
        DEBUG="off",
        ALLOWED_HOSTS="weidu.example.cn",
        SECRET_KEY="django-insecure-weidu-development-only-never-use-in-production",
    )
    assert result.returncode != 0
    assert "development SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="off",
        ALLOWED_HOSTS="weidu.example.cn",
        SECRET_KEY="x7!Kq2#vLm9@Pz4$Rt8^Wn3&Yb6*Hc1(Jd5)Fg0_Se2+Ua7=Io4",
        **PII_KEYS,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# Production keys of the right lengths (16 bytes for SM4, at least 16 for the index).
PII_KEYS = {
    "PII_KEYS": "p1:cHJvZHVjdGlvbi1zbTQtaw==",
    "PII_INDEX_KEY": "cHJvZHVjdGlvbi1ibGluZC1pbmRleA==",
    "TRAIL_KEY": "cHJvZHVjdGlvbi10cmFpbC1tYWMta2V5",
}
PRODUCTION = {
    "DEBUG": "off",
    "ALLOWED_HOSTS": "weidu.example.cn",
    "SECRET_KEY": "x7!Kq2#vLm9@Pz4$Rt8^Wn3&Yb6*Hc1(Jd5)Fg0_Se2+Ua7=Io4",
}


def test_production_refuses_to_start_without_pii_keys():
    result = run_manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "PII_KEYS and PII_INDEX_KEY must be set" in result.stderr


def test_production_refuses_the_development_pii_keys():
    result = run_manage(
        "check", **PRODUCTION, PII_KEYS="dev:ZGV2LW9ubHktc200LWtleQ==",
        PII_INDEX_KEY=PII_KEYS["PII_INDEX_KEY"],
    )  # fmt: skip
    assert result.returncode != 0
    assert "development PII keys" in result.stderr


def test_production_refuses_to_start_without_a_trail_key_or_with_the_development_one():
    keys = {k: v for k, v in PII_KEYS.items() if k != "TRAIL_KEY"}
    result = run_manage("check", **PRODUCTION, **keys)
    assert result.returncode != 0
    assert "TRAIL_KEY must be set" in result.stderr
    result = run_manage("check", **PRODUCTION, **keys, TRAIL_KEY="ZGV2LW9ubHktdHJhaWwtbWFjLWtleQ==")
    assert result.returncode != 0
    assert "development TRAIL_KEY" in result.stderr


def test_a_key_of_the_wrong_length_stops_every_command():
    result = run_manage("check", **PRODUCTION, **{**PII_KEYS, "PII_KEYS": "p1:c2hvcnQ="})
    assert result.returncode != 0
    assert "has 5 bytes; SM4-GCM needs 16" in result.stderr


def test_postgresql_uses_psycopg_pool_and_sqlite_waits_for_the_writer_lock():
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], sorted(d['OPTIONS']))"
    )
    pg = run_manage("shell", "-c", code, DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert (
        "postgresql ['connect_timeout', 'options', 'pool', 'prepare_threshold', "
        "'server_side_binding']" in pg.stdout
    ), pg.stderr
    unprepared = run_manage(
        "shell", "-c", code, DATABASE_URL="postgres://u@127.0.0.1:5432/x", DB_PREPARED="off"
    )
    assert "postgresql ['connect_timeout', 'options', 'pool']" in unprepared.stdout
    lite = run_manage("shell", "-c", code, DATABASE_URL="sqlite:////tmp/weidu-settings-test.db")
    assert "sqlite3 ['init_command', 'timeout', 'transaction_mode']" in lite.stdout, lite.stderr


def test_postgresql_sessions_run_without_jit_compilation():
    """JIT compiled a police-day list's correlated counts for 1.4 s a page at city size."""
    code = (
        "from django.conf import settings; "
        "print(repr(settings.DATABASES['default']['OPTIONS']['options']))"
    )
    pg = run_manage(
        "shell",
        "-c",
        code,
        DATABASE_URL="postgres://u@127.0.0.1:5432/x?options=-c%20work_mem%3D8MB",
    )
    assert pg.stdout.strip().splitlines()[-1] == "'-c work_mem=8MB -c jit=off'", pg.stderr


def test_pooled_connections_are_checked_and_waiting_for_one_is_bounded():
    code = (
        "from django.conf import settings; from django.db import connection; "
        "o = settings.DATABASES['default']['OPTIONS']; "
        "print(o['connect_timeout'], connection.pool.timeout, connection.pool._check.__qualname__)"
    )
    pg = run_manage("shell", "-c", code, DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    last_line = pg.stdout.strip().splitlines()[-1]
    assert last_line.split() == ["2", "1.0", "ConnectionPool.check_connection"], pg.stderr


def test_a_redis_cache_gives_up_within_a_quarter_second():
    code = "from django.conf import settings; print(settings.CACHES['default']['OPTIONS'])"
    redis = run_manage("shell", "-c", code, CACHE_URL="rediscache://127.0.0.1:6379/1")
    assert "'socket_connect_timeout': 0.25, 'socket_timeout': 0.25" in redis.stdout, redis.stderr


@pytest.mark.django_db
def test_the_postgresql_session_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
