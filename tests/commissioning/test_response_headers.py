"""Signed-in pages, exports and paper PDFs are not kept by browsers or proxies; every page turns
off device features the service never uses."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from commissioning.models import DecisionPaper, PaperType, PaperVersion
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.parametrize(
    "url",
    [
        reverse("commissioning:dashboard"),
        reverse("commissioning:case-list"),
        reverse("commissioning:case-list") + "?export=csv",
        reverse("commissioning:funding-list") + "?export=csv",
        reverse("contracts:contract-list") + "?export=csv",
    ],
)
def test_signed_in_pages_and_exports_are_not_stored(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_paper_pdf_download_is_not_stored(signed_in, officer, organisation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = CaseFactory(lead_commissioner=organisation)
    paper_type = PaperType.objects.create(slug="cabinet-report", name="Cabinet report")
    paper = DecisionPaper.objects.create(case=case, paper_type=paper_type, title="DV services")
    PaperVersion.objects.create(
        paper=paper,
        number=1,
        status=PaperVersion.Status.READY,
        html="<p>DV services</p>",
        data_hash="0" * 64,
        pdf=ContentFile(b"%PDF-1.7\n%%EOF\n", name="paper.pdf"),
    )
    response = signed_in.get(reverse("commissioning:paper-version-download", args=[paper.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == NO_STORE


def test_a_view_that_sets_its_own_caching_keeps_it(signed_in):
    # Django's sign-in view is never_cache: its header stays as it set it.
    response = signed_in.get(reverse("login"))
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_signed_out_pages_and_static_files_are_left_alone(client, signed_in):
    assert "no-store" not in signed_in.get("/static/css/app.css").get("Cache-Control", "")
    client.logout()
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert not response.has_header("Cache-Control")


@pytest.mark.parametrize("name", ["login", "commissioning:dashboard"])
def test_every_page_turns_off_device_features(signed_in, name):
    policy = signed_in.get(reverse(name))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
