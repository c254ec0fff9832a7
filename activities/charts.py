"""Indicator charts drawn on the server as SVG: no JavaScript, no external requests.

The chart is a picture with a text alternative (``<title>`` and ``<desc>``); the
page always shows the same measurements as a data table next to it. Baseline and
target are told apart by line pattern and a text label, never by colour alone.
"""

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Drawn small and scaled by CSS: at 480 units wide the 18-unit text stays readable
# on a 360 px phone and is not oversized on a desktop.
WIDTH = 480
HEIGHT = 270
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 34
TICKS = 4

Number = Decimal | int | float


def format_number(value: Number) -> str:
    """A number as residents write it: no needless decimals, Swedish decimal comma."""
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return formats.number_format(int(value), use_l10n=True)
    return formats.number_format(value.normalize(), use_l10n=True)


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about TICKS gridlines."""
    raw = span / TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _scale(low: float, high: float, out_low: float, out_high: float):
    span = (high - low) or 1.0

    def scale(value: float) -> float:
        return out_low + (value - low) / span * (out_high - out_low)

    return scale


def indicator_chart_svg(
    *,
    chart_id: str,
    title: str,
    unit: str,
    points: Sequence[tuple[date, Number]],
    baseline: Number | None = None,
    target: Number | None = None,
    target_steps: Sequence[tuple[date, date, Number]] = (),
    target_label: str = "",
) -> SafeString:
    """An SVG line chart of ``points`` (date, value) with baseline and target lines.

    With ``target_steps`` (first day, last day, target) the target is drawn for
    each step of its cadence instead of as one line, labelled ``target_label``
    ("Mål 20 per år"); the points are then the steps' outcomes.
    Returns an empty string when there are no points: the page then says so in text.
    Every piece of text is escaped, so staff-written names cannot inject markup.
    """
    if not points:
        return mark_safe("")  # noqa: S308 - a constant empty string
    points = sorted(points, key=lambda point: point[0])
    target_steps = sorted(target_steps, key=lambda step: step[0])
    if target_steps:
        target = None
    values = [float(value) for _day, value in points]
    references = [float(v) for v in (baseline, target) if v is not None]
    references += [float(step_target) for _first, _last, step_target in target_steps]
    low = min([0.0, *values, *references])
    high = max([*values, *references])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    ticks = [low + step * index for index in range(round((high - low) / step) + 1)]

    plot_right = WIDTH - RIGHT
    plot_bottom = HEIGHT - BOTTOM
    y = _scale(low, high, plot_bottom, TOP)
    first_day, last_day = points[0][0], points[-1][0]
    if target_steps:
        first_day = min(first_day, target_steps[0][0])
        last_day = max(last_day, target_steps[-1][1])
    days = (last_day - first_day).days
    if days:
        x = _scale(0, days, LEFT, plot_right)

        def x_of(day: date) -> float:
            return x((day - first_day).days)
    else:

        def x_of(day: date) -> float:
            return (LEFT + plot_right) / 2

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    latest_day, latest_value = points[-1]
    description = _(
        "%(count)s mätvärden från %(first)s till %(last)s. Senaste värdet är %(value)s %(unit)s."
    ) % {
        "count": len(points),
        "first": points[0][0].isoformat(),
        "last": latest_day.isoformat(),
        "value": format_number(latest_value),
        "unit": unit,
    }
    if baseline is not None:
        description += " " + _("Utgångsvärde: %(value)s.") % {"value": format_number(baseline)}
    if target is not None:
        description += " " + _("Målvärde: %(value)s.") % {"value": format_number(target)}
    if target_steps:
        description += " " + _("Mål: %(target)s.") % {"target": target_label}

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{escape(title_id)} {escape(desc_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]
    # Value axis with gridlines.
    for value in ticks:
        ty = y(value)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{plot_right}" '
            f'y1="{ty:.1f}" y2="{ty:.1f}"/>'
            f'<text class="chart-axis" x="{LEFT - 6}" y="{ty + 6:.1f}" text-anchor="end">'
            f"{escape(format_number(Decimal(str(round(value, 6)))))}</text>"
        )
    parts.append(
        f'<line class="chart-axis-line" x1="{LEFT}" x2="{plot_right}" '
        f'y1="{plot_bottom}" y2="{plot_bottom}"/>'
    )
    # Reference lines, labelled in text above their right end.
    for css_class, label, value in (
        ("chart-baseline", _("Utgångsvärde"), baseline),
        ("chart-target", _("Mål"), target),
    ):
        if value is None:
            continue
        ry = y(float(value))
        parts.append(
            f'<line class="{css_class}" x1="{LEFT}" x2="{plot_right}" '
            f'y1="{ry:.1f}" y2="{ry:.1f}"/>'
            f'<text class="chart-label" x="{plot_right - 4}" y="{ry - 6:.1f}" text-anchor="end">'
            f"{escape(label)} {escape(format_number(value))}</text>"
        )
    # A target per cadence step: one segment per step, labelled once at the last.
    for first, last, step_target in target_steps:
        ry = y(float(step_target))
        parts.append(
            f'<line class="chart-target chart-target-step" x1="{x_of(first):.1f}" '
            f'x2="{x_of(last):.1f}" y1="{ry:.1f}" y2="{ry:.1f}"/>'
        )
    if target_steps:
        ry = y(float(target_steps[-1][2]))
        parts.append(
            f'<text class="chart-label" x="{plot_right - 4}" y="{ry - 6:.1f}" text-anchor="end">'
            f"{escape(target_label)}</text>"
        )
    # The measurements.
    coordinates = [(x_of(day), y(float(value))) for day, value in points]
    if len(coordinates) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coordinates)
        parts.append(f'<polyline class="chart-line" points="{path}"/>')
    parts.extend(
        f'<circle class="chart-point" cx="{cx:.1f}" cy="{cy:.1f}" r="4"/>' for cx, cy in coordinates
    )
    # Date axis: first and last measurement.
    parts.append(
        f'<text class="chart-axis" x="{LEFT}" y="{HEIGHT - 8}" text-anchor="start">'
        f"{escape(first_day.isoformat())}</text>"
    )
    if days:
        parts.append(
            f'<text class="chart-axis" x="{plot_right}" y="{HEIGHT - 8}" text-anchor="end">'
            f"{escape(last_day.isoformat())}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
