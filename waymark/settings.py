"""Waymark settings. Every value that varies between installations comes from the
environment (see README, "Configuration"); nothing here needs editing to deploy."""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("WAYMARK_DEBUG", default=False)
SECRET_KEY = env.str("WAYMARK_SECRET_KEY", default="insecure-development-key-change-me")
ALLOWED_HOSTS = env.list("WAYMARK_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("WAYMARK_CSRF_TRUSTED_ORIGINS", default=[])
DATA_DIR = Path(env.str("WAYMARK_DATA_DIR", default=str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc assets, served locally (no CDN)
    "django_filters",
    "corsheaders",
    "waymark.core",
    "waymark.accounts",
    "waymark.organisations",
    "waymark.frameworks",
    "waymark.profiles",
    "waymark.assessment",
    "waymark.planning",
    "waymark.cpd",
    "waymark.records",
    "waymark.signposting",
    "waymark.feedback",
    "waymark.supervision",
    "waymark.tailoring",
    "waymark.workforce",
    "waymark.programmes",
    "waymark.reports",
    "waymark.evaluation",
    "waymark.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # CORS headers for the public gateway API only (CORS_URLS_REGEX below).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "waymark.organisations.middleware.OrganisationMiddleware",
]

ROOT_URLCONF = "waymark.urls"
WSGI_APPLICATION = "waymark.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "waymark" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waymark.core.context_processors.site",
            ],
        },
    }
]

# `DATABASE_URL` unset → an SQLite file in the data directory; `postgres://…` → PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'waymark.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # A shared cache: allauth keeps its rate limits here, so every worker must see one.
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "waymark_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("WAYMARK_EMAIL_VERIFICATION", default="optional")
WAYMARK_ALLOW_SIGNUP = env.bool("WAYMARK_ALLOW_SIGNUP", default=False)
# Reports: groups of fewer people than this are never shown (docs/reports.md).
WAYMARK_REPORT_MIN_GROUP = env.int("WAYMARK_REPORT_MIN_GROUP", default=5)
ACCOUNT_ADAPTER = "waymark.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

EMAIL_CONFIG = env.email_url("WAYMARK_EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("WAYMARK_FROM_EMAIL", default="waymark@localhost")

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "waymark" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("WAYMARK_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    BASE_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "WAYMARK_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = DATA_DIR / "uploads"  # never served directly: files go through permission checks

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Waymark API",
    "DESCRIPTION": "Leadership and management development for social services.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind", "status", …) get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "FrameworkKindEnum": "waymark.frameworks.models.FrameworkKind",
        "MappingKindEnum": "waymark.frameworks.models.MappingKind",
        "EditionStatusEnum": "waymark.frameworks.models.EditionStatus",
        "AssociationTypeEnum": "waymark.frameworks.models.AssociationType",
        "RoleEnum": "waymark.organisations.models.Role",
        "ObjectiveStatusEnum": "waymark.planning.models.ObjectiveStatus",
        "PlanLevelEnum": "waymark.planning.models.PlanLevel",
        "DeliveryModeEnum": "waymark.signposting.models.DeliveryMode",
        "ResourceTypeEnum": "waymark.signposting.models.ResourceType",
        "ProviderScopeEnum": "waymark.signposting.models.ProviderScope",
        "RegionEnum": "waymark.organisations.models.Region",
        "SupervisionRecordStatusEnum": "waymark.supervision.models.RecordStatus",
        "ActionPointStatusEnum": "waymark.supervision.models.ActionStatus",
        "ProgrammeStatusEnum": "waymark.programmes.models.ProgrammeStatus",
        "AttendanceStatusEnum": "waymark.programmes.models.AttendanceStatus",
        "EvaluationStatusEnum": "waymark.evaluation.models.EvaluationStatus",
        "ActionPlanStatusEnum": "waymark.evaluation.models.PlanStatus",
        "ActionPlanObjectiveStatusEnum": "waymark.evaluation.models.ObjectiveStatus",
        "EvaluationKindEnum": "waymark.evaluation.models.EvaluationKind",
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("WAYMARK_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The public signposting gateway (/gateway/) is the one page other sites may frame:
# its Content-Security-Policy frame-ancestors is this value ("*" = any site; or a list of
# origins separated by spaces, e.g. "https://agency.example https://council.example").
# Every other page keeps X-Frame-Options DENY.
WAYMARK_GATEWAY_FRAME_ANCESTORS = env.str("WAYMARK_GATEWAY_FRAME_ANCESTORS", default="*")
# The gateway's read-only JSON API (/gateway/api/…) may be called from any site's
# browser code; without credentials, so no cookie or session ever goes with it.
CORS_URLS_REGEX = r"^/gateway/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "OPTIONS")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Framework files larger than this are refused before parsing.
WAYMARK_MAX_IMPORT_BYTES = env.int("WAYMARK_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
# Evidence files (CPD) larger than this are refused, with a message, before being read.
WAYMARK_MAX_UPLOAD_BYTES = env.int("WAYMARK_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("WAYMARK_LOG_LEVEL", default="WARNING")},
}

# 360° feedback: the fewest responses a rater group needs before its results are shown.
FEEDBACK_MIN_GROUP = env.int("WAYMARK_FEEDBACK_MIN_GROUP", default=3)
# Requests per minute per IP address to the raters' pages and API (/rate/, /api/v1/rate/).
FEEDBACK_RATE_LIMIT = env.str("WAYMARK_FEEDBACK_RATE_LIMIT", default="30/m")
