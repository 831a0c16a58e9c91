"""The paper types a new installation starts with, in the seed papers' house style.

They are data: an administrator can reorder sections, rename headings and change which are
required in the admin. ``ensure_default_paper_types`` only creates what is missing, so it
never overwrites an administrator's changes.

Every section may carry written text (a ``PaperSection`` with the same key); a data section
also shows figures generated from the case by the source named here.
"""

from django.db import transaction

N, D = "narrative", "data"

# (key, heading, kind, source, required)
CABINET_REPORT = [
    ("purpose", "Purpose of the report", N, "", True),
    ("recommendations", "Recommendations", N, "", True),
    ("reasons", "Reasons for recommendations", N, "recommended_option", True),
    ("timetable", "Timetable for decisions (including scrutiny)", D, "milestones", False),
    ("policy_framework", "Policy framework and previous decisions", N, "", False),
    ("background", "Information and advice", N, "", False),
    ("need", "Evidence of need", D, "need", False),
    ("current_services", "Current services and funding", D, "current_services", False),
    ("current_arrangements", "Current arrangements", D, "agreements", False),
    ("referrals", "Demand and referrals", D, "referrals", False),
    ("consultation", "Consultation", D, "consultations", False),
    ("you_said_we_did", "We asked, you said, we did", D, "you_said_we_did", False),
    ("options", "Options", D, "options", False),
    ("other_options", "Other options considered", D, "other_options", False),
    ("resource_implications", "Resource and value for money implications", D, "funding", True),
    ("legal_implications", "Legal implications", N, "", True),
    ("equalities", "Equalities and human rights implications", N, "", True),
    ("crime_disorder", "Crime and disorder implications", N, "", False),
    ("health_wellbeing", "Health and wellbeing implications", N, "", False),
    ("partnership", "Partnership working and associated issues", N, "", False),
    ("climate_change", "Climate change implications", N, "", False),
    ("risk", "Risk", D, "risk", False),
    ("statutory_comments", "Constitutional and financial comments", D, "approval_comments", False),
    ("background_papers", "Background papers", D, "background_papers", False),
    ("appendices", "Appendices", D, "appendices", False),
    ("divisions", "Electoral divisions and members affected", D, "divisions", False),
    ("contacts", "Officers to contact", D, "contacts", True),
]

COMMITTEE_REPORT = [
    ("executive_summary", "Executive summary", N, "", True),
    ("equalities", "Equalities impact assessment", N, "", True),
    ("budget", "Budget", D, "budget", True),
    ("risk", "Risk assessment", D, "risk", True),
    ("climate_change", "Climate implications", N, "", False),
    ("other_implications", "Other implications", N, "", False),
    ("recommendations", "Recommendation", N, "", True),
    ("reasons", "Reason for recommendation", N, "", True),
    ("appendices", "Appendices", D, "appendices", False),
    ("background_papers", "Background papers", D, "background_papers", False),
    ("contacts", "Officer contact", D, "contacts", True),
    ("introduction", "Introduction", N, "", False),
    ("background", "Background", N, "", False),
    ("need", "Need and capacity", D, "need", False),
    ("current_services", "Current services and funding", D, "current_services", False),
    ("current_issues", "Current system issues", N, "", False),
    ("national_drivers", "National drivers", N, "", False),
    ("engagement", "Engagement work", D, "consultations", False),
    ("you_said_we_did", "We asked, you said, we did", D, "you_said_we_did", False),
    ("proposal", "Proposal", D, "contract_terms", False),
    ("timeline", "Indicative timeline", D, "milestones", False),
    ("questions", "Questions from members", D, "member_questions", False),
]

FOI_RESPONSE = [
    ("request", "Information requested", D, "foi_request", True),
    ("response", "Response", D, "foi_answers", True),
    ("closing", "Further information", N, "", False),
]

# The record of a decision a council publishes after the meeting (regulation 13 of the 2012
# Regulations): one page, every fact computed from the decision.
DECISION_NOTICE = [
    ("record", "Decision", D, "decision_record", True),
    ("resolution", "Decision taken", D, "resolution", True),
    ("reasons", "Reasons for the decision", D, "decision_reasons", True),
    ("alternatives", "Alternative options considered and rejected", D, "decision_alternatives", True),
    ("interests", "Interests declared and dispensations", D, "decision_interests", True),
    ("delegations", "Delegations", D, "delegations", False),
    ("agreements", "The agreement", D, "agreements", False),
    ("questions", "Questions from members", D, "member_questions", False),
    ("contacts", "Contact", D, "contacts", False),
]

# A Police and Crime Commissioner's decision notice (Elected Local Policing Bodies (Specified
# Information) Order 2011): summary, recommendation, the PCC's approval, then Part 1's facts.
PCC_DECISION_NOTICE = [
    ("executive_summary", "Executive summary", N, "", True),
    ("recommendation", "Recommendation", D, "resolution", True),
    ("approval", "Police and Crime Commissioner's approval", D, "pcc_approval", True),
    ("introduction", "Part 1: introduction and background", N, "", True),
    ("issues", "Issues for consideration", N, "", False),
    ("financial", "Financial comments", N, "funding", True),
    ("agreements", "The grant or contract", D, "agreements", False),
    ("legal", "Legal comments", N, "", True),
    ("equality", "Equality comments", N, "", True),
    ("background_papers", "Background papers", D, "background_papers", False),
    ("part_two", "Part 2", D, "part_two", False),
]

DEFAULT_PAPER_TYPES = {
    "cabinet-report": (
        "Cabinet or executive report",
        "A report to Cabinet or a Cabinet Member.",
        CABINET_REPORT,
    ),
    "committee-report": (
        "Committee or scrutiny report",
        "A report to a scrutiny or other committee, with an executive summary up front.",
        COMMITTEE_REPORT,
    ),
    "decision-notice": (
        "Record of decision",
        "The one-page notice of a decision a council publishes after the meeting.",
        DECISION_NOTICE,
    ),
    "pcc-decision-notice": (
        "PCC decision notice",
        "A Police and Crime Commissioner's decision notice, Part 1 (Part 2 stays confidential).",
        PCC_DECISION_NOTICE,
    ),
    "foi-response": (
        "FOI response letter",
        "A reply to a Freedom of Information request.",
        FOI_RESPONSE,
    ),
}


@transaction.atomic
def ensure_default_paper_types():
    """Create the default paper types and any of their sections that are missing."""
    from commissioning.models import PaperType, SectionDefinition

    for slug, (name, description, sections) in DEFAULT_PAPER_TYPES.items():
        paper_type, _ = PaperType.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        existing = dict(paper_type.sections.values_list("key", "order"))
        previous = 0
        for order, (key, heading, kind, source, required) in enumerate(sections, start=1):
            if key in existing:
                previous = existing[key]
                continue
            # A section added to a type already in use goes straight after the one it follows.
            previous = previous + 1 if existing else order * 10
            SectionDefinition.objects.create(
                paper_type=paper_type,
                key=key,
                heading=heading,
                order=previous,
                kind=kind,
                source=source,
                required=required,
            )
