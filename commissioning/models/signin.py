"""What sign-in throttling counts and what it records (the rules are in commissioning/signin.py).

Kept in the database, not a cache: every gunicorn worker must see the same counts, and a
lockout is also an audit record that must outlive any cache.
"""

from django.db import models


class SignInKind(models.TextChoices):
    SIGN_IN = "sign_in", "Sign-in"
    PASSWORD_RESET = "password_reset", "Password reset request"


class SignInAttempt(models.Model):
    """A failed sign-in, or a password-reset request, counted for throttling.

    Rows older than the counting window are deleted as new ones arrive; ``username`` is as
    typed, folded to lower case (an e-mail address for a password reset), and need not exist.
    """

    Kind = SignInKind

    kind = models.CharField(max_length=20, choices=Kind.choices)
    username = models.CharField(max_length=254)
    address = models.CharField(max_length=45, help_text="The client's IP address")
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "username", "at"], name="signin_attempt_username"),
            models.Index(fields=["kind", "address", "at"], name="signin_attempt_address"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SignInKind.values), name="signin_attempt_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.username} from {self.address}"


class SignInLockoutScope(models.TextChoices):
    USERNAME = "username", "Username"
    ADDRESS = "address", "Address"


class SignInLockout(models.Model):
    """A username or an address refused for a while after too many attempts: the audit record.

    Kept after it ends, with the username and address of the attempt that started it.
    """

    Kind = SignInKind
    Scope = SignInLockoutScope

    kind = models.CharField(max_length=20, choices=Kind.choices)
    scope = models.CharField(
        max_length=20, choices=Scope.choices, help_text="Whether the username or the address is refused"
    )
    username = models.CharField(max_length=254)
    address = models.CharField(max_length=45)
    attempts = models.PositiveIntegerField(help_text="Attempts counted in the window when it began")
    started_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["kind", "ends_at"], name="signin_lockout_live")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SignInKind.values), name="signin_lockout_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=SignInLockoutScope.values), name="signin_lockout_scope_valid"
            ),
        ]

    def __str__(self):
        refused = self.username if self.scope == self.Scope.USERNAME else self.address
        return f"{self.get_kind_display()} locked for {refused} from {self.started_at:%d %b %Y %H:%M}"
