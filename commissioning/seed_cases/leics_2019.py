"""Seed 002: Leicestershire County Council, Cabinet, 8 February 2019.

Recommissioning domestic abuse and sexual violence services across Leicester, Leicestershire and
Rutland: the £826,000 UAVA contract (the County's £231,300 is 28%), the County's other contracts,
proposals (a) to (f) with sub-options, and a 12-week public consultation.
"""

from datetime import date

from .helpers import (
    area,
    budget_holder,
    contacts,
    decision_paper,
    documents,
    milestones,
    month,
    organisation,
    paper_sections,
    set_links,
    upsert,
)

REFERENCE = "leics-2019"


def load(t):
    from commissioning.models import Case

    county = organisation(t, "Leicestershire County Council", "county_council")
    city = organisation(t, "Leicester City Council", "city_council")
    rutland = organisation(t, "Rutland County Council", "unitary_council")
    opcc = organisation(
        t, "Leicestershire Office of the Police and Crime Commissioner", "opcc", "Leicestershire OPCC"
    )
    members = [
        organisation(t, name, "charity")
        for name in ("Living Without Abuse", "FreeVa", "Women's Aid Leicestershire")
    ]
    uava = organisation(t, "United Against Violence and Abuse", "consortium", "UAVA")
    set_links(t, uava, "members", members)
    holders = {
        name: budget_holder(t, county, name) for name in ("Children and Family Services", "Public Health")
    }

    leicestershire = area(t, "Leicestershire", "county")
    llr = area(
        t,
        "Leicester, Leicestershire and Rutland",
        "sub_region",
        [leicestershire, area(t, "Leicester", "city"), area(t, "Rutland", "county")],
    )

    services = _services(t, county, city, holders, uava, llr, leicestershire)
    case = upsert(
        t,
        Case,
        {"reference": REFERENCE},
        {
            "title": "Recommissioning of domestic abuse and sexual violence services",
            "lead_commissioner": county,
            "stage": "consultation",
            "summary": "To outline the recommissioning work undertaken to date for the future provision of "
            "domestic abuse and sexual violence (DASV) services and to seek approval to consult on a "
            "proposed structure for domestic abuse and sexual violence services to be commissioned across "
            "Leicestershire, Leicester and Rutland (LLR).",
        },
    )
    set_links(t, case, "partners", [city, rutland, opcc])
    set_links(t, case, "services", services.values())

    _contracts(t, case, county, city, [county, rutland, opcc], uava, services)
    _options(t, case)
    _consultations(t, case)
    milestones(
        t,
        case,
        [
            ("Cabinet: approval to consult", "cabinet", date(2019, 2, 8), "day", None, ""),
            (
                "Leicester City Council and Rutland Council: approval to consult",
                "",
                month(2019, 2),
                "month",
                None,
                "",
            ),
            (
                "Scrutiny Commission considers the proposed new model",
                "scrutiny",
                date(2019, 3, 6),
                "day",
                None,
                "As part of the consultation process",
            ),
            (
                "Cabinet: consultation outcome and final service model",
                "cabinet",
                month(2019, 9),
                "month",
                None,
                "",
            ),
            ("Current contract ends", "", date(2020, 3, 31), "day", None, ""),
            ("New contract in place", "", date(2020, 4, 1), "day", None, ""),
        ],
    )
    contacts(
        t,
        case,
        [
            (
                "Jane Moore",
                "",
                "Director of Children and Family Services",
                "0116 305 2649",
                "Jane.Moore@leics.gov.uk",
            ),
            (
                "Gurjit Samra-Rai",
                "",
                "Community Safety Manager, Children and Family Services",
                "0116 305 6056",
                "Gurjit.Samra-Rai@leics.gov.uk",
            ),
            (
                "Joshna Mavji",
                "",
                "Consultant in Public Health, Public Health",
                "0116 305 0113",
                "Joshna.Mavji@leics.gov.uk",
            ),
        ],
    )
    documents(
        t,
        case,
        "background",
        [
            (
                "",
                "Sexual and Domestic Violence and Abuse Needs Assessment for Leicestershire, Leicester and "
                "Rutland (2017)",
                "http://lrsb.org.uk/lr-dasv-strategic-docs",
            ),
            (
                "",
                "Leicester, Leicestershire and Rutland Domestic and Sexual Violence and Abuse Strategy "
                "(2018-2021)",
                "http://lrsb.org.uk/lr-dasv-strategic-docs",
            ),
        ],
    )
    _paper(t, case)
    return case


