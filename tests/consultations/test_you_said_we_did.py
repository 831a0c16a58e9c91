"""We asked, you said, we did: rows an officer writes, "you said" computed from the responses.

The ten responses below are made by hand, so every figure is worked out in the test:
- options: A four times, B four times, C once, none once. 9 chose an option; A and B tie with
  4 each, 4 / 9 = 44.4% (half up); C is 1 / 9 = 11.1%.
- scale (0 to 10), eight answered: 2, 5, 5, 7, 8, 10, 10, 3. Sum 50, 50 / 8 = 6.25, which is 6.3
  half up (6.2 were it rounded half to even); 5 and 10 are each 2 / 8 = 25.0%.
- comments: six written, one only spaces, three empty: 6 of the 10 responses.
"""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from commissioning import concurrency
from commissioning.models import Decision, PaperType
from commissioning.paper_types import ensure_default_paper_types
from commissioning.papers.actions import start_paper
from commissioning.papers.render import html_to_pdf, render_live_html
from consultations.models import OptionPreference, Response, YouSaidWeDid
from consultations.outcomes import figures_for, you_said
from tests.factories import (
    CaseFactory,
    ConsultationFactory,
    OptionAppraisalFactory,
    OptionFactory,
    ProfileFactory,
)
from tests.urlwalk import post_form

OPTIONS = ["A"] * 4 + ["B"] * 4 + ["C"] + [""]
SCALES = [2, 5, 5, 7, 8, 10, 10, 3, None, None]
COMMENTS = [
    "Keep the refuge",
    "More outreach",
    "Rural access",
    "Text service",
    "Yes",
    "No",
    "   ",
    "",
    "",
    "",
]


@pytest.fixture
def case(organisation):
    return CaseFactory(reference="notts-2011", lead_commissioner=organisation)


@pytest.fixture
def options(case):
    appraisal = OptionAppraisalFactory(case=case)
    return {
        label: OptionFactory(appraisal=appraisal, label=label, name=f"Model {label}", order=n)
        for n, label in enumerate("ABC")
    }


@pytest.fixture
def decision(case):
    return Decision.objects.create(
        case=case,
        reference="C/2019/12",
        title="Domestic abuse services",
        status=Decision.Status.APPROVED,
        decided_on=date(2019, 6, 12),
        reasons="Respondents favoured a single countywide contract.",
    )


@pytest.fixture
def consultation(case, options):
    consultation = ConsultationFactory(
        case=case, title="Public consultation", starts_on=date(2019, 1, 7), ends_on=date(2019, 4, 1)
    )
    for i, (label, scale, comment) in enumerate(zip(OPTIONS, SCALES, COMMENTS, strict=True), start=1):
        Response.objects.create(
            consultation=consultation,
            response_id=f"R{i}",
            option=options[label] if label else None,
            scale=scale,
            comment=comment,
        )
    return consultation


