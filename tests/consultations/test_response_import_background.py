"""A large survey export is imported by the background task, which records its progress on the
upload; the page shows it; nothing is saved unless every row is clean; old uploads are cleaned
up; the benchmark command prints rows per second.

The export rows are test_responses.py's (``export_row(i)``); figures are counted from them.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from consultations import importer, tasks, views_responses
from consultations.models import ImportMapping, Response, ResponseUpload
from tests.consultations.test_responses import MAPPING, csv_bytes, export_row


@pytest.fixture
def background(monkeypatch, settings, tmp_path):
    """Every file goes to the worker (none is small enough for the request), and the worker is
    not running: the test runs the task itself."""
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(views_responses, "SYNC_BYTES", 0)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 250)


def upload_file(client, consultation, data: bytes) -> str:
    url = reverse("consultations:response-import", args=[consultation.pk])
    response = client.post(url, {"tool": "SmartSurvey", "file": SimpleUploadedFile("big.csv", data)})
    assert response.status_code == 302
    return response["Location"]


def test_a_large_file_is_imported_by_the_task_with_progress_on_its_page(
    client, officer, consultation, background, monkeypatch, tmp_path
):
    client.force_login(officer)
    map_url = upload_file(client, consultation, csv_bytes(export_row(i) for i in range(1, 1001)))
    queued = client.post(map_url, {**MAPPING, "action": "import"})
    assert queued["Location"] == map_url
    upload = ResponseUpload.objects.get()
    assert (upload.status, upload.imported_by, upload.columns) == ("queued", officer, MAPPING)
    assert upload.task_id
    page = client.get(map_url)
    assertContains(page, "big.csv: waiting to be imported.")
    assertContains(page, 'data-progress-refresh="3"', html=False)  # static/js/progress.mjs polls
    assertContains(page, "js/progress.mjs")
    assert Response.objects.count() == 0

    # What the page would show at each report of progress, read from the database as it goes.
    seen = []
    original = importer.import_responses

    def watched(*args, progress, **kwargs):
        def report(rows):
            progress(rows)
            row = ResponseUpload.objects.get(pk=upload.pk)
            seen.append((row.status, row.rows_read, row.rows_total))
            if rows == 500:
                seen.append(re.sub(r"\s+", " ", client.get(map_url).content.decode()))

        return original(*args, progress=report, **kwargs)

    monkeypatch.setattr(importer, "import_responses", watched)
    assert tasks.import_upload.call(upload.pk) == 1000
    page_at_500 = seen.pop(2)
    # Every 250 rows, then once at the end; the total is the file's 1,001 lines less the header.
    assert seen == [("running", n, 1000) for n in (250, 500, 750, 1000, 1000)]
    assert "500 of about 1,000 rows checked (50%)." in page_at_500

    upload.refresh_from_db()
    assert (upload.status, upload.imported, upload.error_count, bool(upload.file)) == ("done", 1000, 0, False)
    assert not list(tmp_path.rglob("*.csv"))  # the file is deleted once imported
    assert Response.objects.filter(consultation=consultation).count() == 1000
    assert Response.history.filter(history_type="+", history_user=officer).count() == 1000
    sample = Response.objects.get(response_id="R00214").history.get()
    assert (sample.scale, sample.option.label, sample.postcode_district) == (
        214 % 11,
        "B",
        "NG7",
    )  # i % 11 = 5: Option B; i % 4 = 2: NG7 2RD
    assert ImportMapping.objects.get(consultation=consultation, tool="SmartSurvey").columns == MAPPING
    done = client.get(map_url)
    assertContains(done, "1,000 responses imported")
    assertNotContains(done, "data-progress-refresh")
    assertNotContains(done, "js/progress.mjs")
    # The task run again (a worker retrying it) does nothing more.
    assert tasks.import_upload.call(upload.pk) == 1000
    assert Response.objects.count() == 1000


def test_a_background_import_with_bad_rows_and_a_repeated_id_saves_nothing(
    client, officer, consultation, settings, background
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    rows = [export_row(i) for i in range(1, 1001)]
    rows[212][5] = "Option E"  # row 214 of the sheet: the header is row 1
    rows[499][3] = "31/02/2026"
    rows[899][1] = "Alien"
    rows[949][0] = "R00007"  # row 951 repeats row 8's ID
    client.force_login(officer)
    map_url = upload_file(client, consultation, csv_bytes(rows))
    page = client.post(map_url, {**MAPPING, "action": "import"}, follow=True)
    errors = [
        "Row 214, column 'Which option do you prefer?': 'Option E' is not one of this case's options",
        "Row 501, column 'Date submitted': '31/02/2026' is not a date (use 2026-12-01 or 01/12/2026)",
        "Row 901, column 'Are you responding as': 'Alien' is not a respondent type",
        "Row 951, column 'Response ID': response 'R00007' is also on row 8",
    ]
    upload = ResponseUpload.objects.get()
    assert (upload.status, upload.error_count, upload.errors, upload.imported) == ("failed", 4, errors, 0)
    assert (upload.rows_read, upload.rows_total) == (1000, 1000)
    assertContains(page, "Nothing was imported: 4 problems in the file")
    assertContains(
        page, "Row 951, column &#x27;Response ID&#x27;: response &#x27;R00007&#x27; is also on row 8"
    )
    assert Response.objects.count() == 0
    assert Response.history.count() == 0
    assert not ImportMapping.objects.exists()
    # The file stays for another try with other columns; the page offers the columns chosen.
    assert upload.file
    assertContains(page, "Choose the columns")


def test_uploads_left_for_days_are_cleaned_up(consultation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    made = {}
    for status, days in [("uploaded", 8), ("failed", 8), ("done", 8), ("queued", 8), ("uploaded", 6)]:
        upload = ResponseUpload(consultation=consultation, tool="Forms", original_name="x.csv", status=status)
        upload.file.save("x.csv", ContentFile(b"ID\n1\n"), save=True)
        ResponseUpload.objects.filter(pk=upload.pk).update(uploaded_at=now - timedelta(days=days))
        made[(status, days)] = upload
    out = io.StringIO()
    call_command("clean_response_uploads", "--days", "7", stdout=out)
    assert out.getvalue() == "3 uploads older than 7 days deleted\n"
    assert set(ResponseUpload.objects.values_list("pk", flat=True)) == {
        made["queued", 8].pk,  # the worker has yet to read it
        made["uploaded", 6].pk,
    }
    assert len(list(tmp_path.rglob("*.csv"))) == 2


def test_the_benchmark_prints_rows_per_second_and_saves_nothing(consultation):
    out = io.StringIO()
    call_command("benchmark_import", "--rows", "300", "--consultation", str(consultation.pk), stdout=out)
    assert re.fullmatch(
        r"300 rows in \d+\.\d s: [\d,]+ rows per second; peak memory \d+ MB \(-?\d+ MB more than before "
        r"the import\)\n",
        out.getvalue(),
    ), out.getvalue()
    assert Response.objects.count() == 0  # rolled back


def killed_part_way(upload, monkeypatch) -> dict:
    """Run the task until its first report of progress (250 rows) and leave the upload as a worker
    killed there leaves it (a killed process runs no ``except``): "running", with its heartbeat."""
    left = {}

    def dies(*args, progress, **kwargs):
        progress(250)
        left.update(
            ResponseUpload.objects.filter(pk=upload.pk).values("status", "rows_read", "progress_at")[0]
        )
        raise RuntimeError("killed")

    original = importer.import_responses
    monkeypatch.setattr(importer, "import_responses", dies)
    with pytest.raises(RuntimeError):
        tasks.import_upload.call(upload.pk)
    monkeypatch.setattr(importer, "import_responses", original)
    ResponseUpload.objects.filter(pk=upload.pk).update(**left, finished_at=None, errors=[], error_count=0)
    return left


def test_an_import_whose_worker_died_says_it_stopped_and_can_be_tried_again(
    client, officer, other_officer, consultation, background, monkeypatch
):
    client.force_login(officer)
    map_url = upload_file(client, consultation, csv_bytes(export_row(i) for i in range(1, 1001)))
    client.post(map_url, {**MAPPING, "action": "import"})
    upload = ResponseUpload.objects.get()
    before = timezone.now()
    left = killed_part_way(upload, monkeypatch)
    # The progress report is the heartbeat.
    assert (left["status"], left["rows_read"]) == ("running", 250)
    assert left["progress_at"] >= before

    # Nine minutes without a word: perhaps a slow file; the page still shows progress.
    ResponseUpload.objects.update(progress_at=timezone.now() - timedelta(minutes=9))
    page = client.get(map_url)
    assertContains(page, "250 of about 1,000 rows checked (25%).")
    assertNotContains(page, "the import stopped")
    retry_url = reverse("consultations:response-import-retry", args=[consultation.pk, upload.pk])
    assert client.post(retry_url)["Location"] == map_url  # not stopped: nothing happens
    assert ResponseUpload.objects.get().status == "running"

    # Eleven minutes (more than IMPORT_SILENCE, 10): the worker is gone.
    ResponseUpload.objects.update(progress_at=timezone.now() - timedelta(minutes=11))
    page = client.get(map_url)
    assertContains(page, "big.csv: the import stopped.")
    assertContains(page, "Nothing from the file was saved")
    assertContains(page, f'action="{retry_url}"')
    assertNotContains(page, 'data-progress-refresh="3"')  # progress.mjs stops polling
    assert Response.objects.count() == 0  # all or nothing: the rows go in one transaction

    # Another organisation's officer cannot see the consultation, let alone re-queue it.
    client.force_login(other_officer)
    assert client.post(retry_url).status_code == 404
    assert ResponseUpload.objects.get().status == "running"

    client.force_login(officer)
    assert client.get(retry_url).status_code == 405
    requeued = client.post(retry_url)
    assert requeued["Location"] == map_url
    upload.refresh_from_db()
    assert (upload.status, upload.rows_read, upload.progress_at, upload.imported_by) == (
        "queued",
        0,
        None,
        officer,
    )
    assert upload.task_id  # queued for the worker again
    assertContains(client.get(map_url), "big.csv: waiting to be imported.")
    assert tasks.import_upload.call(upload.pk) == 1000
    upload.refresh_from_db()
    assert (upload.status, upload.imported) == ("done", 1000)
    assert Response.objects.count() == 1000
