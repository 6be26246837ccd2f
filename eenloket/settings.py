"""Settings, read from the environment.

Every value that differs between a laptop and production comes from an environment variable;
the defaults give the zero set-up demo (SQLite under var/, debug off, loopback only).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: str | int) -> int:
    """A whole number from the environment; a clear error, not a traceback, when it is not."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return int(default)
    try:
        return int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_database(name: str, default: str) -> dict:
    """A database from a URL in the environment (empty: the default), or a clear error."""
    url = os.environ.get(name, "").strip() or default
    try:
        return dj_database_url.parse(url)
    except (ValueError, dj_database_url.UnknownSchemeError):
        raise ImproperlyConfigured(
            f"{name} is not a database URL Eenloket can use: {url.split('@')[-1]!r} "
            "(e.g. postgres://user@host:5432/name or sqlite:////path/to/file.sqlite3)."
        ) from None


def env_cache(name: str) -> dict:
    """Django's cache from a URL in the environment: redis://, rediss:// or unix:// for Redis;
    empty for a cache of each process's own."""
    url = os.environ.get(name, "").strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "eenloket",
        }
    raise ImproperlyConfigured(
        f"{name} must be a Redis URL (redis://host:6379/0), not {url.split('@')[-1]!r}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("EENLOKET_VAR_DIR", BASE_DIR.parent / "var")).resolve()

DEBUG = env_bool("DEBUG")
# `eenloket serve` refuses to start without SECRET_KEY and ALLOWED_HOSTS from the environment
# (see core/production.py); the fallbacks are for the demo and the tests.
DEMO_SECRET_KEY = "insecure-demo-key-set-SECRET_KEY-in-production"  # noqa: S105 (demo only)
SECRET_KEY_FROM_ENV = bool(os.environ.get("SECRET_KEY"))
SECRET_KEY = os.environ.get("SECRET_KEY") or DEMO_SECRET_KEY
# Earlier keys, comma-separated, while rotating SECRET_KEY: sessions, signed links and the
# stored secrets encrypted with keys derived from them stay valid (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS_FROM_ENV = bool(os.environ.get("ALLOWED_HOSTS", "").strip())
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs page's scripts itself instead of from a CDN
    "csp",
    "eenloket.core",
    "eenloket.directory",
    "eenloket.catalog",
    "eenloket.tickets",
    "eenloket.workspace",
    "eenloket.portal",
    "eenloket.transition",
    "eenloket.channels.counter",
    "eenloket.integrations",
    "eenloket.knowledge",
    "eenloket.channels.phone",
    "eenloket.channels.email",
    "eenloket.surveys",
    "eenloket.reports",
    "eenloket.privacy",
    "eenloket.accesslog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "eenloket.identity",
]

MIDDLEWARE = [
    # First: everything after it reads the client's address (docs/operations.md).
    "eenloket.core.middleware.ForwardedClientMiddleware",
    # Systems (the exchange, health probes, API keys) go through EENLOKET_MACHINE_MIDDLEWARE.
    "eenloket.core.middleware.MachineRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "eenloket.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Session expiry and the second factor (docs/identity.md).
    "eenloket.identity.middleware.LoginPolicyMiddleware",
    # After the login policy, so that it sees the user an API key stands for and the status.
    "eenloket.accesslog.middleware.AccessLogMiddleware",
    # Last, as django-axes asks: turns a lock-out into its answer.
    "axes.middleware.AxesMiddleware",
]

# The chain for requests from systems rather than browsers (core/middleware.py,
# MachineRequestMiddleware): the telephone exchange's events, health probes, and API calls with
# a Bearer key and no session cookie.
EENLOKET_MACHINE_PATHS = ("/api/v1/cti/", "/api/v1/health")
EENLOKET_MACHINE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "eenloket.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Content-Length on every answer: an exchange's HTTP client may not read chunked ones.
    "django.middleware.common.CommonMiddleware",
    "eenloket.accesslog.middleware.AccessLogMiddleware",
]

ROOT_URLCONF = "eenloket.urls"
WSGI_APPLICATION = "eenloket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
        },
    }
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env_database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'eenloket.sqlite3'}")
}


