"""Admin screens for the case spine. Every model keeps its history (HistoryAdmin).

Changelists name their joins (``list_select_related``) and prefetch what computed columns
read, so a list costs the same number of queries whatever its length.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning import money
from commissioning.admin_utils import HistoryAdmin, StackedInline, TabularInline, money_column, percent_column
from commissioning.forms import contribution_totals
from commissioning.models import (
    ApprovalRequest,
    ApprovalStep,
    Area,
    BudgetHolder,
    CapacityFigure,
    Case,
    CaseContact,
    CaseDocument,
    ChoiceList,
    Criterion,
    CriticalSuccessFactor,
    DataGeneration,
    Decision,
    DecisionPaper,
    Delegation,
    EvidenceFigure,
    ExportJob,
    FundingContribution,
    MeetingBody,
    MemberQuestion,
    Milestone,
    Option,
    OptionAppraisal,
    OptionLot,
    Organisation,
    PaperSection,
    PaperType,
    PaperVersion,
    Profile,
    ResolutionPoint,
    Score,
    SectionDefinition,
    Service,
    SignInAttempt,
    SignInLockout,
)

admin.site.site_header = "Domestic abuse commissioning"
admin.site.site_title = "Domestic abuse commissioning"
admin.site.index_title = "Administration"


# Organisations, people and places.
@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["members"]


@admin.register(BudgetHolder)
class BudgetHolderAdmin(HistoryAdmin):
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name", "organisation__short_name"]
    autocomplete_fields = ["organisation"]


@admin.register(Area)
class AreaAdmin(HistoryAdmin):
    list_display = ["name", "kind", "ons_code", "is_reference", "owner"]
    list_select_related = ["owner"]
    list_filter = ["kind", "is_reference"]
    search_fields = ["name", "ons_code"]
    autocomplete_fields = ["districts", "owner"]

    # Reference areas come from the ONS lookup (manage.py load_reference_areas): only a
    # superuser may put one right by hand.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_reference and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_reference and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Profile)
class ProfileAdmin(HistoryAdmin):
    list_display = ["user", "organisation", "role", "job_title", "initials"]
    list_select_related = ["user", "organisation"]
    list_filter = ["role"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "organisation__name",
        "initials",
    ]
    autocomplete_fields = ["user", "organisation"]


# Services and their money.
class FundingContributionInlineForm(forms.ModelForm):
    # No Meta: the inline supplies the model and fields.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The formset checks each year's rows together against the pool, with the amounts
        # being saved; one row alone would be judged against the others' old amounts.
        self.instance.defer_pool_check = True


class FundingContributionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Refuse the whole save when a year's rows add up to more than the service's pool."""
        super().clean()
        pool = self.instance.pooled_budget
        if pool is None or any(self.errors):
            return
        totals, _ = contribution_totals(self)
        for year, total in sorted(totals.items()):
            if total > pool:
                raise ValidationError(
                    f"Contributions for {year} would total {money.format_money(total)}, "
                    f"{money.percentage(total, pool)}% of the {money.format_money(pool)} pool; "
                    "shares cannot exceed 100%. Nothing was saved.",
                    code="pool_exceeded",
                )


class FundingContributionInline(TabularInline):
    model = FundingContribution
    form = FundingContributionInlineForm
    formset = FundingContributionFormSet
    extra = 0
    fields = [
        "financial_year",
        "commissioner",
        "budget_holder",
        "funder_description",
        "amount",
        "kind",
        "uplift_percent",
        "uplift_rounding",
        "share_column",
        "uplifted_column",
    ]
    readonly_fields = ["share_column", "uplifted_column"]
    autocomplete_fields = ["commissioner", "budget_holder"]

    share_column = percent_column("share", "share of pool")
    uplifted_column = money_column("uplifted_amount", "uplifted")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service", "commissioner")


class ServiceAdminForm(forms.ModelForm):
    # True when the contributions inline on the same page can be edited: its formset then
    # checks the new pool against the rows being saved, so a pool and its rows can fall in one
    # save. Otherwise the model judges the new pool against the stored rows.
    pool_checked_with_rows = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.defer_pool_check = self.pool_checked_with_rows


