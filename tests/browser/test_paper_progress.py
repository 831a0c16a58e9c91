"""A paper's PDF being prepared: the page has no <meta refresh> (axe: WCAG 2.2.1, "Timing
adjustable") and static/js/progress.mjs puts the new status in place, without reloading the page,
until the version is ready."""

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.models import PaperVersion
from commissioning.papers import actions
from tests.commissioning.paper_builders import build_case
from tests.factories import ProfileFactory


@pytest.fixture
def queued_version(transactional_db, settings, tmp_path):
    """A paper whose version 1 is queued: the dummy backend runs nothing, as when the worker is slow."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.MEDIA_ROOT = tmp_path
    paper = build_case()[1]
    officer = ProfileFactory(organisation=paper.case.lead_commissioner).user
    with transaction.atomic():
        version = actions.generate_version(paper, by=officer)
    assert (version.number, version.status) == (1, PaperVersion.Status.QUEUED)
    return officer, paper, version


def test_the_paper_page_updates_its_status_in_place_until_the_pdf_is_ready(
    live_page, live_server, queued_version, axe
):
    officer, paper, version = queued_version
    client = Client()
    client.force_login(officer)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    live_page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page = live_page
    page.goto(paper.get_absolute_url())
    status = page.locator("#paper-progress")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("Preparing the PDF (version 1): waiting to be rendered.")
    assert 'http-equiv="refresh"' not in page.content()
    assert page.locator("meta[http-equiv]").count() == 0
    axe(page, "paper page with its PDF queued")

    # A marker on the page survives only if the page is not loaded again.
    page.evaluate("document.body.dataset.notReloaded = 'yes'")
    PaperVersion.objects.filter(pk=version.pk).update(status=PaperVersion.Status.RENDERING)
    expect(status).to_contain_text("Preparing the PDF (version 1): rendering.", timeout=20_000)

    # The worker finishes: the row is marked ready with its PDF.
    version.refresh_from_db()
    version.pdf.save("ready.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    version.status = PaperVersion.Status.READY
    version.generated_at = timezone.now()
    version.page_count = 1
    version.save()
    expect(status).to_contain_text("Version 1 of the PDF was made at", timeout=20_000)
    expect(status.get_by_role("link", name="download version 1")).to_be_visible()
    assert page.evaluate("document.body.dataset.notReloaded") == "yes"
    # Finished: the region is no longer marked for refreshing, so the script stops fetching.
    assert not status.evaluate("region => region.hasAttribute('data-progress-refresh')")
    axe(page, "paper page with its PDF ready")
