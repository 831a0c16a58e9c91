"""Loaded by pytest (``-p commissioning.pytest_plugin`` in pyproject.toml) before pytest-django
sets Django up, so a test run needs no .env file and no exported variables."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
# Browser tests run Playwright's sync API beside the ORM in one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Tests run with DEBUG off, as production does, but speak plain HTTP to the test client and the
# live server: no redirect to HTTPS; e-mail goes to Django's test outbox whatever EMAIL_URL says.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("EMAIL_URL", "memorymail://")