@admin.register(Service)
class ServiceAdmin(HistoryAdmin):
    form = ServiceAdminForm
    list_display = ["name", "commissioner", "service_type", "pooled_budget_column", "totals_column"]
    list_select_related = ["commissioner"]
    list_filter = ["service_type", "for_perpetrators", "for_children"]
    search_fields = ["name", "commissioner__name", "commissioner__short_name"]
    autocomplete_fields = ["commissioner", "areas", "providers"]
    inlines = [FundingContributionInline]

    pooled_budget_column = money_column("pooled_budget", "pooled budget", ordering="pooled_budget")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)  # a new class each request
        # Only the change page saves the form with the contributions formset; the history
        # page's revert form saves the service alone, so the model must check the pool there.
        match = request.resolver_match
        on_change_page = match is not None and match.url_name == "commissioning_service_change"
        inline = FundingContributionInline(self.model, self.admin_site)
        form.pool_checked_with_rows = on_change_page and inline.has_change_permission(request, obj)
        return form

    @admin.display(description="total per year")
    def totals_column(self, obj):
        totals = obj.totals_by_year()
        return "; ".join(f"{year}: {money.format_money(total)}" for year, total in totals.items()) or "-"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("contributions")


@admin.register(FundingContribution)
class FundingContributionAdmin(HistoryAdmin):
    list_display = [
        "service",
        "funder",
        "financial_year",
        "amount_column",
        "share_column",
        "uplift_percent",
        "uplifted_column",
    ]
    list_select_related = ["service", "commissioner"]
    list_filter = ["financial_year", "kind"]
    search_fields = ["service__name", "commissioner__name", "funder_description"]
    autocomplete_fields = ["service", "commissioner", "budget_holder", "ring_fenced_area"]
    readonly_fields = ["share_column", "uplifted_column"]

    amount_column = money_column("amount", "amount", ordering="amount")
    share_column = percent_column("share", "share of pool")
    uplifted_column = money_column("uplifted_amount", "uplifted (next year)")

    def get_queryset(self, request):
        # A share needs its service's other contributions for the year.
        return super().get_queryset(request).prefetch_related("service__contributions")


# Cases.
class MilestoneInline(TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "body", "due_on", "precision", "completed_on", "note"]


class CaseContactInline(TabularInline):
    model = CaseContact
    extra = 0
    fields = ["name", "role", "job_title", "phone", "email", "order"]


class CaseDocumentInline(TabularInline):
    model = CaseDocument
    extra = 0
    fields = ["kind", "label", "title", "url", "order"]


@admin.register(Case)
class CaseAdmin(HistoryAdmin):
    list_display = ["reference", "title", "lead_commissioner", "stage", "status", "officer", "updated_at"]
    list_select_related = ["lead_commissioner", "officer"]
    list_filter = ["stage", "status"]
    search_fields = ["reference", "title", "lead_commissioner__name"]
    autocomplete_fields = ["lead_commissioner", "partners", "services", "officer"]
    inlines = [MilestoneInline, CaseContactInline, CaseDocumentInline]


@admin.register(MeetingBody)
class MeetingBodyAdmin(HistoryAdmin):
    list_display = ["name", "organisation", "kind"]
    list_select_related = ["organisation"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]


class ResolutionPointInline(TabularInline):
    model = ResolutionPoint
    extra = 0


class DelegationInline(TabularInline):
    model = Delegation
    extra = 0


class MemberQuestionInline(StackedInline):
    model = MemberQuestion
    extra = 0


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    list_display = ["reference", "title", "case", "maker", "status", "decided_on", "is_key_decision"]
    list_select_related = ["case", "maker"]
    list_filter = ["status", "is_key_decision"]
    search_fields = ["reference", "title", "case__reference", "case__title"]
    autocomplete_fields = ["case", "authority", "maker", "appraisal", "uses_delegation"]
    inlines = [ResolutionPointInline, DelegationInline, MemberQuestionInline]


@admin.register(ResolutionPoint)
class ResolutionPointAdmin(HistoryAdmin):
    list_display = ["decision", "label", "text"]
    search_fields = ["text", "decision__title"]
    autocomplete_fields = ["decision"]


@admin.register(Delegation)
class DelegationAdmin(HistoryAdmin):
    list_display = ["decision", "stage", "delegate", "power"]
    list_filter = ["stage"]
    search_fields = ["delegate", "power", "decision__title"]
    autocomplete_fields = ["decision"]


@admin.register(MemberQuestion)
class MemberQuestionAdmin(HistoryAdmin):
    list_display = ["decision", "member", "question"]
    search_fields = ["member", "question", "decision__title"]
    autocomplete_fields = ["decision"]


@admin.register(EvidenceFigure)
class EvidenceFigureAdmin(HistoryAdmin):
    list_display = ["label", "case", "value", "unit", "period", "source"]
    list_select_related = ["case"]
    search_fields = ["label", "source", "case__reference"]
    autocomplete_fields = ["case"]


