"""Create and edit forms for cases, services and their funding, milestones and options.

Money is typed in pounds (MoneyField: "£1,234.50" or "1234.5"), dates as day, month and year
(GovukDateField). The model's own ``clean`` rules run through ModelForm validation, so a form
never accepts what the model would refuse.
"""

from collections import defaultdict
from decimal import Decimal

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q

from commissioning.signin import ThrottledSignInMixin

from . import money
from .fields import (
    FigureField,
    GovukDateField,
    GovukMessagesMixin,
    MoneyField,
    RecordChoicesField,
    WholeNumberField,
    field_subject,
    govuk_formfield,
    lower_first,
)
from .models import (
    Area,
    BudgetHolder,
    CapacityFigure,
    Case,
    CaseContact,
    CaseDocument,
    EvidenceFigure,
    FundingContribution,
    Milestone,
    Option,
    OptionLot,
    Organisation,
    Service,
)


def govuk_checkbox():
    """A single yes/no box, drawn as GOV.UK's one-item checkbox group."""
    return forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"})


def drop_empty_choices(form, *names):
    """Leave out check box groups with nothing to tick (no providers recorded yet, say)."""
    for name in names:
        if name in form.fields and not form.fields[name].queryset.exists():
            del form.fields[name]


def commissioners():
    return Organisation.objects.filter(kind__in=Organisation.COMMISSIONER_KINDS).order_by("name")


def service_commissioners(service=None, cases=()):
    """The commissioners a service's record may name, as managing or contributing commissioner:
    the leads and partners of the cases it is in scope of (or is being added to), its managing
    commissioner and whoever already contributes. Never every council in the country."""
    case_ids = [c.pk for c in cases]
    if service is not None and service.pk:
        case_ids += list(service.cases.values_list("pk", flat=True))
    query = Q(led_cases__in=case_ids) | Q(partner_cases__in=case_ids)
    if service is not None and service.pk:
        query |= Q(pk=service.commissioner_id) | Q(pk__in=service.contributions.values("commissioner"))
    elif service is not None and service.commissioner_id:
        query |= Q(pk=service.commissioner_id)
    return commissioners().filter(pk__in=Organisation.objects.filter(query).values("pk"))


def providers():
    return Organisation.objects.exclude(kind__in=Organisation.COMMISSIONER_KINDS).order_by("name")


def limit_area_choices(form, user) -> None:
    """Offer only the areas the user may choose: the shared ones (the ONS districts and councils,
    and areas loaded with the case files) and their own organisation's, never another's. A key
    outside them is then refused as any choice not shown is."""
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model is Area:
            field.queryset = queryset & Area.objects.offered_to(user, keep=_chosen(form, name))


def _chosen(form, name) -> list[int]:
    """The pks a form's area field holds now (the record's current areas), so they stay offered."""
    value = form.initial.get(name)
    if value is None and form.instance.pk and name in {f.name for f in form.instance._meta.many_to_many}:
        value = list(getattr(form.instance, name).values_list("pk", flat=True))
    values = value if isinstance(value, list | tuple) else [value]
    return [getattr(v, "pk", v) for v in values if v not in (None, "")]


def districts():
    """The places a lot or a service can cover, one checkbox each."""
    return Area.objects.filter(kind__in=[Area.Kind.DISTRICT, Area.Kind.CITY]).order_by("name")


