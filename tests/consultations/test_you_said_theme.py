"""A "We asked, you said, we did" row about a theme: the comments tagged with it, counted, and up
to two of its chosen quotes, masked, on the page, the one-page PDF and the paper.

Twelve responses made by hand, so every figure is worked out here:
- R1 to R10 have a comment, R11 and R12 none.
- Safety is tagged on R1, R2, R3; Money on R3, R4, R5, R6, R7. Seven comments (R1 to R7) carry a
  theme, so the shares are of 7: Safety 3 / 7 = 42.857...% = 42.9%, Money 5 / 7 = 71.428...% =
  71.4%. The other 10 - 7 = 3 comments (R8, R9, R10) are not tagged.
- Chosen quotes: R1 (an e-mail address and a phone number in it, to be masked), R2 (anonymous),
  R3, R4 (consent since withdrawn), R5 and R6. Safety's first two are R1 and R2; Money's are R3
  and R5: R4 no longer consents, and R6 is a third.
"""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import PaperType
from commissioning.papers.actions import start_paper
from commissioning.papers.render import html_to_pdf, render_live_html
from consultations.models import (
    THEME_NOT_OF_COMMENTS,
    ChosenQuote,
    Response,
    ResponseTheme,
    Theme,
    YouSaidWeDid,
)
from consultations.outcomes import figures_for, statement, you_said
from tests.factories import ConsultationFactory

EMAIL, PHONE = "jane.doe@example.com", "07700 900123"
R1_COMMENT = f"Please call me: {EMAIL} or {PHONE}. The refuge kept us safe."
R1_MASKED = "Please call me: [email removed] or [phone removed]. The refuge kept us safe."
SAFETY = {1, 2, 3}
MONEY = {3, 4, 5, 6, 7}
CHOSEN = {1, 2, 3, 4, 5, 6}


def comment_of(i: int) -> str:
    if i == 1:
        return R1_COMMENT
    return f"Comment number {i}" if i <= 10 else ""


@pytest.fixture
def themed(consultation, officer):
    safety = Theme.objects.create(consultation=consultation, name="Safety", order=1)
    money = Theme.objects.create(consultation=consultation, name="Money", order=2)
    responses = {
        i: Response.objects.create(
            consultation=consultation,
            response_id=f"R{i}",
            comment=comment_of(i),
            consent_to_quote=i in CHOSEN,
            anonymous=i == 2,
            postcode_district="NG5" if i == 1 else "",
        )
        for i in range(1, 13)
    }
    for i in SAFETY:
        ResponseTheme.objects.create(response=responses[i], theme=safety)
    for i in MONEY:
        ResponseTheme.objects.create(response=responses[i], theme=money)
    for i in sorted(CHOSEN):
        ChosenQuote.choose(responses[i], by=officer)
    Response.objects.filter(pk=responses[4].pk).update(consent_to_quote=False)  # withdrawn since
    return {"safety": safety, "money": money}


@pytest.fixture
def rows(consultation, themed):
    return [
        YouSaidWeDid.objects.create(
            consultation=consultation,
            order=1,
            we_asked="What matters most to you?",
            question="comments",
            theme=themed["safety"],
            we_did="Every refuge keeps a staffed entrance.",
        ),
        YouSaidWeDid.objects.create(
            consultation=consultation,
            order=2,
            we_asked="What worries you about the changes?",
            theme=themed["money"],
            we_did="The budget is protected for three years.",
        ),
    ]


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


SAFETY_LINE = "3 of 7 comments tagged with themes (42.9%) raised Safety."
MONEY_LINE = "5 of 7 comments tagged with themes (71.4%) raised Money."
UNTAGGED_LINE = "3 other comments were not tagged with any theme."


# What "you said" computes for a theme.
def test_a_theme_row_counts_its_comments_and_quotes_two_masked(rows):
    said = you_said(rows[0])
    assert said["held"] and not said["reported"]
    assert said["lines"] == [SAFETY_LINE, UNTAGGED_LINE]
    assert not said["rows"]
    assert said["quotes"] == [
        {"text": R1_MASKED, "by": "Respondent, NG5"},
        {"text": "Comment number 2", "by": "Anonymous respondent"},
    ]