@admin.register(CapacityFigure)
class CapacityFigureAdmin(HistoryAdmin):
    list_display = ["label", "case", "commissioned", "provided", "planned", "benchmark"]
    list_select_related = ["case"]
    search_fields = ["label", "case__reference"]
    autocomplete_fields = ["case"]


@admin.register(Milestone)
class MilestoneAdmin(HistoryAdmin):
    list_display = ["title", "case", "body", "due_on", "precision", "completed_on"]
    list_select_related = ["case"]
    list_filter = ["body", "precision"]
    search_fields = ["title", "case__reference", "case__title"]
    autocomplete_fields = ["case"]
    date_hierarchy = "due_on"


@admin.register(CaseContact)
class CaseContactAdmin(HistoryAdmin):
    list_display = ["name", "role", "job_title", "case"]
    list_select_related = ["case"]
    search_fields = ["name", "job_title", "case__reference"]
    autocomplete_fields = ["case"]


@admin.register(CaseDocument)
class CaseDocumentAdmin(HistoryAdmin):
    list_display = ["__str__", "kind", "case"]
    list_select_related = ["case"]
    list_filter = ["kind"]
    search_fields = ["title", "label", "case__reference"]
    autocomplete_fields = ["case"]


# Option appraisals. Django's inlines do not nest: an option's lots sit on the option's page.
class OptionInline(TabularInline):
    model = Option
    fk_name = "appraisal"
    extra = 0
    fields = [
        "label",
        "name",
        "parent",
        "is_business_as_usual",
        "shortlisted",
        "failed_factor",
        # Option.clean names these fields; each must be on the form to carry its message.
        "drop_reason",
        "min_providers",
        "max_providers",
        "estimated_annual_cost",
        "order",
    ]
    autocomplete_fields = ["parent", "failed_factor"]
    show_change_link = True


class CriterionInline(TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "weight", "description"]


@admin.register(OptionAppraisal)
class OptionAppraisalAdmin(HistoryAdmin):
    list_display = ["title", "case", "status", "recommended_option", "created_at"]
    list_select_related = ["case", "recommended_option"]
    list_filter = ["status"]
    search_fields = ["title", "case__reference", "case__title"]
    autocomplete_fields = ["case", "recommended_option"]
    inlines = [OptionInline, CriterionInline]


class OptionLotInline(TabularInline):
    model = OptionLot
    extra = 0
    fields = ["name", "areas", "order"]
    autocomplete_fields = ["areas"]


@admin.register(Option)
class OptionAdmin(HistoryAdmin):
    list_display = ["__str__", "appraisal", "shortlisted", "providers_label", "cost_column", "order"]
    list_select_related = ["appraisal"]
    list_filter = ["shortlisted", "is_business_as_usual"]
    search_fields = ["label", "name", "appraisal__title"]
    autocomplete_fields = ["appraisal", "parent", "failed_factor"]
    inlines = [OptionLotInline]

    cost_column = money_column("estimated_annual_cost", "estimated annual cost", "estimated_annual_cost")


@admin.register(OptionLot)
class OptionLotAdmin(HistoryAdmin):
    list_display = ["name", "option", "order"]
    list_select_related = ["option"]
    search_fields = ["name", "option__name"]
    autocomplete_fields = ["option", "areas"]


@admin.register(CriticalSuccessFactor)
class CriticalSuccessFactorAdmin(HistoryAdmin):
    list_display = ["name", "case", "order"]
    list_select_related = ["case"]
    search_fields = ["name", "case__reference"]
    autocomplete_fields = ["case"]


@admin.register(Criterion)
class CriterionAdmin(HistoryAdmin):
    list_display = ["name", "appraisal", "weight", "order"]
    list_select_related = ["appraisal"]
    search_fields = ["name", "appraisal__title"]
    autocomplete_fields = ["appraisal"]


@admin.register(Score)
class ScoreAdmin(HistoryAdmin):
    list_display = ["__str__", "option", "criterion", "scorer", "score", "scored_at"]
    list_select_related = ["option", "criterion", "scorer"]
    list_filter = ["score"]
    search_fields = ["option__name", "criterion__name", "scorer__username"]
    autocomplete_fields = ["option", "criterion", "scorer"]


# Approvals.
class ApprovalStepInline(TabularInline):
    model = ApprovalStep
    extra = 0
    fields = ["kind", "order", "heading", "decided_by", "officer_name", "initials", "decided_on", "decision"]
    autocomplete_fields = ["decided_by"]


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(HistoryAdmin):
    list_display = ["__str__", "case", "status", "submitted_by", "submitted_at"]
    list_select_related = ["case", "appraisal", "paper", "submitted_by"]
    list_filter = ["status"]
    search_fields = ["case__reference", "appraisal__title", "paper__title"]
    autocomplete_fields = ["case", "appraisal", "paper", "submitted_by"]
    inlines = [ApprovalStepInline]


