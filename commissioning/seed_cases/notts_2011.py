"""Seed 000: Nottinghamshire County Council, Cabinet, October 2011.

Commissioning domestic violence reduction services: five current services by budget holder
with partner funding, a public consultation (19 responses, two events), options A to D, and
Option B (North and South) recommended over C.
"""

from datetime import date

from .helpers import (
    area,
    budget_holder,
    contacts,
    decision_paper,
    documents,
    milestones,
    organisation,
    paper_sections,
    set_links,
    upsert,
)

REFERENCE = "notts-2011"
YEAR = "2011-12"

NORTH = ("Mansfield", "Bassetlaw", "Newark and Sherwood")
SOUTH = ("Ashfield", "Broxtowe", "Gedling", "Rushcliffe")

# (name, service type, budget holder, NCC amount, delivering organisations, partner funding)
# Partner funding: (commissioner name, funder description as the paper words it, amount).
SERVICES = [
    ("4 Women's Refuges run by 4 organisations", "refuge", "Adult Social Care and Health", "361658", 4, None),
    (
        "Women's Outreach and Supported Housing delivered by 4 organisations",
        "outreach",
        "Adult Social Care and Health",
        "363268",
        4,
        None,
    ),
    (
        "Children's outreach and support delivered by 5 organisations",
        "children",
        "Children, Families & Cultural Services",
        "53000",
        5,
        ("Nottinghamshire PCT", "", "36000"),
    ),
    (
        "Domestic Abuse Link Workers in Children's Social Care seconded by 3 organisations",
        "link_worker",
        "Children, Families & Cultural Services",
        "75000",
        3,
        None,
    ),
    (
        "MARACs for High Risk victims delivered by 2 organisations",
        "marac",
        "Community Safety",
        "120000",
        2,
        ("Safer Nottinghamshire Board", "Safer Nottinghamshire Board Partners and the Home Office", "155500"),
    ),
]


def load(t):
    from commissioning.models import Case

    ncc = organisation(t, "Nottinghamshire County Council", "county_council", "NCC")
    partners = {
        "Nottinghamshire PCT": organisation(t, "Nottinghamshire PCT", "health_body", "PCT"),
        "Safer Nottinghamshire Board": organisation(t, "Safer Nottinghamshire Board", "partnership"),
        "Home Office": organisation(t, "Home Office", "government_department"),
    }
    holders = {
        name: budget_holder(t, ncc, name)
        for name in (
            "Adult Social Care and Health",
            "Children, Families & Cultural Services",
            "Community Safety",
        )
    }
    districts = {name: area(t, name, "district") for name in NORTH + SOUTH}
    area(t, "North Nottinghamshire", "locality", [districts[d] for d in NORTH])
    area(t, "South Nottinghamshire", "locality", [districts[d] for d in SOUTH])

    services = [_service(t, ncc, holders, partners, *row) for row in SERVICES]

    case = upsert(
        t,
        Case,
        {"reference": REFERENCE},
        {
            "title": "Commissioning domestic violence reduction services",
            "lead_commissioner": ncc,
            "stage": "decision",
            "summary": "To seek Cabinet approval for new commissioning arrangements for domestic violence "
            "reduction services.",
        },
    )
    set_links(t, case, "partners", partners.values())
    set_links(t, case, "services", services)

    appraisal, options = _options(t, case, districts)
    _consultation(t, case, options)
    _contracts(t, case, ncc, districts)
    milestones(
        t,
        case,
        [
            (
                "Cabinet approves an eight week public consultation",
                "cabinet",
                date(2011, 7, 27),
                "day",
                date(2011, 7, 27),
                "",
            )
        ],
    )
    contacts(
        t,
        case,
        [
            ("Ann Marie Hawkins", "", "Group Manager, Localism & Partnerships", "0115 9772460", ""),
            ("Rachel Adams", "", "Community Safety Officer (Domestic Abuse)", "0115 9772015", ""),
        ],
    )
    documents(
        t,
        case,
        "background",
        [
            ("", "Equality Impact Assessment (on Domestic Violence Commissioning) July 2011", ""),
            ("", "Domestic Violence Services Joint Commissioning Consultation (Options Paper) July 2011", ""),
            ("", "27 July Cabinet Report: Domestic Violence Commissioning", ""),
            ("", "Summary of feedback from partners and service users October 2011", ""),
            ("", "Individual Agencies Responses File", ""),
        ],
    )
    paper = _paper(t, case)
    _comments(t, case, paper)
    return case


