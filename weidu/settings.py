"""Settings for Weidu grid governance, read from the environment (django-environ).

Development needs no variables at all: DEBUG defaults to on and the database to a SQLite
file in the project folder. Production sets DEBUG=off, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL (PostgreSQL); see README.md.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from core.pii_crypto import parse_key, parse_keys

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# A development key is only acceptable while DEBUG is on; production must bring its own.
_DEV_SECRET_KEY = "django-insecure-weidu-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("The development SECRET_KEY cannot be used when DEBUG is off.")

# Personal numbers are encrypted at rest (core/pii_crypto.py; README "Cryptography").
# PII_KEYS is "id:base64key,id2:base64key": the first encrypts, all decrypt. The blind index
# (exact lookups) has a key of its own. Fixed development keys only while DEBUG is on.
PII_CIPHER = env.str("PII_CIPHER", default="SM4-GCM")
_DEV_PII_KEYS = (
    "dev:ZGV2LW9ubHktc200LWtleQ=="  # "dev-only-sm4-key", 16 bytes
    if PII_CIPHER == "SM4-GCM"
    else "dev:ZGV2LW9ubHktYWVzLTI1Ni1rZXktMzItYnl0ZXMhISE="  # 32 bytes for AES-256
)
_DEV_PII_INDEX_KEY = "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5"  # noqa: S105 - "dev-only-blind-index-key"
PII_KEYS = parse_keys(env.str("PII_KEYS", default=_DEV_PII_KEYS if DEBUG else ""))
PII_INDEX_KEY = parse_key(
    env.str("PII_INDEX_KEY", default=_DEV_PII_INDEX_KEY if DEBUG else ""), "PII_INDEX_KEY"
)
PII_DEVELOPMENT_KEYS = (parse_keys(_DEV_PII_KEYS), parse_key(_DEV_PII_INDEX_KEY, "PII_INDEX_KEY"))
if not PII_KEYS or not PII_INDEX_KEY:
    raise ImproperlyConfigured("PII_KEYS and PII_INDEX_KEY must be set when DEBUG is off.")
if not DEBUG and (
    set(PII_KEYS.values()) & set(PII_DEVELOPMENT_KEYS[0].values())
    or PII_DEVELOPMENT_KEYS[1] == PII_INDEX_KEY
):
    raise ImproperlyConfigured("The development PII keys cannot be used when DEBUG is off.")

# The key of the tamper-evident trails' HMAC-SM3 (trails/; README "Cryptography"): base64, at
# least 16 bytes, apart from the PII keys. A fixed development key only while DEBUG is on.
_DEV_TRAIL_KEY = "ZGV2LW9ubHktdHJhaWwtbWFjLWtleQ=="  # noqa: S105 - "dev-only-trail-mac-key"
TRAIL_KEY = parse_key(env.str("TRAIL_KEY", default=_DEV_TRAIL_KEY if DEBUG else ""), "TRAIL_KEY")
TRAIL_DEVELOPMENT_KEY = parse_key(_DEV_TRAIL_KEY, "TRAIL_KEY")
if not TRAIL_KEY:
    raise ImproperlyConfigured("TRAIL_KEY must be set when DEBUG is off.")
if not DEBUG and TRAIL_KEY == TRAIL_DEVELOPMENT_KEY:
    raise ImproperlyConfigured("The development TRAIL_KEY cannot be used when DEBUG is off.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "weidu",
    "trails",
    "communities",
    "grids",
    "petitions",
    "disputes",
    "safety",
    "meetings",
    "activities",
    "cadres",
    "django_tasks",
    "django_tasks_db",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weidu.middleware.LanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "weidu.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "weidu.urls"
WSGI_APPLICATION = "weidu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "communities.context_processors.official_scope",
                "petitions.context_processors.inbox",
            ],
        },
    },
]

# Django's widget templates through Jinja2: a form's many small renders cost half as much.
FORM_RENDERER = "core.form_renderer.FastWidgetRenderer"

# --- Background jobs (jobs/; README, "Background jobs") ---------------------------------------
# Imports and large exports run in a worker (`manage.py db_worker`) that takes its tasks from
# the database, so that neither the demo nor a deployment needs anything more.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Exports of more rows than this are written by a worker, the user following a progress page.
EXPORT_JOB_ROWS = env.int("EXPORT_JOB_ROWS", default=5000)
# The meeting and activity ledgers (long rows, ~1 ms each to write): past this many rows their
# Excel files are written by the job worker, so no request writes for more than about a second.
LEDGER_EXPORT_JOB_ROWS = env.int("LEDGER_EXPORT_JOB_ROWS", default=1000)

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Covering indexes (INCLUDE, e.g. petition events' `event_action_at`) serve PostgreSQL;
    # SQLite builds them on their key columns, which is all it needs at a street's size.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    # Writers wait for the lock (IMMEDIATE + busy timeout) instead of failing with
    # "database is locked"; WAL lets readers go on while one official saves.
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must not hold a worker for long: connecting gives up after
    # DB_CONNECT_TIMEOUT seconds (libpq's minimum is 2) and the request gets the 503 page.
    _db.setdefault("OPTIONS", {})["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", default=2)
    # No JIT compilation: a page's queries run in milliseconds, but a few whose estimated cost
    # is high (correlated counts) were compiled for 1.4 s each at city size (bench/RESULTS.md).
    _db["OPTIONS"]["options"] = f"{_db['OPTIONS'].get('options', '')} -c jit=off".strip()
    # Queries bound on the server, so that a query a connection runs again (the same SQL with
    # other values) is prepared after DB_PREPARE_THRESHOLD runs and PostgreSQL stops planning it
    # anew: a page's dozen queries cost 5-10 ms of planning (bench/RESULTS.md). Off for a
    # connection pooler in transaction mode (PgBouncer before 1.21), where prepared statements
    # do not follow the connection.
    if env.bool("DB_PREPARED", default=True):
        _db["OPTIONS"]["server_side_binding"] = True
        _db["OPTIONS"]["prepare_threshold"] = env.int("DB_PREPARE_THRESHOLD", default=5)
    if env.bool("DB_POOL", default=True):
        # psycopg 3's pool; Django forbids combining it with persistent connections. A request
        # waits at most DB_POOL_TIMEOUT seconds for a connection, then gets the 503 page: a sync
        # worker needs one connection at a time, so waiting happens only when the database
        # cannot open new ones, and a worker that waited longer would be missed by the others'
        # users and by /healthz (bench/faults.py measures it).
        _db["OPTIONS"]["pool"] = {
            "min_size": env.int("DB_POOL_MIN", default=2),
            "max_size": env.int("DB_POOL_MAX", default=8),
            "timeout": env.float("DB_POOL_TIMEOUT", default=1.0),
            # While the database is down the pool retries with a doubling delay (1, 2, 4, 8 s…),
            # so it came back up to that long after the database; giving up a retry series after
            # 2 s lets the next request start a fresh one at once.
            "reconnect_timeout": 2.0,
        }
        _db["CONN_MAX_AGE"] = 0
    # Each connection is checked before it is handed out (with the pool, Django passes
    # ConnectionPool.check_connection to it), so after a database restart the dead ones are
    # dropped instead of failing requests.
    _db["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate-limit counters (the residents' tracking page). Several app servers need a shared cache:
# CACHE_URL=rediscache://127.0.0.1:6379/1 (Django's Redis backend, with the redis package).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The cache is an optimisation (core.shared_cache): a Redis that is down or frozen costs a
    # request a fraction of a second, not redis-py's default of 5 s per call.
    _cache_timeout = env.float("CACHE_TIMEOUT", default=0.25)
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": _cache_timeout, "socket_timeout": _cache_timeout}
    )
# Template fragments that are the same for everyone with the same role (the navigation): kept in
# each process's memory, never in Redis, so a page never waits on the network for them.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
# Dashboard and coverage figures are computed once per areas and period for this long (0: on
# every load); they live in CACHES, which must be shared (Redis) when several workers run.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=300)

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock a username at one address after 5 failures for 15 minutes: a whole street office shares
# one address, and one official's typos must not lock out their colleagues.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address: REMOTE_ADDR, or behind the TLS proxy the one address the proxy appended to
# X-Forwarded-For (one hop trusted); a forged X-Forwarded-For must not buy fresh attempts.
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"
# Argon2id (weidu/hashers.py says why and with which parameters); PBKDF2 hashes stored before
# still verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "weidu.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "weidu.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# Officials share computers in community offices: a session ends after 30 minutes without a
# request, 12 hours after signing in however active it is (both weidu.middleware.
# IdleTimeoutMiddleware), and with the browser.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security (production values come from the environment) ----------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# One proxy in front (nginx) that overwrites X-Forwarded-Proto and appends the client's address to
# X-Forwarded-For (core.client_address reads it, the one place that does).
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): every script and style is a file of our own; no inline
# script anywhere. The Django admin's templates carry a few inline style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Upload limits (photos are checked again, one by one, with Pillow).
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
