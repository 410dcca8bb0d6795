"""Settings for every deployment shape; everything that differs comes from the environment.

LINDUNG_HOME          where var/ lives (SQLite file, uploads); default: the current directory
DATABASE_URL          e.g. postgres://user@host:5432/lindung;
                      default: SQLite at $LINDUNG_HOME/var/lindung.sqlite3
LINDUNG_SECRET_KEY    default: a random key created once in $LINDUNG_HOME/var/secret-key
LINDUNG_DEBUG         1/0; default 0
LINDUNG_ALLOWED_HOSTS comma-separated; default 127.0.0.1,localhost
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("LINDUNG_HOME", Path.cwd())).resolve()
VAR_DIR = HOME / "var"

TESTING = "pytest" in sys.modules or os.environ.get("LINDUNG_TESTING") == "1"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


DEBUG = _flag("LINDUNG_DEBUG")


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
    "django.contrib.admin",
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
    "lindung.programs",
    "lindung.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
# address lock that pair for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("LINDUNG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LINDUNG_LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
if not TESTING:
    # whitenoise warns at start-up when the folder is missing, even though the demo serves
    # assets from the package (WHITENOISE_USE_FINDERS).
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The demo serves static files straight from the package, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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
