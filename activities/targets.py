"""Targets with a cadence: the target of each step of a period against its outcome.

An indicator's target holds for each step of its cadence ("minst 20
fotpatruller per år"), or once for the whole period. Steps follow the calendar
(ISO weeks, months, quarters, tertials January–April, May–August and
September–December, half years, years), cut to the period at its ends; a cut
step keeps the full target.

A step's outcome comes from the measurements dated within it, by the
indicator's ``aggregation`` (``step_outcome``, the one place that decides):

- ``sum``: counts of what was done ("fotpatruller") add up; a step without
  measurements did nothing, 0.
- ``latest``: a level ("andel som känner sig trygga", the number of
  neighbourhood-watch areas so far) is its latest measurement in the step; a
  step without measurements has no outcome.

A step is met when its outcome reaches the target (higher is better) or stays
within it (lower is better). A step still running is undecided unless a sum
already decides it (a sum only grows); a level can still move, so its running
step stays undecided, and a step without an outcome is never decided.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.charts import format_number, indicator_chart_svg
from activities.models import Indicator

Cadence = Indicator.TargetCadence
# Months per step for the cadences that follow the calendar's months.
_MONTHS = {Cadence.MONTH: 1, Cadence.QUARTER: 3, Cadence.TERTIAL: 4, Cadence.HALF_YEAR: 6}
# Steps shown in a one-line summary: the most recent ones.
SUMMARY_STEPS = 12


@dataclass
class TargetStep:
    label: str
    starts_on: date
    ends_on: date
    target: Decimal
    outcome: Decimal | None  # None: a level without a measurement in the step
    met: bool | None  # None: still running (or not begun) and not decided yet, or no outcome

    @property
    def outcome_text(self) -> str:
        return "–" if self.outcome is None else format_number(self.outcome)


@dataclass
class TargetSummary:
    indicator: Indicator
    steps: list[TargetStep]

    @property
    def target_text(self) -> str:
        """ "Minst 20 fotpatruller per år"."""
        word = (
            _("Högst")
            if self.indicator.direction == Indicator.Direction.LOWER_IS_BETTER
            else _("Minst")
        )
        return f"{word} {format_number(self.indicator.target)} {self.indicator.unit} " + str(
            Cadence(self.indicator.target_cadence).label
        )

    @property
    def is_level(self) -> bool:
        """Each step's outcome is its latest measurement, not a sum."""
        return self.indicator.aggregation == Indicator.Aggregation.LATEST

    @property
    def shown_steps(self) -> list[TargetStep]:
        return self.steps[-SUMMARY_STEPS:]

    @property
    def hidden_step_count(self) -> int:
        return max(0, len(self.steps) - SUMMARY_STEPS)

    def __str__(self) -> str:
        """ "Minst 20 fotpatruller per år — 2021: 23 ✔, 2022: 17 ✘"."""
        marks = {True: " ✔", False: " ✘", None: ""}
        steps = ", ".join(
            f"{step.label}: {step.outcome_text}{marks[step.met]}" for step in self.shown_steps
        )
        return f"{self.target_text} — {steps}" if steps else self.target_text


