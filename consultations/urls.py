from django.urls import path

from consultations import views, views_edit, views_outcomes, views_responses, views_themes

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
    path(
        "<int:pk>/responses/import/<int:upload_pk>/retry/",
        views_responses.response_import_retry,
        name="response-import-retry",
    ),
    path("responses/<int:pk>/", views_responses.response_detail, name="response-detail"),
    path("<int:pk>/you-said-we-did/", views_outcomes.you_said_we_did, name="you-said-we-did"),
    path("<int:pk>/you-said-we-did/pdf/", views_outcomes.you_said_we_did_pdf, name="you-said-we-did-pdf"),
    path(
        "<int:pk>/you-said-we-did/new/",
        views_outcomes.YouSaidWeDidCreateView.as_view(),
        name="you-said-we-did-create",
    ),
    path(
        "you-said-we-did/<int:pk>/edit/",
        views_outcomes.YouSaidWeDidUpdateView.as_view(),
        name="you-said-we-did-update",
    ),
    path(
        "you-said-we-did/<int:pk>/delete/",
        views_outcomes.you_said_we_did_delete,
        name="you-said-we-did-delete",
    ),
    path("<int:pk>/gunning/edit/", views_outcomes.GunningUpdateView.as_view(), name="gunning-update"),
]

urlpatterns += [
    path("<int:pk>/themes/", views_themes.theme_list, name="theme-list"),
    path("<int:pk>/themes/new/", views_themes.ThemeCreateView.as_view(), name="theme-create"),
    path("themes/<int:pk>/edit/", views_themes.ThemeUpdateView.as_view(), name="theme-update"),
    path("themes/<int:pk>/delete/", views_themes.theme_delete, name="theme-delete"),
    path("<int:pk>/comments/", views_themes.response_comments, name="response-comments"),
    path("responses/<int:pk>/quote/", views_themes.response_quote, name="response-quote"),
]
