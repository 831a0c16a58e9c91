"""Excel downloads of a register, written by the task worker (commissioning/export_jobs.py).

"Download Excel" on a register records an ``ExportJob``: who asked, for which register, with
which filter and sort (the query string). The worker re-applies the register's own scoping for
that user when it runs, writes the workbook and keeps the file until ``delete_old_exports``
removes it. The job page shows progress and, when the file is ready, its download link.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .cases import user_organisation_id
from .organisations import Organisation


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being written"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


def export_file_path(job, filename):
    return f"exports/{job.pk or 'new'}/{filename}"


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own exports and those of their organisation: never another organisation's."""
        org = user_organisation_id(user)
        if org is None:
            return self.filter(owner=user)
        return self.filter(models.Q(owner=user) | models.Q(organisation_id=org))


class ExportJob(models.Model):
    Status = ExportJobStatus

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    register = models.CharField(
        max_length=100, help_text="The register's URL name, e.g. contracts:contract-list"
    )
    title = models.CharField(max_length=100, help_text="The register's title when the export was asked for")
    query = models.TextField(blank=True, help_text="The register's filter and sort, as a query string")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_written = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=export_file_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)

    # Who asked for which rows, and when it was ready; not every progress count (those are
    # written with update(), which history does not see).
    history = HistoricalRecords(excluded_fields=["rows_written"])

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportJobStatus.values), name="export_job_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.title} export {self.pk}"

    def get_absolute_url(self):
        return reverse("commissioning:export-detail", args=[self.pk])

    @property
    def register_url(self) -> str:
        """The register page with the same filter and sort the export was asked for."""
        url = reverse(self.register)
        return f"{url}?{self.query}" if self.query else url

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_written * 100 // self.rows_total)
