"""Routes of the commissioning app: dashboard, cases, services, funding, options, papers.

Names follow ``<model>-<role>`` (case-list, case-detail, case-create, case-update).
"""

from django.urls import path

from commissioning.views import approvals as approval_views
from commissioning.views import areas, cases, dashboard, decisions, edit, exports, organisation, registers
from commissioning.views import papers as paper_views
from commissioning.views import services as service_views

app_name = "commissioning"

urlpatterns: list = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    # Create and edit pages; case/new/ before case/<reference>/, which would otherwise take "new".
    path("case/new/", edit.CaseCreateView.as_view(), name="case-create"),
    path("case/<slug:reference>/edit/", edit.CaseUpdateView.as_view(), name="case-update"),
    path("case/<slug:reference>/service/new/", edit.ServiceCreateView.as_view(), name="service-create"),
    path("case/<slug:reference>/service/add/", edit.case_service_add, name="case-service-add"),
    path("service/<int:pk>/edit/", edit.ServiceUpdateView.as_view(), name="service-update"),
    path("case/<slug:reference>/milestone/new/", edit.MilestoneCreateView.as_view(), name="milestone-create"),
    path("milestone/<int:pk>/edit/", edit.MilestoneUpdateView.as_view(), name="milestone-update"),
    path("milestone/<int:pk>/delete/", edit.milestone_delete, name="milestone-delete"),
    path("case/<slug:reference>/contact/new/", edit.CaseContactCreateView.as_view(), name="contact-create"),
    path("contact/<int:pk>/edit/", edit.CaseContactUpdateView.as_view(), name="contact-update"),
    path("contact/<int:pk>/delete/", edit.contact_delete, name="contact-delete"),
    path(
        "case/<slug:reference>/document/new/", edit.CaseDocumentCreateView.as_view(), name="document-create"
    ),
    path("document/<int:pk>/edit/", edit.CaseDocumentUpdateView.as_view(), name="document-update"),
    path("document/<int:pk>/delete/", edit.document_delete, name="document-delete"),
    path("case/<slug:reference>/option/new/", edit.OptionCreateView.as_view(), name="option-create"),
    path("option/<int:pk>/edit/", edit.OptionUpdateView.as_view(), name="option-update"),
    path(
        "case/<slug:reference>/decision/new/", decisions.DecisionCreateView.as_view(), name="decision-create"
    ),
    path("decision/<int:pk>/", decisions.decision_detail, name="decision-detail"),
    path("decision/<int:pk>/edit/", decisions.DecisionUpdateView.as_view(), name="decision-update"),
    path("case/<slug:reference>/", cases.CaseDetailView.as_view(), name="case-detail"),
    # Registers (and the service page they link to).
    path("case/", registers.CaseListView.as_view(), name="case-list"),
    path("service/", registers.ServiceListView.as_view(), name="service-list"),
    path("service/<int:pk>/", service_views.ServiceDetailView.as_view(), name="service-detail"),
    path("organisation/", registers.OrganisationListView.as_view(), name="organisation-list"),
    path("organisation/meeting-bodies/", decisions.meeting_bodies, name="meeting-body-list"),
    path("organisation/new/", organisation.organisation_create, name="organisation-create"),
    path("organisation/provider/new/", organisation.ProviderCreateView.as_view(), name="provider-create"),
    path("provider/<int:pk>/edit/", organisation.ProviderUpdateView.as_view(), name="provider-update"),
    path("organisation/mine/", organisation.organisation_home, name="my-organisation"),
    path(
        "organisation/mine/edit/",
        organisation.OrganisationUpdateView.as_view(),
        name="my-organisation-update",
    ),
    path(
        "organisation/mine/budget-holder/new/",
        organisation.BudgetHolderCreateView.as_view(),
        name="budget-holder-create",
    ),
    path(
        "budget-holder/<int:pk>/edit/",
        organisation.BudgetHolderUpdateView.as_view(),
        name="budget-holder-update",
    ),
    path("budget-holder/<int:pk>/delete/", organisation.budget_holder_delete, name="budget-holder-delete"),
    path("organisation/mine/area/", areas.area_list, name="area-list"),
    path("organisation/mine/area/new/", areas.AreaCreateView.as_view(), name="area-create"),
    path("area/<int:pk>/edit/", areas.AreaUpdateView.as_view(), name="area-update"),
    path("area/<int:pk>/delete/", areas.area_delete, name="area-delete"),
    path("organisation/mine/staff/invite/", organisation.StaffInviteView.as_view(), name="staff-invite"),
    path("staff/<int:pk>/edit/", organisation.StaffUpdateView.as_view(), name="staff-update"),
    path("staff/<int:pk>/active/", organisation.staff_active, name="staff-active"),
    path("staff/<int:pk>/invite-again/", organisation.staff_invite_again, name="staff-invite-again"),
    path("funding/", registers.FundingListView.as_view(), name="funding-list"),
    path("export/<int:pk>/", exports.export_detail, name="export-detail"),
    path("export/<int:pk>/download/", exports.export_download, name="export-download"),
    # Decision papers (preview, PDF and versions, section texts, finalising).
    path("case/<slug:reference>/paper/new/", paper_views.paper_generate, name="paper-generate"),
    path("paper/<int:pk>/", paper_views.paper_detail, name="paper-detail"),
    path("paper/<int:pk>/pdf/", paper_views.paper_pdf, name="paper-pdf"),
    path("paper/<int:pk>/versions/new/", paper_views.paper_version_create, name="paper-version-create"),
    path(
        "paper/<int:pk>/versions/<int:number>/",
        paper_views.paper_version_download,
        name="paper-version-download",
    ),
    path(
        "paper/<int:pk>/details/", paper_views.PaperDetailsUpdateView.as_view(), name="paper-details-update"
    ),
    path("paper/<int:pk>/section/<slug:key>/", paper_views.paper_section_update, name="paper-section-update"),
    path(
        "paper/<int:pk>/versions/<int:number>/retry/",
        paper_views.paper_version_retry,
        name="paper-version-retry",
    ),
    path("paper/<int:pk>/submit/", paper_views.paper_submit, name="paper-submit"),
    path("paper/<int:pk>/withdraw/", paper_views.paper_withdraw, name="paper-withdraw"),
    path("paper/<int:pk>/final/", paper_views.paper_mark_final, name="paper-mark-final"),
    path("paper/<int:pk>/revise/", paper_views.paper_revise, name="paper-revise"),
    # Option appraisal scoring, approvals and the audit trail.
    path("appraisal/<int:pk>/", approval_views.appraisal_detail, name="appraisal-detail"),
    path("appraisal/<int:pk>/scores/", approval_views.appraisal_score, name="appraisal-score"),
    path("appraisal/<int:pk>/criterion/new/", approval_views.criterion_create, name="criterion-create"),
    path("appraisal/<int:pk>/factor/new/", approval_views.factor_create, name="factor-create"),
    path("appraisal/<int:pk>/submit/", approval_views.appraisal_submit, name="appraisal-submit"),
    path("appraisal/<int:pk>/reopen/", approval_views.appraisal_reopen, name="appraisal-reopen"),
    path("approval/step/<int:pk>/", approval_views.approval_step, name="approval-step"),
    path("case/<slug:reference>/history/", approval_views.case_history, name="case-history"),
]
