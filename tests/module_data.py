"""Data a whole test module shares, built once: the seed cases take seconds to load."""

from django.db import transaction


def built_once(django_db_blocker, build):
    """For a module-scoped generator fixture (``yield from built_once(...)``): yields what
    ``build()`` returns, made inside an outer transaction that is rolled back when the module is
    done. Each test's own transaction (the ``db`` fixture) nests inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        value = build()
    yield value
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
