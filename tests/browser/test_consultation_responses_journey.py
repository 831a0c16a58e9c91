"""Issue 14's journey, in Chromium: an officer uploads a survey export, chooses its columns and
imports it (through the background task, run in the request), adds two themes, tags comments,
chooses a quote, writes a "we asked, you said, we did" row for a theme, generates the Cabinet
paper and downloads its PDF, which carries the figures worked out here from how the export was
made, and the quote with the respondent's e-mail address and phone number removed. axe-core
checks the import, column, result, consultation, tagging and "we asked" pages.

The export: responses R1 to R60.
- Preferred option: none when i % 7 == 0 (8 of them: 7, 14, ..., 56); else B when i % 3 == 0
  (the 20 multiples of 3 less 21 and 42: 18); else C when i % 5 == 0 (5, 10, 20, 25, 40, 50, 55:
  7); else A (52 - 18 - 7 = 27). Shares are of the 52 that chose: A 27 / 52 = 51.92...% = 51.9%,
  B 18 / 52 = 34.61...% = 34.6%, C 7 / 52 = 13.46...% = 13.5%.
- A comment on every response but the 15 with i % 4 == 0; R1's holds an e-mail address and a
  phone number. Odd-numbered respondents consent to be quoted.
- Tagged in the browser: Safety on R1, R2, R3 and R5; Money on R3 and R6. Five comments carry a
  theme: Safety 4 / 5 = 80.0%, Money 2 / 5 = 40.0%.
"""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from commissioning.paper_types import ensure_default_paper_types
from consultations import views_responses
from consultations.models import ChosenQuote, Response, ResponseTheme, ResponseUpload
from tests.factories import CaseFactory, ConsultationFactory, OptionAppraisalFactory, OptionFactory

N = 60
EMAIL, PHONE = "jane.doe@example.com", "07700 900123"
R1_COMMENT = f"Call me on {PHONE} or write to {EMAIL}: the refuge kept my children safe."
R1_MASKED = "Call me on [phone removed] or write to [email removed]: the refuge kept my children safe."
OPTIONS = {"A": "One county-wide service", "B": "Two lots", "C": "Grants to local charities"}
HEADER = ["Ref no", "Category", "Model chosen", "Your thoughts", "Happy to be quoted"]
TAGS = {"Safety": [1, 2, 3, 5], "Money": [3, 6]}


def option_of(i: int) -> str:
    if i % 7 == 0:
        return ""
    if i % 3 == 0:
        return "B"
    return "C" if i % 5 == 0 else "A"


def comment_of(i: int) -> str:
    if i % 4 == 0:
        return ""
    return R1_COMMENT if i == 1 else f"Comment {i} on the proposals."


def export() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(1, N + 1):
        kind = "Survivor or service user" if i % 2 else "Member of the public"
        chosen = f"Option {option_of(i)}" if option_of(i) else ""
        writer.writerow([f"R{i}", kind, chosen, comment_of(i), "Yes" if i % 2 else "No"])
    return out.getvalue().encode()


def share(part: int, whole: int) -> str:
    return f"{(Decimal(part) * 100 / whole).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@pytest.fixture
def consultation(browser_user, settings, tmp_path, monkeypatch):
    # The worker's task runs in the request, as the worker would run it; no file is small enough
    # to be imported without it. The paper's PDF is printed in the request too.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(views_responses, "SYNC_BYTES", 0)
    ensure_default_paper_types()
    case = CaseFactory(
        reference="notts-da-2027",
        title="Domestic abuse support from 2027",
        lead_commissioner=browser_user.profile.organisation,
    )
    appraisal = OptionAppraisalFactory(case=case)
    for order, (label, name) in enumerate(OPTIONS.items(), start=1):
        OptionFactory(appraisal=appraisal, label=label, name=name, order=order)
    return ConsultationFactory(case=case, title="Future of refuge services")


