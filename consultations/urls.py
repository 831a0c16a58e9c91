from django.urls import path

from consultations import views, views_edit, views_responses

app_name = "consultations"

urlpatterns: list = [
    path(
        "case/<slug:reference>/new/",
        views_edit.ConsultationCreateView.as_view(),
        name="consultation-create",
    ),
    path("<int:pk>/edit/", views_edit.ConsultationUpdateView.as_view(), name="consultation-update"),
    path("", views.ConsultationListView.as_view(), name="consultation-list"),
    path("<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation-detail"),
    path("<int:pk>/responses/import/", views_responses.response_import, name="response-import"),
    path(
        "<int:pk>/responses/import/<int:upload_pk>/",
        views_responses.response_import_map,
        name="response-import-map",
    ),
    path("responses/<int:pk>/", views_responses.response_detail, name="response-detail"),
]
