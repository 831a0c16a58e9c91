from django.urls import path

from contracts import views, views_edit

app_name = "contracts"

urlpatterns: list = [
    # new/ before any <slug:reference>/ route, which would otherwise take "new".
    path("new/", views_edit.ContractCreateView.as_view(), name="contract-create"),
    path("<slug:reference>/edit/", views_edit.ContractUpdateView.as_view(), name="contract-update"),
    path("", views.ContractListView.as_view(), name="contract-list"),
    path("<slug:reference>/", views.ContractDetailView.as_view(), name="contract-detail"),
]
