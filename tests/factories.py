"""factory_boy factories for the main models.

Amounts are fixed (never random) so a test can state the figure it expects; the defaults
come from the Staffordshire seed (a £340,000 a year contract, a 2 + 1 + 1 + 1 term).
Other helpers import these names: keep them stable.
"""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from commissioning.models import (
    Area,
    BudgetHolder,
    Case,
    FundingContribution,
    Milestone,
    Option,
    OptionAppraisal,
    Organisation,
    Profile,
    Service,
)
from consultations.models import Consultation
from contracts.models import Contract


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Council {n}")
    short_name = factory.Sequence(lambda n: f"C{n}")
    kind = Organisation.Kind.COUNTY_COUNCIL


class BudgetHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetHolder

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Directorate {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"District {n}")
    kind = Area.Kind.DISTRICT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Officer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ProfileFactory(factory.django.DjangoModelFactory):
    """An officer of an organisation (pass role= for an approver, finance or legal)."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Profile.Role.OFFICER
    job_title = "Commissioning Officer"
    initials = "AO"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    commissioner = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Domestic abuse service {n}")
    service_type = Service.Type.OUTREACH
    for_victims = True
    risk_medium = True
    risk_high = True
    pooled_budget = None


class FundingContributionFactory(factory.django.DjangoModelFactory):
    """Nottinghamshire's 2011-12 contribution: £670,450, uplifted 2% to £683,860."""

    class Meta:
        model = FundingContribution

    service = factory.SubFactory(ServiceFactory)
    commissioner = factory.SelfAttribute("service.commissioner")
    financial_year = "2011-12"
    amount = Decimal("670450.00")
    kind = FundingContribution.Kind.CORE
    uplift_percent = None
    uplift_rounding = "ten"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        django_get_or_create = ("reference",)

    reference = factory.Sequence(lambda n: f"case-{n}")
    title = factory.Sequence(lambda n: f"Recommissioning domestic abuse services {n}")
    lead_commissioner = factory.SubFactory(OrganisationFactory)
    stage = Case.Stage.REVIEW
    status = Case.Status.ACTIVE


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    case = factory.SubFactory(CaseFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    body = Milestone.Body.CABINET
    due_on = date(2019, 11, 14)
    precision = Milestone.Precision.DAY


class OptionAppraisalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OptionAppraisal

    case = factory.SubFactory(CaseFactory)
    title = "Options for the future delivery model"
    status = OptionAppraisal.Status.DRAFT


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    appraisal = factory.SubFactory(OptionAppraisalFactory)
    label = factory.Sequence(lambda n: chr(ord("A") + n % 26))
    name = factory.Sequence(lambda n: f"Delivery model {n}")
    min_providers = 1
    max_providers = 1
    estimated_annual_cost = Decimal("340000.00")
    order = factory.Sequence(lambda n: n)


class ContractFactory(factory.django.DjangoModelFactory):
    """A live contract from 1 April 2020 at £340,000 a year, two-year initial term.

    Add extensions with ``ContractTermOption`` rows (1 + 1 + 1 gives Staffordshire's 2 + 1 + 1 + 1).
    """

    class Meta:
        model = Contract
        django_get_or_create = ("reference",)

    reference = factory.Sequence(lambda n: f"contract-{n}")
    title = factory.Sequence(lambda n: f"Domestic abuse support contract {n}")
    lead_commissioner = factory.SubFactory(OrganisationFactory)
    status = Contract.Status.LIVE
    starts_on = date(2020, 4, 1)
    initial_term_months = 24
    annual_value = Decimal("340000.00")
    procurement_route = Contract.Route.OPEN_TENDER


class ConsultationFactory(factory.django.DjangoModelFactory):
    """A twelve-week public consultation (Leicestershire ran one of 12 weeks)."""

    class Meta:
        model = Consultation

    case = factory.SubFactory(CaseFactory)
    title = factory.Sequence(lambda n: f"Public consultation {n}")
    kind = Consultation.Kind.PUBLIC
    starts_on = date(2019, 1, 7)
    ends_on = date(2019, 4, 1)
    minimum_weeks = 12
    response_count = 100
