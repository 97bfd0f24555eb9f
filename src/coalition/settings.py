"""Project settings, all read from the environment (see README, "Configuration")."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
COALITION_HOME = Path(os.environ.get("COALITION_HOME", "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    # A stable key per installation: sessions survive restarts without any set-up.
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = COALITION_HOME / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        COALITION_HOME.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    # First, so that its `createsuperuser` (audited) is the one the command line runs.
    "coalition.audit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "coalition.governance",
    "coalition.finance",
    "coalition.procurement",
    "coalition.reporting",
    "coalition.demo",
    "coalition.web",
    "coalition.accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "coalition.workers",
    # The package itself, for the catalogue of its root modules' messages (src/coalition/
    # locale: records.py, tabular.py, text.py; see coalition.errors).
    "coalition",
]

if os.environ.get("COALITION_LEAN"):  # see coalition.cli.LEAN_COMMANDS
    INSTALLED_APPS = [a for a in INSTALLED_APPS if a not in ("django.contrib.admin", "ninja")]

MIDDLEWARE = [
    "coalition.web.http_guards.HttpGuardsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "coalition.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "coalition.web.errors.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into its page
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coalition.web.context.navigation",
                "coalition.web.page_cache.csrf_placeholder",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        COALITION_HOME.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{COALITION_HOME / 'coalition.sqlite3'}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions serialise writers, so the audit chain and the balances
        # never see two writers read the same head; WAL lets readers go on meanwhile.
        # Writers take turns for that lock instead of polling it (coalition.sqlite_backend).
        config["ENGINE"] = "coalition.sqlite_backend"
        # Tests in memory, as Django does for SQLite when no name is given (pytest-django
        # tells SQLite by its engine's name, so it is said here).
        config["TEST"] = {"NAME": ":memory:"}
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Connections are kept (CONN_MAX_AGE above, one per server thread) as on
        # PostgreSQL: opening the file and its PRAGMAs cost 3-4 ms a request, more than a
        # cached API read itself (bench/api.py).
    return config


DATABASES = {"default": _database()}

# The API's read cache (coalition.api_cache) and anything else that caches: memory of each
# process by default, which is correct with many processes because entries are keyed by
# the database's audit head. CACHE_BACKEND and CACHE_LOCATION choose a shared one (e.g.
# django.core.cache.backends.redis.RedisCache, which needs the `redis` package).
CACHES: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "coalition",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
if backend := os.environ.get("CACHE_BACKEND"):
    CACHES["default"] = {"BACKEND": backend, "LOCATION": os.environ.get("CACHE_LOCATION", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A task whose worker has not beaten for this many seconds is taken for lost (the worker
# died) and queued again, up to TASK_ATTEMPTS claims in all, then marked failed.
TASK_LEASE_SECONDS = float(os.environ.get("COALITION_TASK_LEASE", "60"))
TASK_ATTEMPTS = int(os.environ.get("COALITION_TASK_ATTEMPTS", "3"))
# Uploaded delivery manifests up to this size are imported in the request, larger ones
# queued for a task worker (a deployment, or a test of the workers, may lower it).
DELIVERY_INLINE_BYTES = int(os.environ.get("COALITION_INLINE_IMPORT_BYTES", "1000000"))

# Login and sessions (README, "Deployment security settings"): argon2 first (older PBKDF2
# hashes still verify and are re-hashed at the next login), django-axes before the
# password check, TOTP two-factor for the chair's and fund manager's delegates and admins.
PASSWORD_HASHERS = [
    "coalition.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
COALITION_REQUIRE_2FA = _env_bool("COALITION_REQUIRE_2FA", True)
from coalition.accounts.deploy import lockout_settings, tls_settings  # noqa: E402  (pure)

_LOCKOUT = lockout_settings(os.environ)  # LOGIN_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES, ...
AXES_ENABLED = _LOCKOUT["AXES_ENABLED"]
AXES_FAILURE_LIMIT = _LOCKOUT["AXES_FAILURE_LIMIT"]
COALITION_ADDRESS_FAILURE_LIMIT = _LOCKOUT["COALITION_ADDRESS_FAILURE_LIMIT"]
AXES_HANDLER = _LOCKOUT["AXES_HANDLER"]
AXES_COOLOFF_TIME = _LOCKOUT["AXES_COOLOFF_TIME"]
AXES_LOCKOUT_PARAMETERS = _LOCKOUT["AXES_LOCKOUT_PARAMETERS"]
AXES_RESET_ON_SUCCESS = _LOCKOUT["AXES_RESET_ON_SUCCESS"]
AXES_HTTP_RESPONSE_CODE = _LOCKOUT["AXES_HTTP_RESPONSE_CODE"]
AXES_LOCKOUT_CALLABLE = _LOCKOUT["AXES_LOCKOUT_CALLABLE"]
AXES_CLIENT_IP_CALLABLE = _LOCKOUT["AXES_CLIENT_IP_CALLABLE"]
AXES_VERBOSE = _LOCKOUT["AXES_VERBOSE"]
COALITION_CLIENT_IP_HEADER = _LOCKOUT["COALITION_CLIENT_IP_HEADER"]
_TLS = tls_settings(os.environ)  # COALITION_TLS and what it turns on
COALITION_TLS = _TLS["COALITION_TLS"]
SESSION_COOKIE_SECURE = _TLS["SESSION_COOKIE_SECURE"]
CSRF_COOKIE_SECURE = _TLS["CSRF_COOKIE_SECURE"]
SECURE_SSL_REDIRECT = _TLS["SECURE_SSL_REDIRECT"]
SECURE_HSTS_SECONDS = _TLS["SECURE_HSTS_SECONDS"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = _TLS["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
SECURE_HSTS_PRELOAD = _TLS["SECURE_HSTS_PRELOAD"]
SECURE_PROXY_SSL_HEADER = _TLS["SECURE_PROXY_SSL_HEADER"]
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No inline script anywhere (scripts are static files, chart data JSON blocks). Styles
# allow 'unsafe-inline': plotly injects <style> elements and style attributes as it draws
# (measured in Chromium: style-src-elem and style-src-attr violations without it); styles
# cannot run code. The API's docs page (Swagger UI, from the package) fits the policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("uk", "Українська")]
# Each app keeps its own translations in <app>/locale/.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["coalition.formats"]  # one date format per language on every page

STATIC_URL = "/static/"
STATIC_ROOT = COALITION_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names + gzip after collectstatic, long-cached; plain names before it.
    "staticfiles": {"BACKEND": "coalition.web.staticfiles.HashedStaticStorage"},
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "coalition.web.staticfiles.PlotlyFinder",  # vendor/plotly.min.js from the package
]
# Serve straight from the apps' static folders too, so a fresh checkout works without
# collectstatic; `coalition serve` still collects for the production path.
WHITENOISE_USE_FINDERS = True

# Request bodies: an upload may be IMPORT_MAX_BYTES plus the form around it; anything
# larger is refused with 413 before it is read. Form fields and JSON bodies stay small.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", str(21 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads are spooled to disk

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Limits of every uploaded table (pledges, rates, later requirements, offers, manifests):
# IMPORT_MAX_* from the environment, else the defaults of coalition.tabular.Limits, whose
# docstring says what each bounds (Limits.from_settings() reads them back).
from coalition.tabular import Limits as _ImportLimits  # noqa: E402  (pure, no Django)


def _import_limit(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


IMPORT_MAX_BYTES = _import_limit("IMPORT_MAX_BYTES", _ImportLimits.max_bytes)
IMPORT_MAX_ROWS = _import_limit("IMPORT_MAX_ROWS", _ImportLimits.max_rows)
IMPORT_MAX_COLUMNS = _import_limit("IMPORT_MAX_COLUMNS", _ImportLimits.max_columns)
IMPORT_MAX_CELL_CHARS = _import_limit("IMPORT_MAX_CELL_CHARS", _ImportLimits.max_cell_chars)
IMPORT_MAX_UNZIPPED_BYTES = _import_limit(
    "IMPORT_MAX_UNZIPPED_BYTES", _ImportLimits.max_unzipped_bytes
)
IMPORT_MAX_ZIP_RATIO = _import_limit("IMPORT_MAX_ZIP_RATIO", _ImportLimits.max_zip_ratio)
IMPORT_MAX_ZIP_MEMBERS = _import_limit("IMPORT_MAX_ZIP_MEMBERS", _ImportLimits.max_zip_members)

# The audit chain's Ed25519 signing key, never in the database: AUDIT_SIGNING_KEY (base64 of
# the 32 bytes, or PEM), else a key generated once in this file (mode 0600). Every process
# that writes, and `migrate`, must see the same key.
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = COALITION_HOME / "audit_signing_key"
# The witness: the newest signed head, rewritten after every commit; "" turns it off. Off
# by default under pytest (which sets PYTEST_VERSION): test databases come and go, so the
# tests that need it give their own file.
AUDIT_WITNESS_FILE = os.environ.get(
    "AUDIT_WITNESS_FILE",
    "" if "PYTEST_VERSION" in os.environ else str(COALITION_HOME / "audit_witness.json"),
)
