"""Consultations on a case: public, stakeholder, service-user and provider engagement."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from commissioning.models import Case, Option
from commissioning.models.cases import user_organisation_id, visible_case_ids


def weeks_between(starts_on, ends_on) -> int | None:
    """Whole weeks from the start to the end (also read by the register's export)."""
    if starts_on and ends_on:
        return (ends_on - starts_on).days // 7
    return None


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Consultations of the cases the user may see, by their case ids directly (see
        visible_case_ids: wrapped in another ``pk__in`` PostgreSQL reads every case to join back)."""
        if user.is_superuser:
            return self
        org = user_organisation_id(user)
        if org is None:
            return self.none()
        return self.filter(case_id__in=visible_case_ids(org))


class ConsultationKind(models.TextChoices):
    PUBLIC = "public", "Public consultation"
    STAKEHOLDER = "stakeholder", "Stakeholder engagement"
    SERVICE_USERS = "service_users", "Service-user engagement"
    PROVIDERS = "providers", "Provider engagement"
    MEMBERS = "members", "Member engagement"


class Consultation(models.Model):
    Kind = ConsultationKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    minimum_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The minimum length promised (8 or 12 weeks)"
    )
    channels = models.TextField(blank=True, help_text="One a line: web survey, hard copy survey, events ...")
    response_count = models.PositiveIntegerField(null=True, blank=True)
    impact_assessment = models.CharField(
        max_length=300, blank=True, help_text="The equality impact assessment that went with it"
    )
    summary = models.TextField(blank=True)
    # The Gunning principles (R v Brent LBC ex p Gunning, 1985), as the officer confirms them;
    # adequate time and conscientious consideration are computed (consultations/outcomes.py).
    adequate_weeks = models.PositiveSmallIntegerField(
        "weeks judged adequate",
        default=12,
        validators=[MinValueValidator(1)],
        help_text="The length this consultation should run to be adequate. The Cabinet Office asks for a "
        "proportionate length; 12 weeks unless there is a reason for another",
    )
    formative_confirmed = models.BooleanField("proposals at a formative stage", default=False)
    formative_note = models.TextField(blank=True)
    information_confirmed = models.BooleanField("enough information given", default=False)
    information_note = models.TextField(blank=True)
    documents_url = models.URLField("consultation documents", max_length=500, blank=True)
    impact_assessment_url = models.URLField("equality impact assessment link", max_length=500, blank=True)
    impact_assessment_document = models.ForeignKey(
        "commissioning.CaseDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="equality impact assessment document",
    )

    history = HistoricalRecords()
    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["case", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ConsultationKind.values), name="consultation_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="consultation_ends_after_start",
                violation_error_message="The end date must be the same as or after the start date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:consultation-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = "The end date must be the same as or after the start date"
            elif self.minimum_weeks and (self.ends_on - self.starts_on).days < self.minimum_weeks * 7:
                errors["ends_on"] = (
                    f"The consultation must run for at least {self.minimum_weeks} weeks; these dates give "
                    f"{(self.ends_on - self.starts_on).days // 7} weeks"
                )
        if (
            self.impact_assessment_document_id
            and self.case_id
            and self.impact_assessment_document.case_id != self.case_id
        ):
            errors["impact_assessment_document"] = "Choose a document of this consultation's case"
        if errors:
            raise ValidationError(errors)

    @property
    def channel_list(self) -> list[str]:
        return [line.strip() for line in self.channels.splitlines() if line.strip()]

    @property
    def weeks(self) -> int | None:
        return weeks_between(self.starts_on, self.ends_on)


class ConsultationEvent(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=300)
    held_on = models.DateField(null=True, blank=True)
    audience = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who took part, as it reads in the paper after “held with”: "
        "for example “partner organisations and service users”.",
    )
    attendees = models.PositiveIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        # Dated events in date order, then undated ones, on SQLite and PostgreSQL alike.
        ordering = ["consultation", models.F("held_on").asc(nulls_last=True), "pk"]

    def __str__(self):
        return self.title


class OptionPreference(models.Model):
    """How respondents to a consultation favoured an option (a count where one was kept)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="preferences")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="preferences")
    respondents = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many preferred it; empty where the paper gives no count"
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "option__order"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "option"], name="preference_unique_per_option")
        ]

    def __str__(self):
        return f"{self.option}: {self.respondents if self.respondents is not None else 'preferred'}"

    def clean(self):
        # The consultation as the page holds it: a new one (not yet saved) on its own add page,
        # with the count of responses typed there.
        consultation = getattr(self, "consultation", None)
        if consultation is None:
            return
        if self.option_id and self.option.appraisal.case_id != consultation.case_id:
            raise ValidationError({"option": "Choose an option from this consultation's case"})
        received = consultation.response_count
        if self.respondents is not None and received is not None and self.respondents > received:
            raise ValidationError({"respondents": f"More respondents than the {received} responses received"})


