"""Settings for HTX Số, read from the environment.

Defaults give a working local trial (SQLite, console e-mail, DEBUG on).  With
``HTXSO_ENV=production`` the process refuses to start with the default secret or
with DEBUG on, and the security settings needed by ``check --deploy`` are switched on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("HTXSO_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("HTXSO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


HTXSO_ENV = os.environ.get("HTXSO_ENV", "development").strip().lower()
PRODUCTION = HTXSO_ENV == "production"
TESTING = env_bool("HTXSO_TESTING", "pytest" in sys.modules)

DEFAULT_SECRET_KEY = "htxso-insecure-development-key-change-me-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
# Seals secret ballots while a vote is open (governance.selectors_votes); without it the
# key is derived from SECRET_KEY.  A dedicated key, never rotated, keeps the receipts of
# closed votes checkable after SECRET_KEY changes.
GOVERNANCE_BALLOT_KEY = os.environ.get("HTXSO_GOVERNANCE_BALLOT_KEY", "")

if PRODUCTION:
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "HTXSO_ENV=production needs SECRET_KEY set to a random value of 50+ characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("HTXSO_ENV=production refuses to start with DEBUG on.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver,[::1]"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
#: The platform's public address: links in e-mails, and the address printed QR codes
#: and stamp labels carry (they outlive the request, so never the host a manager used).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_URL_SET = bool(os.environ.get("SITE_URL", "").strip())
if PRODUCTION and not SITE_URL_SET:
    raise ImproperlyConfigured(
        "HTXSO_ENV=production needs SITE_URL, the public address (e.g. https://htxso.vn): "
        "it is in e-mail links, printed QR codes and anti-counterfeit stamps."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "htxso.core",
    "htxso.geo",
    "htxso.accounts",
    "htxso.registry",
    "htxso.programs",
    "htxso.market",
    "htxso.trace",
    "htxso.onboarding",
    "htxso.invitations",
    "htxso.privacy",
    "htxso.support",
    "htxso.support.policies",
    "htxso.support.knowledge",
    "htxso.training",
    "htxso.assessment",
    "htxso.governance",
    "htxso.indicators",
]

# Widgets render with the project's template engine (cached loader): Django's default
# form renderer builds its own engine and was a quarter of the market home's time.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    # first: every log line of the request (and its tasks) carries the request id
    "htxso.core.requestid.RequestIdMiddleware",
    # request counts and latency by route (the URL name) and responses by status; the
    # "after" half sits here rather than last so that it times the whole request and
    # counts the 503 of DatabaseUnavailableMiddleware as a 503 (core.metrics)
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # (ours: tolerates a malformed Content-Length, which is refused further down)
    "htxso.core.metrics.PrometheusAfterMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # the database unreachable: a friendly 503 instead of a 500 (outside the session)
    "htxso.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "htxso.accounts.middleware.UserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before anything reads a body: anonymous requests may only send a small one
    "htxso.core.middleware.AnonymousBodyLimitMiddleware",
    "htxso.core.middleware.NormalizeInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "htxso.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "htxso.urls"
WSGI_APPLICATION = "htxso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "htxso.core.context_processors.platform",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # persistent connections in production; none in tests (test databases are dropped)
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60)}
    if TESTING and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # A runaway query (a bad plan on freshly reloaded tables) fails its test with
        # a clear error instead of stalling the whole run.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c statement_timeout=120s"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "htxso.sqlite3")),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL that does not answer (restarting, unreachable) fails the request after this
# many seconds — a friendly 503 (core.middleware) — instead of holding a worker
HTXSO_DB_CONNECT_TIMEOUT = int(os.environ.get("HTXSO_DB_CONNECT_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", HTXSO_DB_CONNECT_TIMEOUT
    )

# --- cache: optional Redis ----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "htxso",
            # Django's default of 300 entries is smaller than the public pages it holds
            # (every trace page and fragment): culling made most "cached" visits render.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# --- accounts and security ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins from an address or network over its failure limit (before axes).
    "htxso.accounts.limits.SignInLimitBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:  # hashing cost is not what the tests measure; Argon2 is checked separately
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lockout after repeated wrong passwords (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("HTXSO_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("HTXSO_LOCKOUT_HOURS", "0.25"))  # hours
# Lock the account, not the address: rural users often share one carrier-grade NAT
# address, so locking by IP would lock out a whole district.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# A fixed lock: attempts during it (even with the right password) are refused without
# being recorded, so they do not restart the cool-off — knocking every few minutes
# cannot keep an account locked forever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "htxso.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Failed sign-ins per client address and per network (IPv4 /24, IPv6 /64), counted in
# the cache in fixed windows (htxso.accounts.limits).  Only failures count, and the
# limits are far above the per-account one: many users share a carrier NAT address.
HTXSO_LOGIN_IP_FAILURES = int(os.environ.get("HTXSO_LOGIN_IP_FAILURES", "50"))
HTXSO_LOGIN_NETWORK_FAILURES = int(os.environ.get("HTXSO_LOGIN_NETWORK_FAILURES", "200"))
HTXSO_LOGIN_FAILURE_WINDOW_MINUTES = float(
    os.environ.get("HTXSO_LOGIN_FAILURE_WINDOW_MINUTES", "15")
)
# Password-reset mails per account and per client address in a window; beyond them the
# page answers the same but sends nothing.
HTXSO_RESET_MAILS_PER_ACCOUNT = int(os.environ.get("HTXSO_RESET_MAILS_PER_ACCOUNT", "3"))
HTXSO_RESET_MAILS_PER_IP = int(os.environ.get("HTXSO_RESET_MAILS_PER_IP", "20"))
HTXSO_RESET_WINDOW_MINUTES = float(os.environ.get("HTXSO_RESET_WINDOW_MINUTES", "60"))

# Two-factor sign-in (TOTP).  When on, national and provincial staff must enrol.
HTXSO_REQUIRE_2FA_FOR_STAFF = env_bool("HTXSO_REQUIRE_2FA_FOR_STAFF", PRODUCTION)
OTP_TOTP_ISSUER = "HTX Số"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_NAME = "htxso_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "htxso.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
LANGUAGE_COOKIE_NAME = "htxso_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# Upload limits: refuse bodies above these sizes before anything is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
#: A request without a signed-in session or a valid API token may send at most this
#: many bytes (sign-in, sign-up, cart, checkout forms are far smaller); a larger or
#: chunked body is refused with 413/411 before Django reads it
#: (``core.middleware.AnonymousBodyLimitMiddleware``).
HTXSO_ANONYMOUS_MAX_BODY = int(os.environ.get("HTXSO_ANONYMOUS_MAX_BODY", str(1024 * 1024)))

# --- Content-Security-Policy (django-csp) ------------------------------------------------
# Only the platform's own vendored scripts and styles: no inline <script>, no on*=
# handlers, no style="" attributes (tests/core/test_csp.py scans the templates).  QR
# codes are inline <svg>; data: images are allowed for the ones browsers make.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- language and time ----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["htxso.formats"]

# --- static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG and not PRODUCTION
if not PRODUCTION:  # whitenoise warns about a missing root; a local trial has none yet
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "HTXSO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
    # import files and reports (members' ID numbers): no URL, served by views that check
    # (core.files.private_file_response); an S3 backend may replace it later
    "private": {
        "BACKEND": os.environ.get(
            "HTXSO_PRIVATE_FILE_STORAGE", "htxso.core.files.PrivateFileSystemStorage"
        ),
    },
}
# never under MEDIA_ROOT or STATIC_ROOT (the private storage refuses to work there)
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# "" (Django streams the file), "nginx" (X-Accel-Redirect) or "sendfile" (X-Sendfile)
HTXSO_PRIVATE_FILES_ACCEL = os.environ.get("HTXSO_PRIVATE_FILES_ACCEL", "").strip().lower()
if HTXSO_PRIVATE_FILES_ACCEL not in ("", "nginx", "sendfile"):
    raise ImproperlyConfigured('HTXSO_PRIVATE_FILES_ACCEL must be "", "nginx" or "sendfile".')
# nginx: the internal location; a file of storage "private" is sent from <url>private/…
HTXSO_PRIVATE_FILES_ACCEL_URL = os.environ.get("HTXSO_PRIVATE_FILES_ACCEL_URL", "/_protected/")

# --- e-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "HTX Số <no-reply@htxso.vn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- messages to phones (SMS, Zalo ZNS) and e-mail: htxso.core.messaging ----------------
# console (stdout), file (var/messages/outbox.jsonl) or memory (tests); no real provider.
HTXSO_MESSAGE_BACKEND = (
    os.environ.get("HTXSO_MESSAGE_BACKEND", "memory" if TESTING else "console").strip().lower()
)
if HTXSO_MESSAGE_BACKEND not in ("console", "file", "memory"):
    raise ImproperlyConfigured("HTXSO_MESSAGE_BACKEND must be console, file or memory.")

# --- background work (Django Tasks API) -------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "HTXSO_TASK_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            # django_tasks_db's, storing the request id with each task (core.tasks)
            else "htxso.core.tasks.DatabaseBackend",
        ),
    }
}

# --- logging: readable in development, JSON lines in production ------------------------
# Every line carries the request id (core.requestid; "-" outside a request or task).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
#: "json" (one JSON object a line: time, level, logger, request_id, message) or "plain"
LOG_FORMAT = (
    os.environ.get(
        "LOG_FORMAT", "json" if PRODUCTION or env_bool("HTXSO_JSON_LOGS", False) else "plain"
    )
    .strip()
    .lower()
)
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured('LOG_FORMAT must be "json" or "plain".')
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "htxso.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "htxso.core.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- HTX Số -----------------------------------------------------------------------------
HTXSO_API_TOKEN_DAYS = int(os.environ.get("HTXSO_API_TOKEN_DAYS", "365"))
# an import checking/importing without a heartbeat for this long has stopped: rolled back
HTXSO_IMPORT_STALE_SECONDS = int(os.environ.get("HTXSO_IMPORT_STALE_SECONDS", "120"))

# --- observability (issue 20): /healthz and /metrics -------------------------------------
# /healthz answers "tasks": "backlog" (and "status": "degraded") above either threshold
HTXSO_HEALTH_TASKS_MAX_READY = int(os.environ.get("HTXSO_HEALTH_TASKS_MAX_READY", "1000"))
HTXSO_HEALTH_TASKS_MAX_AGE_SECONDS = int(
    os.environ.get("HTXSO_HEALTH_TASKS_MAX_AGE_SECONDS", "300")
)
# /metrics answers a request with "Authorization: Bearer <METRICS_TOKEN>" (empty: none),
# or one from the loopback address that no proxy relayed when METRICS_ALLOW_LOOPBACK is on
# (off by default: behind nginx on the same machine, every visitor comes from 127.0.0.1)
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be 32 or more random characters.")
METRICS_ALLOW_LOOPBACK = env_bool("HTXSO_METRICS_LOOPBACK", False)
# metric names as django-prometheus gives them (django_http_…); latency buckets in seconds
PROMETHEUS_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, float("inf"))
