"""Weighted scoring arithmetic, ranks, moderation flags, short-list rules and consultation support.

Every figure is worked by hand in the comments (mean mark x weight / 5, summed).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning.models import Criterion, Option, Score
from commissioning.scoring import score_table
from consultations.models import OptionPreference
from tests.commissioning.appraisal_setup import fast_passwords, make_people, ready_appraisal  # noqa: F401
from tests.factories import ConsultationFactory, OptionAppraisalFactory, OptionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    people, case = make_people()
    appraisal, options = ready_appraisal(case, (people.officer, people.second_officer))
    return people, case, appraisal, options


def test_weighted_totals_and_ranks(setup):
    _, _, appraisal, options = setup
    table = score_table(appraisal)
    by_label = {row.option.label: row for row in table.rows}
    # B 45 + 18 + 20 = 83; C 40 + 24 + 14 = 78; A 20 + 30 + 6 = 56 (see appraisal_setup).
    assert by_label["B"].total == Decimal("83.0")
    assert by_label["C"].total == Decimal("78.0")
    assert by_label["A"].total == Decimal("56.0")
    assert [(r.option.label, r.rank) for r in table.ranked] == [("B", 1), ("C", 2), ("A", 3)]
    # D failed a critical success factor: it is not on the short list, so it is not scored.
    assert "D" not in by_label
    assert table.weights_total == 100


def test_moderation_flag_where_scorers_differ_by_two(setup):
    _, _, appraisal, _ = setup
    table = score_table(appraisal)
    flagged = [(row.option.label, cell.criterion.name) for row in table.rows for cell in row.flagged]
    # Only C on quality (5 and 3); A on access (1 and 2) differs by one, which is not enough.
    assert flagged == [("C", "Quality")]
    assert table.flag_count == 1


def test_dissent_is_recorded_beside_the_flag(setup):
    people, _, appraisal, options = setup
    score = Score.objects.get(option=options["C"], criterion__name="Quality", scorer=people.second_officer)
    score.dissent = "The three-area model splits Mansfield from its refuge."
    score.save()
    row = next(r for r in score_table(appraisal).rows if r.option.label == "C")
    cell = row.flagged[0]
    assert [s.dissent for s in cell.dissent] == ["The three-area model splits Mansfield from its refuge."]


def test_perfect_option_scores_100_and_thirds_round_half_up():
    people, case = make_people()
    appraisal = OptionAppraisalFactory(case=case)
    perfect = OptionFactory(appraisal=appraisal, label="A", order=1)
    thirds = OptionFactory(appraisal=appraisal, label="B", order=2)
    only = Criterion.objects.create(appraisal=appraisal, name="Everything", weight=100)
    third_scorer = UserFactory(username="third")
    for scorer in (people.officer, people.second_officer, third_scorer):
        Score.objects.create(option=perfect, criterion=only, scorer=scorer, score=5)
    for scorer, mark in ((people.officer, 4), (people.second_officer, 4), (third_scorer, 5)):
        Score.objects.create(option=thirds, criterion=only, scorer=scorer, score=mark)
    rows = {r.option.label: r for r in score_table(appraisal).rows}
    assert rows["A"].total == Decimal("100.0")
    # (4 + 4 + 5) / 3 = 4.333... x 100 / 5 = 86.666... -> 86.7
    assert rows["B"].total == Decimal("86.7")
    assert rows["B"].cells[0].mean_label == "4.3"


def test_equal_totals_share_a_rank_and_unscored_options_are_not_ranked():
    people, case = make_people()
    appraisal = OptionAppraisalFactory(case=case)
    a, b, c, d = (OptionFactory(appraisal=appraisal, label=x, order=i) for i, x in enumerate("ABCD"))
    quality = Criterion.objects.create(appraisal=appraisal, name="Quality", weight=60)
    cost = Criterion.objects.create(appraisal=appraisal, name="Cost", weight=40)
    # A: quality 5 x 60/5 = 60, cost 0 = 0, total 60; B: quality 3 x 12 = 36, cost 3 x 8 = 24, total 60;
    # C: quality 1 x 12 = 12, cost 1 x 8 = 8, total 20. A and B tie for first; C is third.
    for option, (q, k) in ((a, (5, 0)), (b, (3, 3)), (c, (1, 1))):
        Score.objects.create(option=option, criterion=quality, scorer=people.officer, score=q)
        Score.objects.create(option=option, criterion=cost, scorer=people.officer, score=k)
    # D is scored on quality only: incomplete, so not ranked.
    Score.objects.create(option=d, criterion=quality, scorer=people.officer, score=5)
    ranks = {r.option.label: (r.total, r.rank) for r in score_table(appraisal).rows}
    assert ranks == {
        "A": (Decimal("60.0"), 1),
        "B": (Decimal("60.0"), 1),
        "C": (Decimal("20.0"), 3),
        "D": (Decimal("60.0"), None),
    }


def test_weights_must_add_up_to_100(setup):
    _, _, appraisal, _ = setup
    Criterion.objects.filter(appraisal=appraisal, name="Access").delete()
    # 50 + 30 = 80
    assert appraisal.weights_problem() == "The criteria weights add up to 80; they must add up to 100"
    assert "The criteria weights add up to 80; they must add up to 100" in appraisal.submission_problems()


def test_score_must_be_0_to_5(setup):
    people, _, appraisal, options = setup
    score = Score(option=options["B"], criterion=appraisal.criteria.first(), scorer=UserFactory(), score=6)
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert "score" in error.value.message_dict


def test_one_score_per_option_criterion_and_scorer(setup):
    people, _, appraisal, options = setup
    duplicate = Score(
        option=options["B"], criterion=appraisal.criteria.first(), scorer=people.officer, score=1
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_dropped_option_needs_a_factor_and_a_reason(setup):
    _, _, appraisal, _ = setup
    option = Option(appraisal=appraisal, label="E", name="Out of area", shortlisted=False)
    with pytest.raises(ValidationError) as error:
        option.full_clean()
    assert error.value.message_dict["failed_factor"] == [
        "Choose the critical success factor the option fails"
    ]
    assert error.value.message_dict["drop_reason"] == [
        "Say why the option fails that critical success factor"
    ]


def test_dropped_option_is_listed_with_its_failed_factor(setup):
    _, _, _, options = setup
    assert options["D"].why_not_chosen == (
        "It fails the critical success factor \u201cCovers every district\u201d: Four small lots could not "
        "each sustain a refuge in every district."
    )


def test_short_list_must_keep_business_as_usual(setup):
    _, _, appraisal, options = setup
    factor = appraisal.case.critical_success_factors.get()
    bau = options["A"]
    bau.shortlisted = False
    bau.failed_factor = factor
    bau.drop_reason = "Does not cover Bassetlaw."
    bau.save()
    assert (
        "The short list must include the business-as-usual option (Option A: Single County)"
        in appraisal.submission_problems()
    )


def test_missing_reason_not_chosen_names_the_options(setup):
    _, _, appraisal, options = setup
    for label in ("A", "C"):
        options[label].reason_not_chosen = ""
        options[label].save()
    assert (
        "Say why these options were not chosen: Option A: Single County and Option C: Three Area"
        in appraisal.submission_problems()
    )


def test_ready_appraisal_has_no_problems(setup):
    _, _, appraisal, _ = setup
    assert appraisal.submission_problems() == []


def test_consultation_support_beside_the_scores(setup):
    _, case, appraisal, options = setup
    public = ConsultationFactory(case=case, response_count=19)
    events = ConsultationFactory(case=case, response_count=30)
    OptionPreference.objects.create(consultation=public, option=options["B"], respondents=7)
    OptionPreference.objects.create(consultation=events, option=options["B"], respondents=5)
    OptionPreference.objects.create(consultation=public, option=options["C"], respondents=None)
    support = {r.option.label: r.support for r in score_table(appraisal).rows}
    # B: 7 + 5 = 12 respondents; C preferred without a count; A no preference recorded.
    assert support == {"A": None, "B": 12, "C": "preferred"}


def test_score_table_query_count_is_fixed(setup, django_assert_max_num_queries):
    _, _, appraisal, _ = setup
    # Criteria, options with their preferences, scores, and the responses held for the case.
    with django_assert_max_num_queries(5):
        table = score_table(appraisal)
        [(r.total, r.support, r.rank) for r in table.rows]
