"""Background import of a survey export: the page queues it, the task worker reads it.

Run the worker with ``manage.py db_worker`` (``make run`` starts one); tests use the
ImmediateBackend, which runs the task as soon as it is enqueued. The upload row records how
far the import has got, so its page can show progress while the worker reads the file.
"""

from datetime import timedelta

from django.db import IntegrityError
from django.tasks import task
from django.utils import timezone

# Uploads older than this that are not being imported are deleted, file and all: exports the
# officer never finished importing, and the record of finished ones (their file is already gone).
KEEP_UPLOADS_DAYS = 7


@task()
def import_upload(upload_id: int) -> int:
    """Import a queued upload's rows, all or nothing. Returns how many responses were imported."""
    return run_import(upload_id).imported


def run_import(upload_id: int):
    """The task's work, also run in the request for a small file: claim the queued upload, check
    every row (recording progress), save them only if all are clean, and record the outcome."""
    from .importer import ImportFileError, count_rows, import_responses
    from .models import ResponseUpload

    uploads = ResponseUpload.objects.filter(pk=upload_id)
    claimed = uploads.filter(status=ResponseUpload.Status.QUEUED).update(
        status=ResponseUpload.Status.RUNNING,
        rows_read=0,
        rows_total=None,
        error_count=0,
        errors=[],
        progress_at=timezone.now(),
    )
    upload = ResponseUpload.objects.select_related("consultation", "imported_by").get(pk=upload_id)
    if not claimed:
        return upload  # already imported, or being imported by another worker

    def progress(rows: int) -> None:
        # Also the heartbeat: the page says the import stopped after IMPORT_SILENCE without one.
        uploads.update(rows_read=rows, progress_at=timezone.now())

    def finish(status, **fields):
        fields.update(status=status, finished_at=timezone.now())
        uploads.update(**fields)
        upload.refresh_from_db()

    try:
        with upload.file.open("rb") as binary:
            uploads.update(rows_total=count_rows(binary, upload.file.name), progress_at=timezone.now())
            result = import_responses(
                upload.consultation,
                binary,
                upload.file.name,
                upload.columns,
                tool=upload.tool,
                by=upload.imported_by,
                progress=progress,
            )
    except (ImportFileError, OSError) as error:
        finish(ResponseUpload.Status.FAILED, error_count=1, errors=[str(error)])
        return upload
    except IntegrityError:
        # Another import saved one of these response IDs after this one checked them.
        finish(
            ResponseUpload.Status.FAILED,
            error_count=1,
            errors=["Another import saved some of these responses meanwhile: import the file again"],
        )
        return upload
    except BaseException as error:
        finish(ResponseUpload.Status.FAILED, error_count=1, errors=[f"The import stopped: {error}"])
        raise
    if result.ok:
        upload.file.delete(save=False)
        finish(
            ResponseUpload.Status.DONE,
            file="",
            imported=result.imported,
            rows_read=result.rows,
            rows_total=result.rows,
        )
    else:
        finish(
            ResponseUpload.Status.FAILED,
            imported=0,
            rows_read=result.rows,
            rows_total=result.rows,
            error_count=result.error_count,
            errors=[str(error) for error in result.errors],
        )
    clean_old_uploads()
    return upload


def clean_old_uploads(*, days: int = KEEP_UPLOADS_DAYS, now=None) -> int:
    """Delete uploads (and their files) made more than ``days`` ago that are not queued or being
    imported. Returns how many went."""
    from .models import ResponseUpload

    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = ResponseUpload.objects.filter(uploaded_at__lt=cutoff).exclude(
        status__in=[ResponseUpload.Status.QUEUED, ResponseUpload.Status.RUNNING]
    )
    count = 0
    for upload in old:
        if upload.file:
            upload.file.delete(save=False)
        upload.delete()
        count += 1
    return count
