"""Create and edit forms for contracts and their extension options and break clauses."""

from django import forms
from django.core.exceptions import ValidationError

from commissioning.fields import GovukDateField, GovukMessagesMixin, MoneyField, govuk_formfield
from commissioning.forms import RowsFormSet, commissioners, drop_empty_choices, providers, rows_formset
from commissioning.models import Case, Service

from .models import Contract, ContractTermOption


class ContractForm(GovukMessagesMixin, forms.ModelForm):
    """A contract. Its lead commissioner is the officer's own organisation, set by the view."""

    starts_on = GovukDateField(label="Start date (optional)", required=False)
    ends_on = GovukDateField(
        label="End date of the initial term (optional)",
        required=False,
        help_text="Leave empty to work it out from the initial term",
    )
    published_on = GovukDateField(
        label="Date published under the Transparency Code (optional)", required=False
    )
    annual_value = MoneyField(label="Annual value (optional)", required=False)

    class Meta:
        model = Contract
        formfield_callback = govuk_formfield
        fields = [
            "reference",
            "title",
            "case",
            "status",
            "starts_on",
            "initial_term_months",
            "ends_on",
            "annual_value",
            "commissioners",
            "providers",
            "brand_name",
            "services",
            "procurement_route",
            "framework_name",
            "route_rationale",
            "term_note",
            "published_on",
        ]
        labels = {
            "reference": "Reference",
            "title": "Title",
            "case": "Commissioning case (optional)",
            "initial_term_months": "Initial term in months (optional)",
            "commissioners": "Partner commissioners",
            "providers": "Providers",
            "brand_name": "Brand name (optional)",
            "services": "Services delivered",
            "procurement_route": "Procurement route",
            "framework_name": "Framework (optional)",
            "route_rationale": "Why this route (required for a direct award)",
            "term_note": "Note on the term (optional)",
        }
        help_texts = {
            "commissioners": "Commissioners paying into the contract besides the lead",
            "route_rationale": "",
        }
        widgets = {
            "status": forms.RadioSelect,
            "procurement_route": forms.RadioSelect,
            "initial_term_months": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            ),
            "commissioners": forms.CheckboxSelectMultiple,
            "providers": forms.CheckboxSelectMultiple,
            "services": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, cases=None, services=None, lead_commissioner=None, choose_lead=False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_lead:
            # Only for an administrator without an organisation of their own.
            self.fields = {
                "lead_commissioner": forms.ModelChoiceField(commissioners(), label="Lead commissioner"),
                **self.fields,
            }
            self.initial.setdefault("lead_commissioner", self.instance.lead_commissioner_id)
        self.fields["case"].queryset = cases if cases is not None else Case.objects.none()
        lead_id = lead_commissioner.pk if lead_commissioner else self.instance.lead_commissioner_id
        self.fields["commissioners"].queryset = commissioners().exclude(pk=lead_id)
        self.fields["commissioners"].required = False
        self.fields["providers"].queryset = providers()
        self.fields["providers"].required = False
        self.fields["services"].queryset = services if services is not None else Service.objects.none()
        self.fields["services"].required = False
        for name in ("commissioners", "providers", "services"):
            self.fields[name].widget.small = True
        drop_empty_choices(self, "commissioners", "providers", "services")
        if self.instance.pk:
            # The reference is in the contract's address and in the transparency register.
            self.fields["reference"].disabled = True
            self.fields["reference"].help_text = "The reference cannot be changed once the contract exists"
        else:
            self.fields["reference"].help_text = "Short and lower case, used in addresses: notts-dv-north"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lead_commissioner"):
            self.instance.lead_commissioner = cleaned["lead_commissioner"]
        return cleaned


class ContractTermOptionForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = ContractTermOption
        formfield_callback = govuk_formfield
        fields = ["kind", "months", "note"]
        labels = {"kind": "Kind", "months": "Length in months", "note": "Note (optional)"}
        widgets = {
            "kind": forms.RadioSelect,
            "months": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        }


class BaseContractTermOptionFormSet(RowsFormSet):
    heading = "Extensions and break clauses"
    legend = "Extension or break clause"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() and f not in self.deleted_forms]
        if kept and not self.instance.has_term:
            self.error_anchor = kept[0]["months"].auto_id
            raise ValidationError(
                "Give the contract a start date and an initial term or end date before adding an "
                "extension or break clause",
                code="no_term",
            )

    def save(self, commit=True):
        # Extensions follow one another in the order listed: "2 + 1 + 1 + 1".
        saved = super().save(commit=commit)
        kept = [f.instance for f in self.forms if f.instance.pk and f not in self.deleted_forms]
        for position, option in enumerate(kept):
            if option.order != position:
                option.order = position
                option.save(update_fields=["order"])
        return saved


ContractTermOptionFormSet = rows_formset(
    Contract, ContractTermOption, form=ContractTermOptionForm, formset=BaseContractTermOptionFormSet
)
