"""Decision pages: the record of one decision, and its create and edit pages.

A decision belongs to a case; seeing it follows the case (404 otherwise), changing it is for the
lead commissioner's officers (403 otherwise).
"""

from django.shortcuts import get_object_or_404, render

from commissioning.decision_forms import (
    DecisionForm,
    DelegationFormSet,
    MemberQuestionFormSet,
    ResolutionFormSet,
)
from commissioning.models import Case, Decision
from commissioning.permissions import can_edit_case
from commissioning.views.edit import CaseScopedMixin, EditView, find_case_object


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
