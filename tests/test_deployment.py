"""Production settings as a production machine reads them: from its environment, at start-up.

Settings are read once, at import, so overriding them inside this test process proves nothing.
Each test starts ``manage.py`` in a new process with a production-like environment, from a copy
of the project that has no development ``.env`` (which would otherwise fill in what a
production machine lacks).
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "commissioning.example.org",
    "EMAIL_URL": "smtp+tls://mailer:not-a-password@smtp.example.org:587",
    "DATABASE_URL": "sqlite:////tmp/never-opened.sqlite3",
}
# What the test session (commissioning/pytest_plugin.py) or a developer may have exported.
LEFT_OUT = {
    "SECRET_KEY",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__")
    for name in ("commissioning", "contracts", "consultations", "templates", "static"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    return copy


def manage(project, *args, **environment) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in LEFT_OUT and k not in PRODUCTION}
    env |= {k: v for k, v in environment.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**changes) -> dict:
    """A production machine's environment: a fresh 50+ character key, a host name, an SMTP server."""
    return {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50), **changes}


def test_deploy_check_passes_with_production_settings(project):
    result = manage(project, "check", "--deploy", "--fail-level", "WARNING", **production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_refuses_the_console_mailer_in_production(project):
    """The check above can fail: the development mailer in production is an error."""
    result = manage(
        project, "check", "--deploy", "--fail-level", "WARNING", **production(EMAIL_URL="consolemail://")
    )
    assert result.returncode != 0
    assert "mail.E001" in result.stderr


def test_production_start_without_a_secret_key_is_refused(project):
    result = manage(project, "check", **production(SECRET_KEY=None))
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_start_without_an_email_url_is_refused(project):
    result = manage(project, "check", **production(EMAIL_URL=None))
    assert result.returncode != 0
    assert "Set the EMAIL_URL environment variable" in result.stderr


SHOW = ("shell", "--no-imports", "-c")
SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.MAILERS['default'])"
)


def test_production_is_secure_by_default_and_trusts_a_proxy_only_when_told(project):
    result = manage(project, *SHOW, SETTINGS, **production())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 4)[:4] == ["True", "31536000", "True", "None"]
    assert (
        "'BACKEND': 'django.core.mail.backends.smtp.EmailBackend', 'OPTIONS': {'host': 'smtp.example.org', "
        "'port': 587, 'username': 'mailer', 'password': 'not-a-password', 'use_tls': True}"
    ) in result.stdout
    behind_proxy = manage(project, *SHOW, SETTINGS, **production(TRUST_PROXY_HEADERS="true"))
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in behind_proxy.stdout


def test_development_keeps_the_console_mailer_and_plain_http(project):
    result = manage(project, *SHOW, SETTINGS, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False 0 True None ")
    assert "'BACKEND': 'django.core.mail.backends.console.EmailBackend', 'OPTIONS': {}" in result.stdout


def test_postgresql_cursors_are_planned_for_every_row_keeping_the_urls_options(project):
    """Every server-side cursor here (a filter's choices, a streamed download) is read to its end, so
    PostgreSQL plans them for all their rows (cursor_tuple_fraction=1), after any options the
    DATABASE_URL gives; SQLite gets no such option."""
    show = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    postgres = "postgres://app@db.invalid:5432/commissioning?options=-c%20statement_timeout%3D5000"
    result = manage(project, "shell", "-c", show, **production(DATABASE_URL=postgres))
    assert result.returncode == 0, result.stderr
    # The last line: the shell may first list models it did not import.
    assert result.stdout.strip().splitlines()[-1] == (
        "{'options': '-c statement_timeout=5000 -c cursor_tuple_fraction=1'}"
    )
    result = manage(project, "shell", "-c", show, **production())
    assert "cursor_tuple_fraction" not in result.stdout
