"""A paper's approval on the screens: submit, finance and legal comments, the approver's
decision, then final; withdrawal, sending back, and a paper changed after approval."""

from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from commissioning.models import ApprovalRequest, ApprovalStep, DecisionPaper, PaperSection
from tests.commissioning.paper_builders import build_case
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


@pytest.fixture
def paper():
    paper = build_case()[1]
    PaperSection.objects.update_or_create(paper=paper, key="purpose", defaults={"body": "To seek approval."})
    return paper


@pytest.fixture
def people(paper):
    """The lead commissioner's officer, finance and legal officers and approver, by role."""
    ncc = paper.case.lead_commissioner
    made = {}
    for role, first, last, initials in (
        ("officer", "Ann", "Officer", "AO"),
        ("finance", "Dee", "Dixon", "DD"),
        ("legal", "Sam", "Hobbs", "SHB"),
        ("approver", "Mick", "Murphy", "MM"),
    ):
        made[role] = ProfileFactory(
            user__username=f"ncc.{role}",
            user__first_name=first,
            user__last_name=last,
            organisation=ncc,
            role=role,
            initials=initials,
        ).user
    return made


def submit(client, people, paper):
    client.force_login(people["officer"])
    return client.post(reverse("commissioning:paper-submit", args=[paper.pk]), follow=True)


def act(client, user, step, data):
    client.force_login(user)
    return client.post(
        reverse("commissioning:approval-step", args=[step.pk]), {"version": step.version, **data}
    )


def steps_of(paper):
    request = paper.approval_requests.get(status=ApprovalRequest.Status.PENDING)
    return {s.kind: s for s in request.steps.all()}


def test_submit_sends_the_paper_to_finance_and_legal_and_locks_its_texts(client, people, paper):
    response = submit(client, people, paper)
    assertContains(response, "Submitted for approval.")
    assertContains(response, "Withdraw from approval")
    assertNotContains(response, "Edit<span")
    request = paper.approval_requests.get()
    assert request.submitted_by == people["officer"]
    assert sorted(request.steps.values_list("kind", flat=True)) == ["decision", "finance", "legal"]
    # Finance and legal are told now (they comment in parallel); the approver once they have.
    assert sorted(m.to[0] for m in mail.outbox) == ["ncc.finance@example.org", "ncc.legal@example.org"]

    url = reverse("commissioning:paper-section-update", args=[paper.pk, "purpose"])
    response = client.post(url, {"body": "Changed while with approvers."}, follow=True)
    assertContains(response, "This paper is with the approvers. Withdraw it from approval to change it.")
    assert PaperSection.objects.get(paper=paper, key="purpose").body == "To seek approval."

    response = submit(client, people, paper)
    assertContains(response, "This paper is already with the approvers.")
    assert paper.approval_requests.count() == 1


def test_a_paper_missing_a_required_section_is_not_submitted(client, people, paper):
    PaperSection.objects.filter(paper=paper, key="purpose").delete()
    response = submit(client, people, paper)
    assertContains(response, "Fill in the required sections before submitting: Purpose of the report.")
    assert not paper.approval_requests.exists()


def test_only_the_lead_commissioners_officers_submit(client, people, paper):
    for role in ("finance", "legal", "approver"):
        client.force_login(people[role])
        assert client.post(reverse("commissioning:paper-submit", args=[paper.pk])).status_code == 403
    assert not paper.approval_requests.exists()


def test_the_whole_path_ends_in_a_final_pdf_with_signed_comments_and_no_draft_mark(client, people, paper):
    submit(client, people, paper)
    steps = steps_of(paper)
    assert (
        act(
            client, people["finance"], steps["finance"], {"comment": "The costs are met within budget."}
        ).status_code
        == 302
    )
    assert (
        act(
            client, people["legal"], steps["legal"], {"comment": "Cabinet has the power to decide."}
        ).status_code
        == 302
    )
    assert act(client, people["approver"], steps["decision"], {"decision": "approved"}).status_code == 302
    assert paper.approval_requests.get().status == ApprovalRequest.Status.APPROVED

    client.force_login(people["officer"])
    response = client.get(reverse("commissioning:paper-detail", args=[paper.pk]))
    assertContains(response, "Mark as final</button>")
    response = client.post(reverse("commissioning:paper-mark-final", args=[paper.pk]), follow=True)
    assertContains(response, "The paper is final.")
    paper.refresh_from_db()
    assert paper.status == DecisionPaper.Status.FINAL

    pdf = client.get(reverse("commissioning:paper-pdf", args=[paper.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(b"".join(pdf.streaming_content))).pages)
    signed = {s.kind: s.signature for s in ApprovalStep.objects.filter(request__paper=paper)}
    assert signed["finance"].startswith("DD ") and signed["legal"].startswith("SHB ")
    for words in (
        signed["finance"],
        signed["legal"],
        "The costs are met within budget.",
        "Cabinet has the power",
    ):
        assert words in text
    assert "DRAFT" not in text and "Draft: not for publication" not in text


def test_withdrawing_unlocks_the_texts_and_the_paper_can_go_again(client, people, paper):
    submit(client, people, paper)
    response = client.post(reverse("commissioning:paper-withdraw", args=[paper.pk]), follow=True)
    assertContains(response, "Withdrawn from approval.")
    assert paper.approval_requests.get().status == ApprovalRequest.Status.WITHDRAWN
    # The finance officer's step is closed with it.
    step = ApprovalStep.objects.get(request__paper=paper, kind="finance")
    assertContains(
        act(client, people["finance"], step, {"comment": "Late."}), "no longer waiting", status_code=200
    )

    client.force_login(people["officer"])
    url = reverse("commissioning:paper-section-update", args=[paper.pk, "purpose"])
    client.post(url, {"body": "A better purpose."})
    assert PaperSection.objects.get(paper=paper, key="purpose").body == "A better purpose."
    assertContains(submit(client, people, paper), "Submitted for approval.")
    assert paper.approval_requests.filter(status=ApprovalRequest.Status.PENDING).count() == 1


def test_a_paper_sent_back_can_change_and_is_submitted_again(client, people, paper):
    submit(client, people, paper)
    steps = steps_of(paper)
    act(client, people["finance"], steps["finance"], {"comment": "Fine."})
    act(client, people["legal"], steps["legal"], {"comment": "Fine."})
    act(client, people["approver"], steps["decision"], {"decision": "sent_back", "reason": "Add the risks."})
    client.force_login(people["officer"])
    response = client.get(reverse("commissioning:paper-detail", args=[paper.pk]))
    assertContains(response, "sent back")
    assertContains(response, "Submit for approval</button>")
    assertContains(response, "Record the financial comments")  # the sent-back request no longer counts


def test_a_paper_changed_after_approval_cannot_be_made_final_on_that_approval(client, people, paper):
    submit(client, people, paper)
    steps = steps_of(paper)
    act(client, people["finance"], steps["finance"], {"comment": "Fine."})
    act(client, people["legal"], steps["legal"], {"comment": "Fine."})
    act(client, people["approver"], steps["decision"], {"decision": "approved"})

    client.force_login(people["officer"])
    client.post(
        reverse("commissioning:paper-section-update", args=[paper.pk, "purpose"]),
        {"body": "Another purpose."},
    )
    response = client.post(reverse("commissioning:paper-mark-final", args=[paper.pk]), follow=True)
    assertContains(response, "The paper has changed since it was submitted for approval.")
    paper.refresh_from_db()
    assert paper.status == DecisionPaper.Status.DRAFT
    assertContains(response, "Submit for approval again</button>")
