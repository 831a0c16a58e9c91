"""Decision paper pages: the preview, the PDF and its versions, section editing, finalising.

Every paper is reached through ``DecisionPaper.objects.visible_to(user)``: another
organisation's paper answers 404. Changing a paper is for the lead commissioner's officers.
PDFs are laid out by a background task; a page asking for one that is not ready shows
progress instead of waiting.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commissioning import concurrency
from commissioning.models import ApprovalStep, Case, DecisionPaper, PaperVersion
from commissioning.papers import actions
from commissioning.papers import render as paper_render
from commissioning.papers.context import paper_context
from commissioning.papers.forms import PaperCreateForm, PaperDetailsForm, SectionTextForm
from commissioning.permissions import can_edit_case, require_case_editor
from commissioning.tasks_status import waited_too_long
from commissioning.views.edit import EditView, error_summary


def _paper(request, pk) -> DecisionPaper:
    papers = DecisionPaper.objects.visible_to(request.user).select_related("case", "paper_type", "authority")
    return get_object_or_404(papers, pk=pk)


def _pdf_response(version: PaperVersion) -> FileResponse:
    filename = f"{version.paper.case.reference}-paper-{version.paper_id}-v{version.number}.pdf"
    return FileResponse(
        version.pdf.open("rb"), content_type="application/pdf", filename=filename, as_attachment=True
    )


def current_ready_version(paper: DecisionPaper, data_hash: str) -> PaperVersion | None:
    """The PDF that is the paper now: the frozen one, or a draft's version made from the same data."""
    frozen = paper.frozen_version()
    if frozen is not None:
        return frozen
    return paper.versions.filter(data_hash=data_hash).exclude(status=PaperVersion.Status.FAILED).first()


def paper_detail(request, pk):
    paper = _paper(request, pk)
    versions = list(paper.versions.all())
    context = paper_context(paper)
    frozen = paper.frozen_version()
    if frozen is not None:
        html = frozen.html
    else:
        html = paper_render.template_for(context["paper"]["type"]).render(context)
    latest = versions[0] if versions else None
    current = current_ready_version(paper, context["data_hash"])
    missing_sections, missing_approvals = (
        paper.missing_for_final(context) if not paper.is_frozen else ([], [])
    )
    pending_approval = paper.pending_approval()
    requests = list(
        paper.approval_requests.select_related("submitted_by").prefetch_related(
            Prefetch("steps", queryset=ApprovalStep.objects.select_related("decided_by"))
        )
    )
    editable = can_edit_case(request.user, paper.case)
    queued = latest is not None and latest.status == PaperVersion.Status.QUEUED
    stalled = queued and waited_too_long(latest.requested_at)
    return render(
        request,
        "commissioning/paper_detail.html",
        {
            "paper": paper,
            "case": paper.case,
            "preview": paper_render.paper_fragment(html),
            "sections": context["sections"],
            "versions": versions,
            "latest": latest,
            "current": current if current is not None and current.is_ready else None,
            "pending": any(v.is_pending for v in versions),
            "stalled": stalled,
            "is_current": latest is not None and latest.data_hash == context["data_hash"],
            "data_changed": frozen is not None and frozen.data_hash != context["data_hash"],
            "can_edit": editable,
            "can_change_text": editable and not paper.is_frozen and pending_approval is None,
            "details": paper_details(paper),
            "missing_sections": missing_sections,
            "missing_approvals": missing_approvals,
            "changed_since_submitted": not missing_approvals
            and not paper.is_frozen
            and paper.changed_since_submitted(context),
            "approval_requests": requests,
            "pending_approval": pending_approval,
            "can_submit": editable and not paper.is_frozen and pending_approval is None,
        },
    )


def paper_pdf(request, pk):
    """The paper's PDF as it stands: the frozen one, or a draft's version made from today's data.

    A GET never writes: when no such PDF exists yet, the paper page says so and offers
    "Generate paper" (a POST, for the lead commissioner's officers).
    """
    paper = _paper(request, pk)
    version = current_ready_version(paper, paper_context(paper)["data_hash"])
    if version is not None and version.is_ready:
        return _pdf_response(version)
    if version is not None and version.is_pending:
        messages.info(
            request, f"Version {version.number} of the PDF is being prepared. This page updates itself."
        )
    elif can_edit_case(request.user, paper.case):
        messages.info(request, "No PDF of the paper as it stands yet: choose “Generate paper”.")
    else:
        messages.info(
            request,
            "No PDF of the paper as it stands yet. The lead commissioner's officers can generate one.",
        )
    return redirect(paper)


