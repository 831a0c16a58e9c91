"""Weighted scoring of the short list: totals, ranks, moderation flags and consultation support.

The rule, as the appraisal page states it:

- each scorer marks each short-listed option 0 to 5 against each criterion;
- an option's mark on a criterion is the mean of its scorers' marks;
- the criterion contributes  mean x weight / 5  points, so with weights adding up to 100 a
  perfect option (5 everywhere) scores 100 and a worthless one 0;
- the weighted total is the sum of the contributions, rounded half up to one decimal place;
- options are ranked on that rounded total, highest first; equal totals share a rank (1, 2, 2, 4);
  an option missing a mark on any criterion is not ranked;
- where the highest and lowest marks for one option on one criterion differ by 2 or more, the
  pair is flagged for moderation, and any dissent a scorer recorded is shown beside it.

All arithmetic is ``Decimal``; nothing here is stored, so totals never drift from the marks.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from commissioning.models import Criterion, Option, OptionAppraisal, Score

FIVE = Decimal("5")
ONE_PLACE = Decimal("0.1")
MODERATION_SPREAD = 2


@dataclass
class Cell:
    """One option against one criterion."""

    criterion: Criterion
    scores: list[Score]

    @property
    def mean(self) -> Decimal | None:
        if not self.scores:
            return None
        return Decimal(sum(s.score for s in self.scores)) / Decimal(len(self.scores))

    @property
    def mean_label(self) -> str:
        mean = self.mean
        return "" if mean is None else f"{mean.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)}"

    @property
    def points(self) -> Decimal:
        mean = self.mean
        return Decimal("0") if mean is None else mean * self.criterion.weight / FIVE

    @property
    def spread(self) -> int:
        marks = [s.score for s in self.scores]
        return max(marks) - min(marks) if marks else 0

    @property
    def needs_moderation(self) -> bool:
        return self.spread >= MODERATION_SPREAD

    @property
    def dissent(self) -> list[Score]:
        return [s for s in self.scores if s.dissent.strip()]


@dataclass
class Row:
    option: Option
    cells: list[Cell]
    rank: int | None = None
    # Respondents counted from the responses held, and the consultations (pks) they came from.
    counted_support: int = 0
    held: frozenset = frozenset()

    @property
    def total(self) -> Decimal:
        return sum((c.points for c in self.cells), Decimal("0")).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)

    @property
    def complete(self) -> bool:
        return bool(self.cells) and all(c.scores for c in self.cells)

    @property
    def flagged(self) -> list[Cell]:
        return [c for c in self.cells if c.needs_moderation]

    @property
    def support(self) -> int | str | None:
        """Consultation support: respondents who preferred the option, summed across consultations:
        counted from the responses where a consultation holds them, else as its paper reported
        them; "preferred" where a preference was recorded without a count; None if none."""
        preferences = [p for p in self.option.preferences.all() if p.consultation_id not in self.held]
        counted = [p.respondents for p in preferences if p.respondents is not None]
        if self.counted_support:
            counted.append(self.counted_support)
        if not counted:
            return "preferred" if preferences else None
        return sum(counted)


@dataclass
class ScoreTable:
    criteria: list[Criterion]
    rows: list[Row] = field(default_factory=list)
    scorers: list = field(default_factory=list)

    @property
    def weights_total(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def ranked(self) -> list[Row]:
        return sorted(self.rows, key=lambda r: (r.rank is None, r.rank or 0, r.option.order, r.option.pk))

    @property
    def flag_count(self) -> int:
        return sum(len(r.flagged) for r in self.rows)


def score_table(appraisal: OptionAppraisal) -> ScoreTable:
    """The scores table for an appraisal's short list, in four queries whatever its size."""
    criteria = list(appraisal.criteria.all())
    options = [
        o
        for o in appraisal.options.filter(parent__isnull=True, shortlisted=True).prefetch_related(
            "preferences"
        )
    ]
    scores = list(
        Score.objects.filter(option__in=options, criterion__in=criteria)
        .select_related("scorer")
        .order_by("scorer__last_name", "scorer_id")
    )
    by_pair: dict[tuple[int, int], list[Score]] = {}
    scorers = {}
    for s in scores:
        by_pair.setdefault((s.option_id, s.criterion_id), []).append(s)
        scorers[s.scorer_id] = s.scorer
    table = ScoreTable(criteria=criteria, scorers=list(scorers.values()))
    held, counted = _responses_held(appraisal, options)
    for option in options:
        cells = [Cell(criterion=c, scores=by_pair.get((option.pk, c.pk), [])) for c in criteria]
        row = Row(option=option, cells=cells, counted_support=counted.get(option.pk, 0), held=held)
        table.rows.append(row)
    _rank(table.rows)
    return table


def _responses_held(appraisal: OptionAppraisal, options) -> tuple[frozenset, dict[int, int]]:
    """The case's consultations that hold responses, and how many of those responses preferred
    each option: one query."""
    # Imported here: consultations points at commissioning, never the reverse.
    from consultations.models import Response

    option_ids = {o.pk for o in options}
    cells = (
        Response.objects.filter(consultation__case_id=appraisal.case_id)
        .values_list("consultation_id", "option_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    held, counted = set(), {}
    for consultation_id, option_id, n in cells:
        held.add(consultation_id)
        if option_id in option_ids:
            counted[option_id] = counted.get(option_id, 0) + n
    return frozenset(held), counted


def _rank(rows: list[Row]) -> None:
    """Standard competition ranking on the rounded totals of fully scored options."""
    complete = sorted((r for r in rows if r.complete), key=lambda r: r.total, reverse=True)
    for position, row in enumerate(complete, start=1):
        previous = complete[position - 2] if position > 1 else None
        row.rank = previous.rank if previous is not None and previous.total == row.total else position