def _step_start(day: date, cadence: str) -> date:
    if cadence == Cadence.WEEK:
        return day - timedelta(days=day.weekday())
    if cadence == Cadence.YEAR:
        return day.replace(month=1, day=1)
    months = _MONTHS[cadence]
    return day.replace(month=(day.month - 1) // months * months + 1, day=1)


def _next_start(start: date, cadence: str) -> date:
    if cadence == Cadence.WEEK:
        return start + timedelta(days=7)
    if cadence == Cadence.YEAR:
        return start.replace(year=start.year + 1)
    month = start.month - 1 + _MONTHS[cadence]
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


def _label(start: date, cadence: str) -> str:
    if cadence == Cadence.WEEK:
        year, week, _weekday = start.isocalendar()
        return _("v. %(week)s %(year)s") % {"week": week, "year": year}
    if cadence == Cadence.MONTH:
        return f"{start.year}-{start.month:02d}"
    if cadence == Cadence.YEAR:
        return str(start.year)
    number = (start.month - 1) // _MONTHS[cadence] + 1
    prefix = {Cadence.QUARTER: _("K"), Cadence.TERTIAL: _("T"), Cadence.HALF_YEAR: _("H")}
    return f"{start.year} {prefix[cadence]}{number}"


def step_bounds(starts_on: date, ends_on: date, cadence: str) -> list[tuple[date, date, str]]:
    """The steps (first day, last day, label) of a period for a cadence."""
    if cadence == Cadence.PERIOD:
        return [(starts_on, ends_on, _("hela perioden"))]
    steps = []
    start = _step_start(starts_on, cadence)
    while start <= ends_on:
        following = _next_start(start, cadence)
        steps.append(
            (
                max(start, starts_on),
                min(following - timedelta(days=1), ends_on),
                _label(start, cadence),
            )
        )
        start = following
    return steps


def step_outcome(
    indicator: Indicator, measurements: Iterable[tuple[date, int, Decimal]]
) -> Decimal | None:
    """A step's outcome from its measurements (day, id, value), by the indicator's aggregation:
    the sum, or the latest value (by day, then by the order recorded); None for a level
    without a measurement."""
    measurements = list(measurements)
    if indicator.aggregation == Indicator.Aggregation.LATEST:
        return max(measurements, key=lambda m: (m[0], m[1]))[2] if measurements else None
    return sum((value for _day, _pk, value in measurements), Decimal(0))


def _met(indicator: Indicator, outcome: Decimal | None, target: Decimal, over: bool) -> bool | None:
    if outcome is None:
        return None
    # A sum only grows, so it can decide a step early; a level may still move until the end.
    decided = over or indicator.aggregation == Indicator.Aggregation.SUM
    if indicator.direction == Indicator.Direction.LOWER_IS_BETTER:
        if outcome > target:
            return False if decided else None
        return True if over else None
    if outcome >= target:
        return True if decided else None
    return False if over else None


def target_steps(
    indicator: Indicator,
    measurements: Iterable | None = None,
    *,
    period=None,
    today: date | None = None,
) -> list[TargetStep]:
    """The steps that have begun, each with its target and outcome (none without a target).

    ``measurements`` default to the indicator's (prefetched, or one query);
    ``period`` to its promise's.
    """
    if indicator.target is None:
        return []
    today = today or timezone.localdate()
    period = period or indicator.owner_promise.period
    if measurements is None:
        measurements = indicator.measurements.all()
    dated = [(m.measured_on, m.pk, m.value) for m in measurements]
    steps = []
    for first, last, label in step_bounds(
        period.starts_on, period.ends_on, indicator.target_cadence
    ):
        if first > today:
            break
        outcome = step_outcome(indicator, (m for m in dated if first <= m[0] <= last))
        steps.append(
            TargetStep(
                label=label,
                starts_on=first,
                ends_on=last,
                target=indicator.target,
                outcome=outcome,
                met=_met(indicator, outcome, indicator.target, over=last < today),
            )
        )
    return steps


def promise_target_summaries(
    promises, *, period, today: date | None = None
) -> dict[int, list[TargetSummary]]:
    """The cadenced targets of the own indicators of a period's promises, by promise id,
    in two queries."""
    by_promise: dict[int, list[TargetSummary]] = {promise.pk: [] for promise in promises}
    indicators = (
        Indicator.objects.filter(promise__in=list(by_promise), target__isnull=False)
        .exclude(target_cadence=Cadence.PERIOD)
        .prefetch_related("measurements")
        .order_by("promise_id", "name", "pk")
    )
    for indicator in indicators:
        by_promise[indicator.promise_id].append(
            target_summary(indicator, period=period, today=today)
        )
    return by_promise


def target_summary(indicator: Indicator, **kwargs) -> TargetSummary | None:
    """Target against outcome per step, for a cadenced target; None otherwise."""
    if indicator.target is None or indicator.target_cadence == Cadence.PERIOD:
        return None
    return TargetSummary(indicator, target_steps(indicator, **kwargs))


def indicator_chart(indicator: Indicator, *, today: date | None = None):
    """The indicator's SVG chart: its measurements, or with a cadenced target its steps'
    outcomes against the target of each step. Uses prefetched measurements."""
    summary = target_summary(indicator, today=today)
    title = f"{indicator.name} ({indicator.unit})"
    chart_id = f"indicator-{indicator.pk}-chart"
    if summary is None:
        return indicator_chart_svg(
            chart_id=chart_id,
            title=title,
            unit=indicator.unit,
            points=[(m.measured_on, m.value) for m in indicator.measurements.all()],
            baseline=indicator.baseline,
            target=indicator.target,
        )
    return indicator_chart_svg(
        chart_id=chart_id,
        title=title,
        unit=indicator.unit,
        points=[(step.ends_on, step.outcome) for step in summary.steps if step.outcome is not None],
        baseline=indicator.baseline,
        target_steps=[(step.starts_on, step.ends_on, step.target) for step in summary.steps],
        target_label=summary.target_text,
    )
