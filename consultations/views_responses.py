"""A consultation's responses: upload a survey export, choose its columns, preview, import; and
one response's page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.views.decorators.http import require_POST

from commissioning.models import Case
from commissioning.permissions import can_edit_case, require_case_editor
from commissioning.tasks_status import waited_too_long
from commissioning.views.edit import error_summary

from .forms import ColumnMappingForm, ResponseUploadForm
from .importer import ImportFileError, guess_mapping, open_table, preview
from .models import Consultation, ImportMapping, Response, ResponseUpload
from .tasks import import_upload, run_import


def _editable_consultation(request, pk) -> Consultation:
    """A consultation the user can see (else 404) and whose case they may change (else 403)."""
    consultation = get_object_or_404(
        Consultation.objects.filter(case__in=Case.objects.visible_to(request.user)).select_related("case"),
        pk=pk,
    )
    require_case_editor(request.user, consultation.case)
    return consultation


def response_import(request, pk):
    """Upload a survey export; it is kept until its columns are chosen and it is imported."""
    consultation = _editable_consultation(request, pk)
    form = ResponseUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = ResponseUpload(
            consultation=consultation,
            tool=form.cleaned_data["tool"],
            original_name=upload.name[:255],
            uploaded_by=request.user,
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
        return redirect(stored)
    return render(
        request,
        "consultations/response_import.html",
        {
            "consultation": consultation,
            "case": consultation.case,
            "form": form,
            "heading": "Import responses",
            "error_summary": error_summary(form),
        },
    )


# A file up to this size is imported in the request (a few thousand rows, a second or two);
# a larger one by the background worker, while its page shows how far it has got.
SYNC_BYTES = 256 * 1024


def response_import_map(request, pk, upload_pk):
    """Choose which column holds each answer, see the first rows as they will be read, import;
    then, while the import runs, how far it has got, and at the end what it found."""
    consultation = _editable_consultation(request, pk)
    upload = get_object_or_404(consultation.uploads, pk=upload_pk)
    context = {"consultation": consultation, "case": consultation.case, "upload": upload}
    if upload.is_pending or upload.status == ResponseUpload.Status.DONE:
        if request.method == "POST":
            return redirect(upload)
        stalled = upload.status == ResponseUpload.Status.QUEUED and waited_too_long(upload.queued_at)
        context.update(heading="Importing responses", stalled=stalled, stopped=upload.has_stopped())
        return render(request, "consultations/response_import_progress.html", context)
    try:
        with upload.file.open("rb") as binary:
            header, rows = open_table(binary, upload.file.name)
            rows.close()
    except (ImportFileError, OSError, ValueError) as error:
        messages.error(
            request, f"The file {upload.original_name} can no longer be read ({error}); upload it again."
        )
        return redirect("consultations:response-import", consultation.pk)
    remembered = ImportMapping.objects.filter(consultation=consultation, tool=upload.tool).first()
    if upload.status == ResponseUpload.Status.FAILED and upload.columns:
        chosen = upload.columns
    else:
        chosen = remembered.columns if remembered else guess_mapping(header)
    initial = {k: v for k, v in chosen.items() if v in header}
    form = ColumnMappingForm(request.POST or None, header=header, initial=initial)
    shown = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "import":
            return _start_import(request, consultation, upload, form.mapping())
        try:
            with upload.file.open("rb") as binary:
                _, shown = preview(consultation, binary, upload.file.name, form.mapping())
        except ImportFileError as error:
            form.add_error(None, str(error))
    context.update(
        form=form,
        header=header,
        shown=shown,
        failed=upload.status == ResponseUpload.Status.FAILED,
        remembered=remembered,
        heading="Choose the columns",
        error_summary=error_summary(form),
    )
    return render(request, "consultations/response_import_map.html", context)


def _start_import(request, consultation, upload, mapping):
    """Queue the import with the columns chosen: a small file is imported at once, a large one by
    the background worker (the page then shows its progress)."""
    queued = ResponseUpload.objects.filter(
        pk=upload.pk, status__in=[ResponseUpload.Status.UPLOADED, ResponseUpload.Status.FAILED]
    ).update(
        status=ResponseUpload.Status.QUEUED,
        columns=mapping,
        imported_by=request.user,
        queued_at=timezone.now(),
        finished_at=None,
        rows_read=0,
        rows_total=None,
        error_count=0,
        errors=[],
    )
    if not queued:
        return redirect(upload)  # already queued, from another tab
    return _run_or_enqueue(request, consultation, upload)


def _run_or_enqueue(request, consultation, upload):
    """Import a queued upload: a small file at once, a large one by the background worker."""
    if upload.file.size > SYNC_BYTES:
        result = import_upload.enqueue(upload.pk)
        ResponseUpload.objects.filter(pk=upload.pk, task_id="").update(task_id=str(result.id)[:64])
        return redirect(upload)
    upload = run_import(upload.pk)
    if upload.status == ResponseUpload.Status.DONE:
        messages.success(request, f"{upload.imported:,} response{pluralize(upload.imported)} imported")
        return redirect(consultation)
    return redirect(upload)


@require_POST
def response_import_retry(request, pk, upload_pk):
    """Queue again an import whose worker stopped part-way ("running" with no progress for
    IMPORT_SILENCE). Nothing of it was saved (the rows go in one transaction), so the whole file
    is imported again, all or nothing, with the same columns."""
    consultation = _editable_consultation(request, pk)
    upload = get_object_or_404(consultation.uploads, pk=upload_pk)
    if not upload.has_stopped():
        return redirect(upload)  # it finished, or its worker spoke again, meanwhile
    # Only if nothing has changed since it was read: a worker reporting progress meanwhile, or
    # another officer's "Try again", wins.
    queued = ResponseUpload.objects.filter(
        pk=upload.pk, status=ResponseUpload.Status.RUNNING, progress_at=upload.progress_at
    ).update(
        status=ResponseUpload.Status.QUEUED,
        imported_by=request.user,
        queued_at=timezone.now(),
        progress_at=None,
        finished_at=None,
        task_id="",
        rows_read=0,
        rows_total=None,
        error_count=0,
        errors=[],
    )
    if not queued:
        return redirect(upload)
    messages.info(request, f"The import of {upload.original_name} is queued again.")
    upload.refresh_from_db()
    return _run_or_enqueue(request, consultation, upload)


def response_detail(request, pk):
    response = get_object_or_404(
        Response.objects.filter(consultation__case__in=Case.objects.visible_to(request.user)).select_related(
            "consultation__case", "option", "area", "chosen_quote"
        ),
        pk=pk,
    )
    can_edit = can_edit_case(request.user, response.consultation.case)
    return render(
        request,
        "consultations/response_detail.html",
        {
            "response": response,
            "consultation": response.consultation,
            # The comment as written is for the lead commissioner's officers only, never partners'.
            "show_unmasked": can_edit,
            "can_quote": can_edit,
        },
    )