def _services(t, county, city, holders, uava, llr, leicestershire):
    from commissioning.models import FundingContribution, Service

    main = upsert(
        t,
        Service,
        {"commissioner": city, "name": "Domestic abuse and sexual violence service"},
        {
            "service_type": "integrated",
            "description": "Support to victims of domestic abuse and sexual violence over the age of 13: a "
            "telephone helpline for professionals and the public; individual and group support for high risk "
            "and medium risk victims; therapeutic interventions, or counselling; awareness raising, training "
            "and education for professionals and the public.",
            "minimum_age": 13,
            "risk_medium": True,
            "risk_high": True,
            "pooled_budget": "826000",
        },
    )
    set_links(t, main, "providers", [uava])
    set_links(t, main, "areas", [llr])
    upsert(
        t,
        FundingContribution,
        {"service": main, "commissioner": county, "financial_year": "2018-19"},
        {"budget_holder": holders["Children and Family Services"], "amount": "231300", "kind": "core"},
    )

    family = upsert(
        t,
        Service,
        {"commissioner": county, "name": "Domestic Abuse Family Recovery Service"},
        {
            "service_type": "children",
            "description": "Works with children and young people and their families to reduce the harmful "
            "impact of domestic abuse and sexual violence upon the child.",
            "for_children": True,
        },
    )
    safe_places = upsert(
        t,
        Service,
        {"commissioner": county, "name": "Safe Places and Support for Domestic Abuse Service"},
        {
            "service_type": "refuge",
            "description": "Tailored support for female victims of domestic abuse within a refuge setting, "
            "within two refuges in Leicestershire.",
        },
    )
    upsert(
        t,
        FundingContribution,
        {"service": safe_places, "commissioner": county, "financial_year": "2018-19"},
        {
            "budget_holder": holders["Public Health"],
            "amount": "115263",
            "kind": "core",
            "note": "The County Council's Public Health service allocates £115,263 per annum.",
        },
    )
    perpetrators = upsert(
        t,
        Service,
        {"commissioner": county, "name": "Perpetrator Programme"},
        {
            "service_type": "perpetrator",
            "description": "A voluntary programme working with perpetrators of domestic abuse in order to "
            "address their abusive behaviour; the programme also worked with young people who are "
            "perpetrating child on parent abuse.",
            "for_victims": False,
            "for_perpetrators": True,
        },
    )
    for service in (family, safe_places, perpetrators):
        set_links(t, service, "areas", [leicestershire])
    return {"main": main, "family": family, "safe_places": safe_places, "perpetrators": perpetrators}


def _contracts(t, case, county, city, partners, uava, services):
    from contracts.models import Contract, ContractTermOption

    # (reference, title, lead, service key, start, end, annual value, route, term note)
    rows = [
        (
            "leics-dasv-2015",
            "Domestic abuse and sexual violence service (LLR)",
            city,
            "main",
            date(2015, 12, 1),
            date(2020, 3, 31),
            "826000",
            "",
            "Leicester City Council manages the contract on behalf of all the commissioners.",
        ),
        (
            "leics-family-recovery-2018",
            "Domestic Abuse Family Recovery Service",
            county,
            "family",
            date(2018, 10, 1),
            date(2019, 9, 30),
            "40000",
            "",
            "",
        ),
        (
            "leics-safe-places-2015",
            "Safe Places and Support for Domestic Abuse Service",
            county,
            "safe_places",
            date(2015, 10, 1),
            date(2019, 9, 30),
            "115263",
            "",
            "With an option to extend up to 30 September 2020.",
        ),
        (
            "leics-perpetrator-programme",
            "Perpetrator Programme",
            county,
            "perpetrators",
            None,
            None,
            "10000",
            "spot_purchase",
            "£10,000 enabled the spot purchase of limited places on the programmes; "
            "the paper gives no period.",
        ),
    ]
    contracts = {}
    for reference, title, lead, key, starts, ends, value, route, note in rows:
        contract = upsert(
            t,
            Contract,
            {"reference": reference},
            {
                "title": title,
                "case": case,
                "lead_commissioner": lead,
                "status": "live",
                "starts_on": starts,
                "ends_on": ends,
                "annual_value": value,
                "procurement_route": route,
                "term_note": note,
            },
        )
        set_links(t, contract, "services", [services[key]])
        contracts[key] = contract
    set_links(t, contracts["main"], "commissioners", partners)
    set_links(t, contracts["main"], "providers", [uava])
    upsert(
        t,
        ContractTermOption,
        {"contract": contracts["safe_places"], "order": 1},
        {"kind": "extension", "months": 12, "note": "Option to extend up to 30 September 2020"},
    )
    return contracts


