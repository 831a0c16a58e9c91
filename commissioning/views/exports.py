"""An Excel export's page (progress, then the download link) and its file.

Exports are reached through ``ExportJob.objects.visible_to(user)``: the owner's and their
organisation's; another organisation's answers 404.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from commissioning.exports import XLSX_TYPE
from commissioning.models import ExportJob
from commissioning.tasks_status import waited_too_long


def _job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)


def export_detail(request, pk):
    job = _job(request, pk)
    # Queued (it is queued when asked for) too long and never picked up: say the worker may be down.
    stalled = job.status == ExportJob.Status.QUEUED and waited_too_long(job.created_at)
    return render(request, "commissioning/exportjob_detail.html", {"job": job, "stalled": stalled})


def export_download(request, pk):
    job = _job(request, pk)
    if not job.is_ready:
        raise Http404("This export is not ready.")
    return FileResponse(
        job.file.open("rb"),
        content_type=XLSX_TYPE,
        filename=job.file.name.rsplit("/", 1)[-1],
        as_attachment=True,
    )
