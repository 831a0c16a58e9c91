"""A consultation's responses: upload a survey export, choose its columns, preview, import; and
one response's page."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from commissioning.models import Case
from commissioning.permissions import can_edit_case, require_case_editor
from commissioning.views.edit import error_summary

from .forms import ColumnMappingForm, ResponseUploadForm
from .importer import ImportFileError, guess_mapping, import_responses, open_table, preview
from .models import Consultation, ImportMapping, Response, ResponseUpload


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


def response_import_map(request, pk, upload_pk):
    """Choose which column holds each answer, see the first rows as they will be read, import."""
    consultation = _editable_consultation(request, pk)
    upload = get_object_or_404(consultation.uploads, pk=upload_pk)
    context = {"consultation": consultation, "case": consultation.case, "upload": upload}
    try:
        with upload.file.open("rb") as binary:
            header, rows = open_table(binary, upload.file.name)
            rows.close()
    except (ImportFileError, OSError) as error:
        messages.error(
            request, f"The file {upload.original_name} can no longer be read ({error}); upload it again."
        )
        return redirect("consultations:response-import", consultation.pk)
    remembered = ImportMapping.objects.filter(consultation=consultation, tool=upload.tool).first()
    initial = {
        k: v for k, v in (remembered.columns if remembered else guess_mapping(header)).items() if v in header
    }
    form = ColumnMappingForm(request.POST or None, header=header, initial=initial)
    shown, result = None, None
    if request.method == "POST" and form.is_valid():
        try:
            with upload.file.open("rb") as binary:
                if request.POST.get("action") == "import":
                    result = import_responses(
                        consultation,
                        binary,
                        upload.file.name,
                        form.mapping(),
                        tool=upload.tool,
                        by=request.user,
                    )
                else:
                    _, shown = preview(consultation, binary, upload.file.name, form.mapping())
        except ImportFileError as error:
            form.add_error(None, str(error))
        if result is not None and result.ok:
            with transaction.atomic():
                upload.file.delete(save=False)
                upload.delete()
            messages.success(
                request, f"{result.imported:,} response{'s' if result.imported != 1 else ''} imported"
            )
            return redirect(consultation)
    context.update(
        form=form,
        header=header,
        shown=shown,
        result=result,
        remembered=remembered,
        heading="Choose the columns",
        error_summary=error_summary(form),
    )
    return render(request, "consultations/response_import_map.html", context)


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