def test_withdrawn_consent_is_skipped_and_only_two_are_quoted(rows):
    said = you_said(rows[1])
    assert said["lines"] == [MONEY_LINE, UNTAGGED_LINE]
    # R4 no longer consents, so R3 and R5; R6 would be a third.
    assert [q["text"] for q in said["quotes"]] == ["Comment number 3", "Comment number 5"]


def test_the_statement_names_the_theme(rows, consultation):
    out = statement(consultation)
    assert [(r["question"], r["theme"]) for r in out["rows"]] == [
        ("Theme: Safety", "Safety"),
        ("Theme: Money", "Money"),
    ]


def test_every_comment_tagged_leaves_no_untagged_line(rows, consultation, themed):
    # Tag R8, R9 and R10 with Money too: 10 tagged, Money 8 / 10 = 80.0%, Safety 3 / 10 = 30.0%.
    for i in (8, 9, 10):
        ResponseTheme.objects.create(
            response=consultation.responses.get(response_id=f"R{i}"), theme=themed["money"]
        )
    assert you_said(rows[1])["lines"] == ["8 of 10 comments tagged with themes (80.0%) raised Money."]
    assert you_said(rows[0])["lines"] == ["3 of 10 comments tagged with themes (30.0%) raised Safety."]


def test_before_any_tagging_the_row_says_so(consultation):
    Response.objects.create(consultation=consultation, response_id="X1", comment="Untagged")
    theme = Theme.objects.create(consultation=consultation, name="Children")
    row = YouSaidWeDid.objects.create(consultation=consultation, we_asked="Q", theme=theme, we_did="D")
    said = you_said(row)
    assert said["lines"] == [
        "No comments have been tagged with themes yet, so none are counted for Children."
    ]
    assert said["quotes"] == []


def test_without_responses_a_theme_row_counts_nothing(consultation):
    theme = Theme.objects.create(consultation=consultation, name="Children")
    row = YouSaidWeDid.objects.create(consultation=consultation, we_asked="Q", theme=theme, we_did="D")
    said = you_said(row)
    assert not said["held"]
    assert said["lines"] == ["No comments are held to count for this theme."]


def test_theme_figures_are_gathered_once_for_every_row(rows, consultation, django_assert_num_queries):
    figures = figures_for(consultation)
    you_said(rows[0], figures)  # gathers the code frame's counts and quotes
    with django_assert_num_queries(0):
        for row in rows * 3:
            you_said(row, figures)


# The rules.
def test_another_consultations_theme_is_refused(rows, consultation):
    elsewhere = Theme.objects.create(
        consultation=ConsultationFactory(case=consultation.case, title="Provider engagement"), name="Safety"
    )
    row = rows[0]
    row.theme = elsewhere
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert refused.value.message_dict == {"theme": ["Choose a theme of this consultation"]}


def test_a_theme_row_is_about_the_comments(rows):
    row = rows[0]
    row.question = "preference"
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert refused.value.message_dict == {"theme": [THEME_NOT_OF_COMMENTS]}
    # And the database holds to it.
    with pytest.raises(IntegrityError), transaction.atomic():
        YouSaidWeDid.objects.filter(pk=row.pk).update(question="scale")


def test_a_theme_a_row_is_about_is_not_deleted_until_the_row_changes(officer_client, rows, themed):
    url = reverse("consultations:theme-delete", args=[themed["money"].pk])
    page = officer_client.get(url)
    assertContains(page, "1 “we asked, you said, we did” row is about this theme.")
    assertNotContains(page, "The deletion is recorded in the case")
    assert officer_client.post(url).status_code == 200
    assert Theme.objects.filter(pk=themed["money"].pk).exists()
    rows[1].delete()
    assert officer_client.post(url).status_code == 302
    assert not Theme.objects.filter(pk=themed["money"].pk).exists()


def test_the_whole_consultation_still_goes_with_its_themes_and_rows(rows, consultation):
    consultation.delete()
    assert not YouSaidWeDid.objects.exists() and not Theme.objects.exists()


