"""The consultations register and a consultation's page."""

from django.db.models import Prefetch
from django.views.generic import DetailView

from commissioning.views.registers import RegisterView

from .exports import ConsultationExport
from .filters import ConsultationFilter
from .models import Consultation, OptionPreference
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
            .select_related("case__lead_commissioner")
            .prefetch_related("events", Prefetch("preferences", queryset=preferences))
        )
