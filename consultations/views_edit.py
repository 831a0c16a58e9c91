"""Create and edit pages for consultations; they belong to a case and return to its page."""

from commissioning.models import Case
from commissioning.views.edit import CaseScopedMixin, EditView, find_case_object

from .forms import ConsultationEventFormSet, ConsultationForm, OptionPreferenceFormSet
from .models import Consultation


class ConsultationCreateView(CaseScopedMixin, EditView):
    created_heading = "Add a consultation"
    model = Consultation
    form_class = ConsultationForm
    formset_classes = (ConsultationEventFormSet, OptionPreferenceFormSet)
    created_message = "Consultation added"

    def new_object(self):
        return Consultation(case=self.case)


class ConsultationUpdateView(EditView):
    updated_heading = "Change consultation"
    model = Consultation
    form_class = ConsultationForm
    formset_classes = (ConsultationEventFormSet, OptionPreferenceFormSet)
    updated_message = "Consultation updated"

    def find_object(self):
        queryset = Consultation.objects.filter(case__in=Case.objects.visible_to(self.request.user))
        return find_case_object(
            self.request, queryset.select_related("case"), self.kwargs["pk"], lambda c: c.case
        )

    def get_success_url(self):
        return self.object.case.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.object.case, **kwargs)
