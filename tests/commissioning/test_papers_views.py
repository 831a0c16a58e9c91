"""The paper pages and the render_paper command, as an officer uses them."""

from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import Case, DecisionPaper, Organisation, PaperSection, PaperVersion
from tests.commissioning.paper_builders import build_case, record_approvals
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


@pytest.fixture
def paper():
    return build_case()[1]


@pytest.fixture
def notts_officer(paper):
    return ProfileFactory(user__username="notts.officer", organisation=paper.case.lead_commissioner).user


def test_preview_shows_generated_figures_and_actions(client, paper, notts_officer):
    PaperSection.objects.filter(paper=paper, key="purpose").delete()
    client.force_login(notts_officer)
    response = client.get(reverse("commissioning:paper-detail", args=[paper.pk]))
    assertContains(response, "£361,658")
    assertContains(response, "Table 1: Current services and budgets 2011-12")
    # No PDF until one is generated: a button to make one, no link to download.
    assertNotContains(response, "Download PDF")
    assertContains(response, "Generate paper")
    # Required sections and approvals still missing are listed before "Mark as final".
    assertContains(response, "Fill in the required section: Purpose of the report")
    assertContains(response, "Record the financial comments")


def test_another_organisations_paper_is_404(client, paper):
    stranger = ProfileFactory(
        organisation=Organisation.objects.create(name="Dorset Council", kind="unitary_council")
    )
    client.force_login(stranger.user)
    assert client.get(reverse("commissioning:paper-detail", args=[paper.pk])).status_code == 404
    assert client.get(reverse("commissioning:paper-pdf", args=[paper.pk])).status_code == 404


def test_generate_stores_a_version_and_the_pdf_downloads(client, paper, notts_officer):
    client.force_login(notts_officer)
    response = client.post(reverse("commissioning:paper-version-create", args=[paper.pk]), follow=True)
    assertContains(response, "Version 1 generated.")
    version = paper.versions.get()
    assert version.status == PaperVersion.Status.READY and version.generated_by == notts_officer

    download = client.get(reverse("commissioning:paper-version-download", args=[paper.pk, 1]))
    assert download["Content-Type"] == "application/pdf"
    pdf = b"".join(download.streaming_content)
    assert "£363,268" in " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)

    # The PDF link reuses that version while the data has not changed.
    current = client.get(reverse("commissioning:paper-pdf", args=[paper.pk]))
    assert current["Content-Type"] == "application/pdf"
    assert paper.versions.count() == 1


def test_pdf_link_never_writes_and_says_when_the_data_changed(client, paper, notts_officer):
    """GET /pdf/ gives the PDF of the paper as it stands, or sends the reader to the paper page;
    it never makes a version (generating is a POST by an editor)."""
    client.force_login(notts_officer)
    response = client.get(reverse("commissioning:paper-pdf", args=[paper.pk]), follow=True)
    assertContains(response, "No PDF of the paper as it stands yet: choose “Generate paper”.")
    assert paper.versions.count() == 0

    client.post(reverse("commissioning:paper-version-create", args=[paper.pk]))
    assert (
        client.get(reverse("commissioning:paper-pdf", args=[paper.pk]))["Content-Type"] == "application/pdf"
    )

    PaperSection.objects.filter(paper=paper, key="purpose").update(body="New purpose.")
    response = client.get(reverse("commissioning:paper-pdf", args=[paper.pk]), follow=True)
    assertContains(response, "No PDF of the paper as it stands yet")
    assertNotContains(response, "Download PDF<span")
    assert list(paper.versions.values_list("number", flat=True)) == [1]


def test_pdf_link_as_a_partner_viewer_writes_nothing(client, paper):
    partner = Organisation.objects.create(name="A partner health body", kind="health_body")
    paper.case.partners.add(partner)
    viewer = ProfileFactory(organisation=partner, role="partner_viewer").user
    client.force_login(viewer)
    response = client.get(reverse("commissioning:paper-pdf", args=[paper.pk]), follow=True)
    assertContains(response, "The lead commissioner&#x27;s officers can generate one.")
    assertNotContains(response, "Generate paper</button>")
    assert paper.versions.count() == 0
    assert client.post(reverse("commissioning:paper-version-create", args=[paper.pk])).status_code == 403