def _service(t, ncc, holders, partners, name, service_type, holder, amount, delivered_by, partner):
    from commissioning.models import FundingContribution, Service

    service = upsert(
        t,
        Service,
        {"commissioner": ncc, "name": name},
        {
            "service_type": service_type,
            "delivering_organisations": delivered_by,
            "for_children": service_type == "children",
            "risk_high": service_type == "marac",
        },
    )
    upsert(
        t,
        FundingContribution,
        {"service": service, "commissioner": ncc, "financial_year": YEAR},
        {"budget_holder": holders[holder], "amount": amount},
    )
    if partner:
        commissioner, described_as, partner_amount = partner
        upsert(
            t,
            FundingContribution,
            {"service": service, "commissioner": partners[commissioner], "financial_year": YEAR},
            {"funder_description": described_as, "amount": partner_amount},
        )
    return service


def _options(t, case, districts):
    from commissioning.models import Option, OptionAppraisal, OptionLot

    appraisal = upsert(
        t,
        OptionAppraisal,
        {
            "case": case,
            "title": "Options for the future commissioning of domestic violence reduction services",
        },
    )
    # (label, name, min, max, lots: (lot name, districts)), as the paper lists them (paras 5 and 6).
    rows = [
        ("A", "Single County model", 1, 1, []),
        (
            "B",
            "North and South model",
            1,
            2,
            [("North Nottinghamshire", NORTH), ("South Nottinghamshire", SOUTH)],
        ),
        (
            "C",
            "Three Area model",
            1,
            3,
            [
                ("North Nottinghamshire", ("Bassetlaw", "Newark and Sherwood")),
                ("West Nottinghamshire", ("Mansfield", "Ashfield")),
                ("South Nottinghamshire", ("Broxtowe", "Gedling", "Rushcliffe")),
            ],
        ),
        ("D", "Four Area model", 1, 4, []),
    ]
    not_chosen = {
        "C": "There was considerable support for Option C and the merits of this have been fully "
        "investigated. A common response from those who favoured this option was the need to ensure that "
        "services are embedded in local communities. This will also be built into the commissioning "
        "requirements."
    }
    options = {}
    for order, (label, name, low, high, lots) in enumerate(rows, start=1):
        option = upsert(
            t,
            Option,
            {"appraisal": appraisal, "parent": None, "label": label},
            {
                "name": name,
                "min_providers": low,
                "max_providers": high,
                "order": order,
                "reason_not_chosen": not_chosen.get(label, ""),
            },
        )
        for lot_order, (lot_name, lot_districts) in enumerate(lots, start=1):
            lot = upsert(t, OptionLot, {"option": option, "name": lot_name}, {"order": lot_order})
            set_links(t, lot, "areas", [districts[d] for d in lot_districts])
        options[label] = option

    reasons = [
        "It aligns services directly with MARAC geographical boundaries. This means that victims who: are at "
        "the most risk of serious harm; need refuge provision; require ongoing support in the community and "
        "support for their children will be able to access these from a single organisation.",
        "It offers greater potential for efficiency savings in relation to back office functions, management "
        "costs, contract management and monitoring.",
        "It offers greater potential for more efficient and effective ways of working between statutory "
        "agencies (such as Children's Services and the Police) and domestic violence service providers.",
    ]
    upsert(
        t,
        OptionAppraisal,
        {"pk": appraisal.pk},
        {"recommended_option": options["B"], "recommendation_reasons": "\n\n".join(reasons)},
    )
    return appraisal, options


def _consultation(t, case, options):
    from consultations.models import Consultation, ConsultationEvent, OptionPreference

    consultation = upsert(
        t,
        Consultation,
        {
            "case": case,
            "title": "Public consultation on the future commissioning of domestic violence services",
        },
        {
            "kind": "public",
            "minimum_weeks": 8,
            "response_count": 19,
            "impact_assessment": "Equality Impact Assessment (on Domestic Violence Commissioning) July 2011",
            "summary": "Service users emphasised that services must be easily accessible, secure and "
            "reliable. The feedback received will inform the commissioning process.",
        },
    )
    # The paper says two events were held "with partner organisations, existing service providers
    # and service users", without saying which audience came to which.
    for number in (1, 2):
        upsert(
            t,
            ConsultationEvent,
            {"consultation": consultation, "title": f"Consultation event {number} of 2"},
            {"audience": "partner organisations, existing service providers and service users"},
        )
    notes = {
        "B": "Feedback from the consultation indicated preferences for Options B and C.",
        "C": "There was considerable support for Option C.",
    }
    for label, note in notes.items():
        # No counts: the paper gives preferences, not numbers.
        upsert(
            t,
            OptionPreference,
            {"consultation": consultation, "option": options[label]},
            {"respondents": None, "note": note},
        )


