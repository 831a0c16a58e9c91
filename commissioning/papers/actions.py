"""Starting a paper for a case, with the details the case already holds."""

from commissioning.models import DecisionPaper, Milestone, PaperType
from commissioning.paper_types import ensure_default_paper_types

# The meeting a paper type usually goes to, to fill in from the case's timeline.
TYPE_BODIES = {"cabinet-report": Milestone.Body.CABINET, "committee-report": Milestone.Body.SCRUTINY}


def default_paper_type(case) -> PaperType:
    """An FOI case answers with a letter; every other case starts with a cabinet report."""
    ensure_default_paper_types()
    slug = "foi-response" if case.foi_requests.exists() else "cabinet-report"
    return PaperType.objects.get(slug=slug)


def current_paper(case) -> DecisionPaper | None:
    """The paper a case is working on: the newest not superseded by a later draft."""
    return (
        case.papers.filter(superseded_by__isnull=True)
        .select_related("paper_type", "authority")
        .order_by("-pk")
        .first()
    )


def unsaved_default_paper(case) -> DecisionPaper:
    """A paper to print for a case that has none, without writing anything."""
    paper_type = default_paper_type(case)
    foi = case.foi_requests.first() if paper_type.slug == "foi-response" else None
    return DecisionPaper(
        case=case,
        paper_type=paper_type,
        title="Request under the Freedom of Information Act 2000 (FOIA)" if foi else case.title,
        reference=foi.reference if foi else "",
    )


def start_paper(*, case, paper_type=None, by=None) -> DecisionPaper:
    """A new draft of ``paper_type`` (or the case's default); a revision if that type is frozen.

    The meeting and its date come from the case's next undone milestone with the matching body.
    """
    paper_type = paper_type or default_paper_type(case)
    latest = case.papers.filter(paper_type=paper_type, superseded_by__isnull=True).order_by("-pk").first()
    if latest is not None and latest.is_frozen:
        return latest.revise(by=by)
    paper = (
        unsaved_default_paper(case)
        if paper_type.slug == "foi-response"
        else DecisionPaper(case=case, title=case.title)
    )
    paper.paper_type = paper_type
    body = TYPE_BODIES.get(paper_type.slug)
    milestone = (
        case.milestones.filter(body=body, completed_on__isnull=True).order_by("due_on").first()
        if body
        else None
    )
    if milestone is not None:
        paper.meeting = milestone.get_body_display()
        paper.meeting_date = milestone.due_on
    paper.save()
    return paper