# The officer's screens.
@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_the_form_offers_only_this_consultations_themes(officer_client, consultation, themed):
    ConsultationFactory(case=consultation.case, title="Provider engagement").themes.create(name="Elsewhere")
    url = reverse("consultations:you-said-we-did-create", args=[consultation.pk])
    response = officer_client.get(url)
    assertContains(response, "Theme it is about (optional)")
    assertContains(response, f'<option value="{themed["safety"].pk}">Safety</option>', html=True)
    assertContains(response, f'<option value="{themed["money"].pk}">Money</option>', html=True)
    assertNotContains(response, "Elsewhere")


def test_officer_adds_a_theme_row(officer_client, consultation, themed):
    url = reverse("consultations:you-said-we-did-create", args=[consultation.pk])
    data = {
        "we_asked": "Any worries?",
        "question": "",
        "theme": str(themed["money"].pk),
        "we_did": "Kept.",
        "order": "1",
    }
    assert officer_client.post(url, data).status_code == 302
    row = consultation.you_said_we_did.get()
    assert row.theme == themed["money"]
    assert row.history.get().theme_id == themed["money"].pk


def test_a_posted_theme_of_another_consultation_is_refused_next_to_the_field(officer_client, consultation):
    other = ConsultationFactory(case=consultation.case, title="Provider engagement").themes.create(
        name="Elsewhere"
    )
    url = reverse("consultations:you-said-we-did-create", args=[consultation.pk])
    data = {"we_asked": "Q", "question": "", "theme": str(other.pk), "we_did": "D", "order": "1"}
    response = officer_client.post(url, data)
    # Once in the error summary, once by the field.
    assertContains(response, "Choose a theme of this consultation", count=2)
    assert not consultation.you_said_we_did.exists()


def test_a_theme_with_the_scale_question_is_refused_next_to_the_field(officer_client, consultation, themed):
    url = reverse("consultations:you-said-we-did-create", args=[consultation.pk])
    data = {
        "we_asked": "Q",
        "question": "scale",
        "theme": str(themed["safety"].pk),
        "we_did": "D",
        "order": "1",
    }
    response = officer_client.post(url, data)
    assertContains(
        response, "Choose “Free comments” or no question in particular for a row about a theme", count=2
    )
    assert not consultation.you_said_we_did.exists()


# Where it shows.
def test_the_page_shows_the_theme_counts_and_masked_quotes(officer_client, rows, consultation):
    response = officer_client.get(reverse("consultations:you-said-we-did", args=[consultation.pk]))
    assertContains(response, SAFETY_LINE)
    assertContains(response, MONEY_LINE)
    assertContains(response, "Theme: Safety")
    assertContains(response, "[email removed] or [phone removed]")
    assertContains(response, "Comment number 5")
    for hidden in (EMAIL, PHONE, "Comment number 4", "Comment number 6"):
        assertNotContains(response, hidden)


def test_the_consultation_page_shows_the_theme_row(officer_client, rows, consultation):
    response = officer_client.get(consultation.get_absolute_url())
    assertContains(response, SAFETY_LINE)
    assertNotContains(response, EMAIL)


def test_the_one_page_pdf_carries_the_theme_rows(officer_client, rows, consultation):
    response = officer_client.get(reverse("consultations:you-said-we-did-pdf", args=[consultation.pk]))
    pages = pdf_text(response.content)
    assert len(pages) == 1
    text = pages[0]
    assert SAFETY_LINE in text and MONEY_LINE in text
    assert "Theme: Money" in text
    assert R1_MASKED in text
    assert "Respondent, NG5" in text and "Anonymous respondent" in text
    assert EMAIL not in text and PHONE not in text


def test_the_paper_section_carries_the_theme_rows(rows, consultation):
    paper = start_paper(case=consultation.case, paper_type=PaperType.objects.get(slug="cabinet-report"))
    html, _ = render_live_html(paper)
    text = " ".join(pdf_text(html_to_pdf(html)))
    assert SAFETY_LINE in text and MONEY_LINE in text
    assert R1_MASKED in text
    assert "Comment number 5" in text
    assert EMAIL not in text and PHONE not in text