def _contracts(t, case, ncc, districts):
    from contracts.models import Contract, Lot

    for key, name, lot_districts in (
        ("north", "North Nottinghamshire", NORTH),
        ("south", "South Nottinghamshire", SOUTH),
    ):
        contract = upsert(
            t,
            Contract,
            {"reference": f"notts-dv-{key}"},
            {
                "title": f"{name} domestic violence reduction services",
                "case": case,
                "lead_commissioner": ncc,
                "status": "planned",
            },
        )
        lot = upsert(t, Lot, {"contract": contract, "name": name})
        set_links(t, lot, "areas", [districts[d] for d in lot_districts])


def _paper(t, case):
    paper = decision_paper(
        t,
        case,
        title="Commissioning Domestic Violence Reduction Services",
        paper_type="cabinet-report",
        meeting="Cabinet",
        # The paper does not give the date of the meeting it went to.
        meeting_date=None,
        report_of="Report of the Cabinet Member for Community Safety",
        signed_by="Councillor Mick Murphy, Community Safety Portfolio Holder",
        electoral_divisions="All Nottinghamshire Divisions",
    )
    paper_sections(
        t,
        paper,
        {
            "purpose": """
                The purpose of the report is to seek Cabinet approval for new commissioning arrangements
                for domestic violence reduction services.
            """,
            "recommendations": """
                1. The future commissioning of domestic violence reduction services by Nottinghamshire
                   County Council is organised into a single commissioning process and divided into two
                   contracts: a North Nottinghamshire contract for services in Mansfield, Bassetlaw, Newark
                   and Sherwood and a South Nottinghamshire contract for services in Ashfield, Broxtowe,
                   Gedling and Rushcliffe.
                2. The new joint commissioning process for County Council and partnership funded domestic
                   violence reduction services will take place over the next six months led by
                   Nottinghamshire County Council.
            """,
            # The three reasons themselves come from the appraisal's recommendation reasons.
            "reasons": """
                The consultation revealed close support for Options B and C and it is clear that both
                have merits. However, after considering the advantages and disadvantages of both options
                and the feedback from the consultation, Option B is recommended.

                MARAC: Multi Agency Risk Assessment Conferences (which provide targeted support for those
                victims who are assessed at being at the most risk of serious violence).
            """,
            "policy_framework": """
                On 27 July 2011 the Cabinet gave approval for an eight week public consultation on the
                future commissioning of domestic violence reduction services.
            """,
            "current_services": """
                Cabinet noted that currently the Council commissions the following domestic violence
                reduction services under separate arrangements, either solely or in partnership.
            """,
            "consultation": "The consultation has now been completed.",
            "options": """
                Four options for future commissioning were proposed with advantages and disadvantages
                outlined for each option.
            """,
            "legal_implications": """
                This report has been compiled after consideration of implications in respect of finance,
                equal opportunities, human resources, crime and disorder, human rights, the safeguarding of
                children, sustainability and the environment and those using the service and where such
                implications are material they are described below. Appropriate consultation has been
                undertaken and advice sought on these issues as required.
            """,
            "equalities": """
                An Equality Impact Assessment was included with the consultation to ensure that the needs
                of all potential victims of domestic violence were taken into consideration.
            """,
            "background_papers": """
                Except for previously published documents, which will be available elsewhere, the
                documents listed here will be available for inspection in accordance with Section 100D of
                the Local Government Act 1972.
            """,
        },
    )
    return paper


def _comments(t, case, paper):
    from commissioning.models import ApprovalRequest, ApprovalStep

    # Status is left to the workflow (pending when created), so a re-run never undoes a decision.
    request = upsert(t, ApprovalRequest, {"case": case, "paper": paper})
    steps = [
        (
            "legal",
            "Constitutional Comments",
            "SHB",
            date(2011, 10, 13),
            "Cabinet has authority to consider the matters set out in this report by virtue of the "
            "Delegation to Cabinet set out in Part 3 of the Council's Constitution.",
        ),
        (
            "finance",
            "Financial Comments",
            "DD",
            date(2011, 10, 17),
            "As identified within this report, adequate budget provisions exist to fund this proposal. Any "
            "savings accruing from adoption of this proposal will be a future benefit to the authority.",
        ),
    ]
    for kind, heading, initials, decided_on, comment in steps:
        upsert(
            t,
            ApprovalStep,
            {"request": request, "kind": kind},
            {
                "order": 1,
                "heading": heading,
                "initials": initials,
                "decided_on": decided_on,
                "decision": "commented",
                "comment": comment,
            },
        )
    # The paper is before Cabinet: its decision is the step still waiting.
    upsert(t, ApprovalStep, {"request": request, "kind": "decision"}, {"order": 2, "heading": "Decision"})