def test_pending_version_shows_progress_and_refreshes(client, paper, notts_officer, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    client.force_login(notts_officer)
    client.post(reverse("commissioning:paper-version-create", args=[paper.pk]))
    response = client.get(reverse("commissioning:paper-pdf", args=[paper.pk]), follow=True)
    assertContains(response, "Preparing the PDF (version 1): waiting to be rendered.")
    # No <meta refresh> (WCAG 2.2.1): static/js/progress.mjs updates the status region in place.
    assertNotContains(response, 'http-equiv="refresh"')
    assertContains(
        response, 'id="paper-progress" class="govuk-inset-text" role="status" data-progress-refresh="3"'
    )
    assertContains(response, "js/progress.mjs")
    assertContains(response, f'<a class="govuk-link" href="{paper.get_absolute_url()}">Refresh this page</a>')
    assertNotContains(response, "The background worker may not be running")

    # Still queued three minutes later: nobody is picking the work up.
    PaperVersion.objects.update(requested_at=timezone.now() - timedelta(minutes=3))
    response = client.get(reverse("commissioning:paper-detail", args=[paper.pk]))
    assertContains(response, "The background worker may not be running")


def test_a_failed_render_shows_its_error_and_can_be_tried_again(client, paper, notts_officer, monkeypatch):
    """A render that fails keeps its error on the paper page with "Try again", which prints the
    same version once the cause is gone."""
    from commissioning.papers import render

    real = render.html_to_pdf

    def broken(html):
        raise ModuleNotFoundError("No module named 'pypdf'")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    client.force_login(notts_officer)
    client.post(reverse("commissioning:paper-version-create", args=[paper.pk]))
    version = paper.versions.get()
    assert version.status == PaperVersion.Status.FAILED
    response = client.get(reverse("commissioning:paper-detail", args=[paper.pk]))
    assertContains(response, "Version 1 could not be printed")
    assertContains(response, "No module named &#x27;pypdf&#x27;")
    assertContains(response, "Try again")

    monkeypatch.setattr(render, "html_to_pdf", real)
    response = client.post(reverse("commissioning:paper-version-retry", args=[paper.pk, 1]), follow=True)
    assertContains(response, "Version 1 is queued to be printed again.")
    version.refresh_from_db()
    assert version.status == PaperVersion.Status.READY and version.error == "" and version.page_count
    assert paper.versions.count() == 1
    # A version that printed cannot be "tried again".
    response = client.post(reverse("commissioning:paper-version-retry", args=[paper.pk, 1]), follow=True)
    assertContains(response, "Only a version that could not be printed can be tried again.")


def test_versions_keep_the_name_of_whoever_generated_them(client, paper, notts_officer):
    client.force_login(notts_officer)
    client.post(reverse("commissioning:paper-version-create", args=[paper.pk]))
    name = notts_officer.get_full_name()
    other = ProfileFactory(organisation=paper.case.lead_commissioner).user
    notts_officer.delete()
    client.force_login(other)
    response = client.get(reverse("commissioning:paper-detail", args=[paper.pk]))
    assert response.status_code == 200
    assertContains(response, f'<td class="govuk-table__cell">{name}</td>', html=False)


def test_section_edit_saves_markdown_and_keeps_history(client, paper, notts_officer):
    client.force_login(notts_officer)
    url = reverse("commissioning:paper-section-update", args=[paper.pk, "reasons"])
    assertContains(client.get(url), "Reasons for recommendations")
    response = client.post(url, {"body": "Option B best fits **MARAC** boundaries."}, follow=True)
    assertContains(response, "Option B best fits <strong>MARAC</strong> boundaries.")
    section = PaperSection.objects.get(paper=paper, key="reasons")
    assert section.history.get().history_user == notts_officer


def test_a_final_paper_cannot_be_edited_and_offers_a_new_draft(client, paper, notts_officer):
    record_approvals(paper)
    PaperSection.objects.create(paper=paper, key="reasons", body="Reasons.")
    client.force_login(notts_officer)
    response = client.post(reverse("commissioning:paper-mark-final", args=[paper.pk]), follow=True)
    assertContains(response, "The paper is final.")
    assertContains(response, "Start a new draft")
    assertNotContains(response, "Edit<span")

    response = client.post(
        reverse("commissioning:paper-section-update", args=[paper.pk, "purpose"]), {"body": "x"}, follow=True
    )
    assertContains(response, "This paper is final and cannot change.")
    assert PaperSection.objects.get(paper=paper, key="purpose").body != "x"

    response = client.post(reverse("commissioning:paper-revise", args=[paper.pk]), follow=True)
    draft = DecisionPaper.objects.get(supersedes=paper)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()


def test_mark_final_refusal_is_shown(client, paper, notts_officer):
    client.force_login(notts_officer)
    response = client.post(reverse("commissioning:paper-mark-final", args=[paper.pk]), follow=True)
    assertContains(response, "This paper cannot be marked final yet.")
    assertContains(response, "Record the approvals still missing: financial comments, legal comments")


def test_generate_paper_for_a_case_uses_its_default_type(client, paper, notts_officer):
    client.force_login(notts_officer)
    url = reverse("commissioning:paper-generate", args=[paper.case.reference])
    assertContains(client.get(url), "Committee or scrutiny report")
    response = client.post(url, {}, follow=True)
    new = paper.case.papers.exclude(pk=paper.pk).get()
    assert new.paper_type.slug == "cabinet-report"
    assertContains(response, "Paper started")


def test_render_paper_command_writes_a_pdf(tmp_path, paper):
    output, html = tmp_path / "paper.pdf", tmp_path / "paper.html"
    call_command("render_paper", paper.case.reference, output=str(output), html=str(html), stdout=StringIO())
    assert output.read_bytes().startswith(b"%PDF-")
    assert "£120,000" in html.read_text()


def test_render_paper_defaults_to_the_foi_letter_for_an_foi_case(tmp_path):
    call_command("load_seed_cases", stdout=StringIO())
    case = Case.objects.get(reference="notts-foi-10653")
    case.papers.all().delete()
    output = tmp_path / "foi.pdf"
    out = StringIO()
    call_command("render_paper", "notts-foi-10653", output=str(output), stdout=out)
    assert "FOI response letter" in out.getvalue() and "not saved" in out.getvalue()
    text = " ".join(p.extract_text() for p in PdfReader(output).pages)
    assert "10653" in text and "£86,000" in text
    assert not case.papers.exists()
