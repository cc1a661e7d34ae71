"""护商通 settings: one module, every deployment difference is an environment variable.

Defaults are the embedded set-up used by `make run` and the first CI pass: SQLite under
var/ and Celery's filesystem transport (a real worker and beat, no server). Production sets
DATABASE_URL (PostgreSQL), CELERY_BROKER_URL and REDIS_URL (Redis), SECRET_KEY and DEBUG=off.
"""

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

TESTING = env.bool("PORTAL_TESTING", default="pytest" in sys.modules)
DEBUG = env.bool("DEBUG", default=True)

_DEV_SECRET = "dev-only-insecure-key-never-used-when-debug-is-off"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if (DEBUG or TESTING) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_celery_beat",
    "import_export",
    "axes",
    "csp",
    # ours, in import order (see DESIGN.md: imports point one way)
    "portal",
    "accounts",
    "workdays",
    "notifications",
    "enterprises",
    "commissioners",
    "approvals",
    "dashboard",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",  # LocaleMiddleware without Accept-Language
    "django.middleware.common.CommonMiddleware",
    "core.uploads.UploadLimitMiddleware",  # before CSRF: it is what reads a multipart body first
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into the login page with its message
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- data ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web, the worker and beat share one SQLite file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not pytest-django's in-memory default, so that tests can start a second process
    # (a Celery worker, a shell) against the same test database; one file per test run.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the portal's statements are short reads and set-based writes, and compiling a wide
    # FILTER aggregate took 4.6 s of a 6.4 s dashboard statement at 1M stages (bench, EXPLAIN).
    # A DATABASE_URL that says ?options=… keeps its own.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# Seconds a worker keeps its database connection (0: a new one per request, the default; a
# DATABASE_URL's ?conn_max_age= is overridden). Production sets it: a PostgreSQL connection costs
# a backend process and a few ms of both CPUs on every request otherwise.
if "CONN_MAX_AGE" in os.environ:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",  # first: a locked-out account or address goes no further
    "accounts.backends.DemoLoginRefusal",  # demo log-ins work only while DEBUG is on
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock-out (django-axes): 5 failures per account and, separately, per address lock that account or
# address for 15 minutes; the same message whether the account exists or not. Admins unlock
# under 访问尝试 (delete the attempt) or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock lasts 15 minutes, not 15 after the last try
AXES_VERBOSE = False
# The client's address (lock-outs, the audit trail) is REMOTE_ADDR, or with TRUSTED_PROXY_COUNT
# reverse proxies in front the address the first of them saw in X-Forwarded-For (core.net).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.net.client_address"
# Sessions end 12 hours after log-in or after 30 minutes without a request, whichever comes first
# (accounts.middleware.SessionTimeoutMiddleware; the cookie itself lasts the absolute limit).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_COOKIE_HTTPONLY = True
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- language and time --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/tom-select", NODE_MODULES / "tom-select" / "dist"),
]
_manifest = env.bool("STATIC_MANIFEST", default=not (DEBUG or TESTING))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _manifest
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploaded materials are never served by URL: downloads go through views that check access.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))  # make backup / make restore
# Each uploaded file is counted as it streams in and the request refused once one passes
# UPLOAD_MAX_BYTES (core.uploads.UploadLimitHandler), before it is stored anywhere.
FILE_UPLOAD_HANDLERS = [
    "core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)  # non-file body
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=20)
FORMSET_ABSOLUTE_MAX = 50  # forms any formset accepts, whatever TOTAL_FORMS says

# --- e-mail and webhooks ------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="护商通 <noreply@hushangtong.local>")
NOTIFY_WEBHOOK_URL = env.str("NOTIFY_WEBHOOK_URL", default="")
NOTIFY_WEBHOOK_TIMEOUT = env.float("NOTIFY_WEBHOOK_TIMEOUT", default=5.0)
NOTIFY_WEBHOOK_LEVELS = env.list("NOTIFY_WEBHOOK_LEVELS", default=["red", "escalated", "urgent"])
SITE_URL = env.str("SITE_URL", default="")  # makes links in e-mails and robot messages absolute
ESCALATE_AFTER_WORKDAYS = env.int("ESCALATE_AFTER_WORKDAYS", default=2)  # red this long → leaders
QUIET_HOURS_START = env.str("QUIET_HOURS_START", default="08:30")  # working hours begin
QUIET_HOURS_END = env.str("QUIET_HOURS_END", default="17:30")  # working hours end

# --- demo ---------------------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="hushangtong2026")

# --- Celery -------------------------------------------------------------------------------
CELERY_DATA_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # Kombu's filesystem transport needs the same folder for in and out, created beforehand.
    for _sub in ("queue", "processed", "control"):
        (CELERY_DATA_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "store_processed": False,
        # Broadcast/control messages (pidbox); kombu's default is ./control in the working dir.
        "control_folder": str(CELERY_DATA_DIR / "control"),
    }
else:
    # A task not acknowledged within this time is redelivered: keep it above the longest
    # task (the sweep is bounded to minutes; see notifications.tasks).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without credentials is a 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.NumberPage",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "ALLOWED_VERSIONS": ["v1"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth-token": env.str("API_TOKEN_RATE", default="20/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "护商通 API",
    "DESCRIPTION": "The zone's unified data platform: the same data and actions as the pages, under "
                   "the same rules. See docs/api.md.",
    "VERSION": "v1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "approvals.choices.ProjectStatus",
        "StageStatusEnum": "approvals.choices.StageStatus",
        "DemandStatusEnum": "commissioners.choices.DemandStatus",
        "DispatchStatusEnum": "commissioners.choices.DispatchStatus",
        "SupervisionStatusEnum": "notifications.models.SupervisionStatus",
        "StageKindEnum": "approvals.choices.StageKind",
        "PauseKindEnum": "approvals.choices.PauseKind",
        "PauseInputKindEnum": "approvals.serializers.PAUSE_KINDS",
        "DayKindEnum": "workdays.models.DayKind",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.default_errors"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- security when deployed ---------------------------------------------------------------
# Production defaults whenever DEBUG is off; each can be overridden from the environment.
_DEPLOYED = not DEBUG and not TESTING
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_DEPLOYED)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_DEPLOYED)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_DEPLOYED)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _DEPLOYED else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# The reverse proxy says the request came over HTTPS; "" turns it off (no proxy in front).
_proxy_header = env.list("SECURE_PROXY_SSL_HEADER",
                         default=["HTTP_X_FORWARDED_PROTO", "https"] if _DEPLOYED else [])
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None
# /healthz is asked by the proxy or the orchestrator over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own static files only; no inline script or style,
# no eval. Bootstrap's form controls draw their arrows with data: SVG images.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# /healthz calls the heartbeat stale after this many seconds (beat runs it every minute).
HEALTHZ_HEARTBEAT_MAX_AGE = env.int("HEALTHZ_HEARTBEAT_MAX_AGE", default=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