# Proposals (para 26): (label, name, description, sub-options as (label, name, description)).
PROPOSALS = [
    (
        "(a)",
        "Delivery options for the telephone helpline (first point of contact)",
        "",
        [
            (
                "i",
                "Maintain a specialist domestic abuse and sexual violence helpline across the sub-region.",
                "",
            ),
            (
                "ii",
                "Make changes to the existing generic victim helpline contract so it can be used as the "
                "first point of contact for sexual and domestic violence specialist provision.",
                "This would mean having a non-specialist helpline, but having specialists within a generic "
                "victim helpline.",
            ),
        ],
    ),
    (
        "(b)",
        "High, medium, and low risk levels grouped together into a single service",
        "High, medium, and low risk levels have been grouped together into a single service. This leaves a "
        "number of options as to how this service is shaped.",
        [
            (
                "i",
                "Only high risk cases to be managed within this service due to high levels of demand and "
                "limited funding.",
                "",
            ),
            (
                "ii",
                "A single worker in the service who has a mixed case load in terms of levels of risk.",
                "",
            ),
            (
                "iii",
                "Independent Domestic Violence Advocates (IDVAs) primarily or exclusively supporting high "
                "risk victims.",
                "",
            ),
            (
                "iv",
                "A wider group of workers supporting high risk victims as long as they have the right skills "
                "and experience.",
                "",
            ),
        ],
    ),
    (
        "(c)",
        "Domestic abuse support for children and young people delivered as part of the County Council's "
        "wider Children's Services",
        "The current service supports victims of domestic abuse and sexual violence who are 13 years of age "
        "and older. The County Council proposes that domestic abuse support for children and young people is "
        "delivered as part of its wider Children's Services, with staff who have specialist training.",
        [],
    ),
    (
        "(d)",
        "Delivery options for coordinating support and care",
        "In the current service victims often find that they have to repeat their story to different support "
        "workers in various support services through their journey.",
        [
            (
                "i",
                "There is a lead professional who works across all levels of risk and supports victims "
                "throughout their journey as the victim's only specialist worker (excluding counselling).",
                "",
            ),
            (
                "ii",
                "A worker is assigned at first contact providing navigation to enable victims to access "
                "different specialists in a more streamlined manner.",
                "",
            ),
        ],
    ),
    (
        "(e)",
        "Co-location of staff within the locality",
        "Currently specialist workers are based in the City and travel to visit service users.",
        [
            (
                "i",
                "Local hubs where domestic abuse and sexual violence specialists co-locate with other local "
                "workers such as housing offices, children's centres and health centres.",
                "",
            ),
            ("ii", "Where people would like to see services based.", ""),
        ],
    ),
    (
        "(f)",
        "Combining the refuge and community services",
        "Historically, the refuge provision has always been commissioned separately, leading to victims in "
        "the refuge receiving a separate service to those in the community. Consideration is being given to "
        "combining these services, offering one service to a victim irrespective of where they reside and "
        "potentially sharing demand within the one service.",
        [],
    ),
]


