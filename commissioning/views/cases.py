"""The case page: one commissioning exercise, everything about it on one screen."""

from datetime import date

from django.views.generic import DetailView

from commissioning import case_page
from commissioning.permissions import can_edit_case


class CaseDetailView(DetailView):
    slug_field = "reference"
    slug_url_kwarg = "reference"
    context_object_name = "case"

    def get_queryset(self):
        # Another organisation's case is not in the queryset, so its address answers 404.
        return case_page.case_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        case = self.object
        today = date.today()
        return super().get_context_data(
            today=today,
            can_edit=can_edit_case(self.request.user, case),
            timeline=case_page.milestone_timeline(case, today),
            services=case_page.services_with_funding(case),
            appraisals=case_page.appraisals_with_options(case),
            **kwargs,
        )
