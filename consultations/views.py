"""The consultations register and a consultation's page."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from commissioning.permissions import can_edit_case
from commissioning.views.registers import RegisterView

from .analysis import analyse, chosen_quotes, theme_counts
from .charts import preferences_chart, themes_chart
from .exports import ConsultationExport
from .filters import ConsultationFilter
from .models import Consultation, OptionPreference, Response
from .outcomes import figures_for, gunning_checklist, rows_of, statement
from .tables import ConsultationTable


class ConsultationListView(RegisterView):
    model = Consultation
    table_class = ConsultationTable
    filterset_class = ConsultationFilter
    register_title = "Consultations"
    register_noun = "consultations"
    export_name = "consultations"
    export_class = ConsultationExport

    def get_queryset(self):
        return (
            Consultation.objects.visible_to(self.request.user)
            .select_related("case__lead_commissioner")
            .order_by("-ends_on", "pk")
        )


class ConsultationDetailView(DetailView):
    model = Consultation

    def get_queryset(self):
        preferences = OptionPreference.objects.select_related("option").order_by("option__order", "pk")
        return (
            Consultation.objects.visible_to(self.request.user)
            .select_related("case__lead_commissioner", "impact_assessment_document")
            .prefetch_related("events", Prefetch("preferences", queryset=preferences))
        )

    def get_context_data(self, **kwargs):
        consultation = self.object
        recent = Response.objects.filter(consultation=consultation).select_related("option", "area")
        analysis = analyse(consultation)
        themes = theme_counts(consultation) if analysis else None
        rows = rows_of(consultation)
        return super().get_context_data(
            analysis=analysis,
            preferences_chart=preferences_chart(analysis) if analysis else "",
            themes=themes,
            themes_chart=themes_chart(themes) if themes else "",
            quotes=chosen_quotes(consultation) if analysis else [],
            statement=statement(consultation, rows, figures_for(consultation, analysis)),
            checklist=gunning_checklist(consultation, rows),
            recent_responses=list(recent.order_by("-pk")[:RECENT]),
            can_edit=can_edit_case(self.request.user, consultation.case),
            **kwargs,
        )


RECENT = 20  # responses listed on the consultation's page, newest first
