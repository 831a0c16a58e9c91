"""Sign-in throttling: limits on failed sign-ins and on password-reset requests, by username and
by the client's address, with an audit record (``SignInLockout``) of every lockout.

Why the project's own: django-axes, the maintained library for this, declares support for
Django 4.2, 5.2 and 6.0 but not 6.1 (8.3.1's classifiers). Why the database: Django's default
cache lives inside each process, and gunicorn runs several workers, so a cache-based count would
give an attacker the limit once per worker. Rows in the database are shared by every worker and
need no cache table or server.

The rules, for each kind (sign-in, password reset):

- Failed sign-ins (and every password-reset request) are counted over the last ``WINDOW``.
  Reaching the limit for a username (from any address) or for an address (with any username)
  locks that username or that address for ``LOCKOUT``, and records who, where and when.
- While locked, every attempt is refused before any password is checked: the right password
  does not get in either. Refused attempts are not counted, so a lockout ends on time.
- Usernames are compared in lower case and need not exist, so a lockout says nothing about
  which accounts exist. The address limit is higher than the username one: a council office
  signs in from one address.

Sign-in goes through ``ThrottledModelBackend`` (AUTHENTICATION_BACKENDS) and the
``user_login_failed`` signal, so the service's sign-in page and the admin's are both covered.
"""

import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from commissioning.models import SignInAttempt, SignInLockout

logger = logging.getLogger(__name__)

WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class Limits:
    per_username: int
    per_address: int
    message: str  # "{wait}" becomes "15 minutes"


LIMITS = {
    SignInAttempt.Kind.SIGN_IN: Limits(10, 30, "Too many attempts to sign in. Wait {wait}, then try again."),
    SignInAttempt.Kind.PASSWORD_RESET: Limits(
        3, 10, "Too many requests to reset a password. Wait {wait}, then try again."
    ),
}


def client_address(request) -> str:
    """The address the request came from.

    Behind a proxy (TRUST_PROXY_HEADERS) it is the last X-Forwarded-For entry, the one the
    proxy added; anything before it a client could have written itself.
    """
    if settings.TRUST_PROXY_HEADERS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def _normalise(username) -> str:
    return str(username or "").strip().lower()[:254]


def active_lockout(kind, username, address) -> SignInLockout | None:
    """The lockout, if any, that refuses this username or this address now."""
    scopes = Q(scope=SignInLockout.Scope.USERNAME, username=_normalise(username))
    if address:
        scopes |= Q(scope=SignInLockout.Scope.ADDRESS, address=address)
    return (
        SignInLockout.objects.filter(scopes, kind=kind, ends_at__gt=timezone.now())
        .order_by("-ends_at")
        .first()
    )


def record_attempt(kind, username, address) -> SignInLockout | None:
    """Count one attempt; returns the lockout it started, if it reached a limit."""
    now = timezone.now()
    username = _normalise(username)
    SignInAttempt.objects.filter(at__lte=now - WINDOW).delete()
    SignInAttempt.objects.create(kind=kind, username=username, address=address, at=now)
    recent = SignInAttempt.objects.filter(kind=kind, at__gt=now - WINDOW)
    limits = LIMITS[kind]
    counts = [(SignInLockout.Scope.USERNAME, recent.filter(username=username).count(), limits.per_username)]
    if address:
        counts.append(
            (SignInLockout.Scope.ADDRESS, recent.filter(address=address).count(), limits.per_address)
        )
    lockout = None
    for scope, attempts, limit in counts:
        if attempts >= limit:
            lockout = SignInLockout.objects.create(
                kind=kind,
                scope=scope,
                username=username,
                address=address,
                attempts=attempts,
                started_at=now,
                ends_at=now + LOCKOUT,
            )
            logger.warning(
                "%s locked by %s until %s after %s attempts: username %r, address %s",
                lockout.get_kind_display(),
                scope,
                lockout.ends_at.isoformat(),
                attempts,
                username,
                address or "unknown",
            )
    return lockout


def refusal(lockout: SignInLockout) -> str:
    """What the person is told, with the wait rounded up to whole minutes."""
    minutes = max(1, math.ceil((lockout.ends_at - timezone.now()).total_seconds() / 60))
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return LIMITS[lockout.kind].message.format(wait=wait)


# Sign-in.
class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, refusing a locked username or address first.

    Raising PermissionDenied stops ``authenticate()`` before any password is checked; the
    reason is left on the request for the sign-in form to show. One backend rather than a gate
    in front of ModelBackend, because ``force_login`` and the session use the first backend to
    load the user.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            lockout = active_lockout(SignInAttempt.Kind.SIGN_IN, username, client_address(request))
            if lockout is not None:
                request.sign_in_refusal = refusal(lockout)
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


def count_failed_sign_in(sender, credentials, request=None, **kwargs):
    """``user_login_failed`` receiver: count the failure, unless the throttle itself refused it."""
    if request is None or hasattr(request, "sign_in_refusal"):
        return
    lockout = record_attempt(SignInAttempt.Kind.SIGN_IN, credentials.get("username"), client_address(request))
    if lockout is not None:
        request.sign_in_refusal = refusal(lockout)


class ThrottledSignInMixin:
    """For an AuthenticationForm: says why a throttled sign-in was refused."""

    def get_invalid_login_error(self):
        reason = getattr(self.request, "sign_in_refusal", None)
        if reason:
            return ValidationError(reason, code="too_many_attempts")
        return super().get_invalid_login_error()


# Password reset.
class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, counting every request by the address typed and by client address."""

    def form_valid(self, form):
        kind = SignInAttempt.Kind.PASSWORD_RESET
        email, address = form.cleaned_data["email"], client_address(self.request)
        lockout = active_lockout(kind, email, address)
        if lockout is None:
            record_attempt(kind, email, address)
            return super().form_valid(form)
        form.add_error("email", refusal(lockout))
        return self.form_invalid(form)
