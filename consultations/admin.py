"""Admin screens for consultations, their events and the options respondents preferred."""

from django.contrib import admin

from commissioning.admin_utils import HistoryAdmin, TabularInline
from consultations.models import (
    Consultation,
    ConsultationEvent,
    ImportMapping,
    OptionPreference,
    Response,
    ResponseUpload,
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
    fields = ["order", "we_asked", "question", "we_did", "decision"]
    autocomplete_fields = ["decision"]


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
    """Files uploaded and not yet imported (a clean import deletes its upload)."""

    list_display = ["original_name", "consultation", "tool", "uploaded_by", "uploaded_at"]
    list_select_related = ["consultation", "uploaded_by"]
    search_fields = ["original_name", "tool", "consultation__title"]
    autocomplete_fields = ["consultation"]
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(HistoryAdmin):
    """Rows of "We asked, you said, we did"; "you said" is computed, so it is not stored here."""

    list_display = ["__str__", "consultation", "question", "decision", "order"]
    list_select_related = ["consultation", "decision"]
    list_filter = ["question"]
    search_fields = ["we_asked", "we_did", "consultation__title"]
    autocomplete_fields = ["consultation", "decision"]
