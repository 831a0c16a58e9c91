"""Sign-in and password-reset throttling: by username and by address, told in GOV.UK words, and
recorded. The clock is fixed and moved by hand; nothing sleeps."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from commissioning.models import SignInAttempt, SignInLockout
from commissioning.signin import LIMITS, LOCKOUT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
WRONG = "Enter a correct username and password"
LOCKED = "Too many attempts to sign in. Wait 15 minutes, then try again."
OFFICE = "192.0.2.10"
HOME = "198.51.100.7"
SIGN_IN = LIMITS[SignInAttempt.Kind.SIGN_IN]
RESET = LIMITS[SignInAttempt.Kind.PASSWORD_RESET]


class Clock:
    def __init__(self):
        self.now = datetime(2026, 10, 3, 13, 5, tzinfo=UTC)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Django's clock, stopped at 3 Oct 2026 14:05 (London) until the test moves it on."""
    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


def sign_in(client, username, password, address=OFFICE, url=None, **headers):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_forty_wrong_passwords_then_the_right_one_is_refused(client, officer, clock, caplog):
    assert SIGN_IN.per_username == 10
    for attempt in range(1, 41):
        response = sign_in(client, "officer", f"guess-{attempt}")
        assert response.status_code == 200
        # Failures 1 to 9 are told the password is wrong; the 10th and later are locked out.
        if attempt < SIGN_IN.per_username:
            assertContains(response, WRONG)
        else:
            assertContains(response, LOCKED)
    response = sign_in(client, "officer", PASSWORD)
    assertContains(response, LOCKED)
    assertContains(response, 'class="govuk-error-summary"')
    assert not signed_in(client)
    # A username lockout holds from any address, and whatever case the username is typed in.
    assertContains(sign_in(client, "OFFICER", PASSWORD, address=HOME), LOCKED)
    assert not signed_in(client)

    # One audit record: refused attempts are not counted, so they start no further lockout.
    lockout = SignInLockout.objects.get()
    assert (lockout.kind, lockout.scope, lockout.username, lockout.address, lockout.attempts) == (
        "sign_in",
        "username",
        "officer",
        OFFICE,
        10,
    )
    assert lockout.started_at == clock.now and lockout.ends_at == clock.now + timedelta(minutes=15)
    assert "Sign-in locked by username until 2026-10-03T13:20:00+00:00 after 10 attempts" in caplog.text
    assert caplog.records[-1].levelno == logging.WARNING


def test_other_usernames_from_the_same_address_are_limited_after_the_address_threshold(
    client, officer, clock
):
    assert SIGN_IN.per_address == 30
    # Password spraying: one guess each at 30 usernames, none of them reaching its own limit.
    for n in range(1, 31):
        response = sign_in(client, f"user{n}", "Summer2026!")
        assertContains(response, LOCKED if n == 30 else WRONG)
    # The officer has never mistyped, but the address is locked.
    assertContains(sign_in(client, "officer", PASSWORD), LOCKED)
    assert not signed_in(client)
    lockout = SignInLockout.objects.get()
    assert (lockout.scope, lockout.address, lockout.username, lockout.attempts) == (
        "address",
        OFFICE,
        "user30",
        30,
    )
    # From another address the officer signs in.
    assertRedirects(
        sign_in(client, "officer", PASSWORD, address=HOME),
        reverse("commissioning:dashboard"),
        fetch_redirect_response=False,
    )


def test_the_lockout_ends_after_fifteen_minutes(client, officer, clock):
    for attempt in range(SIGN_IN.per_username):
        sign_in(client, "officer", f"guess-{attempt}")
    assert LOCKOUT == timedelta(minutes=15)
    clock.advance(minutes=6)
    assertContains(sign_in(client, "officer", PASSWORD), "Wait 9 minutes, then try again.")
    clock.advance(minutes=8, seconds=59)  # 1 second left
    assertContains(sign_in(client, "officer", PASSWORD), "Wait 1 minute, then try again.")
    assert not signed_in(client)
    clock.advance(seconds=1)
    # Over: the failures that caused it have left the window too, so a slip is just a slip.
    assertContains(sign_in(client, "officer", "guess-again"), WRONG)
    assertRedirects(
        sign_in(client, "officer", PASSWORD),
        reverse("commissioning:dashboard"),
        fetch_redirect_response=False,
    )