@pytest.fixture
def rows(consultation, decision):
    return [
        YouSaidWeDid.objects.create(
            consultation=consultation,
            order=1,
            we_asked="Which delivery model do you prefer?",
            question="preference",
            we_did="Cabinet chose Model A, with Model B's outreach.",
            decision=decision,
        ),
        YouSaidWeDid.objects.create(
            consultation=consultation,
            order=2,
            we_asked="How far do you agree with the proposals?",
            question="scale",
            we_did="We kept the proposals.",
        ),
        YouSaidWeDid.objects.create(
            consultation=consultation,
            order=3,
            we_asked="Anything else you would like to tell us?",
            question="comments",
            we_did="Every comment was read and themed.",
        ),
    ]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(pdf: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


# What "you said" computes.
def test_preferences_state_the_tie_and_the_shares(rows):
    said = you_said(rows[0])
    assert said["held"] and not said["reported"]
    assert said["lines"][0] == "Option A and Option B tied, with 4 each (44.4%)."
    assert said["lines"][1] == "Shares are of the 9 responses that chose an option; 1 chose none."
    assert [(r["label"], r["count"], r["percentage"]) for r in said["rows"]] == [
        ("Option A: Model A", "4", "44.4%"),
        ("Option B: Model B", "4", "44.4%"),
        ("Option C: Model C", "1", "11.1%"),
    ]


def test_a_single_leader_is_named(rows, consultation, options):
    # One more for B: B has 5 of 10 choosing = 50.0%.
    Response.objects.create(consultation=consultation, response_id="R11", option=options["B"])
    assert you_said(rows[0])["lines"][0] == "Option B was preferred by most (5, 50.0%)."


def test_scale_gives_the_mean_half_up_and_the_distribution(rows):
    said = you_said(rows[1])
    assert said["lines"] == ["8 responses answered on a scale of 0 to 10: the mean answer was 6.3."]
    assert [(r["label"], r["count"], r["percentage"]) for r in said["rows"]] == [
        ("2", "1", "12.5%"),
        ("3", "1", "12.5%"),
        ("5", "2", "25.0%"),
        ("7", "1", "12.5%"),
        ("8", "1", "12.5%"),
        ("10", "2", "25.0%"),
    ]


def test_comments_are_counted_and_blank_ones_are_not(rows):
    assert you_said(rows[2])["lines"] == ["6 of the 10 responses included a comment."]


def test_without_responses_the_reported_figures_are_marked_reported(case, options):
    consultation = ConsultationFactory(case=case, response_count=19)
    OptionPreference.objects.create(consultation=consultation, option=options["A"], respondents=12)
    OptionPreference.objects.create(consultation=consultation, option=options["B"], respondents=12)
    row = YouSaidWeDid.objects.create(
        consultation=consultation, we_asked="Which model?", question="preference", we_did="Lots."
    )
    said = you_said(row)
    assert said["reported"] and not said["held"]
    assert said["lines"][0] == "Option A and Option B tied, with 12 each (reported)."
    general = YouSaidWeDid.objects.create(consultation=consultation, we_asked="Views", we_did="Read")
    assert you_said(general)["lines"] == ["19 responses were received (reported)."]
    scale = YouSaidWeDid.objects.create(
        consultation=consultation, we_asked="Agree?", question="scale", we_did="-"
    )
    assert not you_said(scale)["rows"]


def test_figures_are_gathered_once_for_every_row(rows, consultation, django_assert_num_queries):
    figures = figures_for(consultation)
    with django_assert_num_queries(0):
        for row in rows:
            you_said(row, figures)


# The pages.
def test_public_page_shows_the_three_columns_with_computed_figures(officer_client, rows, consultation):
    response = officer_client.get(reverse("consultations:you-said-we-did", args=[consultation.pk]))
    assertContains(response, "We asked")
    assertContains(response, "Which delivery model do you prefer?")
    assertContains(response, "Option A and Option B tied, with 4 each (44.4%).")
    assertContains(response, "the mean answer was 6.3.")
    assertContains(response, "6 of the 10 responses included a comment.")
    assertContains(response, "Cabinet chose Model A, with Model B&#x27;s outreach.")
    assertContains(response, "Decision C/2019/12 (12 June 2019)")
    # 7 January to 1 April 2019: 24 + 28 + 31 + 1 = 84 days, 12 weeks.
    assertContains(response, "7 January 2019 to 1 April 2019 (12 weeks, 84 days)")
    assertContains(response, "10 responses received")


def test_consultation_page_lists_the_rows_and_links_the_pdf(officer_client, rows, consultation):
    response = officer_client.get(consultation.get_absolute_url())
    assertContains(response, "Option A and Option B tied, with 4 each (44.4%).")
    assertContains(response, reverse("consultations:you-said-we-did-pdf", args=[consultation.pk]))
    assertContains(response, reverse("consultations:you-said-we-did-update", args=[rows[0].pk]))
    assertContains(response, reverse("consultations:you-said-we-did-create", args=[consultation.pk]))


def test_the_summary_pdf_is_one_page_and_carries_the_computed_figures(officer_client, rows, consultation):
    response = officer_client.get(reverse("consultations:you-said-we-did-pdf", args=[consultation.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    text = pages[0]
    assert "We asked, you said, we did" in text
    assert "Option A and Option B tied, with 4 each (44.4%)." in text
    assert "Option C: Model C: 1 (11.1%)" in text
    assert "the mean answer was 6.3." in text
    assert "6 of the 10 responses included a comment." in text
    assert "Page 1 of 1" in text


def test_the_summary_pdf_stays_on_one_page_with_eight_rows(officer_client, rows, consultation):
    for n in range(5):
        YouSaidWeDid.objects.create(
            consultation=consultation,
            order=10 + n,
            we_asked=f"Question {n}: what matters most to you about services in your area?",
            question="comments",
            we_did="We changed the specification to require outreach in every district. " * 2,
        )
    response = officer_client.get(reverse("consultations:you-said-we-did-pdf", args=[consultation.pk]))
    assert len(PdfReader(BytesIO(response.content)).pages) == 1


def test_reported_figures_are_marked_in_the_pdf(officer_client, case, options):
    consultation = ConsultationFactory(case=case, response_count=19)
    OptionPreference.objects.create(consultation=consultation, option=options["B"], respondents=11)
    YouSaidWeDid.objects.create(
        consultation=consultation, we_asked="Which model?", question="preference", we_did="Chose B."
    )
    response = officer_client.get(reverse("consultations:you-said-we-did-pdf", args=[consultation.pk]))
    text = pdf_pages(response.content)[0]
    assert "Option B was preferred by most (11, reported)." in text
    assert "Option B: 11 (reported)" in text
    assert "19 responses received (reported)" in text


def test_the_paper_section_prints_the_rows_and_the_checklist(rows, case):
    ensure_default_paper_types()
    paper = start_paper(case=case, paper_type=PaperType.objects.get(slug="cabinet-report"))
    html, _ = render_live_html(paper)
    text = " ".join(pdf_pages(html_to_pdf(html)))
    assert "We asked, you said, we did" in text
    assert "Option A and Option B tied, with 4 each (44.4%)." in text
    assert "the mean answer was 6.3." in text
    assert "The Gunning principles: Public consultation" in text
    assert "Ran 12 weeks (84 days)" in text


# The officer's screens.
def test_officer_adds_a_row(officer_client, consultation, decision):
    url = reverse("consultations:you-said-we-did-create", args=[consultation.pk])
    data = {
        "we_asked": "Which model?",
        "question": "preference",
        "we_did": "Chose A.",
        "decision": str(decision.pk),
        "order": "1",
    }
    response = officer_client.post(url, data)
    assert response.status_code == 302
    row = consultation.you_said_we_did.get()
    assert (row.we_asked, row.question, row.decision) == ("Which model?", "preference", decision)
    # The history says who.
    assert row.history.get().history_user.username == "officer"


def test_a_row_must_say_what_was_asked_and_done(officer_client, consultation):
    url = reverse("consultations:you-said-we-did-create", args=[consultation.pk])
    response = officer_client.post(url, {"question": "", "order": "1"})
    assertContains(response, "Enter what the council asked", count=2)
    assertContains(response, "Enter what the council did", count=2)
    assert not consultation.you_said_we_did.exists()


def test_another_cases_decision_is_refused(officer_client, consultation, organisation):
    other = Decision.objects.create(case=CaseFactory(lead_commissioner=organisation), title="Elsewhere")
    url = reverse("consultations:you-said-we-did-create", args=[consultation.pk])
    data = {"we_asked": "Q", "question": "", "we_did": "D", "decision": str(other.pk), "order": "1"}
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert not consultation.you_said_we_did.exists()


def test_a_stale_row_edit_is_refused(officer_client, rows, officer):
    row = rows[1]
    url = reverse("consultations:you-said-we-did-update", args=[row.pk])
    page = post_form(officer_client.get(url))
    assert page.fields[concurrency.FIELD_NAME].values[0]
    other = Client()
    other.force_login(
        ProfileFactory(user__username="colleague", organisation=officer.profile.organisation).user
    )
    fresh = post_form(other.get(url)).data() | {"we_did": ["We changed the proposals."]}
    assert other.post(url, fresh).status_code == 302
    stale = page.data() | {"we_asked": ["Edited from an old page"]}
    response = officer_client.post(url, stale)
    assertContains(response, "Someone else saved changes while you had this page open.")
    row.refresh_from_db()
    assert (row.we_asked, row.we_did) == (
        "How far do you agree with the proposals?",
        "We changed the proposals.",
    )


def test_officer_deletes_a_row(officer_client, rows, consultation):
    url = reverse("consultations:you-said-we-did-delete", args=[rows[2].pk])
    assertContains(officer_client.get(url), "Delete this")
    assert officer_client.post(url).status_code == 302
    assert consultation.you_said_we_did.count() == 2


def test_other_organisations_get_404(client, other_officer, rows, consultation):
    client.force_login(other_officer)
    urls = [
        reverse("consultations:you-said-we-did", args=[consultation.pk]),
        reverse("consultations:you-said-we-did-pdf", args=[consultation.pk]),
        reverse("consultations:you-said-we-did-create", args=[consultation.pk]),
        reverse("consultations:you-said-we-did-update", args=[rows[0].pk]),
        reverse("consultations:you-said-we-did-delete", args=[rows[0].pk]),
        reverse("consultations:gunning-update", args=[consultation.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"we_asked": "x", "we_did": "y"}).status_code == 404, url
    assert YouSaidWeDid.objects.count() == 3


def test_public_page_says_when_there_are_no_rows(officer_client, consultation):
    response = officer_client.get(reverse("consultations:you-said-we-did", args=[consultation.pk]))
    assertContains(response, "No rows have been written yet.")
    assertNotContains(response, "you-said-we-did-table")


def test_the_consultation_page_costs_the_same_with_one_row_or_twenty(officer_client, rows, consultation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(consultation.get_absolute_url()).status_code == 200
        return len(queries.captured_queries)

    three = count()
    for n in range(17):
        YouSaidWeDid.objects.create(
            consultation=consultation,
            we_asked=f"Q{n}",
            question="scale",
            we_did="D",
            decision=rows[0].decision,
        )
    assert count() == three


def test_a_paper_type_in_use_gets_the_section_straight_after_the_consultation(db):
    from commissioning.models import SectionDefinition

    ensure_default_paper_types()
    cabinet = PaperType.objects.get(slug="cabinet-report")
    SectionDefinition.objects.filter(paper_type=cabinet, key="you_said_we_did").delete()
    ensure_default_paper_types()
    keys = list(cabinet.sections.order_by("order", "pk").values_list("key", flat=True))
    assert keys[keys.index("consultation") + 1 : keys.index("consultation") + 3] == [
        "you_said_we_did",
        "options",
    ]
    committee = PaperType.objects.get(slug="committee-report")
    keys = list(committee.sections.order_by("order", "pk").values_list("key", flat=True))
    assert keys[keys.index("engagement") + 1] == "you_said_we_did"