class RespondentType(models.TextChoices):
    NOT_STATED = "", "Not stated"
    PUBLIC = "public", "Member of the public"
    SURVIVOR = "survivor", "Survivor or service user"
    PROVIDER = "provider", "Provider"
    PARTNER = "partner", "Partner agency"
    PROFESSIONAL = "professional", "Professional"
    MEMBER = "member", "Elected member"


class ResponseChannel(models.TextChoices):
    NOT_STATED = "", "Not stated"
    ONLINE = "online", "Online survey"
    PAPER = "paper", "Paper form"
    EVENT = "event", "Event"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"


# An outward code only ("NG5", "SW1A", "B1"): a district, never a full postcode.
POSTCODE_DISTRICT = r"^[A-Z]{1,2}[0-9][0-9A-Z]?$"


def validate_postcode_district(value: str) -> None:
    if value and not re.fullmatch(POSTCODE_DISTRICT, value):
        raise ValidationError(
            f"“{value}” is not a postcode district: give the first half of a postcode only, like NG5"
        )


class Response(models.Model):
    """One person's or organisation's response to a consultation, as a survey tool exported it.

    The comment is stored as written; pages and papers show ``masked_comment`` (consultations/
    masking.py), and only the case's lead officers see the comment unmasked, on its own page.
    """

    RespondentType = RespondentType
    Channel = ResponseChannel

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    response_id = models.CharField(max_length=100, help_text="The survey tool's own reference")
    respondent_type = models.CharField(max_length=20, choices=RespondentType.choices, blank=True)
    channel = models.CharField(max_length=20, choices=ResponseChannel.choices, blank=True)
    received_on = models.DateField(null=True, blank=True)
    # RESTRICT, not PROTECT: an option or area with responses stays, unless the whole case goes.
    area = models.ForeignKey(
        "commissioning.Area", on_delete=models.RESTRICT, null=True, blank=True, related_name="+"
    )
    postcode_district = models.CharField(
        max_length=4, blank=True, validators=[validate_postcode_district], help_text="For example NG5"
    )
    option = models.ForeignKey(
        Option, on_delete=models.RESTRICT, null=True, blank=True, related_name="consultation_responses"
    )
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    consent_to_quote = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "response_id"], name="response_id_unique_per_consultation"
            ),
            models.CheckConstraint(
                condition=models.Q(respondent_type__in=RespondentType.values), name="response_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=ResponseChannel.values), name="response_channel_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(postcode_district="")
                | models.Q(postcode_district__regex=POSTCODE_DISTRICT),
                name="response_postcode_district_only",
            ),
        ]

    def __str__(self):
        return f"Response {self.response_id}"

    def get_absolute_url(self):
        return reverse("consultations:response-detail", args=[self.pk])

    @property
    def masked_comment(self) -> str:
        from .masking import mask

        return mask(self.comment)

    @property
    def where(self) -> str:
        return self.area.name if self.area_id else self.postcode_district

    def clean(self):
        if (
            self.option_id
            and self.consultation_id
            and self.option.appraisal.case_id != self.consultation.case_id
        ):
            raise ValidationError({"option": "Choose an option from this consultation's case"})


