"""Invitations: a one-time link, sent by e-mail, with which a new member of staff sets a password.

The token is Django's password-reset token with a salt of its own: it stops working once the
password is set (the token covers the password hash) or after PASSWORD_RESET_TIMEOUT.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "commissioning.invitations.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()


def valid_for_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def invitation_link(request, user) -> str:
    path = reverse(
        "invitation-accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def send_invitation(request, profile) -> None:
    """E-mail the member of staff their link, saying who invited them to which organisation."""
    user = profile.user
    inviter = request.user.get_full_name() or request.user.get_username()
    body = (
        f"Dear {user.get_full_name()},\n\n"
        f"{inviter} has invited you to Domestic abuse commissioning, the service "
        f"{profile.organisation.name} uses to commission domestic abuse services, "
        f"as {profile.get_role_display().lower()}.\n\n"
        f"Choose your password here (the link works once, for {valid_for_days()} days):\n"
        f"{invitation_link(request, user)}\n\n"
        f"You will then sign in with this email address: {user.email}\n\n"
        "If you did not expect this invitation, you can ignore this email.\n"
    )
    send_mail(
        subject=f"Your invitation to Domestic abuse commissioning ({profile.organisation.name})",
        message=body,
        from_email=None,
        recipient_list=[user.email],
    )
