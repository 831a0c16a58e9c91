"""Create and edit pages for contracts, with their extension options as an inline formset."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from commissioning.models import Case, Service
from commissioning.permissions import EDITOR_ROLES, can_edit_case, editable_cases, profile_of, require_editor
from commissioning.views.edit import EditView, delete_page, user_organisation

from .forms import ContractForm, ContractTermOptionFormSet, LotFormSet, TenderNoticeFormSet, ValueLineFormSet
from .models import Contract, Lot


def can_edit_contract(user, contract: Contract) -> bool:
    """Officers of the lead commissioner, or of the lead of the contract's case."""
    if user.is_superuser:
        return True
    profile = profile_of(user)
    if not profile or profile.role not in EDITOR_ROLES:
        return False
    if contract.lead_commissioner_id == profile.organisation_id:
        return True
    return contract.case is not None and can_edit_case(user, contract.case)


class ContractEditMixin:
    model = Contract
    form_class = ContractForm
    formset_classes = (ContractTermOptionFormSet, ValueLineFormSet, LotFormSet, TenderNoticeFormSet)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        instance = kwargs["instance"]
        # The officer's own cases, and a case already chosen even where this officer does not lead it.
        cases = Case.objects.filter(Q(pk__in=editable_cases(user)) | Q(pk=instance.case_id))
        # Services in scope of those cases, and those the contract already names.
        services = Service.objects.filter(
            Q(pk__in=Service.objects.filter(cases__in=cases).values("pk"))
            | Q(pk__in=instance.services.values("pk") if instance.pk else [])
        )
        lead = user_organisation(user) if instance.pk is None else instance.lead_commissioner
        kwargs.update(
            cases=cases.order_by("reference"),
            services=services.order_by("name"),
            lead_commissioner=lead,
            choose_lead=lead is None,
        )
        return kwargs

    def get_success_url(self):
        return self.object.get_absolute_url()


class ContractCreateView(ContractEditMixin, EditView):
    created_heading = "Add a contract"
    created_message = "Contract added"

    def dispatch(self, request, *args, **kwargs):
        require_editor(request.user)
        return super().dispatch(request, *args, **kwargs)

    def new_object(self):
        return Contract(lead_commissioner=user_organisation(self.request.user))

    def get_initial(self):
        # "Add a contract" on a case page names the case: ?case=notts-2011.
        reference = self.request.GET.get("case")
        case = editable_cases(self.request.user).filter(reference=reference).first() if reference else None
        return {"case": case.pk} if case else {}


class ContractUpdateView(ContractEditMixin, EditView):
    updated_heading = "Change contract"
    updated_message = "Contract updated"

    def find_object(self):
        contract = get_object_or_404(
            Contract.objects.visible_to(self.request.user).select_related("case"),
            reference=self.kwargs["reference"],
        )
        if not can_edit_contract(self.request.user, contract):
            raise PermissionDenied("Only the lead commissioner's officers can change this contract.")
        return contract


def lot_delete(request, pk):
    """Delete a lot entered by mistake; one awarded to providers stays, and the page says so."""
    lot = get_object_or_404(
        Lot.objects.filter(contract__in=Contract.objects.visible_to(request.user)).select_related(
            "contract__case"
        ),
        pk=pk,
    )
    contract = lot.contract
    if not can_edit_contract(request.user, contract):
        raise PermissionDenied("Only the lead commissioner's officers can change this contract.")
    back = reverse("contracts:contract-detail", args=[contract.reference])
    return delete_page(
        request,
        lot,
        case=contract.case,
        heading=f"Delete the lot “{lot.name}”?",
        what=f"{lot.name}, of {contract.reference} {contract.title}",
        back=back,
        done=f"{back}#lots",
        message=f"Lot “{lot.name}” deleted.",
        blockers=lot.deletion_blockers(),
    )