class ImportMapping(models.Model):
    """Which column of a survey tool's export holds which answer, remembered for the next file
    from the same tool: ``columns`` maps a field of RESPONSE_FIELDS (importer.py) to a header."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="import_mappings")
    tool = models.CharField(max_length=100, help_text="The survey tool, as the officer names it")
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "tool"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "tool"], name="import_mapping_unique_per_tool")
        ]

    def __str__(self):
        return f"{self.tool} columns for {self.consultation}"


# An import "running" with no word from its worker for this long has lost the worker: it reports
# progress every few thousand rows (seconds apart), so ten minutes of silence is not a slow file.
IMPORT_SILENCE = timedelta(minutes=10)


class ResponseUploadStatus(models.TextChoices):
    UPLOADED = "uploaded", "Columns to choose"
    QUEUED = "queued", "Waiting to be imported"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


class ResponseUpload(models.Model):
    """A survey export uploaded, its columns chosen, and imported by the background worker
    (consultations/tasks.py), which records here how far it has got and what was wrong. Its file
    is deleted once imported; ``clean_response_uploads`` removes uploads left for days."""

    Status = ResponseUploadStatus

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="uploads")
    tool = models.CharField(max_length=100)
    file = models.FileField(upload_to="response-uploads/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The import: who asked for it, with which columns, how far it has got, and what was wrong.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    columns = models.JSONField(default=dict, blank=True, help_text="Field -> column header, as chosen")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker's heartbeat: set when it claims the import and each time it reports progress. An
    # import "running" with no heartbeat for IMPORT_SILENCE has lost its worker (consultations/tasks.py).
    progress_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker last reported progress on the import"
    )
    task_id = models.CharField(max_length=64, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(
        null=True, blank=True, help_text="About how many rows the file holds, until all are read"
    )
    imported = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(
        default=list, blank=True, help_text="The first problems, as the page lists them"
    )

    class Meta:
        ordering = ["-uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ResponseUploadStatus.values),
                name="response_upload_status_valid",
            ),
        ]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("consultations:response-import-map", args=[self.consultation_id, self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def has_stopped(self, *, now=None) -> bool:
        """Whether the import is "running" but its worker has said nothing for IMPORT_SILENCE: the
        worker died (or was stopped) part-way. Nothing was saved: the rows go in one transaction."""
        if self.status != self.Status.RUNNING:
            return False
        last = self.progress_at or self.queued_at
        return last is not None and (now or timezone.now()) - last > IMPORT_SILENCE

    @property
    def percent(self) -> int:
        """How far through the file, as a whole per cent (never 100 until it is done)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_read * 100 // self.rows_total)


# --- Themes and chosen quotes (issue 14) ----------------------------------------------------------


class Theme(models.Model):
    """One entry of a consultation's code frame: officers tag each response's comment with themes."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "order", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "name"], name="theme_name_unique_per_consultation"
            )
        ]

    def __str__(self):
        return self.name


class ResponseTheme(models.Model):
    """A theme tagged on a response's comment; each tag and untag is kept in the history."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="theme_tags")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tags")

    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "theme__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["response", "theme"], name="response_theme_unique")]

    def __str__(self):
        return f"{self.theme} on {self.response}"

    def clean(self):
        if self.response_id and self.theme_id and self.response.consultation_id != self.theme.consultation_id:
            raise ValidationError({"theme": "Select a theme of this response's consultation"})


# Tags through ResponseTheme: ``response.themes.all()`` reads them; tag with ResponseTheme rows so
# that each change is recorded.
Response.add_to_class(
    "themes", models.ManyToManyField(Theme, through=ResponseTheme, related_name="responses", blank=True)
)


