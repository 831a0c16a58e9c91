"""Routes of the commissioning app: dashboard, cases, services, funding, options, papers.

Names follow ``<model>-<role>`` (case-list, case-detail, case-create, case-update).
"""

from django.urls import path

app_name = "commissioning"

urlpatterns: list = []
