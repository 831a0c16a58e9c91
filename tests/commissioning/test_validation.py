"""Bad input to services, contributions and options: a clear message on the field, nothing saved."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from commissioning.models import ApprovalRequest, FundingContribution, Option, Service
from tests.admin_posts import errors_in, inline_rows, management
from tests.factories import (
    CaseFactory,
    FundingContributionFactory,
    OptionAppraisalFactory,
    OptionFactory,
    OrganisationFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def field_errors(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def assert_only_field_error(obj, field: str, message: str):
    """The message is on the field at fault, and no constraint name leaks onto the form."""
    errors = field_errors(obj)
    assert message in " ".join(errors.get(field, [])), errors
    assert "__all__" not in errors, errors


# Through full_clean.
def test_negative_contribution_refused():
    contribution = FundingContributionFactory.build(
        service=ServiceFactory(), amount=Decimal("-1"), commissioner=OrganisationFactory()
    )
    assert_only_field_error(contribution, "amount", "Enter an amount of £0 or more")


def test_negative_pooled_budget_refused():
    service = ServiceFactory.build(commissioner=OrganisationFactory(), pooled_budget=Decimal("-826000"))
    assert_only_field_error(service, "pooled_budget", "Enter an amount of £0 or more")


def test_negative_option_cost_refused():
    option = OptionFactory.build(appraisal=OptionAppraisalFactory(), estimated_annual_cost=Decimal("-0.01"))
    assert_only_field_error(option, "estimated_annual_cost", "Enter an amount of £0 or more")


def test_contribution_taking_pool_above_100_percent_refused():
    # Nottinghamshire's pool: £826,000, of which NCC gives £670,450. Adding £231,300 more
    # makes £901,750, which is 109.17% of the pool -> "109%".
    service = ServiceFactory(pooled_budget=Decimal("826000"))
    FundingContributionFactory(service=service, amount=Decimal("670450"))
    extra = FundingContributionFactory.build(
        service=service, commissioner=service.commissioner, amount=Decimal("231300")
    )
    assert_only_field_error(
        extra,
        "amount",
        "Contributions for 2011-12 would total £901,750, 109% of the £826,000 pool; "
        "shares cannot exceed 100%",
    )


def test_contribution_filling_the_pool_exactly_is_allowed():
    # 670,450 + 155,550 = 826,000: a share of exactly 100% is fine.
    service = ServiceFactory(pooled_budget=Decimal("826000"))
    FundingContributionFactory(service=service, amount=Decimal("670450"))
    FundingContributionFactory.build(
        service=service, commissioner=service.commissioner, amount=Decimal("155550")
    ).full_clean()


def test_contribution_in_another_year_does_not_count_against_this_year():
    service = ServiceFactory(pooled_budget=Decimal("826000"))
    FundingContributionFactory(service=service, amount=Decimal("670450"))
    FundingContributionFactory.build(
        service=service, commissioner=service.commissioner, financial_year="2012-13", amount=Decimal("683860")
    ).full_clean()


def test_pool_lowered_below_contributions_refused():
    service = ServiceFactory(pooled_budget=Decimal("826000"))
    FundingContributionFactory(service=service, amount=Decimal("670450"))
    service.pooled_budget = Decimal("600000")
    assert_only_field_error(
        service,
        "pooled_budget",
        "Contributions for 2011-12 already total £670,450, more than a pool of £600,000",
    )


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("2011-13", "2011-13 is not a financial year"),
        ("2011/12", "Enter a financial year like 2011-12"),
        ("11-12", "Enter a financial year like 2011-12"),
    ],
)
def test_bad_financial_year_refused(year, message):
    contribution = FundingContributionFactory.build(
        service=ServiceFactory(), commissioner=OrganisationFactory(), financial_year=year
    )
    assert_only_field_error(contribution, "financial_year", message)


def test_option_minimum_providers_above_maximum_refused():
    option = OptionFactory.build(appraisal=OptionAppraisalFactory(), min_providers=3, max_providers=2)
    assert_only_field_error(
        option, "min_providers", "The minimum number of providers (3) cannot be more than the maximum (2)"
    )


# Through the admin.
@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def service_post(commissioner, pooled_budget="", rows=(), initial=0, **overrides):
    data = {
        "commissioner": str(commissioner.pk),
        "name": "Outreach and IDVA service",
        "service_type": "outreach",
        "for_victims": "on",
        "pooled_budget": pooled_budget,
        **overrides,
    }
    data.update(inline_rows("contributions", list(rows), initial))
    return data


def contribution_row(commissioner, amount, year="2011-12", **extra):
    return {
        "financial_year": year,
        "commissioner": str(commissioner.pk),
        "amount": amount,
        "kind": "core",
        "uplift_rounding": "ten",
        **extra,
    }


def test_admin_service_add_with_rows_over_the_pool_saves_nothing(admin_client):
    ncc = OrganisationFactory(name="Nottinghamshire County Council")
    city = OrganisationFactory(name="Nottingham City Council")
    # Each row alone fits the £826,000 pool; together (£901,750) they do not.
    data = service_post(
        ncc,
        pooled_budget="826000",
        rows=[contribution_row(ncc, "670450"), contribution_row(city, "231300")],
    )
    response = admin_client.post(reverse("admin:commissioning_service_add"), data)
    assert response.status_code == 200, "the form should be shown again"
    assertContains(response, "Contributions for 2011-12 would total £901,750, 109% of the £826,000 pool")
    assert Service.objects.count() == 0
    assert FundingContribution.objects.count() == 0


def test_admin_service_add_with_rows_within_the_pool_saves(admin_client):
    ncc = OrganisationFactory(name="Nottinghamshire County Council")
    city = OrganisationFactory(name="Nottingham City Council")
    data = service_post(
        ncc,
        pooled_budget="826000",
        rows=[contribution_row(ncc, "670450"), contribution_row(city, "155550")],
    )
    response = admin_client.post(reverse("admin:commissioning_service_add"), data)
    assert response.status_code == 302, errors_in(response)
    assert FundingContribution.objects.total() == Decimal("826000")


def test_admin_service_change_rebalancing_a_full_pool_is_allowed(admin_client):
    # 600,000 + 226,000 = 826,000 becomes 500,000 + 326,000: each row is judged with the
    # other row's new amount, not its old one (600,000 + 326,000 would be over).
    service = ServiceFactory(pooled_budget=Decimal("826000"))
    a = FundingContributionFactory(service=service, amount=Decimal("600000"))
    b = FundingContributionFactory(service=service, amount=Decimal("226000"))
    rows = [
        {"id": str(a.pk), "service": str(service.pk), **contribution_row(a.commissioner, "500000")},
        {"id": str(b.pk), "service": str(service.pk), **contribution_row(b.commissioner, "326000")},
    ]
    data = service_post(service.commissioner, pooled_budget="826000", rows=rows, initial=2)
    response = admin_client.post(reverse("admin:commissioning_service_change", args=[service.pk]), data)
    assert response.status_code == 302, errors_in(response)
    b.refresh_from_db()
    assert b.amount == Decimal("326000")


def test_admin_service_change_adding_a_row_over_the_pool_saves_nothing(admin_client):
    service = ServiceFactory(pooled_budget=Decimal("826000"), name="Outreach")
    existing = FundingContributionFactory(service=service, amount=Decimal("670450"))
    rows = [
        {
            "id": str(existing.pk),
            "service": str(service.pk),
            **contribution_row(existing.commissioner, "670450"),
        },
        contribution_row(service.commissioner, "231300"),
    ]
    data = service_post(service.commissioner, pooled_budget="826000", rows=rows, initial=1, name="Renamed")
    response = admin_client.post(reverse("admin:commissioning_service_change", args=[service.pk]), data)
    assertContains(response, "would total £901,750")
    assert FundingContribution.objects.count() == 1
    service.refresh_from_db()
    assert service.name == "Outreach"


def test_admin_service_add_negative_pool_refused(admin_client):
    response = admin_client.post(
        reverse("admin:commissioning_service_add"),
        service_post(OrganisationFactory(), pooled_budget="-5"),
    )
    assertContains(response, "Enter an amount of £0 or more")
    assert Service.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-100"}, "Enter an amount of £0 or more"),
        ({"financial_year": "2011-13"}, "2011-13 is not a financial year"),
        ({"financial_year": "2011/12"}, "Enter a financial year like 2011-12"),
    ],
)
def test_admin_contribution_add_bad_input_refused(admin_client, changes, message):
    service = ServiceFactory()
    data = {"service": str(service.pk), **contribution_row(service.commissioner, "1000"), **changes}
    response = admin_client.post(reverse("admin:commissioning_fundingcontribution_add"), data)
    assertContains(response, message)
    assert FundingContribution.objects.count() == 0


def test_admin_contribution_add_over_the_pool_refused(admin_client):
    service = ServiceFactory(pooled_budget=Decimal("826000"))
    FundingContributionFactory(service=service, amount=Decimal("670450"))
    data = {"service": str(service.pk), **contribution_row(service.commissioner, "231300")}
    response = admin_client.post(reverse("admin:commissioning_fundingcontribution_add"), data)
    assertContains(response, "would total £901,750, 109% of the £826,000 pool")
    assert FundingContribution.objects.count() == 1


def test_admin_option_add_minimum_above_maximum_refused(admin_client):
    appraisal = OptionAppraisalFactory()
    data = {
        "appraisal": str(appraisal.pk),
        "label": "B",
        "name": "Two lots",
        "min_providers": "3",
        "max_providers": "2",
        "order": "0",
        **management("lots", 0),
    }
    response = admin_client.post(reverse("admin:commissioning_option_add"), data)
    assertContains(response, "The minimum number of providers (3) cannot be more than the maximum (2)")
    assert Option.objects.count() == 0


def test_admin_option_add_negative_cost_refused(admin_client):
    appraisal = OptionAppraisalFactory()
    data = {
        "appraisal": str(appraisal.pk),
        "label": "B",
        "name": "Two lots",
        "estimated_annual_cost": "-340000",
        "order": "0",
        **management("lots", 0),
    }
    response = admin_client.post(reverse("admin:commissioning_option_add"), data)
    assertContains(response, "Enter an amount of £0 or more")
    assert Option.objects.count() == 0


def test_admin_appraisal_inline_option_minimum_above_maximum_refused(admin_client):
    appraisal = OptionAppraisalFactory()
    data = {
        "case": str(appraisal.case.pk),
        "title": appraisal.title,
        "status": "draft",
        **inline_rows(
            "options",
            [
                {
                    "label": "A",
                    "name": "One provider",
                    "shortlisted": "on",
                    "min_providers": "4",
                    "max_providers": "1",
                    "order": "0",
                }
            ],
        ),
        **management("criteria", 0),
    }
    response = admin_client.post(
        reverse("admin:commissioning_optionappraisal_change", args=[appraisal.pk]), data
    )
    assertContains(response, "The minimum number of providers (4) cannot be more than the maximum (1)")
    assert "ManagementForm" not in errors_in(response)
    assert Option.objects.count() == 0


# The database constraints behind these rules speak plainly too, where clean() is bypassed.
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: ServiceFactory.build(commissioner=OrganisationFactory(), tier_from=3, tier_to=1),
            "The highest tier must be the same as or above the lowest tier",
        ),
        (
            lambda: ServiceFactory.build(commissioner=OrganisationFactory(), pooled_budget=Decimal("-1")),
            "A pooled budget must be £0 or more",
        ),
        (
            lambda: FundingContributionFactory.build(
                service=ServiceFactory(), commissioner=OrganisationFactory(), amount=Decimal("-1")
            ),
            "A contribution must be £0 or more",
        ),
        (
            lambda: OptionFactory.build(appraisal=OptionAppraisalFactory(), min_providers=3, max_providers=2),
            "An option's minimum number of providers cannot be more than its maximum",
        ),
        (
            lambda: OptionFactory.build(
                appraisal=OptionAppraisalFactory(), estimated_annual_cost=Decimal("-1")
            ),
            "An option's estimated annual cost must be £0 or more",
        ),
        (
            lambda: ApprovalRequest(case=CaseFactory()),
            "An approval request is for either an option appraisal or a decision paper: choose one, not both",
        ),
    ],
)
def test_constraint_messages_are_plain_english(make, message):
    with pytest.raises(ValidationError) as caught:
        make().validate_constraints()
    assert caught.value.messages == [message]


def test_admin_approval_request_without_a_subject_refused(admin_client):
    case = CaseFactory()
    data = {"case": str(case.pk), "status": "pending", **management("steps", 0)}
    response = admin_client.post(reverse("admin:commissioning_approvalrequest_add"), data)
    assertContains(response, "An approval request is for either an option appraisal or a decision paper")
    assert ApprovalRequest.objects.count() == 0


def pooled_rows(service, *amounts):
    return [
        {"id": str(row.pk), "service": str(service.pk), **contribution_row(row.commissioner, amount)}
        for row, amount in zip(service.contributions.order_by("pk"), amounts, strict=True)
    ]


@pytest.fixture
def full_pool():
    """A £826,000 pool filled by £600,000 + £226,000."""
    service = ServiceFactory(pooled_budget=Decimal("826000"))
    FundingContributionFactory(service=service, amount=Decimal("600000"))
    FundingContributionFactory(service=service, amount=Decimal("226000"))
    return service


def test_admin_lowers_a_pool_and_its_rows_in_one_save(admin_client, full_pool):
    # 500,000 + 200,000 = 700,000: within the new pool, though the stored rows (826,000) are not.
    rows = pooled_rows(full_pool, "500000", "200000")
    data = service_post(full_pool.commissioner, pooled_budget="700000", rows=rows, initial=2)
    response = admin_client.post(reverse("admin:commissioning_service_change", args=[full_pool.pk]), data)
    assert response.status_code == 302, errors_in(response)
    full_pool.refresh_from_db()
    assert full_pool.pooled_budget == Decimal("700000")
    assert FundingContribution.objects.total() == Decimal("700000")


def test_admin_lowering_a_pool_below_its_unchanged_rows_saves_nothing(admin_client, full_pool):
    rows = pooled_rows(full_pool, "600000", "226000")
    data = service_post(full_pool.commissioner, pooled_budget="700000", rows=rows, initial=2)
    response = admin_client.post(reverse("admin:commissioning_service_change", args=[full_pool.pk]), data)
    # 826,000 / 700,000 = 118.0%
    assertContains(response, "Contributions for 2011-12 would total £826,000, 118% of the £700,000 pool")
    full_pool.refresh_from_db()
    assert full_pool.pooled_budget == Decimal("826000")


def test_admin_without_rights_to_the_rows_cannot_lower_the_pool_below_them(client, full_pool):
    """A staff user with rights to the service but not its rows once saw the rows read-only, and
    the pool was judged against them. The admin is now for superusers only (who have every
    right), so such a user is sent to the admin's sign-in page and nothing changes."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_service", "change_service", "view_fundingcontribution"])
    )
    client.force_login(user)
    data = service_post(full_pool.commissioner, pooled_budget="700000")
    data.update(management("contributions", 2, 2))
    url = reverse("admin:commissioning_service_change", args=[full_pool.pk])
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    full_pool.refresh_from_db()
    assert full_pool.pooled_budget == Decimal("826000")


