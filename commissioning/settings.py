"""Settings for the commissioning service.

One file; the environment only supplies what really differs between machines
(see .env.example). Everything else is fixed here.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# A development key only ever used with DEBUG on; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Persistent connections: each gunicorn thread keeps its connection this many seconds rather than
# opening one per request (0: one per request). Checked before reuse, so a restarted database costs
# no failed request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django reads through a server-side cursor wherever a queryset is iterated with .iterator():
    # a filter's choice list, every streamed download. Each is read to its end, but PostgreSQL
    # plans a cursor for its first tenth of rows (cursor_tuple_fraction 0.1): a fast-start nested
    # loop took the funding register's list of funders from 80 ms to 450 ms at national scale.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c cursor_tuple_fraction=1".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # The admin, for superusers only (commissioning/admin_site.py).
    "commissioning.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own widget templates, found by the template engine for GovukFormRenderer.
    "django.forms",
    "django_tables2",
    "django_filters",
    "simple_history",
    "django_tasks_db",
    "commissioning",
    "contracts",
    "consultations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Cache-Control: private, no-store for signed-in users; Permissions-Policy.
    "commissioning.middleware.ResponseHeadersMiddleware",
]

ROOT_URLCONF = "commissioning.urls"
WSGI_APPLICATION = "commissioning.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Django's username and password check, refusing a username or address locked after too many
# failures before the password is checked (commissioning/signin.py).
AUTHENTICATION_BACKENDS = ["commissioning.signin.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "commissioning:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Serve straight from static/ when collectstatic has not been run (development, tests).
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Plain storage: the manifest variant makes the live test server 404 the CSS.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# Strict CSP: no inline script or style anywhere; the one script tag carries the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS only in production, secure by default: plain HTTP is redirected, and browsers are told
# (HSTS, a year, sub-domains included) never to try it again. `manage.py check --deploy` asks
# for the preload flag too; it only matters once the domain is submitted to the preload list.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Behind a reverse proxy that ends TLS the app sees plain HTTP from the proxy. Only when the
# proxy sets X-Forwarded-Proto and X-Forwarded-For (replacing any a client sent) may the app
# believe them: for HTTPS here, and for the client's address in sign-in throttling.
TRUST_PROXY_HEADERS = env.bool("TRUST_PROXY_HEADERS", default=False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail (approval requests and decisions) through Django 6.1's MAILERS, configured by one URL:
# e.g. smtp+tls://user:password@smtp.example.org:587, or smtp://localhost:25 for a mail server on
# the machine. In development it defaults to consolemail://, which prints each message. In
# production there is no default: a start without EMAIL_URL is refused ("Set the EMAIL_URL
# environment variable") rather than losing every message to a guessed server.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else environ.Env.NOTSET)
# django-environ names the parts as the old EMAIL_* settings; MAILERS takes the backend's own
# argument names, and only those the backend accepts (so only what the URL gave).
_email_options = {
    option: _email[name]
    for name, option in [
        ("EMAIL_HOST", "host"),
        ("EMAIL_PORT", "port"),
        ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"),
        ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"),
        ("EMAIL_FILE_PATH", "file_path"),
    ]
    if _email.get(name)
} | {name.lower(): value for name, value in _email.get("OPTIONS", {}).items()}  # ?timeout=10
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="commissioning@localhost")

# Background work (paper PDFs): Django's tasks API stored in the database by django-tasks-db
# and run by `manage.py db_worker`, so a long paper never holds up a web worker.
# Tests switch to django.tasks.backends.immediate.ImmediateBackend.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# GOV.UK markup for every form (templates/govuk/forms/); no browser "required" bubbles.
FORM_RENDERER = "commissioning.forms_renderer.GovukFormRenderer"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
