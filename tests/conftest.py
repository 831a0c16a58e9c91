"""Shared fixtures: an officer of one organisation, an officer of another, and a superuser."""

import pytest
from django.test import override_settings

from tests.factories import OrganisationFactory, ProfileFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """PBKDF2's default iterations take about 1.5 s a password on the CI machine, and most tests
    make a user or two; tests check who may do what, not the strength of the hash. Production
    settings are untouched (tests/test_make_run.py serves the real ones)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Staffordshire County Council", short_name="SCC")


@pytest.fixture
def officer(organisation):
    """A commissioning officer (user with a Profile) of ``organisation``."""
    return ProfileFactory(user__username="officer", organisation=organisation).user


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Dorset Council", short_name="DC")


@pytest.fixture
def other_officer(other_organisation):
    """An officer of a different organisation, who must not see ``officer``'s cases."""
    return ProfileFactory(user__username="other_officer", organisation=other_organisation).user


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def immediate_tasks(settings, tmp_path):
    """Run background tasks (paper PDFs) as soon as they are queued, and keep files out of the project."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