def test_the_admin_sign_in_is_throttled_too(client, superuser, clock):
    admin_login = reverse("admin:login")
    for attempt in range(SIGN_IN.per_username):
        sign_in(client, "admin", f"guess-{attempt}", url=admin_login)
    response = sign_in(client, "admin", PASSWORD, url=admin_login)
    assertContains(response, LOCKED)
    assert not signed_in(client)


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(client, officer, clock, settings):
    # Without a trusted proxy a client can write any X-Forwarded-For: it changes nothing.
    settings.TRUST_PROXY_HEADERS = False
    for n in range(SIGN_IN.per_address):
        sign_in(client, f"user{n}", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert SignInLockout.objects.get().address == OFFICE
    # Behind one, the proxy's own entry (the last) is the client: the office is locked, home is not.
    settings.TRUST_PROXY_HEADERS = True
    assertContains(sign_in(client, "officer", PASSWORD, HTTP_X_FORWARDED_FOR=f"10.0.0.1, {OFFICE}"), LOCKED)
    response = sign_in(client, "officer", PASSWORD, HTTP_X_FORWARDED_FOR=f"{OFFICE}, {HOME}")
    assertRedirects(response, reverse("commissioning:dashboard"), fetch_redirect_response=False)


def reset(client, email, address=OFFICE):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


RESET_LOCKED = "Too many requests to reset a password. Wait 15 minutes, then try again."


def test_password_reset_requests_are_limited_by_address_typed(client, officer, clock):
    assert RESET.per_username == 3
    for _ in range(3):
        assertRedirects(reset(client, "Officer@example.org"), reverse("password_reset_done"))
    assert len(mail.outbox) == 3
    response = reset(client, "officer@example.org", address=HOME)
    assertContains(response, RESET_LOCKED)
    assert len(mail.outbox) == 3
    lockout = SignInLockout.objects.get()
    assert (lockout.kind, lockout.scope, lockout.username) == (
        "password_reset",
        "username",
        "officer@example.org",
    )
    # Sign-in is a different kind: the officer can still sign in.
    response = sign_in(client, "officer", PASSWORD)
    assertRedirects(response, reverse("commissioning:dashboard"), fetch_redirect_response=False)


def test_password_reset_requests_are_limited_by_client_address(client, clock):
    assert RESET.per_address == 10
    UserFactory(username="finance", email="finance@example.org")
    for n in range(10):
        response = reset(client, f"someone{n}@example.org")
        assertNotContains(response, RESET_LOCKED, status_code=302)
    response = reset(client, "finance@example.org")
    assertContains(response, RESET_LOCKED)
    assert mail.outbox == []
    assertRedirects(reset(client, "finance@example.org", address=HOME), reverse("password_reset_done"))
    assert len(mail.outbox) == 1


def test_a_superuser_can_end_a_lockout_early_and_the_record_stays(client, officer, superuser, clock):
    for attempt in range(SIGN_IN.per_username):
        sign_in(client, "officer", f"guess-{attempt}", address=HOME)
    lockout = SignInLockout.objects.get()
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        reverse("admin:commissioning_signinlockout_changelist"),
        {"action": "end_now", "_selected_action": [lockout.pk]},
        follow=True,
    )
    assertContains(response, "Ended 1 lockout.")
    lockout.refresh_from_db()
    assert lockout.ends_at == clock.now
    assertRedirects(
        sign_in(client, "officer", PASSWORD),
        reverse("commissioning:dashboard"),
        fetch_redirect_response=False,
    )
