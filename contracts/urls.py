from django.urls import path

from contracts import views, views_edit, views_keydates

app_name = "contracts"

urlpatterns: list = [
    # new/ and key-dates/ before any <slug:reference>/ route, which would otherwise take them.
    path("key-dates/", views_keydates.key_date_list, name="key-date-list"),
    path("key-dates/<slug:reference>/snooze/", views_keydates.key_date_snooze, name="key-date-snooze"),
    path("lot/<int:pk>/delete/", views_edit.lot_delete, name="lot-delete"),
    path("new/", views_edit.ContractCreateView.as_view(), name="contract-create"),
    path("<slug:reference>/edit/", views_edit.ContractUpdateView.as_view(), name="contract-update"),
    path("", views.ContractListView.as_view(), name="contract-list"),
    path("<slug:reference>/", views.ContractDetailView.as_view(), name="contract-detail"),
]
