"""The contracts register and a contract's page."""

from django.views.generic import DetailView

from commissioning.models import Case
from commissioning.views.registers import RegisterView

from .exports import ContractExport
from .filters import ContractFilter
from .models import Contract
from .tables import ContractTable
from .views_edit import can_edit_contract


class ContractListView(RegisterView):
    model = Contract
    table_class = ContractTable
    filterset_class = ContractFilter
    register_title = "Contracts"
    register_noun = "contracts"
    export_name = "contracts"
    export_class = ContractExport

    def get_queryset(self):
        return (
            Contract.objects.visible_to(self.request.user)
            .select_related("lead_commissioner")
            # Ends and values read the options, value lines, lots and notices.
            .with_values()
            .prefetch_related("providers")
            .order_by("ends_on", "reference")
        )


class ContractDetailView(DetailView):
    model = Contract
    slug_field = "reference"
    slug_url_kwarg = "reference"

    def get_queryset(self):
        return (
            Contract.objects.visible_to(self.request.user)
            .select_related("lead_commissioner", "case")
            .prefetch_related(
                "providers",
                "commissioners",
                "term_options__decision",
                "value_lines__term_option",
                "tender_notices",
                "services",
                "lots__areas",
                "lots__providers",
            )
        )

    def get_context_data(self, **kwargs):
        # A contract can be visible (the user's organisation leads it) while its case is not.
        case = self.object.case
        case_visible = (
            case is not None and Case.objects.visible_to(self.request.user).filter(pk=case.pk).exists()
        )
        contract = self.object
        periods = [{"period": p, "value": contract.period_value(p)} for p in contract.periods()]
        chain = contract.chain()
        visible = set(
            Contract.objects.visible_to(self.request.user)
            .filter(pk__in=[c.pk for c in chain])
            .values_list("pk", flat=True)
        )
        return super().get_context_data(
            case_visible=case_visible,
            periods=periods,
            chain=[{"contract": c, "visible": c.pk in visible} for c in chain] if len(chain) > 1 else [],
            successors=list(contract.successors.visible_to(self.request.user)),
            can_edit=can_edit_contract(self.request.user, contract),
            **kwargs,
        )
