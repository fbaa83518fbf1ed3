"""Opstap settings: everything from environment variables, with safe development defaults.

Twelve-factor: the same module serves development, demo, CI and production; the production
module (`opstap.conf.production`) only tightens it and refuses unsafe values.

Environment variables:
    DATABASE_URL      default sqlite:///var/opstap.sqlite3 (PostgreSQL: postgres://user@host/db)
    DATABASE_PG_OPTIONS  PostgreSQL session options, default "-c jit=off"
    SECRET_KEY        default: a development key that production refuses
    OPSTAP_DEBUG      default false: Django's debug pages only when a developer sets it to
                      true explicitly; demo and every other run show the Dutch error pages
    ALLOWED_HOSTS     comma separated, default 127.0.0.1,localhost
    EMAIL_URL-ish     EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
                      DEFAULT_FROM_EMAIL; without EMAIL_HOST mail is written to the console
    CELERY_BROKER_URL optional (redis://127.0.0.1:6379/0); without it background work runs
                      in-process (eager), which is what demo and tests use
    OPSTAP_DEMO       true enables demo-only conveniences (demo accounts, mock logins)
    OPSTAP_REQUIRE_2FA  TOTP for staff; default on everywhere except demo mode
    OPSTAP_DATABASE_REPLICA_URL  optional streaming replica for reporting reads
    OPSTAP_REPLICA_PIN_SECONDS   read-your-writes window after a user's write (default 30)
    OPSTAP_DB_POOLER  "pgbouncer" when PostgreSQL is reached through PgBouncer (transaction mode)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SRC_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(env("OPSTAP_VAR_DIR", str(BASE_DIR / "var")))

DEVELOPMENT_SECRET_KEY = "opstap-development-secret-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Debug is a developer's explicit choice (issue 19): the demo shows the styled Dutch error
# pages, and static files are still served (whitenoise, from the finders outside production).
DEBUG = env_bool("OPSTAP_DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

OPSTAP_DEMO = env_bool("OPSTAP_DEMO", default=False)
# Second factor for staff (R-SEC-3): on in every configuration except the demo; a test or
# developer setting that turns it off must say so explicitly (conf/test.py does).
OPSTAP_REQUIRE_2FA = env_bool("OPSTAP_REQUIRE_2FA", default=not OPSTAP_DEMO)
API_VERSION = "1.0.0"
# Days an API token is valid (R-SEC-3); rotate before it expires (`manage.py api_token`).
OPSTAP_API_TOKEN_DAYS = int(env("OPSTAP_API_TOKEN_DAYS", "180"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prometheus",
    "django.contrib.humanize",
    "django.contrib.postgres",  # OpClass in index expressions (the trigram name index)
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Opstap apps: one per domain concept (docs/architecture.md).
    "opstap.core",
    "opstap.web",
    "opstap.organisations",
    "opstap.accounts",
    "opstap.audit",
    "opstap.clients",
    "opstap.providers",
    "opstap.notifications",
    "opstap.trajectories",
    "opstap.invoices",
    "opstap.matching",
    "opstap.finance",
    "opstap.indicators",
    "opstap.kpis",
    "opstap.social_return",
    "opstap.reporting",
    "opstap.portal",
    "opstap.access_requests",
    "opstap.retention",
    "opstap.api",
    "opstap.demo",
]

MIDDLEWARE = [
    # A request id for every log line of the request and the tasks it starts (opstap/logs.py).
    "opstap.logs.RequestIdMiddleware",
    # Request counts and latencies for Prometheus (/metrics); first and last in the chain.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django_otp's OTPMiddleware, with the device checked from the user's row (issue 18).
    "opstap.accounts.backends.TOTPFromUserMiddleware",
    # Impersonation, second-factor enforcement and the per-role idle timeout (R-SEC-3).
    "opstap.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "opstap.organisations.middleware.OrganisationMiddleware",
    # Reporting reads (marked views) on the streaming replica, read-your-writes (issue 18).
    "opstap.core.db_routing.ReportingReadsMiddleware",
    "opstap.api.middleware.APIVersionMiddleware",
    # No input gives a 5xx (R-SEC-6): 64-bit range of ids/filters, lost DB race -> 409.
    "opstap.api.middleware.InputRangeMiddleware",
    "opstap.api.middleware.DatabaseBusyMiddleware",
    # A page opened with the wrong method: the Dutch 405 page, not an empty answer.
    "opstap.api.middleware.MethodNotAllowedPageMiddleware",
    # Axes last of ours, as its documentation asks.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# Who may read /metrics (the monitoring network); others get 404.
OPSTAP_METRICS_ALLOWED_IPS = env_list("OPSTAP_METRICS_ALLOWED_IPS", "127.0.0.1,::1")

ROOT_URLCONF = "opstap.urls"
WSGI_APPLICATION = "opstap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "opstap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "opstap.web.context_processors.opstap",
                "opstap.accounts.context_processors.session",
            ],
        },
    },
]
# Django's form templates, with each <select> written in Python (the same markup, faster).
FORM_RENDERER = "opstap.core.form_renderer.FormRenderer"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'opstap.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout make the embedded database behave under a dev server + shell.
    # IMMEDIATE transactions take the write lock when they start, so two simultaneous
    # writers queue (up to the timeout) instead of failing half-way with "database is
    # locked"; a write that still loses gets a Dutch 409 (api.middleware, R-SEC-6).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: our queries are short OLTP reads, and at national scale PostgreSQL
    # judged some of them expensive enough to spend 0.3-5 s compiling a plan that then ran in
    # milliseconds (trajectory overview, KPI aggregates). Override with DATABASE_PG_OPTIONS.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env(
        "DATABASE_PG_OPTIONS", "-c jit=off"
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Behind PgBouncer in transaction mode (issue 18) a connection may be another server session
# at every transaction: no server-side cursors (QuerySet.iterator() would lose its cursor) and
# no prepared statements (psycopg prepares a query after it ran 5 times on a connection).
OPSTAP_DB_POOLER = env("OPSTAP_DB_POOLER")
if OPSTAP_DB_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
# A streaming replica for the reporting reads (KPIs, indicators, their exports), issue 18:
# opstap/core/db_routing.py. Tests mirror it onto the primary unless a test points it at a
# real standby (the `replica` marker; ops/replica starts one).
if env("OPSTAP_DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        env("OPSTAP_DATABASE_REPLICA_URL"), conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["opstap.core.db_routing.ReplicaRouter"]
#: Seconds a user who just wrote reads reports from the primary (read-your-writes).
OPSTAP_REPLICA_PIN_SECONDS = int(env("OPSTAP_REPLICA_PIN_SECONDS", "30"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user with its organisation, roles and
    # confirmed TOTP devices in one statement a request (accounts/backends.py, issue 18).
    "opstap.accounts.backends.RequestUserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # A common word padded with digits/symbols ('Welkom2026!!!') is refused too (R-SEC-3).
    {"NAME": "opstap.accounts.passwords.CommonWordPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: staff idle timeout 60 minutes, residents 15 (enforced per role by accounts).
SESSION_COOKIE_AGE = 60 * 60
# Read from the cache (Redis in production, shared by every web server), written to the
# database and the cache: a signed-in request reads no session row once it is cached, and a
# lost cache (a Redis restart) loses no session (issue 18). Nothing may end a session by
# deleting its row behind the store's back (the cache would still serve it): sessions end by
# logout/flush, idle timeout, or by the user row the backend reads on every request
# (deactivation, password change). Without REDIS_URL the cache is per process: one process.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Not on every request: the session policy writes the last activity once a minute at most
# (accounts/session_policy.py), and any change to the session is saved as always.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
OPSTAP_STAFF_IDLE_SECONDS = 60 * 60
OPSTAP_RESIDENT_IDLE_SECONDS = 15 * 60

# Single sign-on (OIDC). Staff: an organisation's identity provider, active only when
# OIDC_RP_CLIENT_ID is set. Residents: a DigiD broker (claims bsn + assurance level), active
# only when OIDC_DIGID_RP_CLIENT_ID is set. The mock flows under /account/mock-oidc/ work only
# when OPSTAP_MOCK_OIDC (default: OPSTAP_DEMO) is true.
OPSTAP_MOCK_OIDC = env_bool("OPSTAP_MOCK_OIDC", default=OPSTAP_DEMO)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT") or None
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
OIDC_CREATE_USER = False  # staff accounts are made by the application administrator
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_USERNAME_CLAIM = env("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_STAFF_MFA_BY_IDP = env_bool("OIDC_STAFF_MFA_BY_IDP", default=True)
OIDC_DIGID_RP_CLIENT_ID = env("OIDC_DIGID_RP_CLIENT_ID")
OIDC_DIGID_RP_CLIENT_SECRET = env("OIDC_DIGID_RP_CLIENT_SECRET")
OIDC_DIGID_OP_AUTHORIZATION_ENDPOINT = env("OIDC_DIGID_OP_AUTHORIZATION_ENDPOINT")
OIDC_DIGID_OP_TOKEN_ENDPOINT = env("OIDC_DIGID_OP_TOKEN_ENDPOINT")
OIDC_DIGID_OP_USER_ENDPOINT = env("OIDC_DIGID_OP_USER_ENDPOINT")
OIDC_DIGID_OP_JWKS_ENDPOINT = env("OIDC_DIGID_OP_JWKS_ENDPOINT") or None
OIDC_DIGID_RP_SIGN_ALGO = env("OIDC_DIGID_RP_SIGN_ALGO", "RS256")
OIDC_DIGID_RP_SCOPES = env("OIDC_DIGID_RP_SCOPES", "openid bsn")
OIDC_DIGID_AUTHENTICATION_CALLBACK_URL = "accounts:digid_callback"
OIDC_DIGID_BSN_CLAIM = env("OIDC_DIGID_BSN_CLAIM", "bsn")
OIDC_DIGID_LOA_CLAIM = env("OIDC_DIGID_LOA_CLAIM", "loa")
# Minimum DigiD assurance level: basis < midden < substantieel < hoog.
OIDC_DIGID_MIN_LOA = env("OIDC_DIGID_MIN_LOA", "midden")
# Slug of the organisation residents log in to when there is more than one tenant.
OPSTAP_DIGID_ORGANISATION = env("OPSTAP_DIGID_ORGANISATION")
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("opstap.accounts.oidc.StaffOIDCBackend")
if OIDC_DIGID_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("opstap.accounts.oidc.ResidentDigiDBackend")

# Brute-force lockout (R-SEC-3).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# Lock the account (username) after 5 failures, whatever IP it comes from: municipal offices
# share one NAT address, so an IP lock would shut out a whole team (R-SEC-3).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # Covering (INCLUDE) indexes and constraints are for PostgreSQL, where the national-scale
    # counts read them index-only; SQLite (the demo, the default test run) builds them
    # without the extra columns, which changes speed, not results.
    "models.W039",
    "models.W040",
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

LANGUAGE_CODE = "nl"
# Dutch only: every page, message and API error is Dutch, whatever language a browser or an
# API client asks for (with English here, Django's and DRF's own messages, such as a form's
# "Select a valid choice", came out English next to Dutch pages for an English browser).
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS = [SRC_DIR / "opstap" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [SRC_DIR / "opstap" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Production keeps uploads and exports in S3-compatible object storage (django-storages), so
# that every web and worker machine sees the same files; without a bucket: the file system.
# Files stay private: they are served only through access-checked views (no public URLs).
if env("OPSTAP_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("OPSTAP_S3_BUCKET"),
            "endpoint_url": env("OPSTAP_S3_ENDPOINT_URL") or None,
            "access_key": env("OPSTAP_S3_ACCESS_KEY") or None,
            "secret_key": env("OPSTAP_S3_SECRET_KEY") or None,
            "region_name": env("OPSTAP_S3_REGION", "eu-west-1"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Uploads are private: there is no MEDIA_URL; files are served by access-checked views.
MEDIA_ROOT = VAR_DIR / "private"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: console in development unless EMAIL_HOST is set.
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "opstap@localhost")

# Cache: Redis when REDIS_URL is set (production: shared by all workers, so cached counts are
# invalidated everywhere at once); otherwise a per-process memory cache.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: Celery with Redis when configured, otherwise in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# The address of this site, for links in e-mails (notifications); empty: relative links.
OPSTAP_BASE_URL = env("OPSTAP_BASE_URL", "")
# Scheduled jobs (celery beat). Without a broker, cron runs the equivalent management commands:
# `send_deadline_notifications`, `send_access_request_notices`, `providers_flag_inactive`,
# `send_notification_digest`, `clearsessions` and the others of docs/operations.md.
CELERY_BEAT_SCHEDULE = {
    "notification-digest": {
        "task": "opstap.notifications.send_digest",
        "schedule": crontab(hour=7, minute=0),  # daily, before the working day starts
    },
    "deadline-notifications": {
        "task": "opstap.trajectories.send_deadline_notifications",
        "schedule": 60 * 60,  # hourly: notices go out soon after a deadline passes
    },
    "flag-inactive-providers": {
        "task": "opstap.providers.flag_inactive",
        "schedule": 24 * 60 * 60,
    },
    "brp-check": {
        "task": "opstap.clients.brp_check",
        "schedule": crontab(hour=6, minute=30),  # daily: moved out or died (R-INT-3)
    },
    "access-request-deadline-notices": {
        "task": "opstap.access_requests.send_deadline_notices",
        "schedule": crontab(hour=6, minute=45),  # daily, before the notification digest
    },
    "expire-access-exports": {
        "task": "opstap.access_requests.expire",
        "schedule": 60 * 60,  # also un-sticks compilations whose worker died
    },
    "audit-partitions": {
        "task": "opstap.audit.ensure_partitions",
        "schedule": crontab(hour=2, minute=15),  # daily: months ahead exist before they start
    },
    "kpi-facts-refresh": {
        "task": "opstap.kpis.refresh_facts",
        "schedule": 60,  # a safety net: every write already queues a refresh after its commit
    },
    "indicator-facts-refresh": {
        "task": "opstap.indicators.refresh_facts",
        "schedule": 60,  # a safety net: every write already queues a refresh after its commit
    },
    "kpi-facts-roll": {
        "task": "opstap.kpis.roll_facts",
        "schedule": crontab(hour=1, minute=45),  # daily: the next month's facts exist ahead
    },
    "retention": {
        "task": "opstap.retention.apply",
        "schedule": crontab(hour=2, minute=30),  # daily, at night (R-SEC-4, docs/retention.md)
    },
    "clear-sessions": {
        "task": "opstap.accounts.clear_sessions",
        "schedule": crontab(hour=3, minute=0),  # daily: expired sessions (rows and cache)
    },
}

# Right of access (R-SEC-5): days a compiled export is kept before it is deleted.
OPSTAP_ACCESS_EXPORT_RETENTION_DAYS = int(env("OPSTAP_ACCESS_EXPORT_RETENTION_DAYS", "30"))
# ... and how many days before the due date the handler and the privacy officer are told.
OPSTAP_ACCESS_REQUEST_NOTICE_DAYS = int(env("OPSTAP_ACCESS_REQUEST_NOTICE_DAYS", "7"))

# R-TRJ-3: an intake or start the provider registers late counts on its stated day only as far
# back as this many working days before the registration (docs/deadlines.md).
OPSTAP_REGISTRATION_GRACE_WORKING_DAYS = int(env("OPSTAP_REGISTRATION_GRACE_WORKING_DAYS", "2"))

# Issue 19: denied reads are audited, at most this many records per user per minute (the
# rest counted in one record); KPI counts under this threshold are shown as "< 5" to users
# without access to the clients behind them (docs/access.md, docs/kpis.md).
OPSTAP_DENIED_READ_LIMIT_PER_MINUTE = int(env("OPSTAP_DENIED_READ_LIMIT_PER_MINUTE", "20"))
OPSTAP_SMALL_NUMBER_THRESHOLD = int(env("OPSTAP_SMALL_NUMBER_THRESHOLD", "5"))

# SEPA credit transfer (docs/sepa.md): the organisation's own account, the payer in pain.001.
# The demo uses the example IBAN of the Dutch banks' documentation; production must set it.
OPSTAP_SEPA_DEBTOR_NAME = env("OPSTAP_SEPA_DEBTOR_NAME")
OPSTAP_SEPA_DEBTOR_IBAN = env(
    "OPSTAP_SEPA_DEBTOR_IBAN", "NL91ABNA0417164300" if OPSTAP_DEMO else ""
)
OPSTAP_SEPA_DEBTOR_BIC = env("OPSTAP_SEPA_DEBTOR_BIC")
OPSTAP_SEPA_PAIN_VERSION = env("OPSTAP_SEPA_PAIN_VERSION", "pain.001.001.09")

# Security headers (conventions: CSP without inline scripts, frames denied).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: its WWW-Authenticate header makes anonymous calls a 401, not a 403.
        "opstap.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "opstap.api.renderers.CamelCaseJSONRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "djangorestframework_camel_case.parser.CamelCaseJSONParser",
        "djangorestframework_camel_case.parser.CamelCaseFormParser",
        "djangorestframework_camel_case.parser.CamelCaseMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "opstap.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "opstap.core.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "JSON_UNDERSCOREIZE": {"no_underscore_before_number": True},
    # The answer's type is negotiated by the Accept header only. DRF would otherwise read a
    # `?format=` query parameter as a renderer choice and answer 404 to any value it has no
    # renderer for: the payment batch's `download?format=xlsx` never reached its view.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Opstap API",
    "DESCRIPTION": "Regiesysteem re-integratie — REST API volgens de API Design Rules (Logius).",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "opstap.api.schema.strip_database_integer_limits",
        "opstap.api.schema.add_problem_responses",
    ],
    "CAMELIZE_NAMES": False,
    "ENUM_NAME_OVERRIDES": {
        "AccessRequestStateEnum": "opstap.access_requests.workflow.STATE_CHOICES",
        "StateEnum": "opstap.trajectories.models.STATE_CHOICES",  # the trajectory keeps its name
        "LadderStepEnum": "opstap.clients.models.LADDER_STEP_CHOICES",  # also products' steps
        "PriceBasisEnum": "opstap.trajectories.models.PRICE_BASIS_CHOICES",
    },
    "CONTACT": {"name": "Opstap", "url": "https://opstap.example.org"},
    "LICENSE": {"name": "EUPL-1.2"},
}

# Application logs (not the audit trail): JSON lines with a request id in production
# (LOG_FORMAT=json), readable lines in development; see opstap/logs.py.
LOG_FORMAT = env("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "opstap.logs.json_formatter"},
        "plain": {"()": "opstap.logs.plain_formatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Without a broker (the demo) tasks run in the request; a "task succeeded" line per
        # e-mail is noise there. A worker keeps them: they say what the queue did.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}
# Celery workers log through the same handlers (and so with the request id), not their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# BRP through Haal Centraal "BRP bevragen" (R-INT-3, docs/brp.md). Without a URL there is no
# BRP link: registration is typed by hand and the daily check does nothing.
OPSTAP_BRP_URL = env("OPSTAP_BRP_URL")
OPSTAP_BRP_DOELBINDING = env("OPSTAP_BRP_DOELBINDING", "Participatiewet re-integratie")
OPSTAP_BRP_OIN = env("OPSTAP_BRP_OIN")
OPSTAP_BRP_API_KEY = env("OPSTAP_BRP_API_KEY")
OPSTAP_BRP_CERT = env("OPSTAP_BRP_CERT")
OPSTAP_BRP_KEY = env("OPSTAP_BRP_KEY")
OPSTAP_BRP_CA_BUNDLE = env("OPSTAP_BRP_CA_BUNDLE")
OPSTAP_BRP_TIMEOUT = float(env("OPSTAP_BRP_TIMEOUT", "5"))
