"""Create and edit forms for contracts and their extension options and break clauses."""

from django import forms
from django.core.exceptions import ValidationError

from commissioning.fields import (
    GovukDateField,
    GovukMessagesMixin,
    MoneyField,
    NotPublishedField,
    check_not_published,
    govuk_formfield,
)
from commissioning.forms import RowsFormSet, commissioners, drop_empty_choices, providers, rows_formset
from commissioning.models import Case, Decision, Service

from .models import CONTRACT_UNPUBLISHED_FACTS, Contract, ContractTermOption, Lot, TenderNotice, ValueLine


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
    outcome_on = GovukDateField(label="Date of the outcome (optional)", required=False)
    not_published = NotPublishedField(facts=CONTRACT_UNPUBLISHED_FACTS)
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
            "kind",
            "decision",
            "route_regulation",
            "outcome",
            "outcome_on",
            "outcome_reason",
            "predecessor",
            "relation",
            "extension_notice_months",
            "grant_conditions",
            "payment_schedule",
            "not_published",
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
            "kind": "Contract or grant",
            "decision": "Decision that awarded it (optional)",
            "route_regulation": "Regulation relied on (optional)",
            "outcome": "Procurement outcome",
            "outcome_reason": "Why it did not lead to an award (required unless awarded)",
            "predecessor": "Follows an earlier agreement for the same service (optional)",
            "relation": "How it follows that agreement",
            "extension_notice_months": "Months before the end an extension must be decided (optional)",
            "grant_conditions": "Grant conditions (optional)",
            "payment_schedule": "Payment schedule (optional)",
        }
        help_texts = {
            "commissioners": "Commissioners paying into the contract besides the lead",
            "route_rationale": "",
        }
        widgets = {
            "status": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "relation": forms.RadioSelect,
            "outcome_reason": forms.Textarea(attrs={"rows": 2}),
            "grant_conditions": forms.Textarea(attrs={"rows": 3}),
            "payment_schedule": forms.Textarea(attrs={"rows": 2}),
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
        # The decision that awarded it: one of those cases' decisions.
        self.fields["decision"].queryset = Decision.objects.filter(case__in=self.fields["case"].queryset)
        self.fields["decision"].label_from_instance = lambda d: f"{d} ({d.case.reference})"
        # An earlier agreement of the same lead commissioner, never itself.
        earlier = Contract.objects.filter(
            lead_commissioner_id=lead_commissioner.pk if lead_commissioner else None
        )
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk) | Contract.objects.filter(
                pk=self.instance.predecessor_id
            )
        self.fields["predecessor"].queryset = earlier.order_by("starts_on", "reference")
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
        check_not_published(self, CONTRACT_UNPUBLISHED_FACTS)
        return cleaned


def case_decisions(form):
    """A row's decision is one of the agreement's case's decisions."""
    contract = form.instance.contract if form.instance.contract_id else None
    case_id = contract.case_id if contract is not None else None
    form.fields["decision"].queryset = (
        Decision.objects.filter(case_id=case_id) if case_id else Decision.objects.none()
    )


