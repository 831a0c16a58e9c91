"""Background rendering: a version's PDF is laid out by the task worker, not a web worker.

Run the worker with ``manage.py db_worker``; tests use the ImmediateBackend, which runs
the task as soon as it is enqueued.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone


@task()
def render_version_pdf(version_id: int) -> int:
    """Print a stored version's HTML snapshot to PDF and keep the file. Returns the page count."""
    from io import BytesIO

    from pypdf import PdfReader

    from commissioning.models import PaperVersion

    from .render import html_to_pdf

    version = PaperVersion.objects.select_related("paper__case").get(pk=version_id)
    if version.is_ready:
        return version.page_count or 0
    PaperVersion.objects.filter(pk=version_id).update(status=PaperVersion.Status.RENDERING)
    try:
        pdf = html_to_pdf(version.html)
    except Exception as error:
        PaperVersion.objects.filter(pk=version_id).update(status=PaperVersion.Status.FAILED, error=str(error))
        raise
    with transaction.atomic():
        version.pdf.save(f"paper-{version.paper_id}-v{version.number}.pdf", ContentFile(pdf), save=False)
        version.page_count = len(PdfReader(BytesIO(pdf)).pages)
        version.status = PaperVersion.Status.READY
        version.generated_at = timezone.now()
        version.error = ""
        version.save(update_fields=["pdf", "page_count", "status", "generated_at", "error"])
    return version.page_count
