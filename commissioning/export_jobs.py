"""Excel exports written by the task worker, not the web worker.

A register's "Download Excel" button posts to the register; ``start_export`` records an
``ExportJob`` (who, which register, the filter and sort as a query string) and queues
``write_excel_export``. The worker (``manage.py db_worker``; tests use the ImmediateBackend)
builds the register's rows again for that user, as the register page would show them at that
moment (``RegisterExportMixin.export_queryset``: the same ``visible_to`` scoping, filter and
sort), and writes them in openpyxl's write-only mode, recording how many rows it has written.

Files are kept for ``KEEP_EXPORTS`` and then removed with their job rows: each finished export
clears the old ones, and ``manage.py delete_old_exports`` does the same from a scheduler.
"""

import tempfile
from datetime import date, timedelta

from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.tasks import task
from django.urls import resolve, reverse
from django.utils import timezone

from commissioning.models import ExportJob
from commissioning.models.cases import user_organisation_id

# How long a written workbook is kept for its owner to download.
KEEP_EXPORTS = timedelta(days=7)
# Never part of the rows: the page number and the download format.
NOT_FILTERS = ("page", "export")


def filter_query(query: QueryDict) -> str:
    """The register's filter and sort from a request's query string, without page or format."""
    kept = query.copy()
    for key in NOT_FILTERS:
        kept.pop(key, None)
    return kept.urlencode()


def start_export(request, *, title: str) -> ExportJob:
    """Record an export of the register the request is on, and queue it for the worker."""
    job = ExportJob.objects.create(
        owner=request.user,
        organisation_id=user_organisation_id(request.user),
        register=request.resolver_match.view_name,
        title=title,
        query=filter_query(request.GET),
    )
    result = write_excel_export.enqueue(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def register_view(job: ExportJob):
    """The register's view, set up as if the job's owner had opened it with the job's query."""
    path = reverse(job.register)
    view_class = resolve(path).func.view_class
    if not hasattr(view_class, "export_queryset"):
        raise ValueError(f"{job.register} is not a register with downloads")
    request = HttpRequest()
    request.method, request.path, request.path_info = "GET", path, path
    request.GET = QueryDict(job.query)
    request.user = job.owner
    view = view_class()
    view.setup(request)
    return view


def export_rows(job: ExportJob):
    """The export (columns and rows) the job's owner may have now."""
    view = register_view(job)
    return view.export_class(view.export_queryset())


@task()
def write_excel_export(job_id: int) -> int:
    """Write a job's workbook and keep the file. Returns the number of rows written."""
    from commissioning.exports import write_xlsx

    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return job.rows_written
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        if not job.owner.is_active:
            raise PermissionError("The account that asked for this export is no longer active.")
        export = export_rows(job)
        total = export.queryset.count()
        ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

        def progress(written):
            ExportJob.objects.filter(pk=job.pk).update(rows_written=written)

        with tempfile.TemporaryFile() as workbook:
            written = write_xlsx(export, workbook, title=job.title, progress=progress)
            workbook.seek(0)
            with transaction.atomic():
                name = f"{job.title.lower().replace(' ', '-')}-{date.today():%Y-%m-%d}.xlsx"
                job.file.save(name, File(workbook), save=False)
                job.rows_written, job.rows_total = written, max(total, written)
                job.status = ExportJob.Status.DONE
                job.finished_at = timezone.now()
                job.error = ""
                job.save(
                    update_fields=["file", "rows_written", "rows_total", "status", "finished_at", "error"]
                )
    except Exception as error:
        job.status = ExportJob.Status.FAILED
        job.error = str(error)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    delete_old_exports()
    return written


def delete_old_exports(now=None) -> int:
    """Remove exports older than KEEP_EXPORTS, their files first. Returns how many were removed."""
    cutoff = (now or timezone.now()) - KEEP_EXPORTS
    removed = 0
    # A job still queued or running a week on will never finish: it goes too.
    for job in ExportJob.objects.filter(created_at__lt=cutoff):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
