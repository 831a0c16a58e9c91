"""The approval workflow: every allowed and forbidden transition per role, self-approval, skipped
steps, the read-only approved appraisal, reopening, e-mails and two people deciding at once."""

import threading
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from commissioning.models import (
    AppraisalLocked,
    ApprovalConflict,
    ApprovalRequest,
    ApprovalStep,
    Case,
    Criterion,
    OptionAppraisal,
    Profile,
    Score,
)
from commissioning.models.cases import ApprovalOrder
from commissioning.permissions import can_act_on_step, can_edit_case
from tests.commissioning.appraisal_setup import fast_passwords, make_people, person, ready_appraisal  # noqa: F401

Kind = ApprovalStep.Kind
Decision = ApprovalStep.Decision


@pytest.fixture
def world(db):
    people, case = make_people()
    appraisal, options = ready_appraisal(case, (people.officer, people.second_officer))
    return people, case, appraisal, options


def submit(world, capture):
    people, _, appraisal, _ = world
    with capture(execute=True):
        request = appraisal.submit(by=people.officer)
    return request


def steps_of(request):
    return {s.kind: s for s in request.steps.all()}


def comment_both(people, request, capture):
    steps = steps_of(request)
    with capture(execute=True):
        steps[Kind.FINANCE].add_comment(by=people.finance, text="Adequate budget provision exists.")
        steps[Kind.LEGAL].add_comment(by=people.legal, text="The Cabinet Member has power to decide.")
    return steps


# Submitting.
def test_submit_opens_finance_and_legal_in_parallel_then_the_decision(
    world, django_capture_on_commit_callbacks
):
    people, case, appraisal, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.SUBMITTED
    assert request.submitted_by == people.officer
    assert [(s.kind, s.order) for s in request.steps.all()] == [
        (Kind.FINANCE, 1),
        (Kind.LEGAL, 1),
        (Kind.DECISION, 2),
    ]
    # Only the two open steps are announced: to the finance and to the legal officer.
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        (
            "notts.finance@example.org",
            "Waiting for your financial comments: Options for DV reduction services",
        ),
        ("notts.legal@example.org", "Waiting for your legal comments: Options for DV reduction services"),
    ]


def test_case_can_ask_for_steps_in_order(world, django_capture_on_commit_callbacks):
    people, case, appraisal, _ = world
    case.approval_order = ApprovalOrder.SEQUENCE
    case.save()
    request = submit(world, django_capture_on_commit_callbacks)
    assert [(s.kind, s.order) for s in request.steps.all()] == [
        (Kind.FINANCE, 1),
        (Kind.LEGAL, 2),
        (Kind.DECISION, 3),
    ]
    assert [m.to for m in mail.outbox] == [["notts.finance@example.org"]]
    with pytest.raises(
        ValidationError, match="The financial comments must be given before the legal comments"
    ):
        steps_of(request)[Kind.LEGAL].add_comment(by=people.legal, text="Fine.")
    with django_capture_on_commit_callbacks(execute=True):
        steps_of(request)[Kind.FINANCE].add_comment(by=people.finance, text="Budget exists.")
    # Finance done: now legal is told.
    assert mail.outbox[-1].to == ["notts.legal@example.org"]


@pytest.mark.parametrize("who", ["approver", "finance", "legal", "partner_viewer", "other_council_finance"])
def test_only_the_lead_commissioners_officers_submit(world, who):
    people, _, appraisal, _ = world
    with pytest.raises(PermissionDenied):
        appraisal.submit(by=getattr(people, who))
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.DRAFT
    assert not ApprovalRequest.objects.exists()


def test_submit_refused_with_every_problem_named(world):
    people, _, appraisal, options = world
    options["C"].reason_not_chosen = ""
    options["C"].save()
    Criterion.objects.filter(name="Access").delete()
    with pytest.raises(ValidationError) as error:
        appraisal.submit(by=people.officer)
    assert error.value.messages == [
        "The criteria weights add up to 80; they must add up to 100",
        "Say why these options were not chosen: Option C: Three Area",
    ]
    assert not ApprovalRequest.objects.exists()


