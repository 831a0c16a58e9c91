"""The five seed cases as papers: each PDF carries its seed's key facts, computed from the data.

The seeds are loaded and printed once for the module inside a transaction that is rolled
back, so nothing leaks into other tests. Text comes from the PDF through pypdf.
"""

import re
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from commissioning.models import Case
from commissioning.papers import actions, render

# The marker also makes pytest-django create the test database for the module fixture.
pytestmark = pytest.mark.django_db

REFERENCES = ["notts-2011", "staffs-2022", "leics-2019", "dorset-2019", "notts-foi-10653"]


def flat(text: str) -> str:
    """PDF text with line breaks and runs of spaces made single spaces (table cells wrap)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(django_db_setup, django_db_blocker):
    """{reference: (pdf bytes, html)} for each seed case's current paper."""
    result = {}
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed_cases", stdout=StringIO())
        for reference in REFERENCES:
            paper = actions.current_paper(Case.objects.get(reference=reference))
            result[reference] = (render.render_pdf(paper), render.render_html(paper))
        transaction.set_rollback(True)
    return result


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def text_of(printed, reference) -> str:
    return flat("\n".join(pages(printed[reference][0])))


# Figures as the seed papers print them; each is computed from data rows, not typed text.
KEY_FACTS = {
    "notts-2011": [
        "£361,658",
        "£363,268",
        "£53,000",
        "£75,000",
        "£120,000",
        "Nottinghamshire PCT £36,000",  # partner column of the services table
        "£155,500",
        "19 responses",
        "Option A",
        "Option B",
        "Option C",
        "Option D",
        "Option B: North and South model (recommended)",
        "Option B is recommended",
        "Constitutional Comments (SHB 13/10/11)",
        "Financial Comments (DD 17/10/11)",
        # 361,658 + 363,268 + 53,000 + 75,000 + 120,000 = 972,926; partners 36,000 + 155,500 = 191,500
        "Total £972,926 £191,500",
    ],
    # £670,450 x 1.02 = £683,859, written to the nearest £10: £683,860
    "staffs-2022": ["£670,450", "£683,860", "21,884", "13,678", "1,200", "650"],
    # 231,300 / 826,000 = 28.0%
    "leics-2019": ["£826,000", "£231,300", "(28%)", "The total annual contract price is £826,000"],
    # (340 - 385) / 385 = -11.69% -> 11.7%; £340k x 5 years = £1.7m
    "dorset-2019": ["£340k", "£1.7m", "11.7%", "Current risk: LOW", "Residual risk: LOW"],
    "notts-foi-10653": ["10653", "£86,000", "17 October 2013", "6 November 2013"],
}


@pytest.mark.parametrize("reference", REFERENCES)
def test_seed_paper_carries_key_facts(printed, reference):
    text = text_of(printed, reference)
    missing = [fact for fact in KEY_FACTS[reference] if fact not in text]
    assert missing == [], f"{reference} paper lacks {missing}"


def test_notts_figures_come_from_the_services_table_not_from_narrative(printed):
    """The 2011-12 amounts appear inside "Table n: Current services and budgets 2011-12"."""
    text = text_of(printed, "notts-2011")
    table = text[text.index("Current services and budgets 2011-12") :]
    assert table.index("£361,658") < table.index("£363,268") < table.index("Total £972,926")


def test_staffs_uplift_sentence_is_generated(printed):
    text = text_of(printed, "staffs-2022")
    assert (
        "inflation assumption of 2% and rounded to the nearest £10, £683,860 will be available for 2023-24"
        in text
    )


@pytest.mark.parametrize("reference", REFERENCES)
def test_every_page_says_page_n_of_m(printed, reference):
    page_texts = pages(printed[reference][0])
    total = len(page_texts)
    assert total >= 2
    for number, page_text in enumerate(page_texts, start=1):
        assert f"Page {number} of {total}" in page_text


@pytest.mark.parametrize("reference", ["notts-2011", "dorset-2019"])
def test_header_repeats_authority_and_meeting_on_every_page(printed, reference):
    authority = {"notts-2011": "Nottinghamshire County Council", "dorset-2019": "Dorset Council"}[reference]
    for page_text in pages(printed[reference][0]):
        assert authority in page_text


def test_paragraphs_are_numbered_continuously_through_the_paper(printed):
    """The numbers paragraphs start with run 1, 2, 3 ... with no restart at a page or section.

    The number is inline with the first line of its paragraph ("5. The current contract ..."),
    so it can never be left alone at the foot of a page."""
    numbers = []
    for page_text in pages(printed["notts-2011"][0]):
        numbers += [int(n) for n in re.findall(r"^(\d+)\. ?\S", page_text, flags=re.M)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) > 10


def test_tables_are_captioned_in_order(printed):
    text = text_of(printed, "staffs-2022")
    captions = [int(n) for n in re.findall(r"Table (\d+):", text)]
    assert captions[:3] == [1, 2, 3]


def test_recommendations_are_lettered(printed):
    html = printed["staffs-2022"][1]
    assert '<section class="section section-recommendations"' in html
    section = html[html.index('id="section-recommendations"') :]
    assert "<ol>" in section[: section.index("</section>")]
    assert "section-recommendations ol { list-style-type: lower-alpha" in open("static/css/print.css").read()


def test_foi_letter_is_a_letter_not_a_numbered_report(printed):
    html = printed["notts-foi-10653"][1]
    assert 'class="paper letter' in html
    assert "numbered" not in html
    text = text_of(printed, "notts-foi-10653")
    assert "Yours sincerely" in text
    assert "Lisa Pearson" in text


@pytest.mark.parametrize("reference", REFERENCES)
def test_pdf_is_tagged_with_title_and_language(printed, reference):
    reader = PdfReader(BytesIO(printed[reference][0]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF (PDF/UA-1)
    assert "/StructTreeRoot" in root
    assert reader.metadata.title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_fonts_are_embedded_liberation_sans(printed):
    reader = PdfReader(BytesIO(printed["notts-2011"][0]))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
    # Subset names look like "/VRMYHF+Liberation-Sans-Bold".
    assert fonts and all("+Liberation-Sans" in name for name in fonts)