def conn_max_age() -> int:
    """Seconds a web or worker process keeps its database connection (CONN_MAX_AGE): 60.

    A new connection per request costs more than most requests. PostgreSQL: a server process
    fork, authentication and a cold catalogue cache on the database side and the handshake
    here. SQLite: opening the file, the PRAGMAs of the WAL mode and, when the last connection
    closes, a checkpoint; measured, about 7 ms of CPU per request, seven times a health check
    (docs/operations.md). Kept open, a request starts with a warm connection. The health check
    (CONN_HEALTH_CHECKS) makes a request's first query find a connection that died in the
    meantime (a database restart, a fail-over, an idle timeout) and open a new one instead of
    failing. Each gunicorn worker keeps one connection: size max_connections for workers x
    servers + the workers of `eenloket worker`.
    """
    if os.environ.get("CONN_MAX_AGE", "").strip():
        return env_int("CONN_MAX_AGE", 0)
    return 60


DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age()
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL and a busy timeout let the web server and the worker share the file.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# One cache for every process (API rate limits, the identity provider's keys, report
# figures): per process by default; EENLOKET_CACHE_URL=redis://host:6379/0 shares it.
CACHES = {"default": env_cache("EENLOKET_CACHE_URL")}

# The access log (docs/access-logging.md) may live in a database of its own.
if os.environ.get("EENLOKET_ACCESSLOG_DATABASE_URL"):
    DATABASES["accesslog"] = env_database("EENLOKET_ACCESSLOG_DATABASE_URL", default="")
    DATABASES["accesslog"]["CONN_MAX_AGE"] = conn_max_age()
    DATABASES["accesslog"]["CONN_HEALTH_CHECKS"] = DATABASES["accesslog"]["CONN_MAX_AGE"] != 0
DATABASE_ROUTERS = ["eenloket.accesslog.routers.AccessLogRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "directory.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (docs/identity.md); answers only the login callback of a provider.
    "eenloket.identity.oidc.ProviderBackend",
]

# Login protection (docs/identity.md): a username from one address is locked after this many
# failures in a row, for this many minutes; a success resets the count.
AXES_FAILURE_LIMIT = env_int("EENLOKET_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("EENLOKET_LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "eenloket.identity.views.locked_out"
AXES_VERBOSE = False
# Days the record of each login (address, browser) is kept; a daily job prunes older ones.
EENLOKET_LOGIN_RECORD_DAYS = env_int("EENLOKET_LOGIN_RECORD_DAYS", "90")

# Two-step verification: required for staff unless their identity provider did MFA. Only a
# test suite switches it off (tests/conftest.py explains why).
EENLOKET_MFA_REQUIRED = env_bool("EENLOKET_MFA_REQUIRED", default=True)
OTP_TOTP_ISSUER = os.environ.get("EENLOKET_MFA_ISSUER", "Eenloket")
# The key that encrypts client secrets of identity providers and the keys of authenticator
# apps (a Fernet key; derived from SECRET_KEY when empty); for single sign-on, the time
# allowed for a provider's answer and the clock skew tolerated.
EENLOKET_IDENTITY_KEY = os.environ.get("EENLOKET_IDENTITY_KEY", "")
EENLOKET_OIDC_TIMEOUT_SECONDS = env_int("EENLOKET_OIDC_TIMEOUT_SECONDS", "10")
EENLOKET_OIDC_LEEWAY_SECONDS = env_int("EENLOKET_OIDC_LEEWAY_SECONDS", "60")
OIDC_TIMEOUT = EENLOKET_OIDC_TIMEOUT_SECONDS

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Served over HTTPS (directly or behind a TLS-terminating proxy): secure cookies and HSTS.
EENLOKET_HTTPS = env_bool("EENLOKET_HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", EENLOKET_HTTPS)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", EENLOKET_HTTPS)
# No script of ours reads the CSRF cookie (forms carry the token, the API docs take it from
# the page), so scripts may not read it at all.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", str(10 * 60 * 60))
SESSION_COOKIE_SAMESITE = "Lax"
# Session expiry: a session ends this long after the login (absolute) and after this long
# without a request (idle); 0 switches a limit off.
EENLOKET_SESSION_MAX_SECONDS = int(
    os.environ.get("EENLOKET_SESSION_MAX_SECONDS", str(SESSION_COOKIE_AGE))
)
EENLOKET_SESSION_IDLE_SECONDS = env_int("EENLOKET_SESSION_IDLE_SECONDS", str(60 * 60))
# SecurityMiddleware sends HSTS only on requests it sees as secure; a year by default.
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60) if EENLOKET_HTTPS else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
# How many reverse proxies in front append to X-Forwarded-For (0: none, the header is ignored).
EENLOKET_TRUSTED_PROXIES = env_int("EENLOKET_TRUSTED_PROXIES", "0")

