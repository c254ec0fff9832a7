"""Settings for the Timrå trygghet portal.

Everything a deployment changes comes from the environment through
``timra_trygghet.env``. Unset means production-safe: debug off, no hosts
allowed but localhost, and a refusal to start without a real secret key.
"""

import importlib.util
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from timra_trygghet.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_mailer,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
        "when DJANGO_DEBUG is 0 (generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`)."
    )
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only"  # noqa: S105 - debug only, refused above

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "timra_trygghet.apps.StaticFilesConfig",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_otp",
    # django-otp's and django-axes' apps under Swedish names (their AppConfigs, renamed).
    "twofactor.apps.TOTPConfig",
    "twofactor.apps.BackupCodesConfig",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts.apps.LockoutConfig",
    "promises.apps.PromisesConfig",
    "activities.apps.ActivitiesConfig",
    "followup.apps.FollowupConfig",
    "accounts.apps.AccountsConfig",
    "staff.apps.StaffConfig",
    "onboarding.apps.OnboardingConfig",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "participation.apps.ParticipationConfig",
    "opendata.apps.OpendataConfig",
    "website.apps.WebsiteConfig",
    "pages.apps.PagesConfig",
    "caching.apps.CachingConfig",
    "twofactor.apps.TwofactorConfig",
    "django_tasks_db",
    "outbox.apps.OutboxConfig",
    "subscriptions.apps.SubscriptionsConfig",
]
# Invented demo data (demo/: seed_demo, seed_demo_staff) is built with the test
# factories, so it comes with the development dependencies and not without them
# (a production install, docs/deployment.md, has neither).
if importlib.util.find_spec("factory") is not None:
    INSTALLED_APPS.append("demo.apps.DemoConfig")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can answer on its own (a bad Host header, the page
    # cache), so that every response carries the frame and content policies.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "timra_trygghet.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Shared page cache for anonymous visitors; see caching/middleware.py for
    # why it sits here (after the language is known, before CSRF and auth).
    "caching.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "twofactor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns a lockout flagged by the login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "timra_trygghet.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "timra_trygghet.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", str(BASE_DIR / "db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing its Redis client objects (caching/redis.py).
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "timra"),
            "TIMEOUT": env_int("CACHE_TIMEOUT", 600, minimum=1),
            # The portal serves uncached while Redis is away (caching/), so waiting
            # for it only makes every request slow: redis-py's default is 5 s to
            # connect and 5 s per answer. Redis answers in well under a millisecond,
            # so half a second to connect and one second per command is plenty.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    # One machine without Redis: files in one folder, shared by every worker on
    # it, so one invalidation reaches them all (caching/backends.py). Chosen over
    # the database cache by measurement: see "The page cache" in docs/deployment.md.
    CACHES = {
        "default": {
            "BACKEND": "caching.backends.FileCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "timra"),
            "TIMEOUT": env_int("CACHE_TIMEOUT", 600, minimum=1),
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000, minimum=100)},
        }
    }

# Anonymous pages are cached whole in the shared cache (caching/), and every
# change to the apps below invalidates them at once on every worker and app
# server. Off in development, where templates change without any row changing.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 600, minimum=0)
# At most this many variants of one page (query parameters, language, Accept)
# are stored per content generation and day; further ones are served uncached,
# so made-up query strings cannot fill the cache.
PAGE_CACHE_MAX_VARIANTS = env_int("PAGE_CACHE_MAX_VARIANTS", 100, minimum=1)
PAGE_CACHE_INVALIDATING_APPS = ["promises", "activities", "followup"]
# Not "participation": a resident's new question is not public, and must not let
# anyone empty the page cache by posting; its services invalidate when something
# public changes (participation.services.public_content_changed).

# Axes first, so a locked-out login is refused before the password is checked;
# then the object-level rules of accounts/permissions.py, then model permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:my_activities"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# Failed-login lockout (admin and staff login alike): 5 failures for one
# username from one address lock that pair out for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies, the client's address is the Nth from the right in
# X-Forwarded-For; with no proxy (0) only REMOTE_ADDR is trusted.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

