"""Seed 001: Staffordshire County Council, Cabinet, 19 October 2022.

Recommissioning domestic abuse services jointly with Stoke-on-Trent City Council and the
Staffordshire Commissioner's Office (the lead commissioner): the County's £670,450 rising by the
MTFS 2% assumption, an initial three-year contract with up to two more, and the referrals table.
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

REFERENCE = "staffs-2022"
BRAND = "New Era"

# Referrals into the current contracted services (para 5): service -> period -> (pan, county).
REFERRALS = {
    "victims": {"1/10/18 to 31/03/2022": (21884, 13678), "Past 12 months": (7669, 4771)},
    "perpetrators": {"1/10/18 to 31/03/2022": (1200, 650), "Past 12 months": (286, 140)},
}
PERIOD_DATES = {
    "1/10/18 to 31/03/2022": (date(2018, 10, 1), date(2022, 3, 31)),
    "Past 12 months": (None, None),
}


def load(t):
    from commissioning.models import Case

    sco = organisation(t, "Staffordshire Commissioner's Office", "opcc", "SCO")
    county = organisation(t, "Staffordshire County Council", "county_council", "SCC")
    city = organisation(t, "Stoke-on-Trent City Council", "city_council")
    victim_support = organisation(t, "Victim Support", "charity")
    rrp = organisation(t, "Reducing Reoffending Partnership", "company")
    communities = budget_holder(t, county, "Communities and Culture")

    staffordshire = area(t, "Staffordshire", "county")
    stoke = area(t, "Stoke-on-Trent", "city")
    pan = area(t, "Staffordshire and Stoke-on-Trent", "sub_region", [staffordshire, stoke])

    services = _services(t, sco, county, communities, victim_support, rrp, pan, staffordshire)

    case = upsert(
        t,
        Case,
        {"reference": REFERENCE},
        {
            "title": "Recommissioning Domestic Abuse Services",
            "lead_commissioner": sco,
            "stage": "decision",
            "summary": "The existing Domestic Abuse Victim and Perpetrator Services contract will terminate "
            "at the end of September 2023. The services are to be jointly recommissioned with Stoke-on-Trent "
            "City Council and the Staffordshire Commissioner's Office, replicating the current arrangements, "
            "with the level of funding per annum remaining at the existing core contract level, adjusted for "
            "inflation.",
        },
    )
    set_links(t, case, "partners", [county, city])
    set_links(t, case, "services", services.values())

    current = _contracts(
        t, case, sco, [county, city], services, {"victims": victim_support, "perpetrators": rrp}
    )
    _referrals(t, services, current, pan, staffordshire)

    milestones(
        t,
        case,
        [
            (
                "Safeguarding Overview and Scrutiny Committee",
                "scrutiny",
                date(2022, 9, 1),
                "day",
                date(2022, 9, 1),
                "Its comments informed changes to the report and recommendations.",
            ),
            ("Cabinet", "cabinet", date(2022, 10, 19), "day", None, ""),
            ("Current contracts end", "", date(2023, 9, 30), "day", None, ""),
            ("Recommissioned contract starts", "", date(2023, 10, 1), "day", None, ""),
        ],
    )
    contacts(
        t,
        case,
        [
            (
                "Catherine Mann",
                "Assistant Director",
                "Interim Assistant Director for Culture, Rural and Safer Communities",
                "",
                "",
            ),
            (
                "Trish Caldwell",
                "Report author",
                "County Commissioner Regulatory Services and Community Safety",
                "01785 277804",
                "trish.caldwell@staffordshire.gov.uk",
            ),
        ],
    )
    documents(
        t,
        case,
        "appendix",
        [
            ("Appendix 1", "Contract Performance – Outcomes", ""),
            ("Appendix 2", "Community Impact Assessment", ""),
        ],
    )
    _paper(t, case, county)
    return case


def _services(t, sco, county, communities, victim_support, rrp, pan, staffordshire):
    from commissioning.models import FundingContribution, Service

    victims = upsert(
        t,
        Service,
        {"commissioner": sco, "name": "Domestic Abuse Services for Victims"},
        {
            "service_type": "integrated",
            "description": f"Provided under the brand name '{BRAND}'. Tiered provision: prevention (Tier 1), "
            "early intervention (Tier 2) and targeted support (Tiers 3 and 4), for victims, children and "
            "young people.",
            "for_victims": True,
            "for_children": True,
            "tier_from": 1,
            "tier_to": 4,
        },
    )
    perpetrators = upsert(
        t,
        Service,
        {"commissioner": sco, "name": "Domestic Abuse Services for Perpetrators of Domestic Abuse"},
        {
            "service_type": "perpetrator",
            "description": f"Provided under the brand name '{BRAND}'. A similar tiered approach to "
            "perpetrator rehabilitation.",
            "for_victims": False,
            "for_perpetrators": True,
            "tier_from": 1,
            "tier_to": 4,
        },
    )
    for service, provider in ((victims, victim_support), (perpetrators, rrp)):
        set_links(t, service, "areas", [pan])
        set_links(t, service, "providers", [provider])

    # The County's money funds the joint contract as a whole; the model keeps contributions per
    # service, so it sits on the victim service with a note saying so.
    upsert(
        t,
        FundingContribution,
        {"service": victims, "commissioner": county, "financial_year": "2022-23"},
        {
            "budget_holder": communities,
            "amount": "670450",
            "kind": "core",
            "ring_fenced_area": staffordshire,
            "uplift_percent": "2.00",
            "uplift_rounding": "ten",
            "note": "Staffordshire County Council's contribution to the joint victim and perpetrator "
            "services, spent only within the County; increased in line with the County Council's MTFS "
            "inflation assumptions (2%).",
        },
    )
    return {"victims": victims, "perpetrators": perpetrators}


def _contracts(t, case, sco, partners, services, providers):
    from contracts.models import Contract, ContractTermOption, OutcomeReport

    current = {}
    for key, title in (
        ("victims", "Domestic Abuse Services for Victims"),
        ("perpetrators", "Domestic Abuse Services for Perpetrators of Domestic Abuse"),
    ):
        contract = upsert(
            t,
            Contract,
            {"reference": f"staffs-da-{key}-2018"},
            {
                "title": title,
                "case": case,
                "lead_commissioner": sco,
                "brand_name": BRAND,
                "status": "live",
                "starts_on": date(2018, 10, 1),
                "ends_on": date(2023, 9, 30),
            },
        )
        set_links(t, contract, "commissioners", partners)
        set_links(t, contract, "providers", [providers[key]])
        set_links(t, contract, "services", [services[key]])
        current[key] = contract

    upsert(
        t,
        OutcomeReport,
        {"contract": current["victims"], "period_label": "Year ended October 2021"},
        {
            "period_end": date(2021, 10, 31),
            "summary": "Contract performance is reviewed quarterly against a set of outputs and outcomes "
            "including feedback from Victims. The responses are very positive with both Adults and Children "
            "and Young People reporting increases in a number of areas. An extract of the last Annual Report "
            "showing survey results received (year ended Oct 21) is included as Appendix 1.",
        },
    )

    planned = upsert(
        t,
        Contract,
        {"reference": "staffs-da-2023"},
        {
            "title": "Domestic Abuse Victim and Perpetrator Services (recommissioned)",
            "case": case,
            "lead_commissioner": sco,
            "status": "planned",
            "starts_on": date(2023, 10, 1),
            "initial_term_months": 36,
            "term_note": "Re-commissioned and funded for up to five years, with an initial three-year "
            "contract with the potential to extend for a further two years.",
        },
    )
    set_links(t, planned, "commissioners", partners)
    set_links(t, planned, "services", services.values())
    upsert(
        t,
        ContractTermOption,
        {"contract": planned, "order": 1},
        {
            "kind": "extension",
            "months": 24,
            "note": "With the delegated authority of the Cabinet Member for Culture & Communities",
        },
    )
    return current


def _referrals(t, services, contracts, pan, staffordshire):
    from contracts.models import ReferralCount

    for key, periods in REFERRALS.items():
        for label, counts in periods.items():
            start, end = PERIOD_DATES[label]
            for where, count in zip((pan, staffordshire), counts, strict=True):
                upsert(
                    t,
                    ReferralCount,
                    {"service": services[key], "period_label": label, "area": where},
                    {"contract": contracts[key], "period_start": start, "period_end": end, "count": count},
                )


def _paper(t, case, county):
    paper = decision_paper(
        t,
        case,
        title="Recommissioning Domestic Abuse Services",
        paper_type="cabinet-report",
        # The paper is the County Council's own, though SCO leads the case.
        authority=county,
        meeting="Cabinet",
        meeting_date=date(2022, 10, 19),
        report_of="Report of the Director for Economy, Infrastructure and Skills",
        signed_by="Cllr Victoria Wilson, Cabinet Member for Communities and Culture",
        local_member_interest="N/A",
    )
    paper_sections(t, paper, SECTIONS)
    return paper


SECTIONS = {
    "purpose": """
        This Report highlights that the existing Domestic Abuse Victim and Perpetrator Services contract
        will terminate at the end of September 2023 and requests that the funding for the recommissioning
        of these services is secured. The Report recommends that the services are jointly recommissioned
        with Stoke-on-Trent City Council and the Staffordshire Commissioner Office replicating the current
        arrangements, and that the level of funding per annum remains at the existing core contract level,
        adjusted for inflation.
    """,
    "recommendations": """
        I recommend that Cabinet:

        1. Agree that the Domestic Abuse victim and perpetrator services be re-commissioned and funded for
           up to five years, with an initial three-year contract with the potential to extend for a further
           two years, providing continuity and sustainability for this much-needed and valuable service.
        2. Agree that the commissioning be carried out jointly with Stoke-on-Trent City Council and the
           Staffordshire Commissioners Office (SCO) to procure Domestic Abuse Services across Staffordshire
           and Stoke-on-Trent, and for the Staffordshire Commissioners office to be the Lead Commissioner.
        3. Agree that the funding from Staffordshire County Council for the recommissioned service is
           maintained at the current level of £670,450 per annum; this will be increased in line with the
           County Council's MTFS inflation assumptions and will therefore mean that £683,860 will be available
           for the start of the recommissioned Contract.
    """,
    "reasons": """
        Staffordshire County Council, Stoke-on-Trent City Council, and the Staffordshire Commissioner's
        Office (SCO) currently jointly commission Domestic Abuse (DA) services across Staffordshire and
        Stoke-on-Trent, with the SCO acting as lead commissioner.

        The current Service Contract commenced in October 2018 with the provision of Domestic Abuse
        Services for Victims awarded to Victim Support and the Service Contract for the provision of
        Domestic Abuse Services for Perpetrators of Domestic Abuse to the Reducing Reoffending Partnership.
        Both services are provided under the brand name of 'New Era' and include provision for victims,
        perpetrators, children, and young people.

        The current contract ends on 30 September 2023 and activity to commence the recommissioning of the
        service is due to begin to allow sufficient time for the procurement process and allow for the
        mobilisation of the new contract.

        Domestic Abuse is a key priority highlighted within every Community Safety Strategic Assessment
        across all Staffordshire Districts and Boroughs and the joint commissioning of the service has
        enabled a consistent approach for Domestic Abuse services across the whole of Staffordshire and
        Stoke-on-Trent.

        Overarching governance for the contract is provided by the Domestic Abuse Commissioning and
        Delivery Board (DACDB) which is jointly chaired by Stoke-on-Trent City Council and Staffordshire
        County Council representatives. Domestic Abuse, including the commissioned service contract
        performance, is also considered at the Safer and Stronger Communities Strategy Group, chaired by the
        County Council's Cabinet Member for Communities & Culture. It is intended that these arrangements
        will continue with the new Contract.

        Funding provided by the County Council is used for service provision exclusively within the County
        Council area, whilst Stoke City Council funding is spent within the City boundary. The Staffordshire
        Commissioners Office funding is used to meet demand wherever it is required across the whole of the
        County and City.

        The collaborative approach to the commissioning of the existing Domestic Abuse Services has meant
        that support for the victims and their families has been consistently available across the whole
        county, regardless of where they live. The Services have encompassed support for victims, families,
        communities, and businesses through tiered provision including prevention and early intervention,
        targeted and acute support.

        The current commissioned service comprises three elements:

        1. Prevention (Tier 1); This encompasses the provision of specialist input, advice, and guidance to
           relevant agencies/ bodies to support the development of successful domestic abuse related
           universal and targeted education programmes for schools and alternative educational
           establishments.
        2. Early Intervention (Tier 2); The Early Intervention element of this service encompasses
           interventions that aim to equip people (victims and perpetrators) to identify the traits and
           manifestations of abusive behaviour, reduce risk and empower people to make positive choices and
           sustainable behaviour changes.
        3. Targeted Support (Tier 3 and Tier 4). The Targeted Support element of the service will encompass
           interventions that aim to address the complex/acute problems associated with domestic abuse. The
           service links in with specialist providers of Drug, Alcohol and Mental Health Services, General
           Practitioners, Children's Social Care, Adult Social Care, Housing Officers, Courts, Police etc. as
           appropriate, in order to address the most widely experienced issues.

        A similar tiered approach to perpetrator rehabilitation, introduced as part of this commissioning,
        has created safer communities by giving offenders the opportunity to change and the skills to
        rebuild their lives through tailored individual support and collaborative partnerships. The success
        of this approach has resulted in the recommendation to recommission in this way.

        Contract performance is reviewed quarterly against a set of outputs and outcomes including feedback
        from Victims. The responses are very positive with both Adults and Children and Young People
        reporting increases in a number of areas. An extract of the last Annual Report showing survey
        results received (year ended Oct 21) is included as Appendix 1 to this Report.

        This joint commissioning approach has been recognised nationally as a best practice model and has
        resulted in a visit from the Domestic Abuse Commissioners office. SafeLives, the UK-wide charity
        dedicated to ending domestic abuse, have also endorsed Staffordshire's approach.
    """,
    # The referrals table itself comes from the ReferralCount rows.
    "referrals": """
        Demand for Domestic Abuse services remains high, and it is noted that referrals to the victim
        service have increased by approximately 30% on pre-covid figures. Referrals made into the current
        contracted services to date are highlighted in the tables below for information.
    """,
    "timetable": """
        The Report was presented to the Safeguarding Overview and Scrutiny Committee on 01 September 2022
        and their comments have informed changes to the content of the report and recommendations.

        The Safeguarding Overview and Scrutiny Committee commented upon the increased demand for this
        service and noted that funding levels have not increased since the commencement of the current
        contract. Maintaining the current value represents a reduction in funding in real terms.
        Recommendation C of the Report has been amended to reflect the inclusion of an inflationary increase
        and address concerns raised by members of the Safeguarding Overview and Scrutiny Committee. Finance
        colleagues have confirmed that 2% inflation should be applied to the base figure and this will be
        added centrally to the base budget.
    """,
    "legal_implications": """
        It is proposed that Tri-Partite Agreements will be drawn up and signed by all Parties, that will
        detail the terms under which the Parties have agreed to fund the cost and will outline joint working
        arrangements to ensure the effective and efficient delivery of Domestic Abuse Services for Victims
        and Perpetrators. This mirrors the approach that is currently in place with financial arrangements
        for the current contract. Existing documents will be reviewed and updated by the County Council's
        Legal Services Team to ensure they reflect the new contract arrangements.
    """,
    "resource_implications": """
        The funding from Staffordshire County Council will provide services solely within the local
        authority footprint. Stoke on Trent City Council have agreed that they will continue to fund a
        jointly recommissioned service. The Staffordshire Commissioner Office's contribution will fund
        additional resources. The pooling of funding for the provision of these services together with
        Stoke-on-Trent City Council and Staffordshire Commissioners Office will enable services for victims
        and their families to be consistently available across the whole county, regardless of where they
        live.
    """,
    "equalities": """
        The joint recommissioning of domestic abuse services across Staffordshire and Stoke-on-Trent, and
        all the other key areas of work outlined in this report, benefits those members of the community who
        are victims, or at risk of being victims, of domestic abuse. A community impact assessment has been
        produced and is attached as Appendix 2.
    """,
    "climate_change": """
        There are no climate change implications arising as a result of the recommendations set out within
        this report.
    """,
}