class CaseForm(GovukMessagesMixin, forms.ModelForm):
    """A case. The lead commissioner is the officer's own organisation, set by the view."""

    partners = RecordChoicesField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Partner commissioners",
        help_text="Commissioners pooling money in this case",
    )

    class Meta:
        model = Case
        fields = [
            "reference",
            "title",
            "summary",
            "stage",
            "status",
            "partners",
            "current_risk",
            "residual_risk",
            "risk_note",
        ]
        labels = {
            "reference": "Reference",
            "title": "Title",
            "current_risk": "Current risk",
            "residual_risk": "Residual risk",
            "risk_note": "Risk note",
        }
        widgets = {"stage": forms.RadioSelect, "status": forms.RadioSelect}

    def __init__(self, *args, lead_commissioner=None, choose_lead=False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_lead:
            # Only for an administrator without an organisation of their own.
            self.fields = {
                "lead_commissioner": forms.ModelChoiceField(commissioners(), label="Lead commissioner"),
                **self.fields,
            }
            self.initial.setdefault("lead_commissioner", self.instance.lead_commissioner_id)
        lead_id = lead_commissioner.pk if lead_commissioner else self.instance.lead_commissioner_id
        partners = commissioners()
        if lead_id:
            partners = partners.exclude(pk=lead_id)
        self.fields["partners"].queryset = partners
        drop_empty_choices(self, "partners")
        if self.instance.pk:
            # The reference is in every address and command that names the case: it stays put.
            self.fields["reference"].disabled = True
            self.fields["reference"].help_text = "The reference cannot be changed once the case exists"
        else:
            self.fields["reference"].help_text = "Short and lower case, used in addresses: notts-2011"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lead_commissioner"):
            self.instance.lead_commissioner = cleaned["lead_commissioner"]
        return cleaned


class ServiceForm(GovukMessagesMixin, forms.ModelForm):
    """A service: what it is, who it is for, where, and the pool its funding shares are taken of."""

    PEOPLE = {
        "for_victims": "Victims and survivors",
        "for_perpetrators": "Perpetrators",
        "for_children": "Children and young people",
    }
    RISKS = {"risk_standard": "Standard risk", "risk_medium": "Medium risk", "risk_high": "High risk"}

    people = forms.MultipleChoiceField(
        choices=list(PEOPLE.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Who is the service for?",
    )
    risk_levels = forms.MultipleChoiceField(
        choices=list(RISKS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Risk levels served",
    )
    pooled_budget = MoneyField(
        required=False,
        label="Pooled budget a year (optional)",
        help_text="The whole annual pool, where not every partner's contribution is recorded. "
        "Shares are taken of this; leave it empty to take them of the contributions' total.",
    )

    class Meta:
        model = Service
        formfield_callback = govuk_formfield
        fields = [
            "name",
            "commissioner",
            "service_type",
            "description",
            "minimum_age",
            "tier_from",
            "tier_to",
            "areas",
            "providers",
            "delivering_organisations",
            "accommodation_units",
            "units_under_agreement",
            "units_note",
            "pooled_budget",
        ]
        labels = {
            "name": "Service name",
            "commissioner": "Managing commissioner",
            "service_type": "Type of service",
            "minimum_age": "Minimum age (optional)",
            "tier_from": "Lowest tier (optional)",
            "tier_to": "Highest tier (optional)",
            "areas": "Areas covered",
            "providers": "Current providers",
            "delivering_organisations": "Number of delivering organisations (optional)",
            "accommodation_units": "Accommodation units (optional)",
            "units_under_agreement": "Units held under an agreement (optional)",
            "units_note": "Note on units (optional)",
        }
        widgets = {
            "areas": forms.CheckboxSelectMultiple,
            "providers": forms.CheckboxSelectMultiple,
            "minimum_age": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            "tier_from": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            "tier_to": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            "delivering_organisations": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            ),
            "accommodation_units": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            ),
            "units_under_agreement": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            ),
        }

    field_order = ["name", "commissioner", "service_type", "description", "people", "risk_levels"]

    def __init__(self, *args, commissioner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The contributions formset on the same page checks the new pool against the rows being
        # saved (BaseFundingContributionFormSet.clean), so a pool and its rows can fall together.
        self.instance.defer_pool_check = True
        for name in ("areas", "providers", "people", "risk_levels"):
            self.fields[name].widget.small = True
        self.fields["commissioner"].queryset = (
            commissioner_choices if commissioner_choices is not None else commissioners()
        )
        self.fields["areas"].queryset = Area.objects.order_by("name")
        self.fields["areas"].required = False
        self.fields["providers"].queryset = providers()
        self.fields["providers"].required = False
        drop_empty_choices(self, "areas", "providers")
        service = self.instance
        self.initial.setdefault("people", [f for f in self.PEOPLE if getattr(service, f)])
        self.initial.setdefault("risk_levels", [f for f in self.RISKS if getattr(service, f)])

    def clean(self):
        # The check boxes stand for the model's yes/no fields; set them before the model's clean.
        cleaned = super().clean()
        for group, names in (("people", self.PEOPLE), ("risk_levels", self.RISKS)):
            chosen = set(cleaned.get(group) or [])
            for name in names:
                setattr(self.instance, name, name in chosen)
        return cleaned


# Rows one page saves at once. A request can claim any number of rows (TOTAL_FORMS); Django
# then builds up to 2,000 of them, and drawing them back took the service page two minutes.
MAX_ROWS = 50


class RowsFormSet(forms.BaseInlineFormSet):
    """An inline formset drawn as one GOV.UK fieldset a row (includes/formset_rows.html).

    ``error_anchor`` is the element id the error summary links to for errors about the rows as
    a whole; by default the formset's own block.
    """

    heading = ""
    legend = "Row"
    error_anchor = ""
    default_error_messages = {
        "too_many_forms": "Enter %(num)d rows or fewer",
        "too_few_forms": "Enter at least %(num)d rows",
        # Only a page sent without the rows' hidden counts, or with them altered, can cause it.
        "missing_management_form": "The rows could not be read: reload the page and try again",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"Remove this {self.legend.lower()}"
            form.fields["DELETE"].widget = govuk_checkbox()
        # The fields added here (the row's key and its parent's) get GOV.UK wording too. A hidden
        # key that matches no row is a row someone else removed meanwhile, or a hand-made request.
        for name in (self._pk_field.name, getattr(getattr(self, "fk", None), "name", "")):
            if name in form.fields:
                gone = f"This {self.legend.lower()} is no longer on record: reload the page"
                form.fields[name].error_messages.update(
                    required=gone, invalid=gone, invalid_choice=gone, invalid_pk_value=gone
                )

    def get_unique_error_message(self, unique_check):
        labels = [
            field_subject(self.form.base_fields[n].label, n)
            for n in unique_check
            if n in self.form.base_fields
        ]
        what = " and ".join(lower_first(label) for label in labels) or "details"
        return f"Give each {self.legend.lower()} a different {what}"

    def get_form_error(self):
        return f"This {self.legend.lower()} repeats another: change or remove it"


def rows_formset(parent_model, model, *, form, formset):
    """Rows of ``model`` under a ``parent_model`` record: two blank rows to fill in, any row can
    be removed, and at most MAX_ROWS rows."""
    return forms.inlineformset_factory(
        parent_model,
        model,
        form=form,
        formset=formset,
        extra=2,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


class FundingContributionForm(GovukMessagesMixin, forms.ModelForm):
    """One commissioner's money for the service in one financial year."""

    amount = MoneyField(label="Amount")
    grant_ends_on = GovukDateField(label="Grant ends (optional)", required=False)

    class Meta:
        model = FundingContribution
        fields = [
            "commissioner",
            "budget_holder",
            "funder_description",
            "financial_year",
            "amount",
            "kind",
            "ring_fenced_area",
            "grant_ends_on",
            "uplift_percent",
            "uplift_rounding",
            "note",
        ]
        labels = {
            "commissioner": "Contributing commissioner",
            "budget_holder": "Budget holder (optional)",
            "funder_description": "Funder as the paper names it (optional)",
            "financial_year": "Financial year",
            "kind": "Kind of money",
            "ring_fenced_area": "Ring-fenced to (optional)",
            "uplift_percent": "Inflation uplift for next year, % (optional)",
            "uplift_rounding": "Round the uplifted amount",
            "note": "Note (optional)",
        }
        widgets = {
            "financial_year": forms.TextInput(attrs={"class": "govuk-input--width-5"}),
            "uplift_percent": forms.TextInput(
                attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}
            ),
        }

    def __init__(self, *args, commissioner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The formset checks each year's rows together against the pool, with the amounts being
        # saved; one row alone would be judged against the other rows' old amounts.
        self.instance.defer_pool_check = True
        # The service's own commissioners only (see service_commissioners): a choice outside them
        # is refused on the server as well, being outside the field's queryset.
        choices = commissioner_choices if commissioner_choices is not None else commissioners()
        self.fields["commissioner"].queryset = choices
        self.fields["budget_holder"].queryset = BudgetHolder.objects.filter(
            organisation__in=choices
        ).select_related("organisation")
        self.fields["ring_fenced_area"].queryset = Area.objects.order_by("name")
        self.fields["financial_year"].help_text = "For example, 2011-12"


def contribution_totals(formset) -> tuple[dict[str, Decimal], dict]:
    """Each year's total as the formset would leave it, and each year's first form.

    Rows being saved count with their new amounts (deleted ones not at all); stored rows the
    formset does not hold (added by someone else since the page was loaded, or left out of a
    hand-made request) count as they are, so a pool is never judged against part of its rows.
    """
    totals: dict[str, Decimal] = defaultdict(Decimal)
    first_forms: dict = {}
    submitted = set()
    for form in formset.forms:
        if form.instance.pk:
            submitted.add(form.instance.pk)
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or data.get("amount") is None:
            continue
        totals[data["financial_year"]] += data["amount"]
        first_forms.setdefault(data["financial_year"], form)
    if formset.instance.pk:
        stored = formset.instance.contributions.exclude(pk__in=submitted)
        for year, amount in stored.values_list("financial_year", "amount"):
            totals[year] += amount
    return totals, first_forms


class BaseFundingContributionFormSet(RowsFormSet):
    heading = "Funding contributions"
    legend = "Contribution"

    def clean(self):
        """Refuse the whole save when a year's rows add up to more than the service's pool."""
        super().clean()
        pool = self.instance.pooled_budget
        if pool is None or any(self.errors):
            return
        totals, first_forms = contribution_totals(self)
        for year, total in sorted(totals.items()):
            if total > pool:
                # The error summary links to the year's first amount, where the officer can act.
                if year in first_forms:
                    self.error_anchor = first_forms[year]["amount"].auto_id
                raise ValidationError(
                    f"Contributions for {year} would total {money.format_money(total)}, "
                    f"{money.percentage(total, pool)}% of the {money.format_money(pool)} pool; "
                    "shares cannot exceed 100%",
                    code="pool_exceeded",
                )


FundingContributionFormSet = rows_formset(
    Service, FundingContribution, form=FundingContributionForm, formset=BaseFundingContributionFormSet
)


class MilestoneForm(GovukMessagesMixin, forms.ModelForm):
    due_on = GovukDateField(label="Due date", help_text="For example, 27 8 2019")
    completed_on = GovukDateField(label="Date completed (optional)", required=False)

    class Meta:
        model = Milestone
        fields = ["title", "body", "due_on", "precision", "completed_on", "note"]
        labels = {
            "title": "Milestone",
            "body": "Meeting body (optional)",
            "precision": "How exact is the date?",
            "note": "Note (optional)",
        }
        widgets = {"precision": forms.RadioSelect}


class ListPositionForm(forms.Form):
    """Rows the paper lists in an order the officer sets (contacts, documents)."""

    order = WholeNumberField(
        label="Position in the list (optional)",
        required=False,
        min_value=0,
        max_value=99,
        help_text="Listed from the lowest number, for example 1",
    )

    def clean_order(self):
        return self.cleaned_data["order"] or 0


class CaseContactForm(ListPositionForm, GovukMessagesMixin, forms.ModelForm):
    """An officer to contact about the case, as the paper lists them."""

    class Meta:
        model = CaseContact
        fields = ["name", "role", "job_title", "phone", "email", "order"]
        labels = {
            "name": "Name",
            "role": "Role on the case (optional)",
            "job_title": "Job title (optional)",
            "phone": "Phone (optional)",
            "email": "Email address (optional)",
        }
        help_texts = {"role": "For example, Report author or Lead officer"}
        error_messages = {
            "email": {"invalid": "Enter an email address in the correct format, like name@example.gov.uk"}
        }


class CaseDocumentForm(ListPositionForm, GovukMessagesMixin, forms.ModelForm):
    """A background paper or appendix the decision paper lists."""

    class Meta:
        model = CaseDocument
        fields = ["kind", "label", "title", "url", "order"]
        labels = {
            "kind": "What kind of document",
            "label": "Label (optional)",
            "title": "Title",
            "url": "Web address (optional)",
        }
        help_texts = {"label": "As the paper numbers it, for example Appendix 1"}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "url": {"invalid": "Enter the web address in the correct format, like https://www.example.gov.uk"}
        }


class OptionForm(GovukMessagesMixin, forms.ModelForm):
    """One delivery model of the case's option appraisal."""

    estimated_annual_cost = MoneyField(label="Estimated annual cost (optional)", required=False)
    recommended = forms.BooleanField(
        label="This is the recommended option", required=False, widget=govuk_checkbox()
    )

    class Meta:
        model = Option
        formfield_callback = govuk_formfield
        fields = [
            "label",
            "name",
            "parent",
            "description",
            "min_providers",
            "max_providers",
            "advantages",
            "disadvantages",
            "estimated_annual_cost",
            "reason_not_chosen",
            "order",
        ]
        labels = {
            "label": "Label",
            "name": "Name",
            "parent": "Sub-option of (optional)",
            "description": "Description (optional)",
            "min_providers": "Fewest service providers (optional)",
            "max_providers": "Most service providers (optional)",
            "advantages": "Advantages (optional)",
            "disadvantages": "Disadvantages (optional)",
            "reason_not_chosen": "Reason not chosen (optional)",
            "order": "Position in the list",
        }
        widgets = {
            "label": forms.TextInput(attrs={"class": "govuk-input--width-4"}),
            "min_providers": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            "max_providers": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            "order": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        }

    def __init__(self, *args, appraisal=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Option.objects.none()
        if appraisal is not None and appraisal.pk:
            parents = appraisal.options.filter(parent=None)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.initial.setdefault(
                "recommended", self.instance.pk is not None and self.instance.is_recommended
            )
        self.fields["parent"].queryset = parents


class OptionLotForm(GovukMessagesMixin, forms.ModelForm):
    """A contract the option would let and the districts it covers."""

    class Meta:
        model = OptionLot
        formfield_callback = govuk_formfield
        fields = ["name", "areas"]
        labels = {"name": "Lot name", "areas": "Districts covered"}
        widgets = {"areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = districts()
        self.fields["areas"].widget.small = True


class BaseOptionLotFormSet(RowsFormSet):
    heading = "Lots and the districts they cover"
    legend = "Lot"

    def save(self, commit=True):
        # Lots keep the order the officer listed them in.
        saved = super().save(commit=commit)
        for position, form in enumerate(
            f for f in self.forms if f.instance.pk and f not in self.deleted_forms
        ):
            if form.instance.order != position:
                form.instance.order = position
                form.instance.save(update_fields=["order"])
        return saved


OptionLotFormSet = rows_formset(Option, OptionLot, form=OptionLotForm, formset=BaseOptionLotFormSet)


class SignInForm(ThrottledSignInMixin, GovukMessagesMixin, AuthenticationForm):
    """Django's sign-in form with GOV.UK wording; says so when sign-in is throttled."""

    error_messages = {
        "invalid_login": "Enter a correct username and password (both are case-sensitive)",
        "inactive": "This account has been switched off; ask your administrator",
    }


class PasswordChangeForm(GovukMessagesMixin, auth_forms.PasswordChangeForm):
    """Django's change of password with GOV.UK wording; its password validators still apply."""

    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right: enter it again",
        "password_mismatch": "The two new passwords do not match",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Type the new password again"
        self.fields["new_password2"].error_messages["required"] = "Type the new password again"


class PasswordResetForm(GovukMessagesMixin, auth_forms.PasswordResetForm):
    """Django's request for a password reset e-mail with GOV.UK wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"


class ExistingServiceForm(GovukMessagesMixin, forms.Form):
    """Take a service already on record into a case's scope: a later decision about the same
    service (a re-procurement, an extension) works on the same record, not a copy."""

    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label="Service",
        help_text="Services your organisation or the case's partners manage, not yet in this case",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        commissioners = [case.lead_commissioner_id, *case.partners.values_list("pk", flat=True)]
        self.fields["service"].queryset = (
            Service.objects.filter(commissioner_id__in=commissioners)
            .exclude(cases=case)
            .select_related("commissioner")
            .order_by("name")
        )
        self.fields["service"].label_from_instance = lambda s: f"{s.name} ({s.commissioner.label})"


class EvidenceFigureForm(GovukMessagesMixin, forms.ModelForm):
    value = FigureField(label="Value")

    class Meta:
        model = EvidenceFigure
        formfield_callback = govuk_formfield
        fields = ["label", "value", "unit", "rate_base", "period", "area", "source", "source_url", "in_paper"]
        labels = {
            "label": "What is measured",
            "value": "Value",
            "unit": "The value is",
            "rate_base": "Per (for a rate, optional)",
            "period": "Period (optional)",
            "area": "Area (optional)",
            "source": "Source",
            "source_url": "Address of the source (optional)",
            "in_paper": "Show in papers",
        }
        widgets = {
            "unit": forms.RadioSelect,
            "in_paper": govuk_checkbox(),
        }


class BaseEvidenceFormSet(RowsFormSet):
    heading = "Evidence of need"
    legend = "Figure"


class CapacityFigureForm(GovukMessagesMixin, forms.ModelForm):
    class Meta:
        model = CapacityFigure
        formfield_callback = govuk_formfield
        fields = [
            "label",
            "unit",
            "commissioned",
            "provided",
            "planned",
            "benchmark",
            "benchmark_source",
            "shortfall_against",
            "note",
        ]
        labels = {
            "label": "What is counted",
            "unit": "Counted in",
            "commissioned": "Commissioned (optional)",
            "provided": "Provided (optional)",
            "planned": "Planned (optional)",
            "benchmark": "Recommended by the benchmark (optional)",
            "benchmark_source": "Benchmark (optional)",
            "shortfall_against": "Shortfall measured from",
            "note": "Note (optional)",
        }
        widgets = {"shortfall_against": forms.RadioSelect}


class BaseCapacityFormSet(RowsFormSet):
    heading = "Capacity"
    legend = "Capacity"


EvidenceFormSet = rows_formset(Case, EvidenceFigure, form=EvidenceFigureForm, formset=BaseEvidenceFormSet)
CapacityFormSet = rows_formset(Case, CapacityFigure, form=CapacityFigureForm, formset=BaseCapacityFormSet)
