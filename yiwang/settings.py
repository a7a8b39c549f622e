"""Django settings, all read from the environment through `yiwang.env`."""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from yiwang import env

BASE_DIR: Path = env.BASE_DIR
VAR_DIR: Path = env.VAR_DIR

SECRET_KEY = env.secret_key()
# YIWANG_ENV=production: behind a TLS-terminating proxy; secure cookies, HSTS, HTTPS only
# (see the end of this file and docs/operator.md). `manage.py check --deploy` is clean then.
PRODUCTION = env.text("YIWANG_ENV", "development").strip().lower() == "production"
DEBUG = env.flag("YIWANG_DEBUG") and not PRODUCTION
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = [
    f"{'https' if PRODUCTION else 'http'}://{host}" for host in ALLOWED_HOSTS if host != "*"
]
PUBLIC_URL = env.text("YIWANG_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# The e-licence font (Noto Serif SC, from the npm registry through package.json).
PDF_FONT_DIR = env.text(
    "YIWANG_PDF_FONT_DIR", str(BASE_DIR / "node_modules" / "@expo-google-fonts" / "noto-serif-sc")
)

# Our apps come first so that their translations and templates win over Django's own.
INSTALLED_APPS = [
    "yiwang.audit",
    "yiwang.jobs",
    "yiwang.security",
    "yiwang.events",
    "yiwang.panels",
    "yiwang.regions",
    "yiwang.parties",
    "yiwang.workdays",
    "yiwang.catalog",
    "yiwang.cases",
    "yiwang.licences",
    "yiwang.credit",
    "yiwang.appointments",
    "yiwang.enterprise",
    "yiwang.guidance",
    "yiwang.supervision",
    "yiwang.ratings",
    "yiwang.disclosure",
    "yiwang.complaints",
    "yiwang.indicators",
    "yiwang.api",
    "yiwang.portal",
    "yiwang.workbench",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "yiwang.api.guard.ApiGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yiwang.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yiwang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.regions.context.staff_context",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env.database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL (docs/performance.md, "Lifecycle"): server-side binding lets PostgreSQL parse
    # and plan each repeated statement once per connection (prepared after 5 uses, psycopg's
    # default); a pool hands every request a warm connection instead of one per thread.
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": env.flag("YIWANG_DB_SERVER_SIDE_BINDING", default=False),
        # No JIT compilation: the planner's cost of a query made of per-row index probes (the
        # dashboard's coverage figure) passes the JIT threshold, and compiling then took 180 ms
        # to 3 s of a 0.1 s query (docs/performance.md, "Indicators"). Short queries only here.
        "options": "-c jit=off",
    }
    if env.flag("YIWANG_DB_POOL", default=False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env.integer("YIWANG_DB_POOL_MIN", 2),
            "max_size": env.integer("YIWANG_DB_POOL_MAX", 8),
            "timeout": 10,
        }
if env.text("DATABASE_REPLICA_URL"):
    # A streaming replica for the reads marked @reads_from_replica (yiwang/replica.py,
    # docs/operator.md "Scaling out"); its tests use the primary's test database.
    DATABASES["replica"] = {
        **dj_database_url.parse(env.text("DATABASE_REPLICA_URL"), conn_max_age=60),
        "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["yiwang.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Login throttling (yiwang/security/throttling.py): per account and per address, on the API
# token endpoint, the login page and the admin.
AUTHENTICATION_BACKENDS = [
    "yiwang.security.backends.LoginThrottleBackend",
    "yiwang.security.backends.ScopedModelBackend",
    # Sessions signed in before ScopedModelBackend name this one; they stay valid until they end.
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env.text("YIWANG_LOGIN_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env.text("YIWANG_LOGIN_LOCK_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yiwang.security.throttling.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Behind a reverse proxy, the number of proxies in front of the app (their X-Forwarded-For).
AXES_IPWARE_PROXY_COUNT = int(env.text("YIWANG_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "yiwang" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "yiwang" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
MEDIA_ROOT = VAR_DIR / "files"
FILE_UPLOAD_PERMISSIONS = 0o640
# Uploads (yiwang/security/uploads.py): each user's storage quota, and an optional virus scanner
# (dotted path to scan(file, name) -> reason or None, e.g. a clamd client).
UPLOAD_QUOTA_MB = int(env.text("YIWANG_UPLOAD_QUOTA_MB", "500"))
UPLOAD_SCANNER = env.text("YIWANG_UPLOAD_SCANNER", "")
# Bounds of the API's input (yiwang/api/guard.py), stated in the OpenAPI document.
API_MAX_BODY_BYTES = 256 * 1024
API_MAX_STRING = 4000
API_MAX_QUERY_STRING = 500

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A RUNNING task whose worker has not renewed its lease for this long is queued again.
JOB_LEASE_SECONDS = float(env.text("YIWANG_JOB_LEASE_SECONDS", "60"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie for its requests
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content Security Policy (django-csp), in every mode so that tests and development see what
# production refuses: no inline script, no inline style, nothing from other origins.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.flag("YIWANG_SSL_REDIRECT", True)
    # The proxy in front terminates TLS and says so in this header (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env.text("YIWANG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.flag("YIWANG_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.flag("YIWANG_HSTS_PRELOAD", True)
    SECURE_REFERRER_POLICY = "same-origin"
    SESSION_COOKIE_SAMESITE = "Lax"

API_TOKEN_HOURS = int(env.text("YIWANG_TOKEN_HOURS", "12"))
# E-licence signing keys, "keyid:<base64 32-byte seed>[,keyid2:...]"; the first one signs.
# Without it a development key is generated into var/signing/ (never committed).
YIWANG_SIGNING_KEYS = env.text("YIWANG_SIGNING_KEYS", "")
# Signed audit heads (yiwang/audit/heads.py): the key (else the e-licence keys above), retired
# public keys "keyid:<base64 public>", and the append-only file the heads are exported to.
YIWANG_AUDIT_SIGNING_KEYS = env.text("YIWANG_AUDIT_SIGNING_KEYS", "")
YIWANG_AUDIT_PUBLIC_KEYS = env.text("YIWANG_AUDIT_PUBLIC_KEYS", "")
YIWANG_AUDIT_HEADS_FILE = env.text("YIWANG_AUDIT_HEADS_FILE") or str(
    VAR_DIR / "audit" / "heads.jsonl"
)
NOTIFY_SENDERS = env.listing("YIWANG_NOTIFY_SENDERS", "console")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"yiwang": {"level": "INFO"}},
}

ADMIN_SITE_HEADER = _("Yiwang administration")
