"""Excel exports written by the worker: the job, its progress, its file and who may have it.

The workbook is compared with the register page's own rows for the same filter and sort, so the
test fails if the worker scopes, filters or sorts differently from the page.
"""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from commissioning import exports
from commissioning.export_jobs import delete_old_exports, write_excel_export
from commissioning.models import ExportJob
from tests.commissioning.test_registers import first_cells
from tests.factories import CaseFactory, OrganisationFactory, ProfileFactory

CASES = reverse("commissioning:case-list")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def cases(organisation, other_organisation):
    """The officer's organisation leads staffs-2022 and is a partner in stoke-2021; dorset-2019
    is another organisation's. Low risk: stoke-2021 and dorset-2019."""
    CaseFactory(reference="staffs-2022", lead_commissioner=organisation, current_risk="medium")
    stoke = OrganisationFactory(name="Stoke-on-Trent City Council", short_name="SOTCC")
    joint = CaseFactory(reference="stoke-2021", lead_commissioner=stoke, current_risk="low")
    joint.partners.add(organisation)
    CaseFactory(reference="dorset-2019", lead_commissioner=other_organisation, current_risk="low")


@pytest.fixture
def tasks(immediate_tasks):
    """The ImmediateBackend, and exports written under a temporary MEDIA_ROOT."""