def _options(t, case):
    from commissioning.models import Option, OptionAppraisal

    appraisal = upsert(t, OptionAppraisal, {"case": case, "title": "Key proposals for consultation"})
    for order, (label, name, description, subs) in enumerate(PROPOSALS, start=1):
        parent = upsert(
            t,
            Option,
            {"appraisal": appraisal, "parent": None, "label": label},
            {"name": name, "description": description, "order": order},
        )
        for sub_order, (sub_label, sub_name, sub_description) in enumerate(subs, start=1):
            upsert(
                t,
                Option,
                {"appraisal": appraisal, "parent": parent, "label": sub_label},
                {"name": sub_name, "description": sub_description, "order": sub_order},
            )


def _consultations(t, case):
    from consultations.models import Consultation, ConsultationEvent

    public = upsert(
        t,
        Consultation,
        {"case": case, "title": "Public consultation on the proposed structure for DASV services"},
        {
            "kind": "public",
            "minimum_weeks": 12,
            "channels": "Web-based survey\nHard copy surveys\nOpen public engagement events",
            # The EHRIA is still to be done: the summary says so; no assessment went with it.
            "impact_assessment": "",
            "summary": "Subject to agreement by the Cabinet and the other three commissioning bodies, it "
            "will run between February and May 2019. The web-based survey will be accessible via the County "
            "Council's website and supplemented in Leicestershire (as well as in Leicester and Rutland) by "
            "hard copy surveys and open public engagement events. A range of advocacy groups will be "
            "consulted including but not exclusively CCGs, District Councils, Providers the Police, County "
            "Council staff and service users themselves. An Equality and Human Rights Impact Assessment "
            "(EHRIA) will be completed following the consultation.",
        },
    )
    upsert(
        t,
        ConsultationEvent,
        {"consultation": public, "title": "Open public engagement events"},
        {"audience": "the public, in children's centres, libraries and District Council offices"},
    )
    stakeholders = upsert(
        t,
        Consultation,
        {"case": case, "title": "Stakeholder consultation sessions and workshop"},
        {
            "kind": "stakeholder",
            "summary": "The sessions in October 2018 helped understand the strengths and challenges of "
            "current provision. Key themes from the feedback were analysed and pulled together by the "
            "Redesign Group, then explored in more detail at a further workshop to begin to shape proposals "
            "for future service provision.",
        },
    )
    audience = (
        "current providers and other stakeholders such as other County Council departments and partner "
        "agencies across LLR"
    )
    for title in ("Stakeholder consultation sessions (October 2018)", "Stakeholder workshop (December 2018)"):
        upsert(t, ConsultationEvent, {"consultation": stakeholders, "title": title}, {"audience": audience})
    upsert(
        t,
        Consultation,
        {"case": case, "title": "Service user engagement"},
        {
            "kind": "service_users",
            "summary": "Service user engagement has also taken place to ensure views and feedback from "
            "service users across LLR are incorporated into the service redesign.",
        },
    )


def _paper(t, case):
    paper = decision_paper(
        t,
        case,
        title="Recommissioning of Domestic Abuse and Sexual Violence Services",
        paper_type="cabinet-report",
        meeting="Cabinet",
        meeting_date=date(2019, 2, 8),
        report_of="Report of the Director of Children and Family Services",
    )
    paper_sections(t, paper, SECTIONS)
    return paper


