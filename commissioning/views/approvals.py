"""Option appraisal, scoring, approval steps and the case history.

Thin views: each finds the record among those the user may see (404 otherwise), checks what the
user may do (403), calls one model method and redirects. The workflow rules live on the models.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commissioning.approval_forms import (
    CommentForm,
    CriterionForm,
    CriticalSuccessFactorForm,
    DecisionForm,
    ReopenForm,
    ScoreSheetForm,
)
from commissioning.audit import case_history as history_lines
from commissioning.models import (
    ApprovalConflict,
    ApprovalRequest,
    ApprovalStep,
    Case,
    Criterion,
    CriticalSuccessFactor,
    OptionAppraisal,
)
from commissioning.permissions import can_act_on_step, can_edit_case, can_score, require_case_editor
from commissioning.scoring import score_table
from commissioning.views.edit import error_summary


def visible_appraisal(user, pk) -> OptionAppraisal:
    return get_object_or_404(
        OptionAppraisal.objects.filter(case__in=Case.objects.visible_to(user)).select_related(
            "case__lead_commissioner", "recommended_option"
        ),
        pk=pk,
    )


def appraisal_detail(request, pk):
    appraisal = visible_appraisal(request.user, pk)
    case = appraisal.case
    options = list(
        appraisal.options.filter(parent__isnull=True)
        .select_related("failed_factor")
        .prefetch_related("lots__areas")
    )
    requests = list(
        appraisal.approval_requests.select_related("submitted_by", "reopened_by").prefetch_related(
            Prefetch("steps", queryset=ApprovalStep.objects.select_related("decided_by"))
        )
    )
    editable = can_edit_case(request.user, case)
    context = {
        "appraisal": appraisal,
        "case": case,
        "factors": list(case.critical_success_factors.all()),
        "options": options,
        "other_options": [o for o in options if o.pk != appraisal.recommended_option_id],
        "table": score_table(appraisal),
        "requests": requests,
        "can_edit": editable and not appraisal.is_locked,
        "can_score": can_score(request.user, appraisal),
        "can_reopen": editable
        and appraisal.status in (OptionAppraisal.Status.APPROVED, OptionAppraisal.Status.REJECTED),
        "problems": appraisal.submission_problems()
        if editable and appraisal.status == OptionAppraisal.Status.DRAFT
        else [],
    }
    return render(request, "commissioning/appraisal_detail.html", context)


def appraisal_score(request, pk):
    appraisal = visible_appraisal(request.user, pk)
    if not can_score(request.user, appraisal):
        raise PermissionDenied("Only the lead commissioner's officers score a draft appraisal.")
    options = appraisal.short_list()
    form = ScoreSheetForm(request.POST or None, appraisal=appraisal, scorer=request.user, options=options)
    if request.method == "POST" and form.is_valid():
        kept = form.save()
        messages.success(request, f"Your scores were saved ({kept} marks).")
        return redirect(appraisal)
    return render(
        request,
        "commissioning/appraisal_score_form.html",
        {
            "form": form,
            "appraisal": appraisal,
            "case": appraisal.case,
            "heading": "Score the short-listed options",
            "error_summary": error_summary(form) if form.is_bound else [],
        },
    )


def _small_form(request, *, appraisal_or_case, form, heading, on_valid, template, back):
    if request.method == "POST" and form.is_valid():
        try:
            return on_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
    case = appraisal_or_case if isinstance(appraisal_or_case, Case) else appraisal_or_case.case
    return render(
        request,
        template,
        {
            "form": form,
            "case": case,
            "heading": heading,
            "back": back,
            "error_summary": error_summary(form) if form.is_bound else [],
        },
    )


def criterion_create(request, pk):
    appraisal = visible_appraisal(request.user, pk)
    if not can_score(request.user, appraisal):
        raise PermissionDenied("Only the lead commissioner's officers change a draft appraisal.")
    form = CriterionForm(request.POST or None, instance=Criterion(appraisal=appraisal))

    def save(form):
        criterion = form.save()
        messages.success(request, f"Criterion “{criterion.name}” added.")
        return redirect(appraisal)

    return _small_form(
        request,
        appraisal_or_case=appraisal,
        form=form,
        heading="Add a scoring criterion",
        on_valid=save,
        template="commissioning/appraisal_criterion_form.html",
        back=appraisal.get_absolute_url(),
    )


def factor_create(request, pk):
    appraisal = visible_appraisal(request.user, pk)
    if not can_score(request.user, appraisal):
        raise PermissionDenied("Only the lead commissioner's officers change a draft appraisal.")
    form = CriticalSuccessFactorForm(
        request.POST or None, instance=CriticalSuccessFactor(case=appraisal.case)
    )

    def save(form):
        factor = form.save()
        messages.success(request, f"Critical success factor “{factor.name}” added.")
        return redirect(appraisal)

    return _small_form(
        request,
        appraisal_or_case=appraisal,
        form=form,
        heading="Add a critical success factor",
        on_valid=save,
        template="commissioning/appraisal_criterion_form.html",
        back=appraisal.get_absolute_url(),
    )


@require_POST
def appraisal_submit(request, pk):
    appraisal = visible_appraisal(request.user, pk)
    try:
        appraisal.submit(by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Submitted for approval. The finance and legal officers have been told.")
    return redirect(appraisal)


def appraisal_reopen(request, pk):
    appraisal = visible_appraisal(request.user, pk)
    require_case_editor(request.user, appraisal.case)
    form = ReopenForm(request.POST or None)

    def reopen(form):
        appraisal.reopen(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "The appraisal is reopened as a draft; it must be approved again.")
        return redirect(appraisal)

    return _small_form(
        request,
        appraisal_or_case=appraisal,
        form=form,
        heading=f"Reopen “{appraisal.title}”",
        on_valid=reopen,
        template="commissioning/appraisal_reopen_form.html",
        back=appraisal.get_absolute_url(),
    )


def approval_step(request, pk):
    step = get_object_or_404(
        ApprovalStep.objects.filter(request__case__in=Case.objects.visible_to(request.user)).select_related(
            "request__case__lead_commissioner",
            "request__appraisal__recommended_option",
            "request__paper",
            "request__submitted_by",
            "decided_by",
        ),
        pk=pk,
    )
    request_ = step.request
    form_class = DecisionForm if step.kind == ApprovalStep.Kind.DECISION else CommentForm
    form = form_class(request.POST or None, initial={"version": step.version})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if step.kind == ApprovalStep.Kind.DECISION:
                    step.decide(
                        by=request.user,
                        decision=data["decision"],
                        reason=data["reason"],
                        version=data["version"],
                    )
                else:
                    step.add_comment(by=request.user, text=data["comment"], version=data["version"])
            except ApprovalConflict as conflict:
                messages.error(request, conflict.messages[0])
                return redirect(step)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                done = (
                    "recorded"
                    if step.kind != ApprovalStep.Kind.DECISION
                    else step.get_decision_display().lower()
                )
                messages.success(request, f"{step.get_kind_display()} on “{request_.subject}”: {done}.")
                return redirect("commissioning:dashboard")
    steps = list(ApprovalRequest.objects.get(pk=request_.pk).steps.select_related("decided_by"))
    return render(
        request,
        "commissioning/approval_step.html",
        {
            "step": step,
            "approval": request_,
            "case": request_.case,
            "steps": steps,
            "form": form,
            "can_act": can_act_on_step(request.user, step),
            "refusal": "" if step.decision else step.refusal_for(request.user),
            "waiting_on": [s for s in steps if s.order < step.order and not s.decision],
            "error_summary": error_summary(form) if form.is_bound else [],
        },
    )


def case_history(request, reference):
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    return render(request, "commissioning/case_history.html", {"case": case, "lines": history_lines(case)})
