"""Targets with a cadence: the target of each step of a period against its outcome.

An indicator's target holds for each step of its cadence ("minst 20
fotpatruller per år"), or once for the whole period. With a cadence, the
measurements are counts of what was done: a step's outcome is the sum of the
measurements dated within it. Steps follow the calendar (ISO weeks, months,
quarters, tertials January–April, May–August and September–December, half
years, years), cut to the period at its ends; a cut step keeps the full target.

A step is met when its outcome reaches the target (higher is better) or stays
within it (lower is better); a step still running is undecided unless its
outcome already decides it.
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
    outcome: Decimal
    met: bool | None  # None: still running (or not begun) and not decided yet

    @property
    def outcome_text(self) -> str:
        return format_number(self.outcome)


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
    def shown_steps(self) -> list[TargetStep]:
        return self.steps[-SUMMARY_STEPS:]

    @property
    def hidden_step_count(self) -> int:
        return max(0, len(self.steps) - SUMMARY_STEPS)

    def __str__(self) -> str:
        """ "Minst 20 fotpatruller per år — 2021: 23 ✔, 2022: 17 ✘"."""
        marks = {True: " ✔", False: " ✘", None: ""}
        steps = ", ".join(
            f"{step.label}: {format_number(step.outcome)}{marks[step.met]}"
            for step in self.shown_steps
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


def _met(indicator: Indicator, outcome: Decimal, target: Decimal, over: bool) -> bool | None:
    if indicator.direction == Indicator.Direction.LOWER_IS_BETTER:
        if outcome > target:
            return False
        return True if over else None
    if outcome >= target:
        return True
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
    dated = [(m.measured_on, m.value) for m in measurements]
    steps = []
    for first, last, label in step_bounds(
        period.starts_on, period.ends_on, indicator.target_cadence
    ):
        if first > today:
            break
        outcome = sum((value for day, value in dated if first <= day <= last), Decimal(0))
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
        points=[(step.ends_on, step.outcome) for step in summary.steps],
        baseline=indicator.baseline,
        target_steps=[(step.starts_on, step.ends_on, step.target) for step in summary.steps],
        target_label=summary.target_text,
    )
