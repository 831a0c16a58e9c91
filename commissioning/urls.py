"""The root URLconf. Each app keeps its own routes; every page needs a login but the login page."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("contracts/", include("contracts.urls")),
    path("consultations/", include("consultations.urls")),
    path("", include("commissioning.app_urls")),
]