class ContractTermOptionForm(GovukMessagesMixin, forms.ModelForm):
    decided_on = GovukDateField(label="Date decided (optional)", required=False)

    class Meta:
        model = ContractTermOption
        formfield_callback = govuk_formfield
        fields = ["kind", "months", "status", "decision", "decided_on", "note"]
        labels = {
            "kind": "Kind",
            "months": "Length in months",
            "status": "Status",
            "decision": "Decision that agreed or declined it (required once agreed)",
            "note": "Note (optional)",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "months": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case_decisions(self)


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


class ValueLineForm(GovukMessagesMixin, forms.ModelForm):
    """An amount as the source states it, for the period it states."""

    amount = MoneyField(label="Amount")
    other_vat_amount = MoneyField(label="The same on the other VAT basis (optional)", required=False)
    starts_on = GovukDateField(label="Period starts (optional)", required=False)
    ends_on = GovukDateField(label="Period ends (optional)", required=False)

    class Meta:
        model = ValueLine
        formfield_callback = govuk_formfield
        fields = [
            "kind",
            "term_option",
            "label",
            "amount",
            "basis",
            "qualifier",
            "vat",
            "other_vat_amount",
            "starts_on",
            "ends_on",
            "decision",
            "note",
        ]
        labels = {
            "kind": "What the amount is for",
            "term_option": "Which option (for an extension's amount)",
            "label": "As the source names it (optional)",
            "basis": "The amount is",
            "qualifier": "As stated",
            "vat": "VAT",
            "decision": "Decision that agreed it (optional)",
            "note": "Note (optional)",
        }
        help_texts = {"starts_on": "Leave the period empty for the whole term or option"}
        widgets = {
            "kind": forms.RadioSelect,
            "basis": forms.RadioSelect,
            "qualifier": forms.RadioSelect,
            "vat": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract = self.instance.contract if self.instance.contract_id else None
        self.fields["term_option"].queryset = (
            contract.term_options.all() if contract is not None else ContractTermOption.objects.none()
        )
        self.fields["term_option"].label_from_instance = lambda o: (
            f"{o.get_kind_display()} {o.order + 1}: {o.months} months"
        )
        case_decisions(self)


class BaseValueLineFormSet(RowsFormSet):
    heading = "Money, as the sources state it"
    legend = "Amount"


ValueLineFormSet = rows_formset(Contract, ValueLine, form=ValueLineForm, formset=BaseValueLineFormSet)


class LotForm(GovukMessagesMixin, forms.ModelForm):
    annual_value = MoneyField(label="Value a year (optional)", required=False)

    class Meta:
        model = Lot
        formfield_callback = govuk_formfield
        fields = ["name", "annual_value"]
        labels = {"name": "Lot"}


class BaseLotFormSet(RowsFormSet):
    heading = "Lots"
    legend = "Lot"

    def clean(self):
        super().clean()
        # A lot awarded to providers records the award: removing its row does not delete it.
        for form in self.deleted_forms:
            if form.instance.pk:
                for blocker in form.instance.deletion_blockers():
                    raise forms.ValidationError(f"Lot “{form.instance.name}” cannot be removed. {blocker}")


LotFormSet = rows_formset(Contract, Lot, form=LotForm, formset=BaseLotFormSet)


class TenderNoticeForm(GovukMessagesMixin, forms.ModelForm):
    value = MoneyField(label="Value in the notice (optional)", required=False)
    published_on = GovukDateField(label="Published (optional)", required=False)
    closes_on = GovukDateField(label="Closes (optional)", required=False)

    class Meta:
        model = TenderNotice
        formfield_callback = govuk_formfield
        fields = [
            "reference",
            "platform",
            "url",
            "value",
            "qualifier",
            "vat",
            "published_on",
            "closes_on",
            "lots",
            "cpv_codes",
            "location",
            "suitable_for_smes",
            "suitable_for_vcses",
        ]
        labels = {
            "reference": "Notice reference",
            "platform": "Published on",
            "url": "Address of the notice (optional)",
            "qualifier": "As stated",
            "vat": "VAT",
            "lots": "Lots (optional)",
            "cpv_codes": "CPV codes (optional)",
            "location": "Location (optional)",
            "suitable_for_smes": "Suitable for SMEs?",
            "suitable_for_vcses": "Suitable for VCSEs?",
        }
        widgets = {"platform": forms.RadioSelect, "qualifier": forms.RadioSelect, "vat": forms.RadioSelect}


class BaseTenderNoticeFormSet(RowsFormSet):
    heading = "Tender notices"
    legend = "Notice"


TenderNoticeFormSet = rows_formset(
    Contract, TenderNotice, form=TenderNoticeForm, formset=BaseTenderNoticeFormSet
)
