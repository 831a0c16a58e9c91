"""Loaded before Django is set up: test runs need no .env file."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
# Browser tests run Playwright's sync API beside the ORM in one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