def test_officer_imports_tags_quotes_and_publishes_the_figures(logged_in_page, consultation, axe):
    page = logged_in_page

    # Upload the export and choose its columns: none of its headers is one the page can guess.
    page.goto(f"/consultations/{consultation.pk}/responses/import/")
    axe(page, "import")
    page.get_by_label("Survey tool").fill("Citizen Space")
    page.locator("input[type=file]").set_input_files(
        {"name": "refuge-export.csv", "mimeType": "text/csv", "buffer": export()}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Choose the columns", level=1)).to_be_visible()
    axe(page, "choose the columns")
    for label, column in (
        ("Response ID", "Ref no"),
        ("Respondent type (optional)", "Category"),
        ("Preferred option (optional)", "Model chosen"),
        ("Comment (optional)", "Your thoughts"),
        ("Consent to quote (optional)", "Happy to be quoted"),
    ):
        page.get_by_label(label, exact=True).select_option(column)
    page.get_by_role("button", name="Preview the first rows").click()
    expect(page.locator("#preview + div table")).to_contain_text(R1_MASKED)
    page.get_by_role("button", name="Import responses").click()
    expect(page.locator(".govuk-panel__title")).to_have_text(f"{N} responses imported")
    axe(page, "import result")
    assert ResponseUpload.objects.get().status == ResponseUpload.Status.DONE
    assert Response.objects.filter(consultation=consultation).count() == N

    # The consultation's page: the figures computed from the responses.
    page.goto(f"/consultations/{consultation.pk}/")
    counts = {label: sum(option_of(i) == label for i in range(1, N + 1)) for label in "ABC"}
    answered = sum(counts.values())
    assert (counts, answered) == ({"A": 27, "B": 18, "C": 7}, 52)
    expect(page.locator("main")).to_contain_text(
        f"Option A was preferred by most ({counts['A']}, {share(counts['A'], answered)})."
    )
    axe(page, "consultation analysis")

    # Two themes, then tag comments on the first page of them.
    page.goto(f"/consultations/{consultation.pk}/themes/")
    for order, name in enumerate(TAGS, start=1):
        page.get_by_role("link", name="Add a theme").click()
        page.get_by_label("Theme", exact=True).fill(name)
        page.get_by_label("Position in the code frame").fill(str(order))
        page.get_by_role("button", name="Save theme").click()
        expect(page.locator("#themes")).to_contain_text(name)
    page.get_by_role("link", name="Tag comments with themes").click()
    expect(page.get_by_role("heading", name="Tag comments with themes")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(EMAIL)
    axe(page, "tagging")
    for theme, numbers in TAGS.items():
        for i in numbers:
            page.get_by_role("group", name=f"Themes of response R{i}", exact=True).get_by_label(theme).check()
    page.get_by_role("button", name="Save the themes on this page").click()
    expect(page.get_by_text("Themes saved for 5 responses on this page")).to_be_visible()
    assert ResponseTheme.objects.filter(theme__consultation=consultation).count() == 6

    # R1's comment becomes a chosen quote.
    page.get_by_role("link", name="Open response R1 to choose it as a quote").click()
    page.get_by_role("button", name="Choose as a quote for the paper").click()
    expect(page.get_by_text("Response R1 is now a chosen quote")).to_be_visible()
    assert ChosenQuote.objects.get().response.response_id == "R1"

    # A "we asked, you said, we did" row about Safety.
    tagged = len(set(TAGS["Safety"]) | set(TAGS["Money"]))
    safety = len(TAGS["Safety"])
    safety_line = f"{safety} of {tagged} comments tagged with themes ({share(safety, tagged)}) raised Safety."
    assert safety_line == "4 of 5 comments tagged with themes (80.0%) raised Safety."
    page.goto(f"/consultations/{consultation.pk}/")
    page.get_by_role("link", name="Add a row").click()
    page.get_by_label("We asked").fill("What would make services feel safe to you?")
    page.get_by_label("Free comments").check()
    page.get_by_label("Theme it is about (optional)").select_option(label="Safety")
    page.get_by_label("We did").fill("Every refuge will have a staffed entrance.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Row added")).to_be_visible()
    page.get_by_role("link", name="View as the public would see it").click()
    table = page.get_by_role("table", name="We asked, you said, we did")
    expect(table).to_contain_text(safety_line)
    expect(table).to_contain_text(R1_MASKED)
    expect(page.locator("main")).not_to_contain_text(EMAIL)
    axe(page, "we asked, you said, we did")

    # The Cabinet paper: generated, printed (in the request) and downloaded.
    page.goto("/case/notts-da-2027/")
    page.get_by_role("link", name="Generate a paper").click()
    page.get_by_label("Cabinet or executive report").check()
    page.get_by_role("button", name="Generate paper").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Paper started")
    page.get_by_role("button", name="Generate paper").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Version 1 generated.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = PdfReader(BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)

    assert f"{N} responses were received." in text
    for label, count in counts.items():
        row = f"Option {label}: {OPTIONS[label]} {count} {share(count, answered)}"
        assert row in text, row
    assert f"Shares are of the {answered} responses that chose an option; {N - answered} chose none." in text
    assert f"{tagged} comments were tagged with themes" in text
    for theme, numbers in TAGS.items():
        row = f"{theme} {len(numbers)} {share(len(numbers), tagged)}"
        assert row in text, row
    assert safety_line in text
    assert R1_MASKED in text
    assert EMAIL not in text and PHONE not in text
