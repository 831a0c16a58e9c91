"""Every admin screen of the three apps opens, shows its figures, and lists at fixed cost."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains
from simple_history.admin import SimpleHistoryAdmin

from commissioning.models import (
    ApprovalRequest,
    ApprovalStep,
    CaseContact,
    CaseDocument,
    ChoiceList,
    Criterion,
    CriticalSuccessFactor,
    Decision,
    DecisionPaper,
    ExportJob,
    MeetingBody,
    OptionLot,
    PaperSection,
    PaperType,
    PaperVersion,
    Score,
    SectionDefinition,
    SignInAttempt,
    SignInLockout,
)
from consultations.models import (
    ChosenQuote,
    ConsultationEvent,
    ImportMapping,
    OptionPreference,
    Response,
    ResponseTheme,
    ResponseUpload,
    Theme,
    YouSaidWeDid,
)
from contracts.models import (
    ContractTermOption,
    FOIQuestion,
    FOIRequest,
    Lot,
    OutcomeReport,
    ReferralCount,
    Reminder,
    Snooze,
    TenderNotice,
    ValueLine,
)
from tests.factories import (
    AreaFactory,
    BudgetHolderFactory,
    CaseFactory,
    ConsultationFactory,
    ContractFactory,
    FundingContributionFactory,
    MilestoneFactory,
    OptionFactory,
    OrganisationFactory,
    ProfileFactory,
    ServiceFactory,
)

APPS = ("commissioning", "contracts", "consultations")


def registered():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS
    ]


@pytest.fixture
def one_of_everything(db):
    """At least one row of every model, so every list column renders."""
    org = OrganisationFactory(name="Nottinghamshire County Council", short_name="NCC")
    case = CaseFactory(reference="notts-2011", lead_commissioner=org)
    service = ServiceFactory(commissioner=org, pooled_budget=Decimal("826000"))
    FundingContributionFactory(
        service=service, commissioner=org, amount=Decimal("670450"), uplift_percent=Decimal("2")
    )
    BudgetHolderFactory(organisation=org)
    officer = ProfileFactory(organisation=org).user
    area = AreaFactory(name="Mansfield")
    MilestoneFactory(case=case)
    CaseContact.objects.create(case=case, name="Alex Officer")
    CaseDocument.objects.create(case=case, kind="background", title="Needs assessment")
    option = OptionFactory(appraisal__case=case)
    OptionLot.objects.create(option=option, name="North").areas.add(area)
    CriticalSuccessFactor.objects.create(case=case, name="Affordable within the pooled budget")
    criterion = Criterion.objects.create(appraisal=option.appraisal, name="Quality", weight=100)
    Score.objects.create(option=option, criterion=criterion, scorer=ProfileFactory().user, score=4)
    request = ApprovalRequest.objects.create(case=case, appraisal=option.appraisal)
    ApprovalStep.objects.create(request=request, kind="finance")
    paper_type = PaperType.objects.create(slug="cabinet", name="Cabinet report")
    SectionDefinition.objects.create(paper_type=paper_type, key="purpose", heading="Purpose")
    paper = DecisionPaper.objects.create(case=case, paper_type=paper_type, title="Recommissioning")
    PaperSection.objects.create(paper=paper, key="purpose", body="To decide.")
    PaperVersion.objects.create(paper=paper, number=1, html="<p>Paper</p>", data_hash="0" * 64)
    cabinet = MeetingBody.objects.create(organisation=org, name="Cabinet", kind="cabinet")
    decision = Decision.objects.create(case=case, title="Tender in two lots", maker=cabinet)
    decision.resolution.create(label="1", text="Approve the tender.")
    decision.delegations.create(power="Award the contracts", delegate="Director of Commissioning")
    decision.questions.create(member="Councillor A. Member", question="How many places?")
    case.evidence.create(
        label="Police-recorded domestic abuse incidents", value=Decimal("8400"), source="Police"
    )
    case.capacity.create(label="Refuge units", commissioned=12, provided=15, planned=20, benchmark=30)
    contract = ContractFactory(lead_commissioner=org, case=case)
    ContractTermOption.objects.create(contract=contract, months=12)
    bridging = ContractFactory(lead_commissioner=org, case=case, annual_value=None)
    ValueLine.objects.create(contract=bridging, amount=Decimal("418000"))
    TenderNotice.objects.create(contract=bridging, reference="FTS 1", value=Decimal("950000"))
    Lot.objects.create(contract=contract, name="County", annual_value=Decimal("340000"))
    ReferralCount.objects.create(service=service, period_label="2021-22", area=area, count=1021)
    OutcomeReport.objects.create(contract=contract, period_label="2021-22", summary="Good outcomes")
    Reminder.objects.create(
        contract=contract, kind=Reminder.Kind.CONTRACT_END, date=date(2022, 3, 31), lead="1m", user=officer
    )
    Snooze.objects.create(
        contract=contract,
        kind=Snooze.Kind.CONTRACT_END,
        date=date(2022, 3, 31),
        user=officer,
        created_by=officer,
        reason="Recommissioning is under way",
    )
    foi = FOIRequest.objects.create(
        reference="10653",
        authority=org,
        subject="Domestic abuse contracts",
        received_on=date(2013, 10, 17),
        answered_on=date(2013, 11, 6),
    )
    FOIQuestion.objects.create(request=foi, question="Who provides the refuges?")
    consultation = ConsultationFactory(case=case)
    ConsultationEvent.objects.create(consultation=consultation, title="Drop-in session")
    OptionPreference.objects.create(consultation=consultation, option=option, respondents=40)
    response = Response.objects.create(
        consultation=consultation,
        response_id="R1",
        option=option,
        comment="Keep the refuge",
        consent_to_quote=True,
    )
    theme = Theme.objects.create(consultation=consultation, name="Refuge space", order=1)
    ResponseTheme.objects.create(response=response, theme=theme)
    ChosenQuote.objects.create(response=response, chosen_by=officer)
    ImportMapping.objects.create(consultation=consultation, tool="SmartSurvey", columns={"response_id": "ID"})
    YouSaidWeDid.objects.create(
        consultation=consultation,
        we_asked="Which option do you prefer?",
        question=YouSaidWeDid.Question.PREFERENCE,
        we_did="Cabinet chose it.",
        decision=decision,
    )
    ResponseUpload.objects.create(
        consultation=consultation,
        tool="SmartSurvey",
        file="response-uploads/export.csv",
        original_name="export.csv",
        uploaded_by=officer,
    )
    ExportJob.objects.create(
        owner=officer,
        organisation=org,
        register="commissioning:case-list",
        title="Cases",
        query="risk=low",
        status=ExportJob.Status.DONE,
        rows_written=1,
        rows_total=1,
        file="exports/1/cases.xlsx",
    )
    ChoiceList.objects.create(key=f"org{org.pk}:service-areas", generation=1, choices=[[1, "Mansfield"]])
    now = timezone.now()
    SignInAttempt.objects.create(kind="sign_in", username="notts.officer", address="192.0.2.1", at=now)
    SignInLockout.objects.create(
        kind="sign_in",
        scope="username",
        username="notts.officer",
        address="192.0.2.1",
        attempts=10,
        started_at=now,
        ends_at=now + timedelta(minutes=15),
    )
    return case


def test_site_header():
    assert admin.site.site_header == "Domestic abuse commissioning"


def test_every_model_of_the_three_apps_is_registered():
    models = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]
    missing = [model.__name__ for model in models if not admin.site.is_registered(model)]
    assert missing == []


def test_every_model_with_history_shows_it_in_the_admin():
    plain = [
        model.__name__
        for model, model_admin in registered()
        if hasattr(model._meta, "simple_history_manager_attribute")
        and not isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert plain == []


@pytest.mark.parametrize("view", ["changelist", "add", "change", "history"])
def test_every_admin_page_opens_for_a_superuser(client, rf, superuser, one_of_everything, view):
    client.force_login(superuser)
    request = rf.get("/")
    request.user = superuser
    failures = []
    for model, model_admin in registered():
        if view == "add" and not model_admin.has_add_permission(request):
            continue  # made by the app, never typed in (paper versions)
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
        if view in ("change", "history"):
            obj = model._default_manager.first()
            assert obj is not None, f"no {opts.model_name} row in the fixture"
            url = reverse(name, args=[obj.pk])
        else:
            url = reverse(name)
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
    assert failures == []


def test_paper_versions_cannot_be_added_by_hand(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:commissioning_paperversion_add")).status_code == 403


def test_admin_header_shown(client, superuser):
    client.force_login(superuser)
    assertContains(client.get(reverse("admin:index")), "Domestic abuse commissioning")


def test_contribution_list_shows_money_share_and_uplift(client, superuser, one_of_everything):
    client.force_login(superuser)
    response = client.get(reverse("admin:commissioning_fundingcontribution_changelist"))
    assertContains(response, "£670,450")
    # 670,450 / 826,000 = 81.17% -> 81%; 670,450 x 1.02 = 683,859 -> £683,860 to the nearest £10.
    assertContains(response, "81%")
    assertContains(response, "£683,860")


def test_service_list_shows_total_per_year_and_pool(client, superuser, one_of_everything):
    client.force_login(superuser)
    response = client.get(reverse("admin:commissioning_service_changelist"))
    assertContains(response, "2011-12: £670,450")
    assertContains(response, "£826,000")


def test_contract_list_shows_terms_and_total(client, superuser, one_of_everything):
    client.force_login(superuser)
    response = client.get(reverse("admin:contracts_contract_changelist"))
    # 2 years from 1 April 2020 plus a 1-year extension: "2 + 1", to 31 March 2023,
    # and £340,000 x 3 years = £1,020,000.
    assertContains(response, "2 + 1")
    assertContains(response, "31 Mar 2023")
    assertContains(response, "£340,000")
    assertContains(response, "£1,020,000")


def test_foi_list_shows_due_date_and_days_taken(client, superuser, one_of_everything):
    client.force_login(superuser)
    response = client.get(reverse("admin:contracts_foirequest_changelist"))
    # Received Thursday 17 October 2013: due 14 November, answered 6 November in 14 working days.
    assertContains(response, "14 Nov 2013")
    assertContains(response, '<td class="field-working_days_taken">14</td>', html=True)


def test_history_page_lists_changes(client, superuser, one_of_everything):
    client.force_login(superuser)
    case = one_of_everything
    case.title = "Recommissioning, revised"
    case.save()
    response = client.get(reverse("admin:commissioning_case_history", args=[case.pk]))
    assertContains(response, "Changed")
    assertContains(response, "Created")


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "make_row"),
    [
        (
            "admin:commissioning_fundingcontribution_changelist",
            lambda: FundingContributionFactory(uplift_percent=Decimal("2")),
        ),
        (
            "admin:commissioning_service_changelist",
            lambda: FundingContributionFactory(service__pooled_budget=Decimal("826000")),
        ),
        (
            "admin:contracts_contract_changelist",
            lambda: ContractTermOption.objects.create(contract=ContractFactory(), months=12),
        ),
        ("admin:commissioning_approvalstep_changelist", None),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(client, superuser, url_name, make_row):
    if make_row is None:

        def make_row():
            option = OptionFactory()
            request = ApprovalRequest.objects.create(case=option.appraisal.case, appraisal=option.appraisal)
            ApprovalStep.objects.create(request=request, kind="legal")

    client.force_login(superuser)
    make_row()
    url = reverse(url_name)
    with_one = changelist_queries(client, url)
    for _ in range(19):
        make_row()
    with_twenty = changelist_queries(client, url)
    assert with_twenty == with_one


def test_service_page_shows_each_contributions_share_and_uplift(client, superuser, one_of_everything):
    client.force_login(superuser)
    service = one_of_everything.lead_commissioner.commissioned_services.get()
    response = client.get(reverse("admin:commissioning_service_change", args=[service.pk]))
    # The inline row: 670,450 of the 826,000 pool is 81%; uplifted 2% it is £683,860.
    assertContains(response, '<td class="field-share_column"><p>81%</p></td>', html=True)
    assertContains(response, '<td class="field-uplifted_column"><p>£683,860</p></td>', html=True)
    # The money box shows the amount as typed, with thousands separators.
    assertContains(response, 'value="670,450"')
