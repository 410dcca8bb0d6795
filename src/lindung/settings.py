"""Settings for every deployment shape; everything that differs comes from the environment.

LINDUNG_HOME          where var/ lives (SQLite file, uploads); default: the current directory
DATABASE_URL          e.g. postgres://user@host:5432/lindung;
                      default: SQLite at $LINDUNG_HOME/var/lindung.sqlite3
LINDUNG_SECRET_KEY    default: a random key created once in $LINDUNG_HOME/var/secret-key
LINDUNG_DEBUG         1/0; default 0
LINDUNG_ALLOWED_HOSTS comma-separated; default 127.0.0.1,localhost
LINDUNG_HTTPS         1 behind a TLS-ending proxy: secure cookies, HSTS, HTTPS redirect
(the README's Configuration table lists every variable)
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("LINDUNG_HOME", Path.cwd())).resolve()
VAR_DIR = HOME / "var"

TESTING = "pytest" in sys.modules or os.environ.get("LINDUNG_TESTING") == "1"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


DEBUG = _flag("LINDUNG_DEBUG")

# `lindung demo` leaves this file in its home: every page footer then says the data are
# synthetic. A real installation never has it; LINDUNG_DEMO=0/1 overrides it either way.
DEMO_MARKER = VAR_DIR / "demo-data"
LINDUNG_DEMO = _flag("LINDUNG_DEMO", default=not TESTING and DEMO_MARKER.exists())


def _secret_key() -> str:
    """LINDUNG_SECRET_KEY, else a random key kept in var/secret-key (created once, mode 0600)."""
    if key := os.environ.get("LINDUNG_SECRET_KEY"):
        return key
    if TESTING:
        return "tests-only-secret-key"
    path = VAR_DIR / "secret-key"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("LINDUNG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "lindung.common.admin_config.LindungAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "lindung.common",
    "lindung.regions",
    "lindung.accounts",
    "lindung.audit",
    "lindung.registry",
    "lindung.intake",
    "lindung.duplicates",
    "lindung.programs",
    "lindung.enrolment",
    "lindung.billing",
    "lindung.claims",
    "lindung.coverage",
    "lindung.demo",
    # Last: the commands and pages that assemble the whole site, above every app.
    "lindung.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lindung.common.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lindung.audit.middleware.AuditContextMiddleware",
    # Before any view reads a parameter: NUL bytes and broken forms end here with a 400 (which
    # still carries the request id set just above).
    "lindung.common.middleware.InputGuardMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lindung.urls"
WSGI_APPLICATION = "lindung.wsgi.application"

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
                "lindung.accounts.context_processors.role",
                "lindung.accounts.context_processors.lockout",
                "lindung.site.context_processors.demo",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lindung.sqlite3'}",
        conn_max_age=int(os.environ.get("LINDUNG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server and a task worker share the file safely.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): 5 wrong passwords for one username from one
# address lock that pair for 30 minutes (never the username everywhere, which would let anyone
# lock anyone out); 20 failures from one address, whatever the usernames, throttle the address
# (lindung.accounts.lockout).
AXES_FAILURE_LIMIT = int(os.environ.get("LINDUNG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LINDUNG_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "lindung.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "lindung.accounts.lockout.client_ip"
LINDUNG_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LINDUNG_LOGIN_IP_FAILURE_LIMIT", "20"))
# How many proxies stand between the browser and Lindung: their X-Forwarded-For gives the
# browser's address for the lockout. With LINDUNG_HTTPS=1 there is one unless said otherwise.
LINDUNG_PROXY_COUNT = int(
    os.environ.get("LINDUNG_PROXY_COUNT", "1" if _flag("LINDUNG_HTTPS") else "0")
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# API bearer tokens stop working this many days after they are made (and at once when the
# owner's password changes).
LINDUNG_API_TOKEN_DAYS = int(os.environ.get("LINDUNG_API_TOKEN_DAYS", "30"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
# Numbers and dates on pages: 1.224 and 17-09-1977 in both languages (lindung/formats).
FORMAT_MODULE_PATH = ["lindung.formats"]
USE_THOUSAND_SEPARATOR = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if not TESTING:
    # whitenoise warns at start-up when the folder is missing, even though the demo serves
    # assets from the package (WHITENOISE_USE_FINDERS).
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# A served site (`lindung serve`, which collects the static files at start, as `lindung setup`
# does) uses hashed, pre-compressed files (gzip, and brotli when installed) that browsers keep
# for a year: a village office on a weak connection loads the 140 KB of CSS and JS once, as
# ~35 KB. Tests and DEBUG read the files straight from the package: no manifest to build first.
STATIC_FROM_PACKAGE = TESTING or DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_PACKAGE
        else "lindung.common.staticstorage.StaticStorage"
    },
}
WHITENOISE_USE_FINDERS = STATIC_FROM_PACKAGE
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS behind a reverse proxy (nginx, Caddy, a load balancer) that ends TLS and passes
# "X-Forwarded-Proto: https". Without the proxy header Django believes every request is plain
# HTTP, so the browser's "Origin: https://…" never matches and every form POST is a CSRF 403.
HTTPS = _flag("LINDUNG_HTTPS")
if HTTPS:
    # Only safe because the proxy sets (overwrites) this header; Lindung is never exposed
    # without it once LINDUNG_HTTPS=1.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("LINDUNG_HSTS_SECONDS", 365 * 24 * 60 * 60))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("LINDUNG_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _flag("LINDUNG_HSTS_PRELOAD")
# Needed only when the proxy does not pass the browser's Host header through, or the site is
# reached under several names: the full origins, e.g. https://lindung.muaraenimkab.go.id
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("LINDUNG_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Content-Security-Policy (django-csp): only Lindung's own files run or style the page; no inline
# script or style anywhere (templates pass values in data- attributes to static scripts, htmx is
# told not to inject its indicator <style>). data: images are Pico's and Swagger UI's SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Entering the browser's HSTS preload list is a decision for the owner of the whole domain
# (the .go.id apex), not for one application, so it is opt-in and its reminder is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LINDUNG_LOG_LEVEL", "WARNING")},
}

# Lists are paginated; a page this size renders fast on a village laptop.
LINDUNG_PAGE_SIZE = 50

# Intake limits: a file over these is refused with a message before anything is parsed.
LINDUNG_UPLOAD_MAX_BYTES = int(os.environ.get("LINDUNG_UPLOAD_MAX_BYTES", 300 * 1024 * 1024))
# A checked upload nobody saved expires after this many hours: its staged rows are removed.
LINDUNG_UPLOAD_STAGED_HOURS = int(os.environ.get("LINDUNG_UPLOAD_STAGED_HOURS", 72))
LINDUNG_UPLOAD_MAX_ROWS = int(os.environ.get("LINDUNG_UPLOAD_MAX_ROWS", 1_500_000))
LINDUNG_UPLOAD_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("LINDUNG_UPLOAD_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
)
# The largest sheet area (rows × columns up to the last used cell) an .xlsx may span: the reader
# allocates every cell of that area, so a far-away cell must be refused before reading.
LINDUNG_UPLOAD_MAX_CELLS = int(os.environ.get("LINDUNG_UPLOAD_MAX_CELLS", 50_000_000))
UPLOAD_DIR = VAR_DIR / "uploads"

# Background work (large uploads): a database queue served by `lindung db_worker`, which
# `lindung serve` starts next to the web server. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else "django_tasks_db.DatabaseBackend",
    }
}
# Background work on an upload holds a lease that its worker renews while it works; a lease
# left to expire means the worker died (killed, server restarted) and the page offers the next
# step instead of waiting forever. Queued work that no worker took up within the queue time is
# shown the same way.
LINDUNG_TASK_LEASE_SECONDS = float(os.environ.get("LINDUNG_TASK_LEASE_SECONDS", 120))
LINDUNG_TASK_QUEUE_SECONDS = float(os.environ.get("LINDUNG_TASK_QUEUE_SECONDS", 900))
# Files up to this size are checked inside the request (a village list of a few thousand rows
# takes well under a second); larger ones go to the queue and the page shows progress.
LINDUNG_INLINE_CHECK_BYTES = int(os.environ.get("LINDUNG_INLINE_CHECK_BYTES", 2 * 1024 * 1024))

# Population registry (Dukcapil) check: empty URL = structure rules only (offline).
LINDUNG_DUKCAPIL_URL = os.environ.get("LINDUNG_DUKCAPIL_URL", "")
LINDUNG_DUKCAPIL_KEY = os.environ.get("LINDUNG_DUKCAPIL_KEY", "")
LINDUNG_DUKCAPIL_CACHE_DAYS = int(os.environ.get("LINDUNG_DUKCAPIL_CACHE_DAYS", "30"))

# Public status check (lindung.coverage.publiccheck): how one-time codes reach a worker's phone.
# "fake" keeps messages in memory and logs the code (tests, demo); a dotted path names another
# backend (a class with `send(to, text)`, see lindung.coverage.sms). Codes last 5 minutes.
LINDUNG_SMS_BACKEND = os.environ.get("LINDUNG_SMS_BACKEND", "fake")
# Attempts per hour: from one address, and for one NIK (whatever the address).
LINDUNG_PUBLIC_CHECKS_PER_IP = int(os.environ.get("LINDUNG_PUBLIC_CHECKS_PER_IP", "10"))
LINDUNG_PUBLIC_CHECKS_PER_NIK = int(os.environ.get("LINDUNG_PUBLIC_CHECKS_PER_NIK", "5"))
# The address printed in membership cards' QR codes (the public check page); empty: the address
# the printing request came in on.
LINDUNG_PUBLIC_URL = os.environ.get("LINDUNG_PUBLIC_URL", "")
