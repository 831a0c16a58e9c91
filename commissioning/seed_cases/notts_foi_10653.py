"""Seed 004: Nottinghamshire Office of the Police and Crime Commissioner, FOI 10653, November 2013.

The answer to a Freedom of Information request about the medium risk domestic abuse service
allocated to WAIS: received 17 October 2013, answered 6 November 2013, £86,000, a Community Safety
Fund grant until 2016, and why there was no open tender.
"""

from datetime import date

from .helpers import decision_paper, organisation, paper_sections, set_links, text, upsert

REFERENCE = "notts-foi-10653"

RATIONALE = (
    "There was a piece of work to develop a business case for commissioning medium risk services. This "
    "Business Case provides the rationale for the commissioning framework for the provision of services for "
    "Medium Risk Repeat Work being allocated to current specialist domestic abuse support providers. To "
    "ensure repeat victims of medium risk domestic abuse cases meet the outcomes identified in the Police "
    "and Crime Plan, the starting point has been to maintain services and commission further support and "
    "research to assist with improving services for domestic abuse and its impact on individuals."
)


def load(t):
    from commissioning.models import Area, Case

    nopcc = organisation(
        t, "Nottinghamshire Office of the Police and Crime Commissioner", "opcc", "Nottinghamshire OPCC"
    )
    wais = organisation(t, "Women's Aid Integrated Services", "charity", "WAIS")
    city = upsert(t, Area, {"name": "Nottingham City"}, {"kind": "city"})

    service = _service(t, nopcc, wais, city)
    case = upsert(
        t,
        Case,
        {"reference": REFERENCE},
        {
            "title": "Medium risk domestic abuse service (WAIS)",
            "lead_commissioner": nopcc,
            "stage": "live",
            "summary": "WAIS was commissioned to deliver a medium risk service to survivors of domestic "
            "abuse in Nottingham City. A Freedom of Information request (ref 10653) asked how and why.",
        },
    )
    set_links(t, case, "services", [service])
    contract = _contract(t, case, nopcc, wais, service)
    _foi(t, case, nopcc, contract)
    _paper(t, case)
    return case


def _service(t, nopcc, wais, city):
    from commissioning.models import FundingContribution, Service

    service = upsert(
        t,
        Service,
        {"commissioner": nopcc, "name": "Medium risk domestic abuse service"},
        {
            "service_type": "outreach",
            "description": "Protecting, supporting and responding to repeat victims of domestic abuse, "
            "especially medium risk.",
            "risk_medium": True,
        },
    )
    set_links(t, service, "providers", [wais])
    set_links(t, service, "areas", [city])
    upsert(
        t,
        FundingContribution,
        {"service": service, "commissioner": nopcc, "financial_year": "2013-14"},
        {
            "amount": "86000",
            "kind": "grant",
            "grant_ends_on": date(2016, 3, 31),
            "note": 'Community Safety Fund grant. The letter says "until 2016"; taken as the end of the '
            "2015-16 financial year.",
        },
    )
    return service


def _contract(t, case, nopcc, wais, service):
    from contracts.models import Contract

    contract = upsert(
        t,
        Contract,
        {"reference": "nopcc-wais-medium-risk"},
        {
            "title": "Medium risk domestic abuse service (WAIS)",
            "case": case,
            "lead_commissioner": nopcc,
            "status": "live",
            "annual_value": "86000",
            "procurement_route": "grant",
            "route_rationale": RATIONALE,
            "term_note": "Community Safety Fund grant until 2016",
        },
    )
    set_links(t, contract, "providers", [wais])
    set_links(t, contract, "services", [service])
    return contract


