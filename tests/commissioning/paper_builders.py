"""A small Nottinghamshire-like case (seed 000's figures) for the paper tests, built with factories.

The seed loader gives the real five cases; this builder gives a case whose size a test can
choose (1 or 50 services) without depending on the loader.
"""

from datetime import date
from decimal import Decimal

from commissioning.models import (
    ApprovalRequest,
    ApprovalStep,
    Area,
    BudgetHolder,
    CaseContact,
    CaseDocument,
    DecisionPaper,
    OptionLot,
    PaperSection,
    PaperType,
)
from commissioning.paper_types import ensure_default_paper_types
from consultations.models import ConsultationEvent, OptionPreference
from tests.factories import (
    CaseFactory,
    ConsultationFactory,
    FundingContributionFactory,
    OptionAppraisalFactory,
    OptionFactory,
    OrganisationFactory,
    ServiceFactory,
)

# Seed 000's table: (service, budget holder, 2011-12 amount, partner, partner amount).
NOTTS_SERVICES = [
    ("4 Women's Refuges run by 4 organisations", "Adult Social Care and Health", "361658", None, None),
    (
        "Women's Outreach and Supported Housing delivered by 4 organisations",
        "Adult Social Care and Health",
        "363268",
        None,
        None,
    ),
    (
        "Children's outreach and support delivered by 5 organisations",
        "Children, Families & Cultural Services",
        "53000",
        "Nottinghamshire PCT",
        "36000",
    ),
    (
        "Domestic Abuse Link Workers in Children's Social Care seconded by 3 organisations",
        "Children, Families & Cultural Services",
        "75000",
        None,
        None,
    ),
    (
        "MARACs for High Risk victims delivered by 2 organisations",
        "Community Safety",
        "120000",
        "Safer Nottinghamshire Board",
        "155500",
    ),
]

NARRATIVE = {
    "purpose": "The purpose of the report is to seek Cabinet approval for new commissioning arrangements.",
    "recommendations": (
        "1. The future commissioning is divided into two contracts.\n2. The process is led by the Council."
    ),
    "legal_implications": "Cabinet has authority to consider the matters set out in this report.",
    "equalities": "An Equality Impact Assessment was included with the consultation.",
}


def build_case(*, services: int = 5, reference: str = "notts-like", with_texts: bool = True):
    """A case with ``services`` services (the five of seed 000 first, then numbered extras)."""
    ensure_default_paper_types()
    ncc = OrganisationFactory(name="Nottinghamshire County Council", short_name="NCC")
    case = CaseFactory(
        reference=reference, title="Commissioning domestic violence reduction services", lead_commissioner=ncc
    )
    holders = {}
    for index in range(services):
        if index < len(NOTTS_SERVICES):
            name, holder, amount, partner, partner_amount = NOTTS_SERVICES[index]
        else:
            name, holder, amount, partner, partner_amount = (
                f"Extra service {index:03d}",
                "Community Safety",
                "1000",
                "Nottinghamshire PCT",
                "500",
            )
        if holder not in holders:
            holders[holder] = BudgetHolder.objects.get_or_create(organisation=ncc, name=holder)[0]
        service = ServiceFactory(commissioner=ncc, name=name)
        FundingContributionFactory(
            service=service, commissioner=ncc, budget_holder=holders[holder], amount=Decimal(amount)
        )
        if partner:
            FundingContributionFactory(
                service=service,
                commissioner=OrganisationFactory(name=partner, kind="health_body"),
                amount=Decimal(partner_amount),
            )
        case.services.add(service)

    appraisal = OptionAppraisalFactory(
        case=case, recommendation_reasons="It aligns with MARAC boundaries.\n\nIt saves money."
    )
    a = OptionFactory(
        appraisal=appraisal, label="A", name="Single County model", min_providers=1, max_providers=1
    )
    b = OptionFactory(
        appraisal=appraisal, label="B", name="North and South model", min_providers=1, max_providers=2
    )
    c = OptionFactory(
        appraisal=appraisal,
        label="C",
        name="Three Area model",
        min_providers=1,
        max_providers=3,
        reason_not_chosen="There was considerable support for Option C.",
    )
    OptionFactory(appraisal=appraisal, label="D", name="Four Area model", min_providers=1, max_providers=4)
    for option in (a, b, c):
        option.estimated_annual_cost = None
        option.save()
    north = OptionLot.objects.create(option=b, name="North Nottinghamshire")
    north.areas.set(
        [Area.objects.get_or_create(name=n, kind="district")[0] for n in ("Mansfield", "Bassetlaw")]
    )
    appraisal.recommended_option = b
    appraisal.save()

    consultation = ConsultationFactory(
        case=case,
        title="Public consultation",
        response_count=19,
        starts_on=None,
        ends_on=None,
        minimum_weeks=8,
    )
    ConsultationEvent.objects.create(
        consultation=consultation, title="Partners event", audience="partner organisations"
    )
    ConsultationEvent.objects.create(
        consultation=consultation, title="Providers event", audience="service users"
    )
    OptionPreference.objects.create(consultation=consultation, option=b)
    OptionPreference.objects.create(consultation=consultation, option=c)

    CaseContact.objects.create(
        case=case, name="Ann Marie Hawkins", job_title="Group Manager", phone="0115 9772460"
    )
    CaseDocument.objects.create(case=case, kind="background", title="Equality Impact Assessment July 2011")

    paper = DecisionPaper.objects.create(
        case=case,
        paper_type=PaperType.objects.get(slug="cabinet-report"),
        title="Commissioning domestic violence reduction services",
        meeting="Cabinet",
        report_of="Report of the Cabinet Member for Community Safety",
        signed_by="Councillor Mick Murphy",
        electoral_divisions="All Nottinghamshire Divisions.",
    )
    if with_texts:
        for key, body in NARRATIVE.items():
            PaperSection.objects.create(paper=paper, key=key, body=body)
    return case, paper


def record_approvals(paper, *, kinds=("legal", "finance", "decision")):
    """An approval request on the paper with the given steps decided (seed 000's initials)."""
    request = ApprovalRequest.objects.create(case=paper.case, paper=paper, status="pending")
    signatures = {
        "legal": ("Constitutional Comments", "SHB", date(2011, 10, 13), "commented"),
        "finance": ("Financial Comments", "DD", date(2011, 10, 17), "commented"),
        "decision": ("Decision", "MM", date(2011, 10, 20), "approved"),
    }
    for kind, (heading, initials, day, decision) in signatures.items():
        decided = kind in kinds
        ApprovalStep.objects.create(
            request=request,
            kind=kind,
            heading=heading,
            initials=initials if decided else "",
            decided_on=day if decided else None,
            decision=decision if decided else "",
            comment=f"{heading} text." if decided else "",
        )
    return request