class ChosenQuote(models.Model):
    """A response's comment chosen to quote in the paper: only where the respondent consented,
    and always shown masked; an anonymous respondent's details are never shown with it."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="chosen_quote")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["response__consultation", "response__pk"]

    def __str__(self):
        return f"Quote from {self.response}"

    NO_CONSENT = "You cannot quote this response, because the respondent did not consent to be quoted"
    NO_COMMENT = "You cannot quote this response, because it has no comment"

    def clean(self):
        if self.response_id and not self.response.consent_to_quote:
            raise ValidationError(self.NO_CONSENT)
        if self.response_id and not self.response.comment.strip():
            raise ValidationError(self.NO_COMMENT)

    @classmethod
    def choose(cls, response: Response, *, by) -> "ChosenQuote":
        """Mark the response's comment as a chosen quote; refused without consent to quote."""
        cls(response=response, chosen_by=by).clean()
        return cls.objects.get_or_create(response=response, defaults={"chosen_by": by})[0]

    @property
    def attribution(self) -> str:
        """Who said it, as the paper may print it: nothing of an anonymous respondent."""
        response = self.response
        if response.anonymous:
            return "Anonymous respondent"
        parts = [response.get_respondent_type_display() if response.respondent_type else "Respondent"]
        if response.where:
            parts.append(response.where)
        return ", ".join(parts)


class YouSaidQuestion(models.TextChoices):
    NONE = "", "No question in particular"
    PREFERENCE = "preference", "The preferred option question"
    SCALE = "scale", "The scale question"
    COMMENTS = "comments", "Free comments"


# Themes tag the free comments: a row about a theme is about the comments, or no question at all.
THEME_NOT_OF_COMMENTS = "Choose “Free comments” or no question in particular for a row about a theme"


class YouSaidWeDid(models.Model):
    """One row of a consultation's "We asked, you said, we did": what the council asked and what
    it did, written by an officer. "You said" is never typed: it is computed from the responses
    (or shown as reported, where none are held) by ``consultations.outcomes.you_said``. A row
    about a theme of the code frame counts the comments tagged with it and quotes from them."""

    Question = YouSaidQuestion

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="you_said_we_did")
    order = models.PositiveSmallIntegerField(default=0)
    we_asked = models.TextField("we asked")
    question = models.CharField(
        "question it is about", max_length=20, choices=Question.choices, blank=True, default=""
    )
    # RESTRICT: a theme a row is about stays (its delete page says why), unless the whole
    # consultation goes.
    theme = models.ForeignKey(
        Theme,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="you_said_we_did",
        verbose_name="theme it is about",
        help_text="A theme of this consultation's code frame",
    )
    we_did = models.TextField("we did")
    decision = models.ForeignKey(
        "commissioning.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="you_said_we_did",
        help_text="The decision whose reasons this row cites",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "order", "pk"]
        verbose_name = "we asked, you said, we did row"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__in=YouSaidQuestion.values), name="you_said_question_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(theme__isnull=True)
                | models.Q(question__in=[YouSaidQuestion.NONE, YouSaidQuestion.COMMENTS]),
                name="you_said_theme_is_of_comments",
                violation_error_message=THEME_NOT_OF_COMMENTS,
            ),
        ]

    def __str__(self):
        first = self.we_asked.strip().splitlines()[0] if self.we_asked.strip() else ""
        return first[:80] or f"Row {self.pk}"

    def clean(self):
        errors = {}
        if self.decision_id and self.consultation_id and self.decision.case_id != self.consultation.case_id:
            errors["decision"] = "Choose a decision of this consultation's case"
        if self.theme_id and self.consultation_id and self.theme.consultation_id != self.consultation_id:
            errors["theme"] = "Choose a theme of this consultation"
        elif self.theme_id and self.question not in (self.Question.NONE, self.Question.COMMENTS):
            errors["theme"] = THEME_NOT_OF_COMMENTS
        if errors:
            raise ValidationError(errors)