def test_admin_counts_stored_rows_left_out_of_the_post(admin_client, full_pool):
    """Only the £600,000 row is posted, lowered to £500,000; the £226,000 row still counts:
    £726,000 is over a £700,000 pool (104%)."""
    first = full_pool.contributions.order_by("pk").first()
    rows = [
        {"id": str(first.pk), "service": str(full_pool.pk), **contribution_row(first.commissioner, "500000")}
    ]
    data = service_post(full_pool.commissioner, pooled_budget="700000", rows=rows, initial=1)
    response = admin_client.post(reverse("admin:commissioning_service_change", args=[full_pool.pk]), data)
    assertContains(response, "Contributions for 2011-12 would total £726,000, 104% of the £700,000 pool")
    full_pool.refresh_from_db()
    assert full_pool.pooled_budget == Decimal("826000")


def test_admin_history_revert_cannot_lower_the_pool_below_its_rows(admin_client, full_pool):
    """The history page saves the service without the rows, so the model checks the pool."""
    version = full_pool.history.earliest()
    url = reverse("admin:commissioning_service_simple_history", args=[full_pool.pk, version.history_id])
    response = admin_client.post(url, service_post(full_pool.commissioner, pooled_budget="700000"))
    assert response.status_code == 200
    assertContains(response, "already total £826,000, more than a pool of £700,000")
    full_pool.refresh_from_db()
    assert full_pool.pooled_budget == Decimal("826000")