# Activity-plan import: small CSV or XLSX files only.
ACTIVITY_IMPORT_MAX_BYTES = 2 * 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
# Dates are typed day first in both languages (timra_trygghet/formats/day_first.py).
FORMAT_MODULE_PATH = ["timra_trygghet.formats"]
LANGUAGES = [("sv", _("svenska")), ("en", _("engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # What `make setup` builds from static/scss (the portal's Bootstrap).
    BASE_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The open-data API (opendata.api) sets its own renderers, authentication and
# pagination; only what Django REST framework reads globally is here.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The throttle's client address: REMOTE_ADDR, or behind PROXY_COUNT proxies the
    # address they saw, never an X-Forwarded-For entry the client wrote itself.
    "NUM_PROXIES": PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": f"{env_int('API_ANON_REQUESTS_PER_MINUTE', 120)}/minute",
    },
}
# Promises and activities both have a "status" with different choices; name
# each choice set after what it describes instead of a generated hash.
SPECTACULAR_SETTINGS = {
    "ENUM_NAME_OVERRIDES": {
        "PromiseStatusEnum": "promises.models.Promise.Status",
        "ActivityStatusEnum": "activities.models.ProgressUpdate.Status",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Outgoing mail (docs/deployment.md, "E-mail"): EMAIL_URL names the SMTP server;
# DJANGO_EMAIL_HOST and DJANGO_EMAIL_PORT still work for a plain one. Development
# prints mail on the console.
_PLAIN_SMTP_URL = (
    f"smtp://{env_str('DJANGO_EMAIL_HOST', 'localhost')}:{env_int('DJANGO_EMAIL_PORT', 25)}"
)
MAILERS = {"default": env_mailer("EMAIL_URL", "console://" if DEBUG else _PLAIN_SMTP_URL)}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
# Where links in e-mail lead: the portal's public address (the worker has no
# request to ask), by default the first allowed host over HTTPS.
SITE_URL = env_str(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
).rstrip("/")

# Background tasks (django.tasks): mail is sent by a worker, never in a request.
# Production stores tasks in the database (django-tasks-db) and runs
# `manage.py db_worker`; development runs them at once, so `make run` needs no
# worker, unless DJANGO_TASKS_IMMEDIATE=0.
TASKS_IMMEDIATE = env_bool("DJANGO_TASKS_IMMEDIATE", default=DEBUG)
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if TASKS_IMMEDIATE
        else "django_tasks_db.DatabaseBackend",
    }
}
# Sending is retried after 1, 2, 4, … minutes (at most an hour apart) while the
# SMTP server is away, for about three days, then given up and logged.
EMAIL_RETRY_FIRST_SECONDS = 60
EMAIL_RETRY_MAX_SECONDS = 3600
EMAIL_MAX_ATTEMPTS = 80

# Residents' questions to the council (participation/): a resident's e-mail address
# is deleted this many days after the answer was sent (or after a moderation that
# ends the question without an answer); see manage.py delete_expired_question_emails.
QUESTION_EMAIL_RETENTION_DAYS = env_int("QUESTION_EMAIL_RETENTION_DAYS", 30, minimum=1)
# However the question fares (never moderated, or sent to a council that never answers),
# its address is deleted this many days after it was asked.
QUESTION_EMAIL_MAX_DAYS = env_int("QUESTION_EMAIL_MAX_DAYS", 365, minimum=1)
# Spam without third parties: a form sent sooner than this after it was shown is
# refused (people take longer to write), and one client address sends at most
# QUESTION_RATE_LIMIT questions per QUESTION_RATE_WINDOW_SECONDS.
QUESTION_MIN_FILL_SECONDS = env_int("QUESTION_MIN_FILL_SECONDS", 3, minimum=0)
QUESTION_RATE_LIMIT = env_int("QUESTION_RATE_LIMIT", 5, minimum=1)
QUESTION_RATE_WINDOW_SECONDS = env_int("QUESTION_RATE_WINDOW_SECONDS", 3600, minimum=1)

# Pages carry no inline script or style, so the policy needs no 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # No nonce: pages have no inline scripts, and a nonce would make a page
    # uncacheable (each response needs a fresh one).
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe app servers directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading is the choice of whoever owns the registrable domain (the browser
# list only takes apex domains, and the portal usually lives on a municipality's
# subdomain), so it is off unless DJANGO_HSTS_PRELOAD=1, and check --deploy's
# reminder about it is silenced.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Powerful browser features the portal never uses are switched off for it and
# for anything it could embed (timra_trygghet.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# WhiteNoise serves hashed static files (site.3f2a….css) as immutable for ten
# years; the few files asked for by their plain name may be kept for an hour.
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600
# Files browsers ask for at the site's root (favicon.ico: the SVG icon in
# static/img at 16, 32 and 48 px), served by WhiteNoise under their own names.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Request size limits. The activity-plan import is the only upload (its form
# checks type and size); the reverse proxy caps whole request bodies at 10 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads spool to a temporary file

# Two-factor authentication (django-otp, TOTP and backup codes) for staff:
# optional for everyone, required for superusers and these groups in
# production (debug off) unless DJANGO_REQUIRE_2FA=0 (docs/deployment.md).
REQUIRE_2FA = env_bool("DJANGO_REQUIRE_2FA", default=not DEBUG)
TWO_FACTOR_REQUIRED_GROUPS = env_list(
    "DJANGO_2FA_REQUIRED_GROUPS", default=["Nationell administratör", "Administratör"]
)
OTP_TOTP_ISSUER = env_str("DJANGO_OTP_ISSUER", "Medborgarlöften")

LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
# One JSON object per line on stderr (journald, Docker and log shippers read
# it as is); DJANGO_LOG_FORMAT=text gives plain lines for development.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "timra_trygghet.log_format.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
