"""Seed 003: Dorset Council, People Scrutiny Committee, 10 September 2019.

Recommissioning the Integrated Domestic Abuse Service for the Dorset Council area only: £385k
(with the Christchurch recharge) falling to £340k, a 2 + 1 + 1 + 1 contract from April 2020 through
DCF Segment 2, 16 accommodation units, risk LOW/LOW, and the indicative timeline.
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

REFERENCE = "dorset-2019"
FRAMEWORK = "DCF Segment 2 (Innovation segment)"


def load(t):
    from commissioning.models import Case

    dorset = organisation(t, "Dorset Council", "unitary_council")
    bcp = organisation(t, "BCP Council", "unitary_council", "BCP")
    opcc = organisation(t, "Dorset Office of the Police and Crime Commissioner", "opcc", "Dorset OPCC")
    housing = budget_holder(t, dorset, "Housing and Prevention")
    council_area = area(t, "Dorset Council area", "county")
    christchurch = area(t, "Christchurch", "district")

    service = _service(t, dorset, bcp, housing, council_area, christchurch)
    case = upsert(
        t,
        Case,
        {"reference": REFERENCE},
        {
            "title": "Recommissioning of DVA services in Dorset Council Area",
            "lead_commissioner": dorset,
            "stage": "decision",
            "summary": "Dorset Council currently commissions both accommodation-based and outreach support "
            "to those experiencing DVA. The service ends in April 2020 and cannot be extended. The proposal "
            "is to recommission a safe and legal 'like for like' service with a number of innovative pilots "
            "within it.",
            "current_risk": "low",
            "residual_risk": "low",
            "risk_note": "There is considerable member interest in DVA services, and this will be mitigated "
            "by taking the proposal to the relevant Scrutiny Committee and Cabinet.",
        },
    )
    set_links(t, case, "partners", [bcp, opcc])
    set_links(t, case, "services", [service])

    _contracts(t, case, dorset, bcp, service)
    _consultations(t, case)
    milestones(t, case, MILESTONES)
    contacts(t, case, [("Diana Balsom", "Lead officer", "", "01305 224697", "d.balsom@dorsetcc.gov.uk")])
    documents(
        t,
        case,
        "appendix",
        [
            ("Appendix 1", "Stakeholder feedback", ""),
            ("Appendix 2", "DCC Commissioned DVA service provision report", ""),
            ("Appendix 3", "Equality Impact Assessment", ""),
            ("Appendix 4", "Demographic information", ""),
        ],
    )
    documents(
        t,
        case,
        "background",
        [
            ("", "Domestic Violence and Abuse (DVA) services DMT report Jan 29th, 2019", ""),
            ("", "Domestic Violence and Abuse (DVA) services DMT report Aug 27th, 2019", ""),
        ],
    )
    _paper(t, case)
    return case


MILESTONES = [
    ("DMT report", "dmt", date(2019, 1, 29), "day", date(2019, 1, 29), ""),
    ("Provider engagement event", "", date(2019, 7, 10), "day", date(2019, 7, 10), FRAMEWORK),
    ("Feedback from people who use services", "", month(2019, 8), "month", None, ""),
    (
        "Report to DMT",
        "dmt",
        date(2019, 8, 27),
        "day",
        date(2019, 8, 27),
        "DMT approved the recommissioning approach.",
    ),
    (
        "People Scrutiny Committee",
        "scrutiny",
        date(2019, 9, 10),
        "day",
        None,
        "Paragraph 5.3 of the paper calls it the Adults Scrutiny Committee.",
    ),
    ("Equality impact assessment to DDAG", "equalities", date(2019, 9, 12), "day", None, ""),
    ("Cabinet", "cabinet", date(2019, 10, 1), "day", None, ""),
    ("Procurement commences", "", month(2019, 10), "month", None, ""),
    ("Tender live", "", month(2019, 11), "month", None, ""),
    ("Formal award", "", month(2020, 1), "month", None, ""),
    ("Service commences", "", month(2020, 4), "month", None, ""),
]


def _service(t, dorset, bcp, housing, council_area, christchurch):
    from commissioning.models import FundingContribution, Service

    service = upsert(
        t,
        Service,
        {"commissioner": dorset, "name": "Integrated Domestic Abuse Service"},
        {
            "service_type": "integrated",
            "description": "Refuge, Outreach, SPOC, Survivor Courses. Housing, practical, financial and "
            "emotional advice and support to any victims of domestic violence and abuse aged 16 and over, "
            "within the community (outreach) or within specific safe accommodation.",
            "minimum_age": 16,
            "accommodation_units": 16,
            "units_under_agreement": 15,
            "units_note": "The units the new service requires (2 fewer after the funding reduction); 15 are "
            "refuge provision via a service level agreement with two registered social landlords, which can "
            "transfer to a new provider.",
        },
    )
    set_links(t, service, "areas", [council_area, christchurch])
    rows = [
        (dorset, "2019-20", "340000", "core", housing, None, ""),
        (
            bcp,
            "2019-20",
            "45000",
            "recharge",
            None,
            christchurch,
            "The paper gives the £385k contract value including Christchurch (funded via recharge) and £340k "
            "for the Dorset Council area; this is the difference.",
        ),
        (
            dorset,
            "2020-21",
            "340000",
            "core",
            housing,
            None,
            "The new service covers the Dorset Council area only.",
        ),
    ]
    for commissioner, year, amount, kind, holder, ring_fence, note in rows:
        upsert(
            t,
            FundingContribution,
            {"service": service, "commissioner": commissioner, "financial_year": year},
            {
                "amount": amount,
                "kind": kind,
                "budget_holder": holder,
                "ring_fenced_area": ring_fence,
                "note": note,
            },
        )
    return service


def _contracts(t, case, dorset, bcp, service):
    from contracts.models import Contract, ContractTermOption

    current = upsert(
        t,
        Contract,
        {"reference": "dorset-idas-current"},
        {
            "title": "Integrated Domestic Abuse Service",
            "case": case,
            "lead_commissioner": dorset,
            "status": "live",
            "ends_on": date(2020, 4, 30),
            "annual_value": "385000",
            "term_note": "Cannot be extended. The paper gives two ends: April 2020 (executive summary) and "
            "Jan 2020 (paragraph 1.1); recorded as April 2020, the last day of the month as no day is given.",
        },
    )
    set_links(t, current, "commissioners", [bcp])
    set_links(t, current, "services", [service])

    planned = upsert(
        t,
        Contract,
        {"reference": "dorset-idas-2020"},
        {
            "title": "Domestic Violence and Abuse service in Dorset",
            "case": case,
            "lead_commissioner": dorset,
            "status": "planned",
            "starts_on": date(2020, 4, 1),
            "initial_term_months": 24,
            "annual_value": "340000",
            "procurement_route": "framework",
            "framework_name": FRAMEWORK,
            "term_note": "A break clause after two years and annually thereafter.",
        },
    )
    set_links(t, planned, "services", [service])
    for order in (1, 2, 3):
        upsert(t, ContractTermOption, {"contract": planned, "order": order}, {"kind": "break", "months": 12})


def _consultations(t, case):
    from consultations.models import Consultation, ConsultationEvent

    rows = [
        (
            "Multi-agency stakeholder event",
            "stakeholder",
            "A recent multi-agency stakeholder event provided an opportunity to discuss barriers and "
            "solutions from both a contract and system perspective. Feedback from the event confirmed the "
            "original barriers and gave direction for future development work and support for the proposed "
            "contract approach.",
            ("Multi-agency stakeholder event", None, ""),
        ),
        (
            "Service user questionnaire",
            "service_users",
            "A co-produced questionnaire has been distributed to current service users to gain feedback on "
            "their experiences of the current commissioned service, as well as their experiences of "
            "navigating the system. Full feedback is expected in August 2019 and will help shape both spec "
            "development and future development work.",
            None,
        ),
        (
            "Provider engagement",
            "providers",
            "Advertised to all those on Segment 2 of the DCF (Innovation segment), the procurement vehicle "
            "for adults and community services. The event gave providers an indication of the direction of "
            "travel and the innovation we will expect to see in a recommissioned service.",
            ("Provider engagement event", date(2019, 7, 10), f"Providers on {FRAMEWORK}"),
        ),
        (
            "Member engagement",
            "members",
            "Member engagement is being directed by the portfolio holder for CSP. A member briefing is being "
            "developed to provide key messages.",
            None,
        ),
    ]
    for title, kind, summary, event in rows:
        consultation = upsert(
            t, Consultation, {"case": case, "title": title}, {"kind": kind, "summary": summary}
        )
        if event:
            event_title, held_on, audience = event
            upsert(
                t,
                ConsultationEvent,
                {"consultation": consultation, "title": event_title},
                {"held_on": held_on, "audience": audience},
            )


def _paper(t, case):
    paper = decision_paper(
        t,
        case,
        title="Recommissioning of DVA services in Dorset Council Area",
        paper_type="committee-report",
        meeting="People Scrutiny Committee",
        meeting_date=date(2019, 9, 10),
        report_of="Lead Member: Cllr Graham Carr-Jones. Lead Officer: Diana Balsom",
    )
    paper_sections(t, paper, SECTIONS)
    return paper


# The budget (£340k a year, £1.7m over five years), the 11.7% reduction and the 2 + 1 + 1 + 1
# term come from the funding and contract rows, so the data sections' texts leave them out.
SECTIONS = {
    "executive_summary": """
        The DMT of 27th August 2019 approved the recommissioning approach for Domestic Violence and Abuse
        support services within the Dorset Council area.

        Dorset Council currently commissions both accommodation-based and outreach support to those
        experiencing DVA. The service ends in April 2020 and cannot be extended.

        Previously developed by the Housing and Prevention team in partnership with the District and Borough
        Housing teams, recent strategic work within the Community Safety Partnership has established that a
        better response to those impacted by domestic abuse could be achieved by a whole system, Dorset-wide
        approach. This could possible include co-commissioning DVA services with BCP Council and the Office
        of the Police and Crime Commissioner (OPCC).

        However, there are challenges to taking this forward.

        Locally BCP Council are currently establishing its DVA intentions and commissioning approach. This in
        turn impacts on the recommissioning plans for the OPCC high risk service – The Maple Project – an
        integral partner to Dorset Council's commissioned service.

        In addition, nationally, the draft Domestic Abuse Bill sets out a range of commitments likely to have
        a future impact on the provision and delivery of local DVA services and consideration is being given
        to following:

        - A statutory duty or guidance for local authorities,
        - Reporting domestic abuse to statutory agencies
        - A requirement for multi-agency working
        - Supporting victims with specific or complex needs

        Due to these challenges, a flexible recommissioning approach has been developed with stakeholders to
        address all these variables by responding to both short- and long-term factors.

        In the short term the proposal is to recommission a safe and legal 'like for like' service with a
        number of innovative pilots within it to address the immediate tactical concerns arising from the
        current approach as follows:

        - Work with the OPCC commissioned service (Maple Project) to provide transitional support for people
          moving between high and non-high-risk services
        - Address low referral rates from key agencies
        - Work with Children's Services to ensure support for children known to services
        - Develop a revised outcomes approach that captures the longer-term success of interventions
        - Pilot additional pattern changing interventions at differing stages of the service user journey
          through services

        In order to address the longer-term challenges and in order to be able to flex to change – both
        nationally and locally – a break clause would be introduced after two years and annually thereafter
        to allow sufficient break clauses within the contract to:

        - align with wider partner's commissioning intentions
        - align with revised statutory requirements, and
        - allow continuous whole system development work to proceed whilst providing an effective service
    """,
    "equalities": """
        A full draft EQIA has been undertaken as an iterative document to both support this report as well as
        to inform the process for the development of the whole system work. The report will be submitted to
        DDAG on 12 September 2019.

        We are also awaiting confirmation from our Equality Lead on the approach to take for reduction in
        coverage as a result of LGR.
    """,
    "risk": """
        Having considered the risks associated with this decision, the level of risk has been identified as
        follows.
    """,
    "climate_change": """
        Dispersed models of accommodation will allow staff to be based in a locality reducing some
        county-wide travel.
    """,
    "other_implications": """
        Ongoing work with Children's Services will inform the futures service's approach to identifying and
        referring – where appropriate – children known to services.
    """,
    "recommendations": """
        1. The committee is asked to consider the recommissioning approach and recommend Cabinet approve the
           approach.
    """,
    "reasons": """
        To allow Member scrutiny of the proposal to inform Cabinet before procurement commences in October
        2019.
    """,
    "introduction": """
        Dorset Council commissions an Integrated Domestic Abuse Service (Refuge, Outreach, SPOC, Survivor
        Courses) which is due to end in Jan 2020 and cannot be extended.

        The current contract value includes Christchurch (funded via recharge); the funding available for a
        Dorset Council area service (excluding Christchurch) would be reduced.

        DVA provision is facing considerable change over the next few years – both at a national and local
        level. This paper sets out how Dorset Council proposes to navigate both tactical and strategic
        drivers in the recommissioning of services.
    """,
    "background": """
        The current service provides housing, practical, financial and emotional advice and support to any
        victims of domestic violence and abuse aged 16 and over living in the former Dorset County Council
        area. This service is provided within the community (outreach) or within specific safe
        accommodation. This includes male, female and transgender victims with or without children and those
        living with or separated from the perpetrator. The service is available to all victims regardless of
        geographical location or tenure and will meet the individual needs of any victims using it.

        The service aim is to increase the safety and protection of victims of domestic violence and abuse in
        Dorset County and to prevent harm, escalation of abuse and risk. The overall objectives of the service
        are:

        - To promote and increase safe independent living in the community within various types of
          accommodation regardless of tenure for individuals and families affected by domestic abuse.
        - To provide structured and outcome focused housing related support with goals set for the service
          user and support to work towards.
        - To ensure that risk assessments, safety and support plans with clear outcomes are flexible and made
          on an individual case by case basis with regular progressive reviews.
        - To work with other professionals and processes e.g. health, adult and children's social care,
          Probation, MARAC, police and legal services to support victims, meet identified needs and improve
          outcomes.

        The service has previously been developed by the Housing and Prevention team within DCC, in
        partnership with the District and Borough Housing teams and with input from the Community Safety
        Partnership (CSP). It is anticipated that the Community Safety and Criminal Justice Group (CSCJB), a
        sub-group of the Dorset CSP – with a pan-Dorset responsibility – will take a greater strategic role as
        highlighted further within the report. The CSCJB area covers the Dorset CCG area and has an overview
        of other provision impacting on survivors and perpetrators of DVA.

        The current provider has provided added value to the contract by:

        - leveraging in additional funding for the successful Dragonfly project which provides an innovative
          support model to rural communities
        - developing a refuge for groups traditionally excluded from refuge provision
        - developing a dispersed accommodation model to make safe accommodation accessible to wider groups.

        However, analysis of key indicators over the contract period have identified the following areas for
        development:

        - Limitations in refuge as an accommodation solution – capacity issues, sex and gender identity
          issues, complexity of need
        - Support for children within the service
        - Referrals agencies and mechanisms – data cleaning vs awareness raising
        - Efficacy and targeting of pattern changing

        Full performance information is provided within Appendix 1.
    """,
    "current_issues": """
        As part of the review of current DVA provision led by the Councils Community Safety Team the
        following pan-Dorset cross-system findings have been identified:

        - The number of people reporting domestic abuse violent crimes locally is on the rise
        - The current system centres on crisis support but there is a growing argument for greater focus on
          prevention and early help
        - Some services are being overburdened which is creating blockages in the system and which may be
          leading to delays in people accessing support
        - Risk in domestic abuse is fluid yet the system is largely rigid, responding to thresholds
        - Whilst the system works for the majority, there are clearly cohorts of people who are struggling or
          choosing not to engage in local services
        - There is a wide range of offers, however, they are difficult to understand and navigate, and to
          evidence whether they are meeting need
        - The whole commissioning landscape is complex and often done in isolation
        - The system hinges on one-off funding opportunities which doesn't facilitate a longer term,
          sustainable approach
        - The number of children affected by domestic abuse is hard to quantify, however, it appears to be a
          significant issue locally
        - Therapeutic support for children affected by domestic abuse is largely limited and often bolted on
          to provision rather than being at its core
        - Locally partners have enjoyed success in creating and developing innovative programmes so learning
          and best practice needs to influence future delivery

        To address these issues and provide a better response to those impacted by domestic abuse, a whole
        system approach needs to be developed which can in part be addressed through the recommissioning of
        this service.

        However, there are a number of challenges which cannot be addresses through the service. It is hoped
        there will be an opportunity to co-commission services with other partners including BCP Council and
        the OPCC. BCP do not as yet have an agreed cross-council DVA offer and therefore it is unlikely that
        they will be in a position to agree next steps early enough to inform Dorset Council current
        commissioning timeline.

        This delay will also impact on the recommissioning of the Maples Project, a police-based high-risk
        service (funded by the OPCC) that works across the whole of Dorset. The Maple Project works
        collaboratively with the current DC DVA service and would need to factor in changes to the DVA
        services in the BCP area before reconfiguring their high-risk response.
    """,
    "national_drivers": """
        **DVA Bill 2019.** The draft Domestic Abuse Bill sets out a range of commitments likely to have a
        future impact on the provision and delivery of DVA services – particularly accommodation-based
        provision.

        Consideration is being given to a statutory duty on lead authorities to convene a multi-agency Local
        Domestic Abuse Partnership Board, which must perform certain specified functions, which will be
        outlined and explained in statutory guidance. These are to:

        - Assess the need and demand for accommodation-based support for all victims and their children,
          including those who require cross-border support.
        - Develop and publish strategies for the provision of support to cover the locality and diverse
          groups of victims.
        - Make commissioning / de-commissioning decisions.
        - Meet the support needs of victims and their children.
        - Monitor and evaluate local delivery
        - Report back to central Government

        In addition, there is an expectation:

        - To report domestic abuse to statutory agencies
        - For multi-agency working
        - To support victims with specific or complex needs

        **Violence Against Women and Girls (VAWG) Strategy.** MHCLG committed within the VAWG Strategy to
        deliver a better response for victims of domestic abuse with complex needs and acknowledges the
        multiple barriers to accessing support experienced by some victims, including BAME and LGBT victims.
        The VAWG Strategy made a clear commitment to address violence against BAME, LGBTQ, women and girls
        and other marginalised groups. Future statutory guidance will make clear that local areas should
        ensure that the needs of isolated and marginalised communities are considered in assessing need and
        commissioning support for domestic abuse, including services that serve both a local and national
        need.

        Learning at a national level from Local Authorities, Police and Crime Commissioners, specialist
        providers, and sector partners, and working across Government, indicates that the proposed approach
        will help local areas ensure that all victims and their children will be able to access and receive
        the support they need when they need it. This includes:

        - responding to the needs of diverse groups, including BAME, LGBT, disabled, male, young (aged 16-18)
          and older victims, offenders, people of faith, those presenting with complex needs (including those
          with mental health and/or substance misuse needs), those with no recourse to public funds, insecure
          immigration status, or from isolated and/or marginalised communities, as well as their children
          (including adolescent male children).
        - helping ensure the provision of support in accommodation-based domestic abuse services that serve
          both local and national need. For example, we know that some services for victims from marginalised
          communities, people of faith, BAME, and LGBT victims provide critical support to victims from
          across the country.
        - helping ensure that victims and their children who have no choice but to move away from their local
          areas, communities and friends to escape their perpetrator to stay safe receive the support they
          need.

        **Accommodation.** In addition, MHCLG are currently consulting on a new delivery model for
        accommodation-based support that supports the DVA Bill. This includes the introduction of a
        statutory duty on local authorities to provide support that meets the diverse needs of victims of
        domestic abuse and their children, ensuring they have access to provision that is right for them. The
        consultation closes on 2nd August 2019.

        *Whilst reference is made to additional funding, the amount and the timing is unclear.*
    """,
    "engagement": """
        To support the development of the proposal, a number of engagement activities are currently underway.

        Any changes to DVA services are potentially contentious and attracts public and press attention. It
        is essential to keep all members apprised of changes to allow them to respond to any constituent
        enquiries and a member briefing is being developed to provide key messages.

        It is essential that a wider provider base is recruited onto the framework to support the future
        whole system approach which will underpin future commissioning.
    """,
    "proposal": """
        The impact of the external changes on Dorset's DVA services is unprecedented. It is challenging to
        develop an approach that can address all these variables and we need to respond to both short- and
        long-term factors.

        In conclusion, the long-term strategic factors partners will need to address are:

        - Complex Commissioning Landscape including varying timescales
        - Findings from strategic work on Whole Systems
        - Additional duties and potential funding as a result DVA Bill becoming an Act

        The shorter-term tactical priorities which can be addressed through the recommissioning of this
        service are to:

        - Work with the OPCC commissioned Maple Project to develop an approach to supporting people caught
          between high and non-high-risk services
        - Address poor referral rates from key agencies by increasing awareness of services as well as
          adapting the way referrals are reported.
        - Work with Children's Services to ensure they are aware of those children known to services
        - Develop a measurable outcomes approach that captures the longer-term success of interventions
        - Pilot additional pattern changing interventions at differing stages of the service user journey
          through services

        Whilst the above initiatives work will contribute to identified gaps in service provision, they will
        also contribute insight and evidence to support the wider development work.

        The proposal is therefore to recommission a safe and legal 'like for like' service with a number of
        innovative pilots within it to address the tactical concerns arising from the current approach.

        The new service will cover the Dorset Council area only so will no longer receive the Christchurch
        recharge. Applying the funding reduction onto the accommodation required by the new service, the
        numbers of units required will reduce by 2 – leaving a total requirement of 16.

        15 of these 16 required units are currently provided in Refuge provision via a service level
        agreement with two registered social landlords. The service level agreement can be transferred to any
        new provider if required. There would be an expectation that any new provider would grow the number
        of units via a dispersed model of accommodation.

        In order to be able to flex to change – both nationally and locally – we propose to commission the
        new service with a break clause after two years and annually thereafter. This will allow sufficient
        break clauses within the contract to address the long-term strategic factors to:

        - align with wider partner's commissioning intentions
        - align with revised statutory requirements, and
        - allow continuous whole system development work to proceed whilst providing an effective service
    """,
    "timeline": "On-going future pan-Dorset system development work led by CSP for the duration.",
}
