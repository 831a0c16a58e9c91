"""What officers do to a paper: start it with the details the case holds, send it for approval,
take it back, and print a failed version again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commissioning.models import ApprovalRequest, DecisionPaper, Milestone, PaperType, PaperVersion
from commissioning.paper_types import ensure_default_paper_types
from commissioning.permissions import require_case_editor

from .context import paper_context
from .render import render_live_html
from .tasks import render_version_pdf

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


def start_paper(*, case, paper_type=None, by=None, decision=None) -> DecisionPaper:
    """A new draft of ``paper_type`` (or the case's default); a revision if that type is frozen.

    For a decision, the paper takes its title, reference, meeting and date from the decision;
    otherwise the meeting and its date come from the case's next undone milestone with the
    matching body.
    """
    paper_type = paper_type or default_paper_type(case)
    latest = (
        case.papers.filter(paper_type=paper_type, decision=decision, superseded_by__isnull=True)
        .order_by("-pk")
        .first()
    )
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
    if decision is not None:
        paper.decision = decision
        paper.title = decision.title
        paper.reference = decision.reference
        paper.authority = decision.authority
        paper.meeting = str(decision.maker or "")
        paper.meeting_date = decision.meeting_date or decision.decided_on
        paper.report_of = decision.maker_name
    paper.save()
    return paper


# The approval path: submit, finance and legal comments, the approver's decision, then final.
@transaction.atomic
def submit_paper(*, paper: DecisionPaper, by) -> ApprovalRequest:
    """Send a draft to the finance and legal officers and the approver.

    Only the lead commissioner's officers submit, only a draft with every required section
    filled, and only once at a time. The request keeps the fingerprint of the content sent, so a
    paper changed after approval cannot be marked final on that approval.
    """
    require_case_editor(by, paper.case)
    locked = DecisionPaper.objects.select_for_update().get(pk=paper.pk)
    if locked.is_frozen:
        raise ValidationError(f"This paper is already {locked.get_status_display().lower()}.")
    if locked.pending_approval() is not None:
        raise ValidationError("This paper is already with the approvers.")
    context = paper_context(locked)
    missing = [s["heading"] for s in context["sections"] if s["required"] and s["empty"]]
    if missing:
        raise ValidationError("Fill in the required sections before submitting: " + ", ".join(missing) + ".")
    return ApprovalRequest.start(case=locked.case, by=by, paper=locked, content_hash=context["content_hash"])


@transaction.atomic
def withdraw_paper(*, paper: DecisionPaper, by) -> ApprovalRequest:
    """Take a paper back from the approvers to change it; it must be submitted again."""
    require_case_editor(by, paper.case)
    request = paper.pending_approval()
    if request is None:
        raise ValidationError("This paper is not waiting for approval.")
    request.withdraw(by=by)
    return request


def retry_version(*, version: PaperVersion, by) -> PaperVersion:
    """Queue a failed version's PDF again, from the same HTML snapshot."""
    require_case_editor(by, version.paper.case)
    updated = PaperVersion.objects.filter(pk=version.pk, status=PaperVersion.Status.FAILED).update(
        status=PaperVersion.Status.QUEUED, error="", requested_at=timezone.now()
    )
    if not updated:
        raise ValidationError("Only a version that could not be printed can be tried again.")
    result = render_version_pdf.enqueue(version.pk)
    PaperVersion.objects.filter(pk=version.pk).update(task_id=str(result.id))
    version.refresh_from_db()
    return version


# Versions and finalising. Models hold the rules (``final_problems``); rendering and the worker
# are called from here, so a model never imports them.
@transaction.atomic
def generate_version(paper: DecisionPaper, *, by=None, allow_frozen: bool = False) -> PaperVersion:
    """Snapshot the paper's HTML now and queue its PDF; or, when the data and the HTML are the
    same as the latest version's (and that one did not fail), return that version, its ``reused``
    set, without printing the same PDF again.

    The HTML is fast to make and fixes what the version shows; the PDF is laid out from that
    HTML by a background task, so a long paper never holds up a web worker.
    """
    if paper.is_frozen and not allow_frozen:
        raise ValidationError(
            "This paper is final and cannot change. Start a new draft to take in later changes."
        )
    paper = DecisionPaper.objects.select_for_update().get(pk=paper.pk)
    html, data_hash = render_live_html(paper)
    latest = paper.versions.order_by("-number").first()
    if (
        latest is not None
        and latest.data_hash == data_hash
        and latest.html == html
        and latest.status != PaperVersion.Status.FAILED
    ):
        # Nothing has changed since: the version made (or being made) from the same HTML stands.
        latest.reused = True
        return latest
    last = paper.versions.aggregate(Max("number"))["number__max"] or 0
    user = by if by is not None and by.is_authenticated else None
    version = PaperVersion.objects.create(
        paper=paper,
        number=last + 1,
        html=html,
        data_hash=data_hash,
        generated_by=user,
        generated_by_name=(user.get_full_name() or user.get_username()) if user else "",
    )
    result = render_version_pdf.enqueue(version.pk)
    PaperVersion.objects.filter(pk=version.pk).update(task_id=str(result.id))
    version.refresh_from_db()
    return version


@transaction.atomic
def mark_final(*, paper: DecisionPaper, by) -> PaperVersion:
    """Freeze the paper as it now stands.

    Refuses unless every required section is filled, the finance, legal and decision steps of an
    approval request on this paper are decided, and the paper is still what was submitted for
    approval. Stores a last version (its HTML now; its PDF from a background task) which is the
    paper from then on.
    """
    problems = paper.final_problems(paper_context(paper))
    if problems:
        if paper.is_frozen:
            raise ValidationError(problems)
        raise ValidationError(["This paper cannot be marked final yet.", *problems])
    paper.freeze()
    return generate_version(paper, by=by, allow_frozen=True)