# Trust the proxy's scheme header only when told to: otherwise any client could claim HTTPS.
# e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_"),
        "https",
    )
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Features no page uses are switched off for every page (core/middleware.py).
EENLOKET_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "interest-cohort=()"
)

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline script, no eval, no inline event handlers. The one inline style is the <style> that
# pygal writes into a chart's SVG; it carries the page's nonce (reports/charts.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "servicedesk@eenloket.example")

# The counter's kiosk and display board need no login; list the networks of the screens in
# the office (e.g. "10.20.0.0/16,192.168.5.0/24") to refuse them to anyone else. Empty: open.
EENLOKET_COUNTER_SCREEN_NETWORKS = env_list("EENLOKET_COUNTER_SCREEN_NETWORKS", "")
# The mail channel (docs/mail.md): the key that encrypts mailbox secrets (a Fernet key;
# derived from SECRET_KEY when empty), the largest mail taken in, the survey link hook.
EENLOKET_MAIL_KEY = os.environ.get("EENLOKET_MAIL_KEY", "")
EENLOKET_MAIL_MAX_BYTES = env_int("EENLOKET_MAIL_MAX_BYTES", str(30 * 1024 * 1024))
EENLOKET_SATISFACTION_URL = os.environ.get("EENLOKET_SATISFACTION_URL", "")

# Uploads: checked by size here and by content in tickets.services.
EENLOKET_MAX_UPLOAD_BYTES = env_int("EENLOKET_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# How many days after a solution the customer may still reopen the ticket in the portal.
EENLOKET_REOPEN_DAYS = env_int("EENLOKET_REOPEN_DAYS", "14")

# Customer surveys: how long a survey link takes answers, at most one survey per customer per
# this many days, and the grade at or below which the team leads are alerted.
EENLOKET_SURVEY_OPEN_DAYS = env_int("EENLOKET_SURVEY_OPEN_DAYS", "14")
EENLOKET_SURVEY_MIN_DAYS_BETWEEN = env_int("EENLOKET_SURVEY_MIN_DAYS_BETWEEN", "30")
EENLOKET_SURVEY_ALERT_MAX_GRADE = env_int("EENLOKET_SURVEY_ALERT_MAX_GRADE", "5")
# Dashboards: how long the count of open tickets (the backlog) may be reused; 0 never.
EENLOKET_REPORTS_BACKLOG_SECONDS = env_int("EENLOKET_REPORTS_BACKLOG_SECONDS", "60")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Refused logins, lock-outs, failed codes, refused SSO answers (docs/identity.md).
        "eenloket.security": {"level": "INFO"},
    },
}

# Outbound webhooks (eenloket.integrations): back-off doubles from the base after each failure.
EENLOKET_WEBHOOK_RETRY_BASE_SECONDS = int(
    os.environ.get("EENLOKET_WEBHOOK_RETRY_BASE_SECONDS", "30")
)
EENLOKET_WEBHOOK_MAX_ATTEMPTS = env_int("EENLOKET_WEBHOOK_MAX_ATTEMPTS", "8")
EENLOKET_WEBHOOK_TIMEOUT_SECONDS = env_int("EENLOKET_WEBHOOK_TIMEOUT_SECONDS", "10")
# Phone channel: recordings of calls (size limit, default retention in days, the announcement
# callers hear, shown in the admin as a reminder of the duty to inform them).
EENLOKET_PHONE_MAX_RECORDING_BYTES = int(
    os.environ.get("EENLOKET_PHONE_MAX_RECORDING_BYTES", str(50 * 1024 * 1024))
)
EENLOKET_PHONE_RECORDING_DAYS = env_int("EENLOKET_PHONE_RECORDING_DAYS", "90")
EENLOKET_PHONE_ANNOUNCEMENT = os.environ.get(
    "EENLOKET_PHONE_ANNOUNCEMENT",
    "Dit gesprek kan worden opgenomen voor kwaliteitsdoeleinden en de afhandeling van uw vraag.",
)
# Access log: how long entries are kept (a year: an access request or an incident reaches
# back over the past year, the yearly ENSIA/BIO audit looks back as far; longer would keep
# more about staff and customers than that purpose needs). See docs/access-logging.md.
EENLOKET_ACCESSLOG_RETENTION_DAYS = env_int("EENLOKET_ACCESSLOG_RETENTION_DAYS", "365")
# The register of processing activities: {code} is replaced by the activity's code.
EENLOKET_ACCESSLOG_ACTIVITY_URI = os.environ.get("EENLOKET_ACCESSLOG_ACTIVITY_URI", "")