@admin.register(ApprovalStep)
class ApprovalStepAdmin(HistoryAdmin):
    list_display = ["__str__", "request", "kind", "order", "decision", "decided_on"]
    list_select_related = ["request__appraisal", "request__paper"]
    list_filter = ["kind", "decision"]
    search_fields = ["officer_name", "initials", "comment"]
    autocomplete_fields = ["request", "decided_by"]


# Papers.
class SectionDefinitionInline(TabularInline):
    model = SectionDefinition
    extra = 0
    fields = ["order", "key", "heading", "kind", "source", "required", "help_text"]


@admin.register(PaperType)
class PaperTypeAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SectionDefinitionInline]


@admin.register(SectionDefinition)
class SectionDefinitionAdmin(HistoryAdmin):
    list_display = ["heading", "paper_type", "key", "order", "kind", "required"]
    list_select_related = ["paper_type"]
    list_filter = ["paper_type", "kind", "required"]
    search_fields = ["heading", "key"]


class PaperSectionInline(StackedInline):
    model = PaperSection
    extra = 0
    fields = ["key", "body"]


@admin.register(DecisionPaper)
class DecisionPaperAdmin(HistoryAdmin):
    list_display = ["title", "case", "paper_type", "meeting", "meeting_date", "status"]
    list_select_related = ["case", "paper_type"]
    list_filter = ["status", "paper_type"]
    search_fields = ["title", "case__reference", "meeting", "reference"]
    autocomplete_fields = ["case", "paper_type", "authority"]
    date_hierarchy = "meeting_date"
    inlines = [PaperSectionInline]


@admin.register(PaperVersion)
class PaperVersionAdmin(HistoryAdmin):
    """Generated editions are a record: shown with their history, never edited here."""

    list_display = ["__str__", "paper", "number", "status", "page_count", "requested_at", "generated_by"]
    list_select_related = ["paper", "generated_by"]
    list_filter = ["status"]
    search_fields = ["paper__title", "paper__case__reference"]
    readonly_fields = [f.name for f in PaperVersion._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(HistoryAdmin):
    """Excel exports the worker writes: shown with their history, never made or edited here."""

    list_display = ["__str__", "owner", "organisation", "register", "status", "rows_written", "created_at"]
    list_select_related = ["owner", "organisation"]
    list_filter = ["status", "register"]
    search_fields = ["title", "owner__username", "organisation__name"]
    readonly_fields = [f.name for f in ExportJob._meta.fields if f.name != "id"]

    def has_add_permission(self, request):
        return False


@admin.register(PaperSection)
class PaperSectionAdmin(HistoryAdmin):
    list_display = ["__str__", "paper", "key"]
    list_select_related = ["paper"]
    search_fields = ["key", "paper__title"]
    autocomplete_fields = ["paper"]


# Sign-in throttling (commissioning/signin.py): records, never typed in or edited.
class SignInRecordAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SignInLockout)
class SignInLockoutAdmin(SignInRecordAdmin):
    """The audit record of every lockout; "End now" lets a locked-out person in early and keeps
    the record."""

    list_display = ["started_at", "ends_at", "kind", "scope", "username", "address", "attempts"]
    list_filter = ["kind", "scope"]
    search_fields = ["username", "address"]
    date_hierarchy = "started_at"
    actions = ["end_now"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="End the selected lockouts now")
    def end_now(self, request, queryset):
        ended = queryset.filter(ends_at__gt=timezone.now()).update(ends_at=timezone.now())
        self.message_user(request, f"Ended {ended} lockout{'' if ended == 1 else 's'}.")


@admin.register(SignInAttempt)
class SignInAttemptAdmin(SignInRecordAdmin):
    """Failed sign-ins and password-reset requests still inside the counting window."""

    list_display = ["at", "kind", "username", "address"]
    list_filter = ["kind"]
    search_fields = ["username", "address"]


@admin.register(ChoiceList)
class ChoiceListAdmin(SignInRecordAdmin):
    """The kept register filter choices (commissioning/choice_lists.py): read-only; deleting one
    only makes its next page work it out again."""

    list_display = ["key", "generation", "built_at"]
    search_fields = ["key"]


@admin.register(DataGeneration)
class DataGenerationAdmin(SignInRecordAdmin):
    """Changes to the data the kept choices are read from, newest first. Not deletable: the newest
    is the current generation, and going back to an older one could make an old list current."""

    list_display = ["pk"]
    ordering = ["-pk"]

    def has_delete_permission(self, request, obj=None):
        return False