def test_cannot_submit_twice(world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    submit(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Only a draft appraisal can be submitted"):
        appraisal.submit(by=people.second_officer)
    assert ApprovalRequest.objects.count() == 1


# Finance and legal comments.
def test_finance_comment_records_initials_and_date(world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    step = steps_of(request)[Kind.FINANCE]
    step.add_comment(by=people.finance, text="Adequate budget provision exists.")
    step.refresh_from_db()
    today = timezone.localdate()
    assert step.decision == Decision.COMMENTED
    assert step.initials == "DD"
    assert step.decided_on == today
    assert step.signature == f"DD {today:%d/%m/%y}"
    assert step.comment == "Adequate budget provision exists."
    # The audit row names the finance officer, not whoever happened to be signed in.
    assert step.history.first().history_user == people.finance


@pytest.mark.parametrize(
    "kind,who",
    [
        (Kind.FINANCE, "legal"),
        (Kind.FINANCE, "approver"),
        (Kind.FINANCE, "officer"),
        (Kind.FINANCE, "partner_viewer"),
        (Kind.FINANCE, "other_council_finance"),
        (Kind.LEGAL, "finance"),
        (Kind.LEGAL, "approver"),
        (Kind.LEGAL, "second_officer"),
    ],
)
def test_wrong_person_cannot_comment(world, django_capture_on_commit_callbacks, kind, who):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    step = steps_of(request)[kind]
    user = getattr(people, who)
    assert not can_act_on_step(user, step)
    with pytest.raises(PermissionDenied):
        step.add_comment(by=user, text="Not mine to give.")
    step.refresh_from_db()
    assert step.decision == "" and step.version == 0


def test_other_council_finance_is_told_why(world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied, match="Only Nottinghamshire County Council's staff act"):
        steps_of(request)[Kind.FINANCE].add_comment(by=people.other_council_finance, text="x")


def test_comment_must_have_text(world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Enter your comments"):
        steps_of(request)[Kind.FINANCE].add_comment(by=people.finance, text="  ")
    assert steps_of(request)[Kind.FINANCE].decision == ""


def test_finance_cannot_decide_and_approver_cannot_merely_comment(world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    steps = steps_of(request)
    with pytest.raises(ValidationError, match="only the approver decides"):
        steps[Kind.FINANCE].decide(by=people.finance, decision=Decision.APPROVED)
    comment_both(people, request, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="it takes a decision, not a comment"):
        steps[Kind.DECISION].add_comment(by=people.approver, text="Looks fine")


# The decision.
def test_decision_cannot_skip_the_comments(world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    decision = steps_of(request)[Kind.DECISION]
    with pytest.raises(
        ValidationError,
        match="The financial comments and legal comments must be given before the approver's decision",
    ):
        decision.decide(by=people.approver, decision=Decision.APPROVED)
    steps_of(request)[Kind.FINANCE].add_comment(by=people.finance, text="Budget exists.")
    with pytest.raises(ValidationError, match="The legal comments must be given before"):
        decision.decide(by=people.approver, decision=Decision.APPROVED)
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.SUBMITTED


def test_approver_approves_and_the_submitter_hears(world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    # Both comments in: the approver is told, and nobody was told twice (2 at submission + 1).
    assert [m.to for m in mail.outbox] == [
        ["notts.finance@example.org"],
        ["notts.legal@example.org"],
        ["notts.manager@example.org"],
    ]
    assert (
        mail.outbox[-1].subject == "Waiting for your approver's decision: Options for DV reduction services"
    )
    with django_capture_on_commit_callbacks(execute=True):
        steps[Kind.DECISION].decide(by=people.approver, decision=Decision.APPROVED)
    appraisal.refresh_from_db()
    request.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.APPROVED
    assert request.status == ApprovalRequest.Status.APPROVED
    assert mail.outbox[-1].to == ["notts.officer@example.org"]
    assert mail.outbox[-1].subject == "Options for DV reduction services: approved"
    assert "M. Murphy approved" in mail.outbox[-1].body


@pytest.mark.parametrize(
    "decision,appraisal_status,request_status",
    [
        (Decision.REJECTED, OptionAppraisal.Status.REJECTED, ApprovalRequest.Status.REJECTED),
        (Decision.SENT_BACK, OptionAppraisal.Status.DRAFT, ApprovalRequest.Status.SENT_BACK),
    ],
)
def test_reject_and_send_back_need_a_reason(
    world, django_capture_on_commit_callbacks, decision, appraisal_status, request_status
):
    people, _, appraisal, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Give the reason for"):
        steps[Kind.DECISION].decide(by=people.approver, decision=decision, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        steps[Kind.DECISION].decide(by=people.approver, decision=decision, reason="Cost the lots again.")
    appraisal.refresh_from_db()
    request.refresh_from_db()
    assert (appraisal.status, request.status) == (appraisal_status, request_status)
    assert "Reason: Cost the lots again." in mail.outbox[-1].body


def test_sent_back_appraisal_can_be_changed_and_resubmitted(world, django_capture_on_commit_callbacks):
    people, _, appraisal, options = world
    request = submit(world, django_capture_on_commit_callbacks)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    steps[Kind.DECISION].decide(by=people.approver, decision=Decision.SENT_BACK, reason="Rescore access.")
    options["C"].description = "Three contracts."
    options["C"].save()
    appraisal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        again = appraisal.submit(by=people.officer)
    assert again.pk != request.pk
    assert ApprovalRequest.objects.filter(status=ApprovalRequest.Status.PENDING).get() == again


@pytest.mark.parametrize("who", ["finance", "legal", "officer", "partner_viewer"])
def test_only_an_approver_decides(world, django_capture_on_commit_callbacks, who):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        steps[Kind.DECISION].decide(by=getattr(people, who), decision=Decision.APPROVED)


def test_approver_of_another_council_cannot_decide(world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    leics = Profile.objects.get(user=people.other_council_finance).organisation
    outsider = person("leics.manager", leics, Profile.Role.APPROVER, "Lee", "Outsider", "LO")
    request = submit(world, django_capture_on_commit_callbacks)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        steps[Kind.DECISION].decide(by=outsider, decision=Decision.APPROVED)


def test_nobody_acts_on_their_own_submission(world, django_capture_on_commit_callbacks):
    people, case, appraisal, _ = world
    # A paper (or anything) submitted by someone who holds the approver role: they still may not decide.
    request = ApprovalRequest.start(case=case, by=people.approver, appraisal=appraisal)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied, match="You cannot act on your own submission"):
        steps[Kind.DECISION].decide(by=people.approver, decision=Decision.APPROVED)
    assert not ApprovalStep.objects.waiting_for(people.approver).exists()
    # And a finance officer who submits cannot give the finance comments on it.
    request.status = ApprovalRequest.Status.WITHDRAWN
    request.save()
    own = ApprovalRequest.start(case=case, by=people.finance, appraisal=appraisal)
    with pytest.raises(PermissionDenied, match="You cannot act on your own submission"):
        steps_of(own)[Kind.FINANCE].add_comment(by=people.finance, text="Fine by me.")


# Read-only once approved, and reopening.
def approve(world, capture):
    people, _, appraisal, _ = world
    request = submit(world, capture)
    steps = comment_both(people, request, capture)
    with capture(execute=True):
        steps[Kind.DECISION].decide(by=people.approver, decision=Decision.APPROVED)
    appraisal.refresh_from_db()
    return request


def test_approved_appraisal_is_read_only(world, django_capture_on_commit_callbacks):
    people, _, appraisal, options = world
    approve(world, django_capture_on_commit_callbacks)
    message = "This option appraisal has been approved and is read-only; reopen it to make changes."
    appraisal.title = "Changed afterwards"
    with pytest.raises(AppraisalLocked, match=message):
        appraisal.save()
    options["B"].estimated_annual_cost = 1
    with pytest.raises(AppraisalLocked, match=message):
        options["B"].save()
    with pytest.raises(AppraisalLocked):
        options["C"].delete()
    with pytest.raises(AppraisalLocked):
        Criterion.objects.create(appraisal=appraisal, name="Late criterion", weight=1)
    with pytest.raises(AppraisalLocked):
        Score.objects.create(
            option=options["A"], criterion=appraisal.criteria.first(), scorer=people.approver, score=5
        )
    # A form sees the same refusal as a validation error it can show.
    with pytest.raises(ValidationError, match="read-only"):
        options["B"].full_clean()
    assert OptionAppraisal.objects.get().title == "Options for DV reduction services"


def test_submitted_appraisal_cannot_be_changed_either(world, django_capture_on_commit_callbacks):
    _, _, appraisal, options = world
    submit(world, django_capture_on_commit_callbacks)
    options["B"].name = "Changed while with approvers"
    with pytest.raises(AppraisalLocked, match="is with approvers"):
        options["B"].save()


def test_reopen_is_recorded_and_goes_back_through_approval(world, django_capture_on_commit_callbacks):
    people, _, appraisal, options = world
    request = approve(world, django_capture_on_commit_callbacks)
    appraisal.reopen(by=people.second_officer, reason="Provider market has changed.")
    appraisal.refresh_from_db()
    request.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.DRAFT
    assert request.status == ApprovalRequest.Status.REOPENED
    assert request.reopened_by == people.second_officer
    assert request.reopen_reason == "Provider market has changed."
    latest = appraisal.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        people.second_officer,
        "Reopened: Provider market has changed.",
    )
    # Editable again, and it must be approved again.
    options["B"].name = "North and South (revised)"
    options["B"].save()
    with django_capture_on_commit_callbacks(execute=True):
        appraisal.submit(by=people.officer)
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.SUBMITTED


@pytest.mark.parametrize("who", ["approver", "finance", "partner_viewer", "other_council_finance"])
def test_reopen_refused_for_others(world, django_capture_on_commit_callbacks, who):
    people, _, appraisal, _ = world
    approve(world, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        appraisal.reopen(by=getattr(people, who), reason="Because.")
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.APPROVED


def test_reopen_needs_a_reason_and_an_approved_appraisal(world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    with pytest.raises(ValidationError, match="Only an approved or rejected appraisal can be reopened"):
        appraisal.reopen(by=people.officer, reason="Early.")
    approve(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="Give the reason for reopening"):
        appraisal.reopen(by=people.officer, reason=" ")


# Partner viewers and permissions.
def test_partner_viewer_cannot_edit(world):
    people, case, _, _ = world
    assert Case.objects.visible_to(people.partner_viewer).filter(pk=case.pk).exists()
    assert not can_edit_case(people.partner_viewer, case)
    assert can_edit_case(people.officer, case)


# The dashboard's waiting list.
def test_waiting_for_follows_the_steps(world, django_capture_on_commit_callbacks):
    people, _, _, _ = world

    def waiting(user):
        return [s.kind for s in ApprovalStep.objects.waiting_for(user)]

    assert waiting(people.finance) == []
    request = submit(world, django_capture_on_commit_callbacks)
    assert waiting(people.finance) == [Kind.FINANCE]
    assert waiting(people.legal) == [Kind.LEGAL]
    assert waiting(people.approver) == []
    assert waiting(people.other_council_finance) == []
    assert waiting(people.officer) == []
    comment_both(people, request, django_capture_on_commit_callbacks)
    assert waiting(people.finance) == []
    assert waiting(people.approver) == [Kind.DECISION]
    steps_of(request)[Kind.DECISION].decide(by=people.approver, decision=Decision.APPROVED)
    assert waiting(people.approver) == []


# Two people acting at once.
def second_approver(people):
    notts = Profile.objects.get(user=people.approver).organisation
    return person("notts.director", notts, Profile.Role.APPROVER, "Dana", "Director", "DDi")


def test_stale_form_gets_a_clear_message_and_overwrites_nothing(world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    director = second_approver(people)
    request = submit(world, django_capture_on_commit_callbacks)
    comment_both(people, request, django_capture_on_commit_callbacks)
    # Both open the decision page and see version 0.
    mine = ApprovalStep.objects.get(request=request, kind=Kind.DECISION)
    theirs = ApprovalStep.objects.get(request=request, kind=Kind.DECISION)
    seen = mine.version
    mine.decide(by=people.approver, decision=Decision.APPROVED, version=seen)
    decided_at = timezone.localtime(ApprovalStep.objects.get(pk=mine.pk).decided_at)
    with pytest.raises(ApprovalConflict) as error:
        theirs.decide(by=director, decision=Decision.REJECTED, reason="No.", version=seen)
    assert error.value.messages == [
        f"This step was already decided by M. Murphy at {decided_at:%H:%M} on {decided_at.day} "
        f"{decided_at:%b %Y}; nothing you entered was saved."
    ]
    step = ApprovalStep.objects.get(pk=mine.pk)
    assert (step.decision, step.decided_by, step.comment) == (Decision.APPROVED, people.approver, "")
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.APPROVED


def test_version_check_alone_stops_a_stale_comment(world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    step = steps_of(request)[Kind.FINANCE]
    with pytest.raises(ApprovalConflict, match="Someone else changed this step"):
        step.add_comment(by=people.finance, text="From an old tab.", version=7)
    assert ApprovalStep.objects.get(pk=step.pk).decision == ""


@pytest.mark.django_db(transaction=True)
def test_two_approvers_deciding_at_the_same_moment():
    """Two threads, each with its own database connection, decide the same step at once:
    exactly one decision is kept and the other person is told who got there first."""
    people, case = make_people()
    appraisal, _ = ready_appraisal(case, (people.officer, people.second_officer))
    director = second_approver(people)
    request = appraisal.submit(by=people.officer)
    steps = steps_of(request)
    steps[Kind.FINANCE].add_comment(by=people.finance, text="Budget exists.")
    steps[Kind.LEGAL].add_comment(by=people.legal, text="Lawful.")
    step_pk = steps[Kind.DECISION].pk
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(user, decision):
        try:
            step = ApprovalStep.objects.get(pk=step_pk)
            barrier.wait()
            step.decide(by=user, decision=decision, reason="Too costly." if decision != "approved" else "")
            outcomes[user.username] = "decided"
        except ApprovalConflict as error:
            outcomes[user.username] = error.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(people.approver, Decision.APPROVED)),
        threading.Thread(target=act, args=(director, Decision.REJECTED)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["notts.director", "notts.manager"]
    winners = [name for name, outcome in outcomes.items() if outcome == "decided"]
    assert len(winners) == 1
    step = ApprovalStep.objects.select_related("decided_by").get(pk=step_pk)
    assert step.decided_by.username == winners[0]
    loser = next(name for name in outcomes if name != winners[0])
    assert outcomes[loser].startswith(f"This step was already decided by {step.decided_label}")
    appraisal.refresh_from_db()
    expected = {"notts.manager": "approved", "notts.director": "rejected"}[winners[0]]
    assert appraisal.status == expected
    assert ApprovalStep.history.filter(id=step_pk, decision__in=["approved", "rejected"]).count() == 1


def test_signature_date_format():
    step = ApprovalStep(initials="DD", decided_on=date(2011, 10, 17))
    # Seed 000: "Financial Comments (DD 17/10/11)"
    assert step.signature == "DD 17/10/11"


# Pages.
def page(client, user, name, *args, data=None):
    from django.urls import reverse

    client.force_login(user)
    url = reverse(f"commissioning:{name}", args=args)
    return client.post(url, data, follow=True) if data is not None else client.get(url)


def test_appraisal_page_shows_scores_ranks_flags_and_support(client, world):
    people, case, appraisal, options = world
    from consultations.models import OptionPreference
    from tests.factories import ConsultationFactory

    OptionPreference.objects.create(
        consultation=ConsultationFactory(case=case, response_count=19), option=options["B"], respondents=12
    )
    response = page(client, people.partner_viewer, "appraisal-detail", appraisal.pk)
    html = response.content.decode()
    assert response.status_code == 200
    # Rows in rank order: B 83.0 (1), C 78.0 (2), A 56.0 (3); C's quality marks are flagged.
    assert html.index("83.0") < html.index("78.0") < html.index("56.0")
    assert "12 respondents" in html
    assert "Option C: Three Area on Quality: marks" in html
    assert "Dropped: fails “Covers every district”" in html
    # A partner viewer reads but is offered no changes.
    assert "Submit for approval" not in html and "Enter your scores" not in html


def test_partner_viewer_cannot_submit_or_score(client, world):
    people, _, appraisal, _ = world
    assert page(client, people.partner_viewer, "appraisal-submit", appraisal.pk, data={}).status_code == 403
    assert page(client, people.partner_viewer, "appraisal-score", appraisal.pk).status_code == 403
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.DRAFT


def test_other_council_cannot_see_the_appraisal(client, world):
    people, _, appraisal, _ = world
    assert page(client, people.other_council_finance, "appraisal-detail", appraisal.pk).status_code == 404


def test_officer_submits_from_the_page(client, world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    with django_capture_on_commit_callbacks(execute=True):
        response = page(client, people.officer, "appraisal-submit", appraisal.pk, data={})
    assert "Submitted for approval" in response.content.decode()
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.SUBMITTED
    assert len(mail.outbox) == 2


def test_submit_page_lists_the_problems(client, world):
    people, _, appraisal, options = world
    options["A"].reason_not_chosen = ""
    options["A"].save()
    response = page(client, people.officer, "appraisal-submit", appraisal.pk, data={})
    assert "Say why these options were not chosen: Option A: Single County" in response.content.decode()


def test_scorer_enters_marks(client, world):
    people, _, appraisal, options = world
    quality = appraisal.criteria.get(name="Quality")
    Score.objects.filter(scorer=people.officer).delete()
    key = f"{options['B'].pk}_{quality.pk}"
    response = page(
        client,
        people.officer,
        "appraisal-score",
        appraisal.pk,
        data={f"score_{key}": "2", f"rationale_{key}": "Thin evidence", f"dissent_{key}": ""},
    )
    assert "Your scores were saved (1 marks)." in response.content.decode()
    mine = Score.objects.get(scorer=people.officer)
    assert (mine.option, mine.criterion, mine.score, mine.rationale) == (
        options["B"],
        quality,
        2,
        "Thin evidence",
    )


def test_finance_comments_through_the_step_page(client, world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    step = steps_of(request)[Kind.FINANCE]
    assert "Your comments" in page(client, people.finance, "approval-step", step.pk).content.decode()
    response = page(
        client, people.finance, "approval-step", step.pk, data={"comment": "Budget exists.", "version": 0}
    )
    assert "Financial comments on “Options for DV reduction services”: recorded." in response.content.decode()
    step.refresh_from_db()
    assert (step.decision, step.initials) == (Decision.COMMENTED, "DD")


def test_step_page_explains_who_may_act(client, world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    step = steps_of(request)[Kind.FINANCE]
    html = page(client, people.legal, "approval-step", step.pk).content.decode()
    assert "Only a finance officer can give the financial comments." in html
    assert (
        page(client, people.legal, "approval-step", step.pk, data={"comment": "x", "version": 0}).status_code
        == 403
    )
    decision = steps_of(request)[Kind.DECISION]
    html = page(client, people.approver, "approval-step", decision.pk).content.decode()
    assert "This step opens once the financial comments and legal comments are given." in html


def test_reject_without_reason_shows_the_error_summary(client, world, django_capture_on_commit_callbacks):
    people, _, _, _ = world
    request = submit(world, django_capture_on_commit_callbacks)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    response = page(
        client,
        people.approver,
        "approval-step",
        steps[Kind.DECISION].pk,
        data={"decision": "rejected", "reason": "", "version": 0},
    )
    html = response.content.decode()
    assert "There is a problem" in html and "Give the reason for rejecting" in html
    assert ApprovalStep.objects.get(pk=steps[Kind.DECISION].pk).decision == ""


def test_second_approver_with_a_stale_page_is_told(client, world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    director = second_approver(people)
    request = submit(world, django_capture_on_commit_callbacks)
    steps = comment_both(people, request, django_capture_on_commit_callbacks)
    decision = steps[Kind.DECISION]
    page(client, people.approver, "approval-step", decision.pk, data={"decision": "approved", "version": 0})
    response = page(
        client,
        director,
        "approval-step",
        decision.pk,
        data={"decision": "sent_back", "reason": "Rethink", "version": 0},
    )
    decided = timezone.localtime(ApprovalStep.objects.get(pk=decision.pk).decided_at)
    assert f"This step was already decided by M. Murphy at {decided:%H:%M}" in response.content.decode()
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.APPROVED


def test_reopen_through_the_page(client, world, django_capture_on_commit_callbacks):
    people, _, appraisal, _ = world
    approve(world, django_capture_on_commit_callbacks)
    response = page(client, people.officer, "appraisal-reopen", appraisal.pk, data={"reason": ""})
    assert "Give the reason for reopening the appraisal." in response.content.decode()
    response = page(
        client, people.officer, "appraisal-reopen", appraisal.pk, data={"reason": "New providers."}
    )
    assert "The appraisal is reopened as a draft" in response.content.decode()
    appraisal.refresh_from_db()
    assert appraisal.status == OptionAppraisal.Status.DRAFT
    assert page(client, people.approver, "appraisal-reopen", appraisal.pk).status_code == 403
