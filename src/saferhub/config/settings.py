"""SaferHub settings: every value comes from the environment, read here and only here.

Every variable is documented in ``.env.example``. ``SAFERHUB_MODE`` picks the defaults:

* ``embedded`` (the default): development on one machine, SQLite under ``var/``,
  jobs in-process, DEBUG on unless turned off, a generated secret key.
* ``production``: DEBUG off, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``
  required, secure cookies, HSTS.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository root
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production mode."
        )
    return value


MODE = (env("SAFERHUB_MODE", "embedded") or "embedded").lower()
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured("SAFERHUB_MODE must be 'embedded' or 'production'.")
PRODUCTION = MODE == "production"

VAR_DIR = Path(env("SAFERHUB_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")
DATA_DIR = Path(env("SAFERHUB_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")) or "")
# The assessment's file mode reads one force's police.uk month files, from the folder
# under DATA_DIR/police_uk named after the force area of the bundled boundaries (a slug
# of its name) or, when the folder is named otherwise, from this one.
FILES_FORCE_FOLDER = env("SAFERHUB_FILES_FORCE_FOLDER", "") or ""
# Optional map tiles for the assessment's Leaflet maps (e.g. https://tile.example/{z}/{x}/{y}.png);
# empty = boundaries only, no internet needed. Allow its origin in SAFERHUB_MAP_TILES_ORIGIN.
SAFERHUB_MAP_TILES_URL = env("SAFERHUB_MAP_TILES_URL", "") or ""

if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    DEBUG = env_bool("DEBUG", False)
    ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
    DATABASES = {
        "default": dj_database_url.parse(
            required("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
        )
    }
else:
    SECRET_KEY = env("SECRET_KEY") or "embedded-development-only-not-a-secret-" + "x" * 20
    DEBUG = env_bool("DEBUG", True)
    ALLOWED_HOSTS = [
        h.strip() for h in (env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver") or "").split(",")
    ]
    DATABASES = {
        "default": dj_database_url.parse(
            env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'saferhub.sqlite3'}") or "",
            conn_max_age=0,
        )
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = (
        {"NAME": env("SQLITE_TEST_NAME")} if env("SQLITE_TEST_NAME") else {}
    )

# Case work (personal data): Fernet keys, newest first, comma-separated (MultiFernet, so old
# keys still decrypt until `saferhub cases rotate-keys` has re-encrypted everything), and
# the separate key of the blind index (never rotated without rebuilding the index).
if PRODUCTION:
    SAFERHUB_CASES_KEYS = [
        k.strip() for k in required("SAFERHUB_CASES_KEYS").split(",") if k.strip()
    ]
    SAFERHUB_CASES_INDEX_KEY = required("SAFERHUB_CASES_INDEX_KEY")
else:
    SAFERHUB_CASES_KEYS = [
        k.strip()
        for k in (
            env("SAFERHUB_CASES_KEYS", "ZW1iZWRkZWQtZGV2ZWxvcG1lbnQtb25seS1rZXkhISE=") or ""
        ).split(",")
        if k.strip()
    ]
    SAFERHUB_CASES_INDEX_KEY = (
        env("SAFERHUB_CASES_INDEX_KEY", "embedded-development-only-index-key") or ""
    )
# Retention after closure, in years, per case type ("asb=6,marac=6").
SAFERHUB_CASES_RETENTION_YEARS = env("SAFERHUB_CASES_RETENTION_YEARS", "asb=6") or "asb=6"
# ASB Case Review: the local threshold N (1-3, s.104(4)) and the decision deadline.
SAFERHUB_CASE_REVIEW_THRESHOLD = int(env("SAFERHUB_CASE_REVIEW_THRESHOLD", "3") or 3)
SAFERHUB_CASE_REVIEW_DECISION_WORKING_DAYS = int(
    env("SAFERHUB_CASE_REVIEW_DECISION_WORKING_DAYS", "10") or 10
)
# Days without an update after which a victim's single point of contact is reminded.
SAFERHUB_CASES_VICTIM_UPDATE_DAYS = int(env("SAFERHUB_CASES_VICTIM_UPDATE_DAYS", "14") or 14)
# A victim is a repeat victim at this many incidents in this many months ("3/3").
SAFERHUB_CASES_REPEAT_VICTIM_RULE = env("SAFERHUB_CASES_REPEAT_VICTIM_RULE", "3/3") or "3/3"
# The ASB Case Review's point of contact, as the public site shows it (an email address or
# a telephone number; empty: the public site's contact page).
SAFERHUB_CASE_REVIEW_CONTACT = env("SAFERHUB_CASE_REVIEW_CONTACT", "") or ""
# The public Case Review form: at most this many applications per address per hour, and
# none sent faster than this many seconds after the form was shown.
SAFERHUB_CASE_REVIEW_FORM_PER_HOUR = int(env("SAFERHUB_CASE_REVIEW_FORM_PER_HOUR", "5") or 5)
SAFERHUB_CASE_REVIEW_FORM_MIN_SECONDS = int(env("SAFERHUB_CASE_REVIEW_FORM_MIN_SECONDS", "5") or 5)
# DASH risk bands (lowest score of each band) and the MARAC escalation threshold (police
# incidents in 12 months); the adult female population for the MARAC return, written as
# "persons:year:source" (empty: the return says the rate is missing).
SAFERHUB_DASH_BANDS = env("SAFERHUB_DASH_BANDS", "high=14,medium=10") or "high=14,medium=10"
SAFERHUB_MARAC_ESCALATION_INCIDENTS = int(env("SAFERHUB_MARAC_ESCALATION_INCIDENTS", "3") or 3)
SAFERHUB_MARAC_ADULT_WOMEN = env("SAFERHUB_MARAC_ADULT_WOMEN", "") or ""

CSRF_FAILURE_VIEW = "saferhub.core.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [o for o in (env("CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o]

PARTNERSHIP_NAME = (
    env("SAFERHUB_PARTNERSHIP_NAME", "Community Safety Partnership")
    or "Community Safety Partnership"
)
SERVICE_NAME = "SaferHub"
# The partnership's own area (its code, e.g. a CSP's GSS code): the public site's crime
# figures are for its wards and neighbourhoods. Empty: that section says "not yet published".
SAFERHUB_PUBLIC_AREA = env("SAFERHUB_PUBLIC_AREA", "") or ""

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "saferhub.core",
    "saferhub.accounts",
    "saferhub.geography",
    "saferhub.incidents",
    "saferhub.assessment",
    "saferhub.performance",
    "saferhub.actions",
    "saferhub.problems",
    "saferhub.cases",
    "saferhub.governance",
    "saferhub.public",
    "saferhub.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cached public pages are served from here, before sessions and authentication.
    "saferhub.public.middleware.PublicPageCacheMiddleware",
    "saferhub.accounts.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "saferhub.accounts.middleware.LoginRequiredMiddleware",
    "saferhub.accounts.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "saferhub.config.urls"
WSGI_APPLICATION = "saferhub.config.wsgi.application"

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
                "saferhub.core.context_processors.service",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "saferhub.accounts.backends.SignInBackend",
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
LOGOUT_REDIRECT_URL = "accounts:login"


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return default if value is None else int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# Sign-in delays (accounts/sign_in_delays.py): wrong passwords slow the next attempt, per
# user name and per client address; they never lock an account out.
SAFERHUB_LOGIN_FAILURE_LIMIT = env_int("SAFERHUB_LOGIN_FAILURE_LIMIT", 5)
SAFERHUB_SIGNIN_ADDRESS_FREE_FAILURES = env_int(
    "SAFERHUB_SIGNIN_ADDRESS_FREE_FAILURES", SAFERHUB_LOGIN_FAILURE_LIMIT
)
SAFERHUB_SIGNIN_FIRST_DELAY_SECONDS = env_int("SAFERHUB_SIGNIN_FIRST_DELAY_SECONDS", 30)
SAFERHUB_SIGNIN_MAX_DELAY_SECONDS = env_int("SAFERHUB_SIGNIN_MAX_DELAY_SECONDS", 900)
SAFERHUB_SIGNIN_FORGET_HOURS = env_int("SAFERHUB_SIGNIN_FORGET_HOURS", 24)
SAFERHUB_SIGNIN_DELAYS_ENABLED = env_bool("SAFERHUB_LOCKOUT_ENABLED", True)
SAFERHUB_KNOWN_BROWSER_DAYS = env_int("SAFERHUB_KNOWN_BROWSER_DAYS", 90)
# Password-reset emails: at most this many an hour to one address and to one account,
# and from one client address.
SAFERHUB_PASSWORD_RESETS_PER_HOUR = env_int("SAFERHUB_PASSWORD_RESETS_PER_HOUR", 3)
SAFERHUB_PASSWORD_RESETS_PER_CLIENT_HOUR = env_int("SAFERHUB_PASSWORD_RESETS_PER_CLIENT_HOUR", 10)
# Trusted proxies in front of SaferHub (0: clients connect directly). Behind them the
# client's address comes from X-Forwarded-For, for the audit log and sign-in delays by
# address. Production requires it set explicitly (a system check, `check --deploy`).
SAFERHUB_PROXY_COUNT_SET = env("SAFERHUB_PROXY_COUNT") is not None
SAFERHUB_PROXY_COUNT = env_int("SAFERHUB_PROXY_COUNT", 0)

# Sessions expire: idle timeout and at browser close.
SESSION_COOKIE_AGE = int(env("SAFERHUB_SESSION_SECONDS", "3600") or 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Only a proxy may say the request came over HTTPS: with none, the header is ignored.
    if SAFERHUB_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"]
        + [t for t in (env("SAFERHUB_MAP_TILES_ORIGIN", "") or "").split(",") if t],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The cache (public pages): in-process in the embedded mode; Redis when SAFERHUB_CACHE_URL
# is set (for example redis://127.0.0.1:6379/3), shared by every worker.
_CACHE_URL = env("SAFERHUB_CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
        if _CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "saferhub"}
    )
}

LANGUAGE_CODE = "en-gb"
# English first (the unprefixed default), Welsh, then community languages: each needs a
# catalogue under locale/<code>/ (see the operator guide, "Languages").
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg"), ("ur", "اردو")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# Every member of a zip archive (police.uk archives, uploaded zips) is capped while it
# streams: its expanded size, and its expansion over its compressed size (core/archives.py).
ARCHIVE_MEMBER_MAX_BYTES = int(
    env("SAFERHUB_ARCHIVE_MEMBER_MAX_BYTES", str(256 * 1024 * 1024)) or 256 * 1024 * 1024
)
ARCHIVE_MAX_RATIO = int(env("SAFERHUB_ARCHIVE_MAX_RATIO", "100") or 100)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "saferhub@localhost")

# Background jobs: Celery with a broker when CELERY_BROKER_URL is set; in-process otherwise.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
# A worker process lost mid-task (killed, out of memory) hands its message back to the
# queue; the job then runs again, up to JOB_MAX_ATTEMPTS times (core.jobs.job_run).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
JOB_MAX_ATTEMPTS = int(env("SAFERHUB_JOB_MAX_ATTEMPTS", "3") or 3)
# A broker that is down must not hold a page: give up publishing within a few seconds.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "saferhub.accounts.authentication.ApiTokenAuthentication",
        "saferhub.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["saferhub.accounts.permissions.HasRolePermission"],
    "DEFAULT_SCHEMA_CLASS": "saferhub.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "saferhub.core.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SaferHub API",
    "DESCRIPTION": "The API of SaferHub, the Community Safety Partnership system. "
    "Token authentication; the same permissions as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Choice sets that share a field name ("kind") across apps get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "ProblemKindEnum": "saferhub.problems.models.Problem.Kind",
        "RiskScoreEnum": "saferhub.governance.models.risks.SCORES",
        # A risk and a financial year are both open or closed: one choice set.
        "OpenClosedEnum": "saferhub.governance.models.risks.Risk.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Two-factor authentication is required for roles that may see personal data.
SAFERHUB_REQUIRE_2FA = env_bool("SAFERHUB_REQUIRE_2FA", True)
# The audit chain's HMAC key, "<key id>:<secret>" (required in production), the earlier
# keys that still verify older events, and the append-only file of signed chain heads.
SAFERHUB_AUDIT_KEY = (
    required("SAFERHUB_AUDIT_KEY")
    if PRODUCTION
    else env("SAFERHUB_AUDIT_KEY", "embedded-dev:embedded-development-only-not-a-secret-key") or ""
)
SAFERHUB_AUDIT_OLD_KEYS = env("SAFERHUB_AUDIT_OLD_KEYS", "") or ""
SAFERHUB_AUDIT_ANCHOR_FILE = Path(
    env("SAFERHUB_AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl")) or ""
)
SAFERHUB_AUDIT_ANCHOR_MINUTES = int(env("SAFERHUB_AUDIT_ANCHOR_MINUTES", "15") or 15)
CELERY_BEAT_SCHEDULE["saferhub-audit-anchor"] = {
    "task": "saferhub.audit_anchor",
    "schedule": SAFERHUB_AUDIT_ANCHOR_MINUTES * 60.0,
}
# The longest an API token may last, in days (each token names its own expiry up to this).
SAFERHUB_API_TOKEN_MAX_DAYS = int(env("SAFERHUB_API_TOKEN_MAX_DAYS", "90") or 90)
OTP_TOTP_ISSUER = "SaferHub"

# Fetching public data (saferhub fetch): base URLs, rate limit, retries, destination.
POLICE_UK_ARCHIVE_URL = env(
    "SAFERHUB_POLICE_UK_ARCHIVE_URL", "https://data.police.uk/data/archive/"
)
POLICE_UK_API_URL = env("SAFERHUB_POLICE_UK_API_URL", "https://data.police.uk/api/")
ONS_ARCGIS_URL = env(
    "SAFERHUB_ONS_ARCGIS_URL", "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
)
FETCH_DIR = Path(env("SAFERHUB_FETCH_DIR", str(VAR_DIR / "data")) or VAR_DIR / "data")
FETCH_RATE_PER_SECOND = float(env("SAFERHUB_FETCH_RATE_PER_SECOND", "15") or 15)
FETCH_BURST = int(env("SAFERHUB_FETCH_BURST", "30") or 30)
FETCH_RETRIES = int(env("SAFERHUB_FETCH_RETRIES", "5") or 5)
FETCH_BACKOFF_SECONDS = float(env("SAFERHUB_FETCH_BACKOFF_SECONDS", "1") or 1)
FETCH_TIMEOUT_SECONDS = float(env("SAFERHUB_FETCH_TIMEOUT_SECONDS", "60") or 60)

# Action plans: links in reminder emails, and the hour (Europe/London) reminders go out.
SAFERHUB_SITE_URL = env("SAFERHUB_SITE_URL", "") or ""
SAFERHUB_ACTIONS_REMIND_HOUR = int(env("SAFERHUB_ACTIONS_REMIND_HOUR", "7") or 7)
