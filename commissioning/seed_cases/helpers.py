"""Small tools the seed case modules share: their case-specific shortcuts.

The rules of writing rows (idempotent upserts, tallies, history attribution, keeping what
officers changed) are the case files' own: ``commissioning.case_files.rows``.
"""

from datetime import date
from inspect import cleandoc

from commissioning.case_files.rows import (  # noqa: F401 (the seed modules import them from here)
    CHANGE_REASON,
    SEED_USERNAME,
    Tally,
    changed_by_someone,
    history_user,
    seed_user,
    set_links,
    upsert,
)


def text(value: str) -> str:
    """Markdown copied from a paper, written indented in the source: strip the indent."""
    return cleandoc(value)


def month(year: int, number: int) -> date:
    """A month-precision milestone is stored on the first of its month."""
    return date(year, number, 1)


# Shared lookups. The same organisation or area appears in several seeds (Nottinghamshire),
# so each is keyed on its unique name.
def organisation(tally, name, kind, short_name=""):
    from commissioning.models import Organisation

    return upsert(tally, Organisation, {"name": name}, {"kind": kind, "short_name": short_name})


def budget_holder(tally, org, name):
    from commissioning.models import BudgetHolder

    return upsert(tally, BudgetHolder, {"organisation": org, "name": name})


def area(tally, name, kind, districts=()):
    from commissioning.models import Area

    obj = upsert(tally, Area, {"name": name}, {"kind": kind})
    if districts:
        set_links(tally, obj, "districts", districts)
    return obj


def paper_sections(tally, paper, sections: dict[str, str]) -> None:
    """Write the narrative text of a paper's sections, keyed as the paper type defines them."""
    from commissioning.models import PaperSection

    known = set(paper.paper_type.sections.values_list("key", flat=True))
    unknown = set(sections) - known
    if unknown:
        raise ValueError(f"{paper.paper_type.slug} has no section(s) {sorted(unknown)}")
    for key, body in sections.items():
        upsert(tally, PaperSection, {"paper": paper, "key": key}, {"body": text(body)})


PAPER_FIELDS = {
    "meeting": "",
    "meeting_date": None,
    "report_of": "",
    "signed_by": "",
    "electoral_divisions": "",
    "local_member_interest": "",
    "reference": "",
}


def decision_paper(tally, case, *, title, paper_type, authority=None, **fields):
    """A case's paper, keyed on (case, title); fields not given are set to blank, so a re-run
    resets anything edited away from the seed. The authority defaults to the case's lead."""
    from commissioning.models import DecisionPaper, PaperType

    unknown = set(fields) - set(PAPER_FIELDS)
    if unknown:
        raise TypeError(f"DecisionPaper has no seed field(s) {sorted(unknown)}")
    values = {
        "paper_type": PaperType.objects.get(slug=paper_type),
        "authority": authority or case.lead_commissioner,
        **PAPER_FIELDS,
        **fields,
    }
    return upsert(tally, DecisionPaper, {"case": case, "title": title}, values)


def contacts(tally, case, people) -> None:
    """``people``: (name, role, job_title, phone, email) in the paper's order."""
    from commissioning.models import CaseContact

    for order, (name, role, job_title, phone, email) in enumerate(people, start=1):
        upsert(
            tally,
            CaseContact,
            {"case": case, "name": name},
            {"role": role, "job_title": job_title, "phone": phone, "email": email, "order": order},
        )


def documents(tally, case, kind, items) -> None:
    """``items``: (label, title, url) in the paper's order."""
    from commissioning.models import CaseDocument

    for order, (label, title, url) in enumerate(items, start=1):
        upsert(
            tally,
            CaseDocument,
            {"case": case, "kind": kind, "title": title},
            {"label": label, "url": url, "order": order},
        )


def milestones(tally, case, items) -> None:
    """``items``: (title, body, due_on, precision, completed_on, note)."""
    from commissioning.models import Milestone

    for title, body, due_on, precision, completed_on, note in items:
        upsert(
            tally,
            Milestone,
            {"case": case, "title": title},
            {
                "body": body,
                "due_on": due_on,
                "precision": precision,
                "completed_on": completed_on,
                "note": note,
            },
        )
