"""The one settings module. Every value comes from the environment through wijk.core.env;
the defaults are safe for development and the demo, and production refuses to start with
anything permissive (DEBUG off, a real SECRET_KEY, explicit hosts)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TextIO

import dj_database_url
import django_stubs_ext
import structlog
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from wijk.core.env import env_bool, env_int, env_list, env_str
from wijk.core.pseudonyms import DEVELOPMENT_PSEUDONYM_KEY

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("WIJK_DEBUG", False, help_text="Django debug pages; never on in production.")
_DEV_SECRET = "insecure-development-key-only-for-demo-and-tests-0123456789"  # noqa: S105  (refused when WIJK_PRODUCTION)
SECRET_KEY = env_str("WIJK_SECRET_KEY", _DEV_SECRET, help_text="At least 50 random characters.")
PRODUCTION = env_bool("WIJK_PRODUCTION", False, help_text="Refuse development defaults.")
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50 or DEBUG):
    raise ImproperlyConfigured(
        "WIJK_PRODUCTION is set: set WIJK_SECRET_KEY to at least 50 random characters "
        "and leave WIJK_DEBUG off."
    )

ALLOWED_HOSTS = env_list(
    "WIJK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"], help_text="Comma-separated."
)
CSRF_TRUSTED_ORIGINS = env_list("WIJK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_tasks_db",
    "wijk.core",
    "wijk.accounts",
    "wijk.areas",
    "wijk.reference",
    "wijk.organisations",
    "wijk.residents",
    "wijk.requests",
    "wijk.trajectories",
    "wijk.casefiles",
    "wijk.notes",
    "wijk.contacts",
    "wijk.activities",
    "wijk.meldcode",
    "wijk.letters",
    "wijk.investigations",
    "wijk.plans",
    "wijk.decisions",
    "wijk.portal",
    "wijk.monitoring",
    "wijk.feed",
    "wijk.api",
    "wijk.synthetic",
    "rest_framework",
    "drf_spectacular",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /api/: the API-Version header on every answer, a problem document for every error.
    "wijk.api.middleware.ApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wijk.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wijk.accounts.middleware.SessionTimeoutMiddleware",
    "wijk.accounts.middleware.RequireVerifiedStaffMiddleware",
    "wijk.accounts.middleware.FormDraftMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wijk.core.middleware.AccessLogContextMiddleware",
    "wijk.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wijk.urls"
WSGI_APPLICATION = "wijk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wijk.core.context_processors.navigation",
            ],
        },
    }
]
# Every form: messages that name their field, no red before a submit, no silent cut at a
# maximum length (wijk/core/forms.py).
FORM_RENDERER = "wijk.core.forms.WijkFormRenderer"

# Database: DATABASE_URL (postgres://user:pass@host:port/name) or the embedded SQLite default.
_SQLITE_PATH = env_str("WIJK_SQLITE_PATH", str(BASE_DIR / "var" / "wijk.sqlite3"))
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}", help_text="Database URL."),
        # A connection is kept between requests (opening one costs more than most pages,
        # docs/adr/0016) and checked before a request uses it again, so one the database
        # dropped meanwhile (a restart, a failover) is replaced instead of failing the request.
        conn_max_age=env_int(
            "WIJK_DB_CONN_MAX_AGE",
            60,
            help_text="Seconds a database connection is kept between requests; 0 closes it.",
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so the access log's hash chain is extended by
    # one writer at a time; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# Reporting reads (dashboard, daily feed, API) on a PostgreSQL read replica when one is given
# (wijk.core.replica, docs/adr/0048); the primary otherwise. WIJK_REPORTING_DATABASE names the
# alias they use ("replica" with a replica, "default" without).
_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "", help_text="URL of a read replica.")
if _REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        _REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
REPORTING_DATABASE = env_str(
    "WIJK_REPORTING_DATABASE",
    "replica" if _REPLICA_URL else "default",
    help_text="Database alias of the reporting reads: replica or default.",
)
if REPORTING_DATABASE not in DATABASES:
    raise ImproperlyConfigured(
        f"WIJK_REPORTING_DATABASE is {REPORTING_DATABASE!r}, but there is no such database: "
        "set DATABASE_REPLICA_URL, or leave WIJK_REPORTING_DATABASE empty."
    )
DATABASE_ROUTERS = ["wijk.core.replica.ReportingRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches live in the database process memory of each worker; nothing personal is cached.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "wijk.accounts.backends.UserWithOrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Lockout (django-axes): keyed on the combination of username and client address, so that a
# third party elsewhere cannot lock a real user out; the address is REMOTE_ADDR unless
# WIJK_TRUSTED_PROXY_COUNT says how many proxies in front of us append X-Forwarded-For.
AXES_ENABLED = env_bool("WIJK_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("WIJK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("WIJK_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "wijk.core.network.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "wijk.accounts.views.locked_out"
AXES_VERBOSE = False
WIJK_TRUSTED_PROXY_COUNT = env_int(
    "WIJK_TRUSTED_PROXY_COUNT", 0, help_text="Proxies in front of wijk that set X-Forwarded-For."
)

# Sessions: idle and absolute timeouts (seconds), enforced by SessionTimeoutMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
WIJK_SESSION_IDLE_TIMEOUT = env_int("WIJK_SESSION_IDLE_TIMEOUT", 15 * 60)
WIJK_SESSION_ABSOLUTE_TIMEOUT = env_int("WIJK_SESSION_ABSOLUTE_TIMEOUT", 10 * 60 * 60)
# What a user had typed when their session ended is kept this long (docs/adr/0025).
WIJK_FORM_DRAFT_HOURS = env_int(
    "WIJK_FORM_DRAFT_HOURS", 24, help_text="Hours a form draft is kept after a session ended."
)
# Small numbers (docs/adr/0011): the smallest count the municipality sees; smaller ones read
# "< N". Agreed with the municipality; at least 3 ("< 2" would tell the count exactly).
SMALL_NUMBER_THRESHOLD = env_int(
    "WIJK_SMALL_NUMBER_THRESHOLD", 5, help_text="The smallest count shown, at least 3."
)
if SMALL_NUMBER_THRESHOLD < 3:
    raise ImproperlyConfigured(
        f"WIJK_SMALL_NUMBER_THRESHOLD must be at least 3, not {SMALL_NUMBER_THRESHOLD}."
    )
SESSION_COOKIE_AGE = WIJK_SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
_HTTPS = env_bool("WIJK_HTTPS", PRODUCTION, help_text="Served over HTTPS (production).")
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
LANGUAGE_COOKIE_SECURE = _HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if _HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_SSL_REDIRECT = env_bool("WIJK_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (Django 6 built-in): no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

OTP_TOTP_ISSUER = env_str("WIJK_TOTP_ISSUER", "wijk Haarlem")

# E-mail: activation links go to the account holder, never to the administrator. Development
# and the demo write each message as a file under var/mail (no mail server needed); production
# sends through SMTP. Tests use Django's in-memory outbox.
_EMAIL_BACKEND = env_str(
    "WIJK_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
    help_text="Django e-mail backend: SMTP in production, files under var/mail otherwise.",
)
_EMAIL_OPTIONS: dict[str, object] = {}
if _EMAIL_BACKEND.endswith(".smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("WIJK_EMAIL_HOST", "localhost", help_text="SMTP server."),
        "port": env_int("WIJK_EMAIL_PORT", 587, help_text="SMTP port."),
        "username": env_str("WIJK_EMAIL_HOST_USER", "", help_text="SMTP user name."),
        "password": env_str("WIJK_EMAIL_HOST_PASSWORD", "", help_text="SMTP password."),
        "use_tls": env_bool("WIJK_EMAIL_USE_TLS", True, help_text="STARTTLS to the server."),
        "timeout": env_int("WIJK_EMAIL_TIMEOUT", 20, help_text="Seconds."),
    }
elif _EMAIL_BACKEND.endswith(".filebased.EmailBackend"):
    _EMAIL_OPTIONS = {
        "file_path": env_str("WIJK_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail")),
    }
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str(
    "WIJK_EMAIL_FROM", "wijk <noreply@gewoonindewijk.example>", help_text="Sender of e-mails."
)
# The address of wijk as the account holder reaches it: activation links in e-mails start here.
WIJK_BASE_URL = env_str(
    "WIJK_BASE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
    help_text="e.g. https://wijk.example.nl (in production: https:// and the first allowed host)",
).rstrip("/")
# How long an activation link works (hours); it works once.
WIJK_ACTIVATION_HOURS = env_int("WIJK_ACTIVATION_HOURS", 72)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "wijk" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
# One way to write a date in each language: "17 november 2026" (wijk/formats).
FORMAT_MODULE_PATH = ["wijk.formats"]
USE_I18N = True
USE_TZ = True

# Files about residents (letters, signature scans): outside the web root and the static files,
# never served by the web server, read only through the gate (wijk.core.private_files).
WIJK_PRIVATE_ROOT = Path(
    env_str(
        "WIJK_PRIVATE_ROOT",
        str(BASE_DIR / "var" / "private"),
        help_text="Directory for residents' files; not under the web root; backed up.",
    )
)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/utrecht", _NODE / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/skip-link", _NODE / "@nl-design-system-candidate" / "skip-link-css" / "dist"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]
# Of the font package only the files the theme's @font-face rules name (core/fonts.css):
# Latin and Latin Extended, upright and italic (wijk.core.static_finders, ADR 0029).
_FONT = _NODE / "@fontsource-variable" / "source-sans-3" / "files"
WIJK_STATIC_PICKS = {
    "vendor/source-sans-3": (
        _FONT,
        tuple(
            f"source-sans-3-{subset}-wght-{style}.woff2"
            for subset in ("latin", "latin-ext")
            for style in ("normal", "italic")
        ),
    ),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "wijk.core.static_finders.PickedFilesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Break the glass: how long a recorded reason grants access to one resident (minutes).
WIJK_BREAK_GLASS_MINUTES = env_int("WIJK_BREAK_GLASS_MINUTES", 8 * 60)

# The duplicate check at resident registration tells whether someone is known elsewhere: at
# most this many checks per user in any hour (ADR 0017).
WIJK_DUPLICATE_CHECK_LIMIT = env_int(
    "WIJK_DUPLICATE_CHECK_LIMIT",
    30,
    help_text="Duplicate checks at resident registration per user per hour.",
)

# A scanned paper signature (PDF, PNG or JPEG) may be at most this many bytes.
WIJK_SIGNATURE_SCAN_MAX_BYTES = env_int(
    "WIJK_SIGNATURE_SCAN_MAX_BYTES",
    5 * 1024 * 1024,
    help_text="Largest scan of a paper signature accepted, in bytes.",
)
# No upload is ever written to a temporary file. Django parses a multipart body wherever
# `request.POST` is read (the CSRF check, a session that ended on a POST, any form), so its
# default handlers would write a large file to disk on every page. Only the in-memory handler:
# a file is kept when the whole request is at most FILE_UPLOAD_MAX_MEMORY_SIZE, else dropped.
# The one page that takes a file sets its own capped handler (wijk.core.uploads).
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

# The access log's chain is keyed (HMAC-SHA256): the key lives here, never in the database, so
# whoever can rewrite the table cannot compute valid hashes (docs/adr/0006-access-log.md).
_DEV_AUDIT_KEY = "insecure-development-audit-key-only-for-demo-and-tests"  # refused in production
WIJK_AUDIT_KEY = env_str(
    "WIJK_AUDIT_KEY", _DEV_AUDIT_KEY, help_text="At least 32 random characters; keep it secret."
)
if PRODUCTION and (WIJK_AUDIT_KEY == _DEV_AUDIT_KEY or len(WIJK_AUDIT_KEY) < 32):
    raise ImproperlyConfigured(
        "WIJK_PRODUCTION is set: set WIJK_AUDIT_KEY to at least 32 random characters "
        "(the access log's chain key; keep it outside the database)."
    )
WIJK_AUDIT_PREVIOUS_KEYS = env_list(
    "WIJK_AUDIT_PREVIOUS_KEYS",
    [],
    help_text="Comma-separated earlier values of WIJK_AUDIT_KEY, to verify entries they made.",
)
WIJK_AUDIT_UNKEYED_UNTIL = env_int(
    "WIJK_AUDIT_UNKEYED_UNTIL",
    0,
    help_text="Id of the last entry written before the chain was keyed (0: none accepted).",
)
WIJK_AUDIT_ANCHOR_DIR = env_str(
    "WIJK_AUDIT_ANCHOR_DIR",
    str(BASE_DIR / "var" / "audit-anchors"),
    help_text="Where `wijk audit anchor` writes and `wijk audit verify` reads the anchors.",
)

# The daily feed to the municipality (`wijk export`, docs/adr/0049): where the
# dated deliveries are written, and the recorded legal basis without which the pseudonymised
# record-level part is refused (the manifest states it). The pseudonym of a resident is an
# HMAC-SHA256 of their id with PSEUDONYM_KEY, held only by wijk: the same in every delivery.
FEED_DIR = Path(
    env_str(
        "WIJK_FEED_DIR",
        str(BASE_DIR / "var" / "feed"),
        help_text="Directory the daily deliveries are written to, one dated directory a day.",
    )
)
FEED_RECORDS_LEGAL_BASIS = env_str(
    "WIJK_FEED_RECORDS_LEGAL_BASIS",
    "",
    help_text="The legal basis for delivering pseudonymised records; empty: never delivered.",
)
# The development key is public (it is in the source): the record-level part refuses it.
_DEV_PSEUDONYM_KEY = DEVELOPMENT_PSEUDONYM_KEY
PSEUDONYM_KEY = env_str(
    "WIJK_PSEUDONYM_KEY",
    _DEV_PSEUDONYM_KEY if DEBUG else "",
    help_text="At least 32 random characters; keep it secret and never change it.",
)
# Tests of an interrupted delivery only: the run stops and waits after this many rows.
FEED_PAUSE_AFTER_ROWS = env_int("WIJK_FEED_PAUSE_AFTER_ROWS", 0)

# Background work (docs/adr on background work): Django's tasks framework with the database as
# the queue (django-tasks-db, no broker); `wijk worker` runs the tasks and the daily schedule.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A background job that fails is tried again after this many seconds, at most this many times
# in all; the last failure is what its page shows (wijk.core.background).
WIJK_JOB_ATTEMPTS = env_int(
    "WIJK_JOB_ATTEMPTS", 3, help_text="Attempts a background job gets before it is failed."
)
WIJK_JOB_RETRY_SECONDS = env_int(
    "WIJK_JOB_RETRY_SECONDS", 300, help_text="Seconds between attempts of a failed job."
)
# The files background jobs make for their asker (a download of every figure): one directory
# per job, served on the job's page to the asker only, removed this many days after the job.
WIJK_JOB_FILES_DIR = Path(
    env_str(
        "WIJK_JOB_FILES_DIR",
        str(BASE_DIR / "var" / "jobs"),
        help_text="Directory of the files background jobs make for the person who asked.",
    )
)
WIJK_JOB_FILES_DAYS = env_int(
    "WIJK_JOB_FILES_DAYS", 7, help_text="Days a background job's file is kept for its asker."
)
# The daily schedule, declared here only (wijk.core.schedule): each entry's task is enqueued
# once a local day (Europe/Amsterdam) at its time, at most once whatever the number of
# workers, and a day the workers missed is caught up once. The task takes job_id and day.
WIJK_FEED_AT = env_str(
    "WIJK_FEED_AT",
    "02:00",
    help_text="Local time (HH:MM, Europe/Amsterdam) at which the daily feed is made.",
)
if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", WIJK_FEED_AT):
    raise ImproperlyConfigured(f"WIJK_FEED_AT must be a time as HH:MM, not {WIJK_FEED_AT!r}.")
WIJK_SCHEDULE: dict[str, dict[str, str]] = {
    "feed": {
        "task": "wijk.feed.tasks.feed_deliver",
        "at": WIJK_FEED_AT,
        "label": "Dagelijkse levering aan de gemeente",
    },
}

# Working days: whether 5 May (Bevrijdingsdag) counts as a holiday every year (the default) or
# only in lustrum years, as the holidays package's PUBLIC category has it.
WIJK_LIBERATION_DAY_EVERY_YEAR = env_bool("WIJK_LIBERATION_DAY_EVERY_YEAR", True)

# The phone number residents are pointed to on the public pages (request form, errors).
WIJK_PUBLIC_PHONE = env_str("WIJK_PUBLIC_PHONE", "023 000 00 00")

# A failed CSRF check (cookies blocked, a form left open too long) gets a plain Dutch page.
CSRF_FAILURE_VIEW = "wijk.core.views.csrf_failure"

# The API for the municipality's systems (/api/v1/, docs/adr/0045): API clients with a token
# only (no session, no password), JSON only (no browsable API), every error a problem document
# (RFC 9457), read-only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["wijk.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["wijk.api.permissions.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["wijk.api.throttling.ApiClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "wijk.api.problems.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
WIJK_API_RATE = env_str(
    "WIJK_API_RATE",
    "600/minute",
    help_text="Requests per API client, as count/second|minute|hour|day (then 429).",
)
SPECTACULAR_SETTINGS = {
    "TITLE": "wijk API",
    "DESCRIPTION": (
        "Cijfers van het samenwerkingsverband voor de systemen van de gemeente: indicatoren "
        "met hun definities, gepubliceerde cijfers per periode en de leveringen van het "
        "dagelijkse bestand. Alleen tellingen, nooit gegevens over een persoon; kleine "
        "aantallen zijn afgeschermd. Volgt de API Design Rules van Logius."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.0.3",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wijk.api.schema.problems_and_version_header",
    ],
}

# security.txt (RFC 9116)
WIJK_SECURITY_CONTACT = env_str("WIJK_SECURITY_CONTACT", "mailto:security@gewoonindewijk.example")
WIJK_SECURITY_POLICY_EXPIRES_DAYS = env_int("WIJK_SECURITY_POLICY_EXPIRES_DAYS", 180)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("WIJK_LOG_LEVEL", "INFO")},
    # django-axes logs the (masked) credentials of every attempt at INFO; WeasyPrint (letters)
    # logs each step of every PDF at INFO: keep warnings only.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Structured events (structlog, one JSON object a line) go to standard error, or, when
# WIJK_LOG_FILE is set, appended to that file: `make demo` sets var/log/wijk.jsonl, so that the
# person starting the demo reads plain sentences in the terminal (docs/adr/0030).
WIJK_LOG_FILE = env_str(
    "WIJK_LOG_FILE",
    "",
    help_text="A file the structured log lines are appended to, instead of standard error.",
)
if WIJK_LOG_FILE:
    Path(WIJK_LOG_FILE).parent.mkdir(parents=True, exist_ok=True)
    _LOG_STREAM: TextIO = Path(WIJK_LOG_FILE).open("a", encoding="utf-8", buffering=1)  # noqa: SIM115
else:
    _LOG_STREAM = sys.stderr
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.JSONRenderer(),
    ],
    logger_factory=structlog.PrintLoggerFactory(file=_LOG_STREAM),
    cache_logger_on_first_use=True,
)
