"""Consultations on a case: public, stakeholder, service-user and provider engagement."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commissioning.models import Case, Option


def weeks_between(starts_on, ends_on) -> int | None:
    """Whole weeks from the start to the end (also read by the register's export)."""
    if starts_on and ends_on:
        return (ends_on - starts_on).days // 7
    return None


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))


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
        if (
            self.consultation_id
            and self.option_id
            and self.option.appraisal.case_id != self.consultation.case_id
        ):
            raise ValidationError({"option": "Choose an option from this consultation's case"})
        if (
            self.respondents is not None
            and self.consultation_id
            and self.consultation.response_count is not None
            and self.respondents > self.consultation.response_count
        ):
            raise ValidationError(
                {
                    "respondents": (
                        f"More respondents than the {self.consultation.response_count} responses received"
                    )
                }
            )
