"""Papers from a built case: fixed query count, versions, freezing, and mark_final's refusals."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from commissioning.models import DecisionPaper, FundingContribution, PaperSection, PaperVersion
from commissioning.papers import actions, render
from commissioning.papers.context import paper_context
from commissioning.papers.text import markdown_to_html
from tests.commissioning.paper_builders import build_case, record_approvals
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def pdf_text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())


def queries_for(paper) -> int:
    with CaptureQueriesContext(connection) as captured:
        paper_context(paper)
    return len(captured)


def test_paper_context_runs_the_same_queries_for_1_and_50_services():
    _, small = build_case(services=1, reference="small")
    _, large = build_case(services=50, reference="large")
    services = next(s for s in paper_context(large)["sections"] if s["key"] == "current_services")
    assert len(services["content"]["rows"]) == 50
    assert queries_for(small) == queries_for(large)


def test_paper_context_reads_no_relation_a_paper_does_not_show():
    # No section prints a service's providers or areas, nor the case's partners: loading them
    # was three queries and a model per row on every render.
    _, paper = build_case(services=3)
    with CaptureQueriesContext(connection) as captured:
        paper_context(paper)
    tables = ("commissioning_service_providers", "commissioning_service_areas", "commissioning_case_partners")
    assert not [q["sql"] for q in captured if any(f'"{t}"' in q["sql"] for t in tables)]
    assert len(captured) > 10  # the queries were captured at all


def test_services_table_shows_budget_holders_amounts_and_partners():
    _, paper = build_case()
    services = next(s for s in paper_context(paper)["sections"] if s["key"] == "current_services")["content"]
    assert services["caption"].endswith("Current services and budgets 2011-12")
    children = services["rows"][2]
    assert children == {
        "service": "Children's outreach and support delivered by 5 organisations",
        "budget_holder": "Children, Families & Cultural Services",
        "amount": "£53,000",
        "partners": ["Nottinghamshire PCT £36,000"],
    }
    # 361,658 + 363,268 + 53,000 + 75,000 + 120,000
    assert services["own_total"] == "£972,926"


def test_markdown_is_sanitised():
    html = markdown_to_html("Hello **world**<script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>world</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html


def test_mark_final_names_the_missing_sections_and_approvals():
    _, paper = build_case()
    PaperSection.objects.filter(paper=paper, key="purpose").delete()
    record_approvals(paper, kinds=("legal",))
    with pytest.raises(ValidationError) as refused:
        actions.mark_final(paper=paper, by=UserFactory())
    message = " ".join(refused.value.messages)
    assert "Purpose of the report" in message
    assert "financial comments" in message
    assert "approver's decision" in message
    assert "legal comments" not in message
    paper.refresh_from_db()
    assert paper.status == DecisionPaper.Status.DRAFT
    assert not paper.versions.exists()


def test_mark_final_without_any_approval_request_lists_all_three():
    _, paper = build_case()
    with pytest.raises(ValidationError) as refused:
        actions.mark_final(paper=paper, by=UserFactory())
    message = " ".join(refused.value.messages)
    for label in ("financial comments", "legal comments", "approver's decision"):
        assert label in message


def test_mark_final_freezes_a_version_with_its_pdf():
    _, paper = build_case()
    record_approvals(paper)
    officer = UserFactory()
    version = actions.mark_final(paper=paper, by=officer)
    version.refresh_from_db()
    paper.refresh_from_db()
    assert paper.status == DecisionPaper.Status.FINAL
    assert (version.number, version.status, version.generated_by) == (1, PaperVersion.Status.READY, officer)
    assert version.page_count == len(PdfReader(version.pdf.open("rb")).pages)
    assert "£361,658" in pdf_text(version.pdf.open("rb").read())
    assert len(version.data_hash) == 64


def test_a_frozen_paper_does_not_change_when_the_case_data_changes():
    case, paper = build_case()
    record_approvals(paper)
    actions.mark_final(paper=paper, by=UserFactory())
    paper.refresh_from_db()
    html_before, pdf_before = render.render_html(paper), render.render_pdf(paper)

    refuges = FundingContribution.objects.get(amount=Decimal("361658"))
    refuges.amount = Decimal("400000")
    refuges.save()
    PaperSection.objects.filter(paper=paper, key="purpose").update(body="Changed purpose.")

    assert render.render_html(paper) == html_before
    assert render.render_pdf(paper) == pdf_before
    assert "£361,658" in pdf_text(render.render_pdf(paper))
    with pytest.raises(ValidationError):
        actions.generate_version(paper)

    # The changes go into a new draft that supersedes the final paper.
    draft = paper.revise(by=UserFactory())
    assert draft.supersedes == paper and draft.status == DecisionPaper.Status.DRAFT
    assert "£400,000" in render.render_html(draft)
    assert render.render_html(paper) == html_before


def test_versions_are_numbered_and_hash_the_data():
    _, paper = build_case()
    first = actions.generate_version(paper)
    # Nothing changed: the same version stands and no second PDF is queued.
    again = actions.generate_version(paper)
    assert (again.pk, again.number, again.reused) == (first.pk, 1, True)
    assert paper.versions.count() == 1
    PaperSection.objects.filter(paper=paper, key="purpose").update(body="A new purpose.")
    second = actions.generate_version(paper)
    assert (second.number, getattr(second, "reused", False)) == (2, False)
    assert second.data_hash != first.data_hash
    assert "A new purpose." in second.html and "A new purpose." not in first.html


def test_a_failed_version_is_printed_again_even_when_nothing_changed():
    _, paper = build_case()
    first = actions.generate_version(paper)
    PaperVersion.objects.filter(pk=first.pk).update(status=PaperVersion.Status.FAILED, error="Font missing")
    second = actions.generate_version(paper)
    assert second.number == 2


def test_section_text_keeps_its_history():
    _, paper = build_case()
    section = PaperSection.objects.get(paper=paper, key="purpose")
    section.body = "Second wording."
    section.save()
    assert [h.body for h in section.history.order_by("history_date")] == [
        "The purpose of the report is to seek Cabinet approval for new commissioning arrangements.",
        "Second wording.",
    ]


def test_draft_pdf_is_marked_draft_and_numbers_its_pages():
    _, paper = build_case()
    pdf = render.render_pdf(paper)
    pages = [p.extract_text() for p in PdfReader(BytesIO(pdf)).pages]
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert all("DRAFT" in text for text in pages)


def test_options_section_shows_the_weighted_scores_where_the_appraisal_is_scored():
    from commissioning.models import PaperType
    from commissioning.paper_types import ensure_default_paper_types
    from tests.commissioning.appraisal_setup import make_people, ready_appraisal

    people, case = make_people()
    ready_appraisal(case, (people.officer, people.second_officer))
    ensure_default_paper_types()
    paper = DecisionPaper.objects.create(
        case=case, paper_type=PaperType.objects.get(slug="cabinet-report"), title="DV reduction services"
    )
    options = next(s for s in paper_context(paper)["sections"] if s["key"] == "options")["content"]
    scores = options["scores"]
    # Hand-checked in ready_appraisal: B 83.0, C 78.0, A 56.0 (D was dropped from the short list).
    assert [(r["name"], r["total"], r["rank"]) for r in scores["rows"]] == [
        ("Option B", "83.0", 1),
        ("Option C", "78.0", 2),
        ("Option A", "56.0", 3),
    ]
    assert [c["weight"] for c in scores["criteria"]] == [50, 30, 20]
    assert scores["flag_count"] == 1  # C's quality marks 5 and 3
    text = pdf_text(render.render_pdf(paper))
    assert "Weighted scores of the short-listed options" in text
    assert "83.0" in text and "78.0" in text and "56.0" in text
    assert "1 mark differed by 2 or more between scorers and is flagged for moderation" in text


def consultation_sentences(paper) -> list[str]:
    (section,) = [s for s in paper_context(paper)["sections"] if s["source"] == "consultations"]
    return section["content"]["items"][0]["sentences"]


def test_a_consultation_with_responses_is_reported_in_the_past_tense():
    _, paper = build_case(services=1)
    sentences = consultation_sentences(paper)
    assert "The public consultation ran for a minimum of 8 weeks." in sentences
    assert "19 responses were reported as received." in sentences
    # Undated events of a consultation that is over have been held.
    assert "Two consultation events have been held with partner organisations and service users." in sentences


def test_tense_follows_the_meeting_date_for_a_dated_consultation():
    case, paper = build_case(services=1)
    consultation = case.consultations.get()
    consultation.response_count = None
    consultation.starts_on, consultation.ends_on = date(2019, 2, 11), date(2019, 5, 6)  # 12 weeks
    consultation.channels = "Web-based survey"
    consultation.save()
    consultation.events.update(held_on=date(2019, 3, 1))

    paper.meeting_date = date(2019, 2, 8)  # Leicestershire's Cabinet asks to consult
    paper.save()
    sentences = consultation_sentences(paper)
    assert "The public consultation will run from 11 February 2019 to 6 May 2019 (12 weeks)." in sentences
    assert "Two consultation events will be held with partner organisations and service users." in sentences
    assert "It will be carried out through: Web-based survey." in sentences

    paper.meeting_date = date(2019, 3, 20)  # while it runs, after the events
    paper.save()
    sentences = consultation_sentences(paper)
    assert "The public consultation runs from 11 February 2019 to 6 May 2019 (12 weeks)." in sentences
    assert "Two consultation events have been held with partner organisations and service users." in sentences
    assert "It is carried out through: Web-based survey." in sentences

    paper.meeting_date = date(2019, 9, 1)  # reporting the outcome
    paper.save()
    sentences = consultation_sentences(paper)
    assert "The public consultation ran from 11 February 2019 to 6 May 2019 (12 weeks)." in sentences
    assert "It was carried out through: Web-based survey." in sentences


def test_a_consultation_without_dates_or_responses_commits_to_no_tense():
    """Leicestershire's paper asks to consult: it cannot say the consultation ran or has run."""
    case, paper = build_case(services=1)
    case.consultations.update(response_count=None, channels="Web-based survey")
    sentences = consultation_sentences(paper)
    assert "The public consultation is for a minimum of 8 weeks." in sentences
    assert (
        "The consultation includes two consultation events with partner organisations and service users."
        in sentences
    )
    assert "It uses: Web-based survey." in sentences


def test_undated_events_of_a_finished_consultation_count_as_held_beside_dated_ones():
    case, paper = build_case(services=1)
    consultation = case.consultations.get()
    consultation.response_count = 1
    consultation.save()
    consultation.events.filter(title="Partners event").update(held_on=date(2011, 8, 1))
    sentences = consultation_sentences(paper)
    assert "1 response was reported as received." in sentences
    # The dated event comes first, the undated one after it.
    assert "Two consultation events have been held with partner organisations and service users." in sentences
