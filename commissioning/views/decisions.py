"""Decision pages: the record of one decision, and its create and edit pages.

A decision belongs to a case; seeing it follows the case (404 otherwise), changing it is for the
lead commissioner's officers (403 otherwise).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from commissioning.decision_forms import (
    DecisionForm,
    DelegationFormSet,
    MemberQuestionFormSet,
    ResolutionFormSet,
)
from commissioning.fields import GovukMessagesMixin
from commissioning.models import Case, Decision, MeetingBody
from commissioning.permissions import can_edit_case, is_editor
from commissioning.views.edit import (
    CaseScopedMixin,
    EditView,
    error_summary,
    find_case_object,
    user_organisation,
)


class DecisionEditMixin:
    model = Decision
    form_class = DecisionForm
    formset_classes = (ResolutionFormSet, DelegationFormSet, MemberQuestionFormSet)
    template_name = "commissioning/decision_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_success_url(self):
        return self.object.get_absolute_url()


class DecisionCreateView(DecisionEditMixin, CaseScopedMixin, EditView):
    created_heading = "Add a decision"
    created_message = "Decision added"

    def new_object(self):
        return Decision(case=self.case)


class DecisionUpdateView(DecisionEditMixin, EditView):
    updated_heading = "Change decision"
    updated_message = "Decision updated"

    def find_object(self):
        queryset = Decision.objects.filter(case__in=Case.objects.visible_to(self.request.user))
        decision = find_case_object(
            self.request, queryset.select_related("case"), self.kwargs["pk"], lambda d: d.case
        )
        self.case = decision.case
        return decision

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, **kwargs)


def decision_detail(request, pk):
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "case__lead_commissioner", "authority", "maker", "appraisal", "uses_delegation__decision"
        ),
        pk=pk,
    )
    case = decision.case
    delegations = list(decision.delegations.all())
    return render(
        request,
        "commissioning/decision_detail.html",
        {
            "decision": decision,
            "case": case,
            "resolution": list(decision.resolution.all()),
            "proposed": [d for d in delegations if d.stage == "proposed"],
            "resolved": [d for d in delegations if d.stage == "resolved"],
            "questions": list(decision.questions.all()),
            "alternatives": alternatives_of(decision),
            "papers": list(decision.papers.select_related("paper_type")),
            "contracts": list(decision.contracts.all()),
            "milestones": list(decision.milestones.all()),
            "uses": list(Decision.objects.filter(uses_delegation__decision=decision).in_order()),
            "can_edit": can_edit_case(request.user, case),
        },
    )


def alternatives_of(decision) -> list[dict]:
    """The options considered and rejected: the appraisal's other options with why, then any text."""
    rejected = []
    if decision.appraisal is not None:
        for option in decision.appraisal.other_options():
            rejected.append({"name": str(option), "why": option.why_not_chosen})
    return rejected


class MeetingBodyForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = MeetingBody
        fields = ["name", "kind"]
        labels = {"name": "Name", "kind": "What kind of body"}
        help_texts = {"name": "As your organisation names it: Cabinet, Adults and Health Committee"}
        widgets = {"kind": forms.RadioSelect}

    def validate_unique(self):
        # The organisation is set by the view; say so in words if the name is taken.
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error("name", "Your organisation already has a body with this name")


def meeting_bodies(request):
    """The user's organisation's meeting bodies, and a form to add one (its officers and
    administrators). Decisions choose their decision maker from these."""
    organisation = user_organisation(request.user)
    if organisation is None:
        raise Http404("Only staff of an organisation have meeting bodies.")
    editable = is_editor(request.user)
    form = MeetingBodyForm(request.POST or None, instance=MeetingBody(organisation=organisation))
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Only officers and administrators add meeting bodies.")
        if form.is_valid():
            body = form.save()
            messages.success(request, f"“{body.name}” added.")
            return redirect("commissioning:meeting-body-list")
    return render(
        request,
        "commissioning/meeting_body_list.html",
        {
            "organisation": organisation,
            "bodies": list(organisation.meeting_bodies.all()),
            "form": form if editable else None,
            "heading": "Meeting bodies and decision makers",
            "error_summary": error_summary(form) if form.is_bound else [],
        },
    )
