from django.urls import path

from consultations import views, views_edit

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
]