def workbook_rows(job: ExportJob) -> list[tuple]:
    with job.file.open("rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    return list(sheet.iter_rows(values_only=True))


def ask_for_excel(client, url):
    response = client.post(url, {"export": "xlsx"})
    assert response.status_code == 302
    return ExportJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_the_workbook_holds_the_registers_visible_rows_in_its_order(tasks, officer_client, officer, cases):
    # 30 more cases of the officer's organisation: more than one page of the register (25), and
    # 5 of another organisation, which must not appear.
    for n in range(30):
        CaseFactory(reference=f"staffs-{n:02d}", lead_commissioner=officer.profile.organisation)
    for n in range(5):
        CaseFactory(reference=f"elsewhere-{n}")
    url = f"{CASES}?sort=-reference"
    page_one, page_two = officer_client.get(url), officer_client.get(f"{url}&page=2")
    # 30 + staffs-2022 + stoke-2021 (a partner's) = 32, over two pages.
    on_pages = first_cells(page_one) + first_cells(page_two)
    assert len(on_pages) == 32

    job = ask_for_excel(officer_client, f"{url}&page=2")
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.query == "sort=-reference"  # the page number is not a filter
    assert (job.owner, job.organisation, job.register) == (
        officer,
        officer.profile.organisation,
        "commissioning:case-list",
    )
    rows = workbook_rows(job)
    assert rows[0][0] == "Reference"
    assert [r[0] for r in rows[1:]] == on_pages
    assert (job.rows_written, job.rows_total) == (32, 32)


def test_the_workbook_keeps_the_filter(tasks, officer_client, cases):
    job = ask_for_excel(officer_client, f"{CASES}?risk=low")
    assert [r[0] for r in workbook_rows(job)[1:]] == first_cells(officer_client.get(f"{CASES}?risk=low"))
    assert [r[0] for r in workbook_rows(job)[1:]] == ["stoke-2021"]


def test_the_job_page_shows_the_download_link_when_ready(tasks, officer_client, cases):
    job = ask_for_excel(officer_client, CASES)
    response = officer_client.get(job.get_absolute_url())
    assertContains(response, "Your file is ready")
    assertContains(response, "2 rows")
    assertContains(response, f'href="{reverse("commissioning:export-download", args=[job.pk])}"')
    assertNotContains(response, "js/progress.mjs")  # nothing left to refresh
    assertNotContains(response, "data-progress-refresh")
    download = officer_client.get(reverse("commissioning:export-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == exports.XLSX_TYPE
    assert download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"]


def test_a_register_link_with_export_xlsx_writes_nothing_in_the_request(officer_client, cases):
    response = officer_client.get(f"{CASES}?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not ExportJob.objects.exists()


def test_the_worker_scopes_the_rows_when_it_runs(
    officer_client, officer, other_organisation, cases, settings, tmp_path
):
    """The job is queued, not run; a case the officer's organisation hands over before the worker
    runs is not exported: the rows are the ones the owner may see when the file is written."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path
    handed = CaseFactory(reference="handed-over", lead_commissioner=officer.profile.organisation)
    job = ask_for_excel(officer_client, CASES)
    assert job.status == ExportJob.Status.QUEUED
    assert sorted(first_cells(officer_client.get(CASES))) == ["handed-over", "staffs-2022", "stoke-2021"]
    handed.lead_commissioner = other_organisation
    handed.save()
    assert write_excel_export.call(job.pk) == 2
    job.refresh_from_db()
    assert sorted(r[0] for r in workbook_rows(job)[1:]) == ["staffs-2022", "stoke-2021"]


def test_an_inactive_owners_export_fails(officer, cases, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(owner=officer, register="commissioning:case-list", title="Cases")
    officer.is_active = False
    officer.save()
    with pytest.raises(PermissionError):
        write_excel_export.call(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert not job.file
    assert "no longer active" in job.error


def test_progress_is_recorded_as_the_rows_are_written(officer, organisation, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    for n in range(5):
        CaseFactory(reference=f"case-{n}", lead_commissioner=organisation)
    job = ExportJob.objects.create(
        owner=officer, organisation=organisation, register="commissioning:case-list", title="Cases"
    )
    seen = []  # (rows written, rows total) as the job page would read them, at each report
    real_write = exports.write_xlsx

    def write_watching(export, file, title, progress):
        def report(written):
            progress(written)
            seen.append(ExportJob.objects.values_list("rows_written", "rows_total").get(pk=job.pk))

        return real_write(export, file, title=title, progress=report)

    monkeypatch.setattr(exports, "write_xlsx", write_watching)
    assert write_excel_export.call(job.pk) == 5
    # Every 2 rows, then at the end: 2, 4 and 5 of 5.
    assert seen == [(2, 5), (4, 5), (5, 5)]
    job.refresh_from_db()
    assert (job.status, job.rows_written, job.rows_total) == (ExportJob.Status.DONE, 5, 5)


def test_the_job_page_shows_progress_and_refreshes_until_ready(officer_client, officer):
    job = ExportJob.objects.create(
        owner=officer,
        organisation=officer.profile.organisation,
        register="commissioning:case-list",
        title="Cases",
        status=ExportJob.Status.RUNNING,
        rows_written=1500,
        rows_total=4000,
    )
    response = officer_client.get(job.get_absolute_url())
    # 1,500 of 4,000 = 37.5%, shown as 37%.
    assertContains(response, "1500 of 4000 rows written (37%)")
    assertContains(response, f'<a class="govuk-link" href="{job.get_absolute_url()}">Refresh')
    assertContains(response, "js/progress.mjs")
    assertContains(
        response, 'id="export-progress" role="status" aria-live="polite" data-progress-refresh="3"'
    )
    assertNotContains(response, reverse("commissioning:export-download", args=[job.pk]))
    assert officer_client.get(reverse("commissioning:export-download", args=[job.pk])).status_code == 404


def test_a_failed_export_says_so(officer_client, officer):
    job = ExportJob.objects.create(
        owner=officer, register="commissioning:case-list", title="Cases", status="failed", error="Disk full"
    )
    response = officer_client.get(job.get_absolute_url())
    assertContains(response, "The Excel file could not be written")
    assertContains(response, "Disk full")


def test_only_the_owner_and_their_organisation_reach_an_export(
    tasks, client, officer_client, officer, other_officer, cases
):
    job = ask_for_excel(officer_client, CASES)
    page, download = job.get_absolute_url(), reverse("commissioning:export-download", args=[job.pk])
    colleague = ProfileFactory(organisation=officer.profile.organisation).user
    client.force_login(colleague)
    assert client.get(page).status_code == 200
    assert client.get(download).status_code == 200
    client.force_login(other_officer)
    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404


def test_old_exports_are_removed_with_their_files(officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old, recent = (
        ExportJob.objects.create(owner=officer, register=register, title="Cases", status="done")
        for register in ("commissioning:case-list", "commissioning:case-list")
    )
    for job in (old, recent):
        job.file.save("cases.xlsx", ContentFile(b"PK"), save=True)
    # Eight days ago: past the week an export is kept.
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    old_path = tmp_path / old.file.name
    assert old_path.exists()
    out = io.StringIO()
    call_command("delete_old_exports", stdout=out)
    assert "Removed 1 export(s) older than 7 days." in out.getvalue()
    assert list(ExportJob.objects.all()) == [recent]
    assert not old_path.exists()
    assert (tmp_path / recent.file.name).exists()
    assert delete_old_exports() == 0


def test_an_export_queued_too_long_says_the_worker_may_not_be_running(officer_client, officer):
    """The same hint, at the same threshold (WORKER_WAIT, 2 minutes), as the paper page's."""
    job = ExportJob.objects.create(
        owner=officer,
        organisation=officer.profile.organisation,
        register="commissioning:case-list",
        title="Cases",
    )
    assert job.status == ExportJob.Status.QUEUED
    hint = "The background worker may not be running: <code>make run</code> starts it"
    assertNotContains(officer_client.get(job.get_absolute_url()), hint)
    ExportJob.objects.update(created_at=timezone.now() - timedelta(minutes=1, seconds=50))
    assertNotContains(officer_client.get(job.get_absolute_url()), hint)
    asked = timezone.now() - timedelta(minutes=3)
    ExportJob.objects.update(created_at=asked)
    response = officer_client.get(job.get_absolute_url())
    assertContains(response, hint)
    assertContains(
        response, f"It has waited since {timezone.localtime(asked):%H:%M} without being picked up."
    )
    # Picked up (running) however long ago it was asked for: the worker is there.
    ExportJob.objects.update(status=ExportJob.Status.RUNNING)
    assertNotContains(officer_client.get(job.get_absolute_url()), hint)
