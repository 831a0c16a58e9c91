"""The Django admin, kept to superusers.

The admin is not scoped by organisation: it shows every council's rows and lets its users
change them. Officers work through the app's own pages, which are. So only a superuser may use
the admin; a staff user who is not one gets the admin's sign-in page, and signing in there with
such an account is refused with a message saying why.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from commissioning.signin import ThrottledSignInMixin

NOT_AN_ADMINISTRATOR = (
    "Only administrators can use these pages. Sign in with an administrator account, "
    "or go back to the commissioning pages."
)


class SuperuserAuthenticationForm(ThrottledSignInMixin, AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise ValidationError(NOT_AN_ADMINISTRATOR, code="not_superuser")


class SuperuserAdminSite(admin.AdminSite):
    login_form = SuperuserAuthenticationForm

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
