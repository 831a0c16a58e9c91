"""Admin screens for consultations, their events and the options respondents preferred."""

from django.contrib import admin

from commissioning.admin_utils import HistoryAdmin, TabularInline
from consultations.models import (
    ChosenQuote,
    Consultation,
    ConsultationEvent,
    ImportMapping,
    OptionPreference,
    Response,
    ResponseTheme,
    ResponseUpload,
    Theme,
    YouSaidWeDid,
)


class ConsultationEventInline(TabularInline):
    model = ConsultationEvent
    extra = 0
    fields = ["title", "held_on", "audience", "attendees"]


class OptionPreferenceInline(TabularInline):
    model = OptionPreference
    extra = 0
    fields = ["option", "respondents", "note"]
    autocomplete_fields = ["option"]


class YouSaidWeDidInline(TabularInline):
    model = YouSaidWeDid
    extra = 0
    fields = ["order", "we_asked", "question", "theme", "we_did", "decision"]
    autocomplete_fields = ["decision", "theme"]


@admin.register(Consultation)
class ConsultationAdmin(HistoryAdmin):
    list_display = ["title", "case", "kind", "starts_on", "ends_on", "weeks", "response_count"]
    list_select_related = ["case"]
    list_filter = ["kind"]
    search_fields = ["title", "case__reference", "case__title"]
    date_hierarchy = "starts_on"
    inlines = [ConsultationEventInline, OptionPreferenceInline, YouSaidWeDidInline]
    autocomplete_fields = ["case", "impact_assessment_document"]


@admin.register(ConsultationEvent)
class ConsultationEventAdmin(HistoryAdmin):
    list_display = ["title", "consultation", "held_on", "audience", "attendees"]
    list_select_related = ["consultation"]
    search_fields = ["title", "audience", "consultation__title"]
    autocomplete_fields = ["consultation"]


@admin.register(OptionPreference)
class OptionPreferenceAdmin(HistoryAdmin):
    list_display = ["__str__", "consultation", "respondents"]
    list_select_related = ["consultation", "option"]
    search_fields = ["option__name", "consultation__title", "note"]
    autocomplete_fields = ["consultation", "option"]


@admin.register(Response)
class ResponseAdmin(HistoryAdmin):
    # The comment as written is shown to superusers only (the admin is for them alone).
    list_display = ["response_id", "consultation", "respondent_type", "channel", "received_on", "option"]
    list_select_related = ["consultation", "option"]
    list_filter = ["respondent_type", "channel"]
    search_fields = ["response_id", "consultation__title"]
    autocomplete_fields = ["consultation", "option", "area"]


@admin.register(ImportMapping)
class ImportMappingAdmin(HistoryAdmin):
    list_display = ["tool", "consultation", "updated_at"]
    list_select_related = ["consultation"]
    search_fields = ["tool", "consultation__title"]


@admin.register(ResponseUpload)
class ResponseUploadAdmin(admin.ModelAdmin):
    """Files uploaded and their imports (an import deletes the file; ``clean_response_uploads``
    the rows left for days)."""

    list_display = ["original_name", "consultation", "tool", "status", "uploaded_by", "uploaded_at"]
    list_filter = ["status"]
    list_select_related = ["consultation", "uploaded_by"]
    search_fields = ["original_name", "tool", "consultation__title"]
    autocomplete_fields = ["consultation"]
    readonly_fields = [
        "uploaded_by",
        "uploaded_at",
        "imported_by",
        "queued_at",
        "finished_at",
        "task_id",
        "rows_read",
        "rows_total",
        "imported",
        "error_count",
        "errors",
    ]


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ["name", "consultation", "order"]
    list_select_related = ["consultation"]
    search_fields = ["name", "description", "consultation__title"]
    autocomplete_fields = ["consultation"]


@admin.register(ResponseTheme)
class ResponseThemeAdmin(HistoryAdmin):
    list_display = ["theme", "response"]
    list_select_related = ["theme", "response"]
    search_fields = ["theme__name", "response__response_id"]
    autocomplete_fields = ["response", "theme"]


@admin.register(ChosenQuote)
class ChosenQuoteAdmin(HistoryAdmin):
    list_display = ["response", "chosen_by", "chosen_at"]
    list_select_related = ["response", "chosen_by"]
    search_fields = ["response__response_id", "response__consultation__title"]
    autocomplete_fields = ["response"]
    readonly_fields = ["chosen_by", "chosen_at"]


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(HistoryAdmin):
    """Rows of "We asked, you said, we did"; "you said" is computed, so it is not stored here."""

    list_display = ["__str__", "consultation", "question", "theme", "decision", "order"]
    list_select_related = ["consultation", "decision", "theme"]
    list_filter = ["question"]
    search_fields = ["we_asked", "we_did", "consultation__title"]
    autocomplete_fields = ["consultation", "decision", "theme"]