@require_POST
def paper_version_create(request, pk):
    paper = _paper(request, pk)
    require_case_editor(request.user, paper.case)
    try:
        version = actions.generate_version(paper, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if getattr(version, "reused", False):
            messages.success(
                request, f"Nothing has changed since version {version.number}: it is still current."
            )
        else:
            messages.success(request, f"Version {version.number} generated.")
    return redirect(paper)


def paper_version_download(request, pk, number):
    paper = _paper(request, pk)
    version = get_object_or_404(paper.versions, number=number)
    if not version.is_ready:
        raise Http404("This version's PDF is not ready.")
    return _pdf_response(version)


def paper_section_update(request, pk, key):
    paper = _paper(request, pk)
    require_case_editor(request.user, paper.case)
    definition = get_object_or_404(paper.paper_type.sections, key=key)
    refusal = refusal_to_change(paper)
    if refusal:
        messages.error(request, refusal)
        return redirect(paper)
    section = paper.section_texts.filter(key=key).first()
    form = SectionTextForm(request.POST or None, initial={"body": section.body if section else ""})

    def stored():
        return list(paper.section_texts.filter(key=key))

    record_version = request.POST.get(concurrency.FIELD_NAME) or concurrency.token_for(stored())
    if request.method == "POST" and form.is_valid():
        seen = concurrency.read_token(record_version)
        with transaction.atomic():
            DecisionPaper.objects.select_for_update().filter(pk=paper.pk).first()
            changes = concurrency.changes_since(seen, stored()) if seen is not None else []
            if not changes:
                paper.section_texts.update_or_create(key=key, defaults={"body": form.cleaned_data["body"]})
        if not changes:
            messages.success(request, f"“{definition.heading}” saved.")
            return redirect(f"{paper.get_absolute_url()}#section-{key}")
        for line in concurrency.stale_message(changes):
            form.add_error(None, line)
        record_version = concurrency.token_for(stored())
    return render(
        request,
        "commissioning/paper_section_form.html",
        {
            "paper": paper,
            "case": paper.case,
            "definition": definition,
            "form": form,
            "heading": definition.heading,
            "error_summary": error_summary(form),
            "record_version": record_version,
        },
    )


def paper_details(paper) -> list[tuple[str, str]]:
    """The details the paper's front page shows, labelled as their form labels them."""
    form = PaperDetailsForm(instance=paper)
    rows = []
    for name in PaperDetailsForm.Meta.fields:
        value = getattr(paper, name)
        if name == "meeting_date" and value:
            value = f"{value.day} {value:%B %Y}"
        rows.append((str(form.fields[name].label).replace(" (optional)", ""), value or ""))
    return rows


def refusal_to_change(paper) -> str:
    """Why the paper cannot change now, or "" (its texts and details change only while a draft
    that is not with the approvers)."""
    if paper.is_frozen:
        return "This paper is final and cannot change. Start a new draft to edit it."
    if paper.pending_approval() is not None:
        return "This paper is with the approvers. Withdraw it from approval to change it."
    return ""


class PaperDetailsUpdateView(EditView):
    """The meeting, "report of", signature, reference and wards, from the paper page."""

    model = DecisionPaper
    form_class = PaperDetailsForm
    template_name = "commissioning/paper_details_form.html"
    updated_heading = "Change the paper's details"
    updated_message = "Paper details saved"

    def dispatch(self, request, *args, **kwargs):
        paper = _paper(request, kwargs["pk"])
        require_case_editor(request.user, paper.case)
        refusal = refusal_to_change(paper)
        if refusal:
            messages.error(request, refusal)
            return redirect(paper)
        self.paper = paper
        return super().dispatch(request, *args, **kwargs)

    def find_object(self):
        return self.paper

    def save(self, form, formsets):
        # Checked again under the row lock: the paper may have been submitted since the page was shown.
        refusal = refusal_to_change(DecisionPaper.objects.get(pk=self.paper.pk))
        if refusal:
            raise ValidationError(refusal)
        return super().save(form, formsets)

    def form_valid(self, form, formsets):
        try:
            return super().form_valid(form, formsets)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return None

    def get_success_url(self):
        return f"{self.paper.get_absolute_url()}#details"

    def get_context_data(self, **kwargs):
        return super().get_context_data(paper=self.paper, case=self.paper.case, **kwargs)


@require_POST
def paper_mark_final(request, pk):
    paper = _paper(request, pk)
    require_case_editor(request.user, paper.case)
    try:
        actions.mark_final(paper=paper, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The paper is final. Its PDF is kept as it is now.")
    return redirect(paper)


@require_POST
def paper_revise(request, pk):
    paper = _paper(request, pk)
    require_case_editor(request.user, paper.case)
    try:
        draft = paper.revise(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(paper)
    messages.success(request, "A new draft has been started from the final paper.")
    return redirect(draft)


def paper_generate(request, reference):
    """Start a paper for a case: the chosen type, or the case's default."""
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    if not can_edit_case(request.user, case):
        raise PermissionDenied("Only the lead commissioner's officers can start a paper.")
    initial = {"paper_type": actions.default_paper_type(case), "decision": request.GET.get("decision")}
    form = PaperCreateForm(request.POST or None, initial=initial, case=case)
    if request.method == "POST":
        chosen = form.cleaned_data["paper_type"] if form.is_valid() else None
        decision = form.cleaned_data.get("decision") if form.is_valid() else None
        if form.is_valid() or not request.POST.get("paper_type"):
            paper = actions.start_paper(case=case, paper_type=chosen, by=request.user, decision=decision)
            messages.success(request, f"Paper started: {paper.paper_type}.")
            return redirect(paper)
    return render(
        request,
        "commissioning/paper_generate.html",
        {"case": case, "form": form, "heading": "Generate a paper", "error_summary": error_summary(form)},
    )


def _paper_action(request, pk, action, done: str):
    """POST-only paper transitions: run ``action`` and say what happened, or why not."""
    paper = _paper(request, pk)
    require_case_editor(request.user, paper.case)
    try:
        action(paper)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(paper)


@require_POST
def paper_submit(request, pk):
    return _paper_action(
        request,
        pk,
        lambda paper: actions.submit_paper(paper=paper, by=request.user),
        "Submitted for approval. The finance and legal officers have been told.",
    )


@require_POST
def paper_withdraw(request, pk):
    return _paper_action(
        request,
        pk,
        lambda paper: actions.withdraw_paper(paper=paper, by=request.user),
        "Withdrawn from approval. Submit it again once it is ready.",
    )


@require_POST
def paper_version_retry(request, pk, number):
    paper = _paper(request, pk)
    version = get_object_or_404(paper.versions, number=number)
    return _paper_action(
        request,
        pk,
        lambda paper: actions.retry_version(version=version, by=request.user),
        f"Version {number} is queued to be printed again.",
    )
