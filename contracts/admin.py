"""Admin screens for contracts, their terms, performance and FOI requests."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from commissioning.admin_utils import HistoryAdmin, StackedInline, TabularInline, money_column
from contracts.models import (
    Contract,
    ContractTermOption,
    FOIQuestion,
    FOIRequest,
    Lot,
    OutcomeReport,
    ReferralCount,
    Reminder,
    Snooze,
    TenderNotice,
    ValueLine,
)


class ContractTermOptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """An extension or break needs a term to follow: refuse the save, contract included."""
        super().clean()
        if any(self.errors):
            return
        rows = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if rows and not self.instance.has_term:
            raise ValidationError(
                "This contract has no term yet: give it a start date and an initial term or end date "
                "before adding an extension or break clause",
                code="no_term",
            )


class ContractTermOptionInline(TabularInline):
    model = ContractTermOption
    formset = ContractTermOptionFormSet
    extra = 0
    fields = ["order", "kind", "months", "note"]


class LotInline(TabularInline):
    model = Lot
    extra = 0
    fields = ["name", "areas", "providers", "annual_value"]
    autocomplete_fields = ["areas", "providers"]


class ValueLineInline(TabularInline):
    model = ValueLine
    extra = 0
    fields = ["kind", "term_option", "amount", "basis", "qualifier", "vat", "starts_on", "ends_on", "note"]


class TenderNoticeInline(TabularInline):
    model = TenderNotice
    extra = 0
    fields = ["reference", "platform", "value", "published_on", "closes_on", "cpv_codes"]


@admin.register(Contract)
class ContractAdmin(HistoryAdmin):
    list_display = [
        "reference",
        "title",
        "lead_commissioner",
        "status",
        "starts_on",
        "initial_end",
        "term_summary",
        "latest_end",
        "annual_value_column",
        "total_value_column",
    ]
    list_select_related = ["lead_commissioner"]
    list_filter = ["status", "procurement_route"]
    search_fields = ["reference", "title", "brand_name", "lead_commissioner__name"]
    autocomplete_fields = [
        "case",
        "decision",
        "predecessor",
        "lead_commissioner",
        "commissioners",
        "providers",
        "services",
    ]
    readonly_fields = ["term_summary", "latest_end", "total_value_column"]
    date_hierarchy = "starts_on"
    inlines = [ContractTermOptionInline, ValueLineInline, LotInline, TenderNoticeInline]

    annual_value_column = money_column("annual_value", "annual value", ordering="annual_value")
    total_value_column = money_column("total_value", "total over full term")

    def get_queryset(self, request):
        # The term columns add up the extension options.
        return super().get_queryset(request).with_values()


@admin.register(ValueLine)
class ValueLineAdmin(HistoryAdmin):
    list_display = ["contract", "kind", "as_stated", "starts_on", "ends_on"]
    list_select_related = ["contract"]
    search_fields = ["contract__reference", "contract__title", "label"]
    autocomplete_fields = ["contract", "decision"]


@admin.register(TenderNotice)
class TenderNoticeAdmin(HistoryAdmin):
    list_display = ["reference", "contract", "platform", "value", "published_on", "closes_on"]
    list_select_related = ["contract"]
    search_fields = ["reference", "contract__reference", "contract__title"]
    autocomplete_fields = ["contract"]


@admin.register(ContractTermOption)
class ContractTermOptionAdmin(HistoryAdmin):
    list_display = ["__str__", "contract", "kind", "months", "order"]
    list_select_related = ["contract"]
    list_filter = ["kind"]
    search_fields = ["contract__reference", "contract__title", "note"]
    autocomplete_fields = ["contract"]


@admin.register(Lot)
class LotAdmin(HistoryAdmin):
    list_display = ["name", "contract", "annual_value_column"]
    list_select_related = ["contract"]
    search_fields = ["name", "contract__reference", "contract__title"]
    autocomplete_fields = ["contract", "areas", "providers"]

    annual_value_column = money_column("annual_value", "annual value", ordering="annual_value")


@admin.register(ReferralCount)
class ReferralCountAdmin(HistoryAdmin):
    list_display = ["service", "period_label", "area", "count", "contract"]
    list_select_related = ["service", "area", "contract"]
    list_filter = ["period_label"]
    search_fields = ["service__name", "area__name", "period_label"]
    autocomplete_fields = ["service", "contract", "area"]


@admin.register(OutcomeReport)
class OutcomeReportAdmin(HistoryAdmin):
    list_display = ["period_label", "contract", "period_end"]
    list_select_related = ["contract"]
    search_fields = ["period_label", "summary", "contract__reference"]
    autocomplete_fields = ["contract"]


class FOIQuestionInline(StackedInline):
    model = FOIQuestion
    extra = 0
    fields = ["order", "question", "answer"]


@admin.register(FOIRequest)
class FOIRequestAdmin(HistoryAdmin):
    list_display = [
        "reference",
        "subject",
        "authority",
        "received_on",
        "due_on",
        "answered_on",
        "working_days_taken",
        "status",
    ]
    list_select_related = ["authority"]
    list_filter = ["status"]
    search_fields = ["reference", "subject", "authority__name"]
    autocomplete_fields = ["authority", "case", "contracts"]
    readonly_fields = ["due_on", "working_days_taken"]
    date_hierarchy = "received_on"
    inlines = [FOIQuestionInline]


@admin.register(FOIQuestion)
class FOIQuestionAdmin(HistoryAdmin):
    list_display = ["__str__", "request", "order"]
    list_select_related = ["request"]
    search_fields = ["question", "answer", "request__reference"]
    autocomplete_fields = ["request"]


@admin.register(Reminder)
class ReminderAdmin(HistoryAdmin):
    """Reminders sent by ``send_reminders``: a record, not for typing in."""

    list_display = ["contract", "kind", "date", "lead", "user", "sent_at"]
    list_select_related = ["contract", "user"]
    list_filter = ["kind", "lead"]
    search_fields = ["contract__reference", "contract__title", "user__username", "user__email"]
    autocomplete_fields = ["contract", "user"]
    date_hierarchy = "date"


@admin.register(Snooze)
class SnoozeAdmin(HistoryAdmin):
    list_display = ["contract", "kind", "date", "user", "until", "reason", "created_by", "created_at"]
    list_select_related = ["contract", "user", "created_by"]
    list_filter = ["kind"]
    search_fields = ["contract__reference", "contract__title", "user__username", "reason"]
    autocomplete_fields = ["contract", "user", "created_by"]
    date_hierarchy = "date"