SECTIONS = {
    "purpose": """
        The purpose of this report is to outline the recommissioning work undertaken to date for the future
        provision of domestic abuse and sexual violence (DASV) services and to seek approval to consult on a
        proposed structure for domestic abuse and sexual violence services to be commissioned across
        Leicestershire, Leicester and Rutland (LLR).
    """,
    "recommendations": """
        The Cabinet is recommended to:

        1. Note the work undertaken to recommission domestic abuse and sexual violence services across
           Leicestershire, Leicester and Rutland;
        2. Approve a 12-week public consultation exercise on the proposed structure for domestic abuse and
           sexual violence services;
        3. Agree that a further report be submitted to the Cabinet in September 2019 regarding the outcome
           of the consultation exercise and presenting the final service model for approval.
    """,
    "reasons": """
        The County Council has a safeguarding responsibility to provide services to address domestic abuse
        and sexual violence.

        The County Council currently jointly commissions a domestic abuse and sexual violence service with
        Leicester City and Rutland Councils and the Office of the Police and Crime Commissioner. The contract
        for this began on 1st December 2015 and ends on 31st March 2020.

        There has been an increase in demand on domestic abuse and sexual violence services across the LLR
        area with limited resources within existing service provision to meet the growing need. Following a
        review of the current service model, combined with a review of need across LLR, a revised delivery
        model is proposed with the aim of meeting future demand within available resources.
    """,
    "timetable": """
        The Scrutiny Commission will consider a report on the proposed new model for the service at its
        meeting on 6 March 2019 as part of the consultation process.

        Approval to consult on the proposed structure is also being sought from Leicester City Council and
        Rutland Council during February 2019.

        The proposals will be subject to public consultation for a minimum of 12 weeks between February and
        May 2019 subject to agreement by the Cabinet and the other three commissioning bodies.

        The outcome of the consultation together with the final delivery model will be brought back to the
        Cabinet for approval in September 2019.

        Subject to approval by the Cabinet, the process of procuring a provider(s) to deliver the new service
        model would begin as soon as practicable, with a view to the new contract being in place from 1st
        April 2020.
    """,
    "policy_framework": """
        The proposed structure is informed by the Sexual and Domestic Violence and Abuse Needs Assessment for
        Leicestershire, Leicester and Rutland (LLR) published in 2017. This has been the basis for providing
        much of the local evidence of need.

        The Early Help evaluation project (2018) involved detailed analysis of 787 Safer Leicestershire
        Families and Children's Centre cases closed between 2013 and 2018. A significant issue is the impact
        of domestic abuse on outcomes for children and families. The report highlights that children are most
        affected by domestic abuse.

        With a new commitment to establish a sub-regional strategy rather than authority specific approach, a
        Leicester, Leicestershire and Rutland Domestic and Sexual Violence and Abuse Strategy (2018-2021) has
        been developed. The aim of the strategy is to reduce the prevalence, likelihood and harm of domestic
        and sexual violence and abuse with particular focus on prevention, early identification, reducing
        harm and supporting recovery and resilience through a partnership approach.

        The County Council's Strategic Plan 2018-2022 sets out five strategic outcomes for good quality of
        life in Leicestershire, including "Keeping People Safe". Supporting outcomes and measures to monitor
        these are set out in the Strategic Plan. One of the outcomes and measures is to increase reporting of
        incidents and scrutinising the number of re-referrals from Multi Agency Risk Assessment Conferences
        which are closely associated with the effectiveness of local resources for survivors and perpetrators
        of DASV.
    """,
    "background": """
        The County Council jointly commissions a domestic abuse and sexual violence (DASV) service with
        Leicester City Council, Rutland Council and the Office of the Police and Crime Commissioner. Leicester
        City Council currently manages the contract on behalf of all the commissioners. The service is
        provided by a consortium of voluntary sector providers known as UAVA (United Against Violence and
        Abuse), which includes: Living Without Abuse, FreeVa, and Women's Aid Leicestershire. The service
        provides support to victims of domestic abuse and sexual violence over the age of 13 through the
        provision of:

        - A telephone helpline for professionals and the public;
        - Individual and group support for high risk and medium risk victims of domestic abuse and sexual
          violence;
        - Therapeutic interventions, or counselling;
        - Awareness raising, training and education for professionals and the public.

        The current contract began on 1st December 2015 and ends on 31st March 2020.

        In addition to the main contract, across LLR there are a range of other contracts and projects being
        undertaken to address domestic abuse and sexual violence. For example the County Council has funded:

        - The Domestic Abuse Family Recovery Service (£40,000). This service works with children and young
          people and their families to reduce the harmful impact of domestic abuse and sexual violence upon
          the child. This contract began on 1st October 2018 and ends on 30th September 2019.
        - Safe Places and Support for Domestic Abuse Service (£115,263). This service provides tailored
          support for female victims of domestic abuse within a refuge setting. This includes but is not
          limited to: development of domestic/life skills, setting up a home or tenancy, gaining access to
          other services, managing finances and benefit claims, establishing personal safety and security,
          social contact and activities, enabling access to employment, education and training
          opportunities, and developing the skills and knowledge to be able to recognise and form healthy
          relationships and break the behaviour patterns associated with abusive relationships. This contract
          began on 1st October 2015 and ends on 30th September 2019 with an option to extend up to 30th
          September 2020.
        - Perpetrator Programme (£10,000). This is a voluntary programme working with perpetrators of
          domestic abuse in order to address their abusive behaviour; the programme also worked with young
          people who are perpetrating child on parent abuse. This funding enabled the spot purchase of
          limited places on the respective programmes.

        There has been an increase in demand on domestic abuse and sexual violence services across LLR with
        limited resources within existing service provision to meet the growing need; on average the volume
        of domestic violence offences increased 17% each year in the last three years. This is a national
        trend.

        Following a review of the current service model, combined with a review of need across the
        sub-region, a revised delivery model is proposed across Leicestershire, Leicester and Rutland, with
        the aim of meeting future demand within available resources. It is anticipated that the new service
        will commence on 1st April 2020.
    """,
    "options": "The key proposals for consultation are as follows.",
    "consultation": """
        A LLR Domestic Abuse and Sexual Violence Redesign Group has been established with representation
        from each commissioning organisation. This group reports to a Governance Group comprising of the
        Lead Members from each local authority and is chaired by the Police and Crime Commissioner.

        The stakeholder sessions, the service user engagement and the public consultation are described
        below. A report will also be presented to the Scrutiny Commission and to the Leicestershire Safer
        Community Strategy Board.

        Following consultation, the commissioners (Office of the Police and Crime Commissioner, County
        Council, Leicester City Council and Rutland Council) will design the new service model based on
        feedback from the consultation, level of need, affordability and good practice.

        The outcome of the consultation and the final service model will be submitted to the Cabinet for
        approval in September 2019. This would be followed by a procurement process with a view to
        commencing the new contract/s on 1st April 2020.
    """,
    # The £826,000 pool, the County's £231,300 and its 28% share come from the funding rows.
    "resource_implications": """
        Recommissioning of this contract will be within this budget envelope, and partner contributions to
        the contract value are not expected to change.

        The County Council's Public Health service currently allocates £115,263 per annum to provide tailored
        support for female victims of domestic abuse within two refuges in Leicestershire. Consideration will
        be given as to whether amalgamating this funding with the domestic abuse and sexual violence
        commissioning funds would provide greater value for money.
    """,
    "legal_implications": """
        The Director of Corporate Resources and the Director of Law and Governance have been consulted on the
        content of this report.
    """,
    "equalities": """
        Whilst screening has commenced, a full Equality and Human Rights Impact Assessment (EHRIA) will be
        completed following the consultation to review the impact of a change in service model. The EHRIA
        will be presented to the Cabinet in September 2019 alongside the consultation outcomes to assist the
        Cabinet with the exercise of its Public Sector Equality Duty under the Equality Act 2010.
    """,
    "crime_disorder": """
        Domestic abuse and sexual violence sit under the remit of Community Safety services which is part of
        the County Council's Children and Family Services Department. It is hoped that the redesign of
        services will improve the safety of residents by ensuring high risk victims are supported
        effectively.
    """,
    "health_wellbeing": """
        It is hoped that the redesign of services will improve the safety and wellbeing of residents
        experiencing domestic abuse and sexual violence.
    """,
    "partnership": """
        Continued engagement with partners in the production and delivery of the new model is crucial.

        Adopting an LLR approach where practicable, will allow a provider to exploit economies of scale in
        providing services across the area.
    """,
    "risk": """
        The breadth of services required to meet the range of needs for domestic abuse and sexual violence
        victims across LLR is vast, for example when considering the needs of victims in inner city Leicester
        compared to victims in rural parts of Leicestershire. Any service model moving forward will need to
        balance this breadth of provision with local need; this may lead to a sub-regional approach for
        elements of service provision and a Leicestershire specific approach for other elements. This will be
        determined following the consultation.
    """,
    "divisions": """
        Circulation under the Local Issues Alert Procedure: a copy of this report will be circulated to all
        members under the Members Digest service.
    """,
}