QUESTIONS = [
    (
        "How this medium risk service was commissioned to WAIS",
        """
        There was a piece of work to develop a business case for commissioning medium risk services. The aim
        of this business case was to ensure that there is a clear focus on high quality services that fully
        meet the needs of protecting, supporting and responding to repeat victims of medium risk domestic
        abuse as an identified priority of the Police and Crime Plan.
        """,
    ),
    (
        "If the service was not placed out to an open tender/commissioning type processes to other "
        "organisations why WAIS were selected as the preferred provider and what policy you follow to agree "
        "that it didn't need to be placed out to open tender if that was the case.",
        """
        This Business Case provides the rationale for the commissioning framework for the provision of
        services for Medium Risk Repeat Work being allocated to current specialist domestic abuse support
        providers. To ensure repeat victims of medium risk domestic abuse cases meet the outcomes identified
        in the Police and Crime Plan, the starting point has been to maintain services and commission further
        support and research to assist with improving services for domestic abuse and its impact on
        individuals.
        """,
    ),
    (
        "How this fits in with Nottingham City commissioning pathways",
        """
        There has been a piece of work conducted by the Nottingham City Council to review their commissioning
        arrangements of Domestic Violence which has reported options to the Health and Well-being Board, this
        is further supported by the commissioning of a piece of work for the County commissioned services.
        """,
    ),
    (
        "If this is a time limited piece of work if so, for how long",
        "The timescale is a commissioned Community Safety Fund Grant until 2016",
    ),
    ("The value of the contract/commission", "£86,000"),
    (
        "An outline of what the service will deliver",
        """
        There are well established networks of partnerships, strategic and operational groups which direct
        and manage work on domestic abuse. Following engagement with providers, partner agencies and service
        users the Deputy Police and Crime Commissioner for Nottinghamshire has secured £130k for the provision
        of 'protecting, supporting and responding to repeat victims of domestic abuse, especially medium risk'
        for Nottingham and Nottinghamshire. The aim is to provide the services through commissioning and to do
        much more to prevent violence against women and girls happening at all, but a key focus will be on
        reducing repeat victimisation and assisting victims work towards identifying opportunities to
        recovery.

        The issues raised, and the need to secure savings and efficiencies, have led to a decision by the
        Police and Crime Commissioner to prioritise budgets to protecting, supporting and responding to repeat
        victims of domestic abuse, especially medium risk, to include a whole systems approach to commissioned
        services, with an emphasis on re-evaluating the commissioning to improve service delivery across:

        **Protecting**

        - Allocating and protecting commissioned funding until 2016 for specialist local support services,
          and specifically for the funding of Medium Risk Intervention Workers, x1 for the City, x1 for the
          County South and x1 for the County North to ensure victims have access to specialist support.
        - Maintaining high quality services for repeat victims of medium risk domestic abuse.
        - Provide clear and effective risk assessments and referral pathways.
        - Ensure value for money and the efficient use of limited resources.
        - Ensure a robust improvement plan is monitored for implementation.

        **Supporting**

        - Improve service provision to reduce confusion for individuals and partners.
        - Improve co-ordinating of services to meet statutory and professional service provides and partners.
        - Improve information sharing to avoid duplication of support through seamless services to victims
          through to recovery.
        - Streamlining the monitoring of improvement outcomes.

        **Responding**

        - Reducing time and costs of commissioning and procurement processes and streamlining of service
          delivery being victims focused.
        - Preventing and reducing risk, repeats of x4 or more incidents.
        - Focusing on increasing safety of victims whilst challenging and holding perpetrators to account.
        - Getting the balance right between investment dealing with repeats and prevention and early
          intervention.

        Key issues for consideration for commissioning have been:

        - Information Sharing Protocols in place between the Force, NWA, and WAIS to have access to Police
          Stations and relevant information regarding domestic violence survivors.
        - Have been commissioned through tender processes to supply IDVA's for MARACS and Specialist Domestic
          Violence Courts. This is important as risk constantly changes and information can be shared within
          the organisation and avoid duplication of support.
        - Organisations have data systems, so that names can be checked on the histories reviewed and service
          users have continuity of support staff.
        - Current service providers already have contracts for Medium Risk work in Priority Plus Areas in the
          County. Sharing of information means continuity of support staff for survivors and avoidance of
          duplication.
        - Relationship with DART in the City (for City Work).
        """,
    ),
    (
        "Previously a question has been sent to you under the FOI process, that also related to domestic "
        "abuse services commissioned. This has not been placed on your website for general viewing as other "
        "FOI's are, could you offer an explanation as to why. Also the person making the FOI request was "
        "advised to contact the Crime and Drugs partnership for information on what had been commissioned. "
        'The Crime and Drugs partnership do not have to share information as they "are a statutory crime '
        'agency" when asked about FOI, so this seems to conflict with the information you have provided.',
        """
        You refer in your correspondence to an FOI related to domestic abuse services commissioned. I have
        reviewed our FOI responses and by process of elimination have assumed you are referring to FOI
        reference 7617/13. There was a delay in initially publishing the information due to annual leave
        commitments however this information is now on our website.

        The Crime and Drugs Partnership do respond to FOI requests. If you have evidence that this is not the
        case, then you should use the City Council's Have Your Say service to raise any concerns you have in
        this regard. Further information can be found at: https://secure.nottinghamcity.gov.uk/haveyoursay/

        If FOI reference 7617/13 is not the request you are referring to, I would be most grateful if you
        could provide further details to enable me to make further enquiries.
        """,
    ),
    (
        "Can you please explain why there appears to be a lack of willingness to share information regarding "
        "the commissioning processes from yourselves to the CDP in terms of being able to identify what "
        "domestic abuse services exactly have been commissioned and how in the City?",
        """
        We are happy to share information about our commissioning processes. For this financial year, the
        Nottinghamshire Office of the Police and Crime Commissioner agreed to fund the CDP based on their
        existing commitments. We have just opened a dialogue with the CDP about next year's priorities.
        """,
    ),
]


def _foi(t, case, nopcc, contract):
    from contracts.models import FOIQuestion, FOIRequest

    request = upsert(
        t,
        FOIRequest,
        {"authority": nopcc, "reference": "10653"},
        {
            "case": case,
            "subject": "Medium risk domestic abuse service commissioned from WAIS in Nottingham City",
            "received_on": date(2013, 10, 17),
            "answered_on": date(2013, 11, 6),
            "answered_by": "Lisa Pearson, Office Manager",
            "status": "answered",
        },
    )
    set_links(t, request, "contracts", [contract])
    for order, (question, answer) in enumerate(QUESTIONS, start=1):
        upsert(
            t,
            FOIQuestion,
            {"request": request, "order": order},
            {"question": question, "answer": text(answer)},
        )


def _paper(t, case):
    paper = decision_paper(
        t,
        case,
        title="Request under the Freedom of Information Act 2000 (FOIA)",
        paper_type="foi-response",
        # The letter's date: an FOI answer goes to no meeting.
        meeting_date=date(2013, 11, 6),
        signed_by="Lisa Pearson, Office Manager",
        reference="10653",
    )
    paper_sections(
        t,
        paper,
        {
            "request": """
                I am aware that you recently commissioned WAIS to deliver a medium risk service to survivors
                of domestic abuse in Nottingham City.
            """,
            "response": """
                Under S 1 (1) (a) of the Freedom of Information Act 2000 (FOIA), I can confirm that the
                Nottinghamshire Office of the Police and Crime Commissioner does hold the information you have
                requested.
            """,
            "closing": """
                I would like to take this opportunity to thank you for your interest in the Nottinghamshire
                Office of the Police and Crime Commissioner. Should you have any further enquiries concerning
                this matter, please write or contact the Freedom of Information Officer on telephone number
                101 Ext 801 2008 or e-mail nopcc@nottinghamshire.pnn.police.uk
            """,
        },
    )
    return paper
