"""The root URLconf. Each app keeps its own routes; every page needs a login but the login page."""

from django.contrib import admin
from django.contrib.auth.views import LoginView, PasswordChangeView
from django.urls import include, path

from commissioning.forms import PasswordChangeForm, PasswordResetForm, SignInForm
from commissioning.signin import ThrottledPasswordResetView
from commissioning.views import organisation

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password_change/",
        PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path("accounts/invitation/<uidb64>/<token>/", organisation.invitation_accept, name="invitation-accept"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("contracts/", include("contracts.urls")),
    path("consultations/", include("consultations.urls")),
    path("", include("commissioning.app_urls")),
]
