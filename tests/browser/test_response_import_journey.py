"""Import a survey export in the browser: choose the columns, see the import waiting for the
background worker (the page updates itself), then its result; each page accessible (axe)."""

import csv
import io
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from commissioning.models import Organisation
from consultations import tasks, views_responses
from consultations.models import Response, ResponseUpload
from tests.factories import CaseFactory, ConsultationFactory, OptionAppraisalFactory, OptionFactory


def test_a_large_export_imports_in_the_background(logged_in_page, axe, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(views_responses, "SYNC_BYTES", 0)  # every file goes to the worker
    case = CaseFactory(reference="import-2026", lead_commissioner=Organisation.objects.get(short_name="NCC"))
    OptionFactory(appraisal=OptionAppraisalFactory(case=case), label="A", name="Two lots")
    consultation = ConsultationFactory(case=case, title="Refuge services")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Response ID", "Which option?", "Comments"])
    writer.writerows([f"R{i}", "Option A", f"Comment {i}"] for i in range(1, 31))

    page = logged_in_page
    page.goto(f"/consultations/{consultation.pk}/responses/import/")
    page.get_by_label("Survey tool").fill("SmartSurvey")
    page.locator("input[type=file]").set_input_files(
        {"name": "export.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode()}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Choose the columns", level=1)).to_be_visible()
    axe(page, "choose the columns")
    page.get_by_role("button", name="Import responses").click()
    expect(page.get_by_role("status")).to_contain_text("export.csv: waiting to be imported.")
    axe(page, "import waiting for the worker")

    # As the worker reports progress, the message changes in place (static/js/progress.mjs).
    ResponseUpload.objects.update(status="running", rows_read=10, rows_total=30)
    expect(page.get_by_role("status")).to_contain_text("10 of about 30 rows checked (33%).", timeout=20_000)
    ResponseUpload.objects.update(status="queued", rows_read=0, rows_total=None)
    assert tasks.import_upload.call(ResponseUpload.objects.get().pk) == 30
    # static/js/progress.mjs notices the import has finished and shows the result.
    expect(page.locator(".govuk-panel__title")).to_have_text("30 responses imported", timeout=20_000)
    axe(page, "import done")
    assert Response.objects.filter(consultation=consultation).count() == 30


def test_an_import_whose_worker_died_offers_try_again(logged_in_page, axe, settings, monkeypatch, tmp_path):
    """The worker goes quiet part-way: once IMPORT_SILENCE (10 minutes) has passed without a word,
    the status region says the import stopped, in place, and "Try again" queues it again."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(views_responses, "SYNC_BYTES", 0)
    case = CaseFactory(reference="import-2026", lead_commissioner=Organisation.objects.get(short_name="NCC"))
    consultation = ConsultationFactory(case=case, title="Refuge services")
    page = logged_in_page
    page.goto(f"/consultations/{consultation.pk}/responses/import/")
    page.get_by_label("Survey tool").fill("SmartSurvey")
    page.locator("input[type=file]").set_input_files(
        {"name": "export.csv", "mimeType": "text/csv", "buffer": b"Response ID,Comments\nR1,Fine\n"}
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name="Import responses").click()
    expect(page.get_by_role("status")).to_contain_text("export.csv: waiting to be imported.")

    eleven_minutes_ago = timezone.now() - timedelta(minutes=11)
    ResponseUpload.objects.update(status="running", rows_read=1, rows_total=1, progress_at=eleven_minutes_ago)
    expect(page.get_by_role("status")).to_contain_text("export.csv: the import stopped.", timeout=20_000)
    axe(page, "import stopped")
    page.get_by_role("button", name="Try again to import export.csv").click()
    expect(page.get_by_role("status")).to_contain_text("export.csv: waiting to be imported.")
    assert ResponseUpload.objects.get().status == "queued"
