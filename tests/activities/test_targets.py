"""Targets with a cadence: a target per week … year or for the whole period, met or not per step."""

from datetime import date
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.permissions import SYSTEM
from activities.models import Indicator
from activities.services import indicator_save
from activities.targets import (
    indicator_chart,
    step_bounds,
    step_outcome,
    target_steps,
    target_summary,
)
from tests.activities.factories import IndicatorFactory, MeasurementFactory
from tests.followup.factories import CouncilFactory
from tests.promises.factories import PeriodFactory, PromiseFactory

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("cadence", "starts_on", "ends_on", "expected"),
    [
        ("year", date(2021, 1, 1), date(2022, 12, 31), ["2021", "2022"]),
        ("tertial", date(2021, 3, 1), date(2021, 12, 31), ["2021 T1", "2021 T2", "2021 T3"]),
        ("quarter", date(2021, 1, 1), date(2021, 6, 30), ["2021 K1", "2021 K2"]),
        ("half_year", date(2021, 5, 1), date(2022, 2, 28), ["2021 H1", "2021 H2", "2022 H1"]),
        ("month", date(2021, 11, 15), date(2022, 1, 10), ["2021-11", "2021-12", "2022-01"]),
        ("week", date(2021, 12, 29), date(2022, 1, 10), ["v. 52 2021", "v. 1 2022", "v. 2 2022"]),
        ("period", date(2021, 1, 1), date(2022, 12, 31), ["hela perioden"]),
    ],
)
def test_steps_follow_the_calendar_and_are_cut_to_the_period(cadence, starts_on, ends_on, expected):
    steps = step_bounds(starts_on, ends_on, cadence)

    assert [label for _first, _last, label in steps] == expected
    assert steps[0][0] == starts_on and steps[-1][1] == ends_on
    for (_first, last, _label), (following, _last, _next) in zip(steps, steps[1:], strict=False):
        assert (following - last).days == 1  # no gap, no overlap


@pytest.fixture
def foot_patrols(db):
    period = PeriodFactory(starts_on=date(2021, 1, 1), ends_on=date(2022, 12, 31))
    indicator = IndicatorFactory(
        activity=None,
        promise=PromiseFactory(period=period),
        name="Fotpatruller",
        unit="fotpatruller",
        target=20,
        target_cadence="year",
    )
    for day, value in ((date(2021, 3, 1), 10), (date(2021, 9, 1), 13), (date(2022, 5, 1), 17)):
        MeasurementFactory(indicator=indicator, measured_on=day, value=value)
    return indicator


def test_each_step_sums_its_measurements_and_is_met_or_not(foot_patrols):
    summary = target_summary(foot_patrols, today=date(2023, 2, 1))

    assert str(summary) == "Minst 20 fotpatruller per år — 2021: 23 ✔, 2022: 17 ✘"
    assert [(s.target, s.outcome) for s in summary.steps] == [
        (Decimal("20.00"), Decimal("23.00")),
        (Decimal("20.00"), Decimal("17.00")),
    ]


def test_a_running_step_is_undecided_until_it_is_met_and_future_steps_are_not_shown(foot_patrols):
    assert str(target_summary(foot_patrols, today=date(2022, 6, 1))) == (
        "Minst 20 fotpatruller per år — 2021: 23 ✔, 2022: 17"
    )
    assert [s.met for s in target_steps(foot_patrols, today=date(2022, 6, 1))] == [True, None]
    assert [s.label for s in target_steps(foot_patrols, today=date(2021, 6, 1))] == ["2021"]
    MeasurementFactory(indicator=foot_patrols, measured_on=date(2022, 5, 20), value=3)
    assert [s.met for s in target_steps(foot_patrols, today=date(2022, 6, 1))] == [True, True]


def test_a_lower_is_better_target_fails_as_soon_as_it_is_passed(db):
    period = PeriodFactory(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    indicator = IndicatorFactory(
        activity=None,
        promise=PromiseFactory(period=period),
        unit="inbrott",
        target=5,
        target_cadence="quarter",
        direction=Indicator.Direction.LOWER_IS_BETTER,
    )
    MeasurementFactory(indicator=indicator, measured_on=date(2025, 1, 20), value=2)
    MeasurementFactory(indicator=indicator, measured_on=date(2025, 4, 20), value=7)

    summary = target_summary(indicator, today=date(2025, 5, 1))

    assert str(summary) == "Högst 5 inbrott per kvartal — 2025 K1: 2 ✔, 2025 K2: 7 ✘"


def test_a_target_for_the_whole_period_has_no_steps_to_list(foot_patrols):
    foot_patrols.target_cadence = "period"

    assert target_summary(foot_patrols) is None


def test_the_chart_draws_the_target_of_each_step_and_the_steps_outcomes(foot_patrols):
    svg = indicator_chart(foot_patrols, today=date(2023, 2, 1))

    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    steps = root.findall(f"{SVG}line[@class='chart-target chart-target-step']")
    assert len(steps) == 2
    assert len({step.get("y1") for step in steps}) == 1  # the same target each year
    assert float(steps[0].get("x2")) < float(steps[1].get("x1"))
    assert len(root.findall(f"{SVG}circle")) == 2  # one outcome per step
    assert "Minst 20 fotpatruller per år" in svg
    assert root.find(f"{SVG}line[@class='chart-target']") is None  # no single target line


@pytest.mark.django_db
class TestValidation:
    def indicator(self, **fields) -> Indicator:
        period = PeriodFactory(starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 30))
        return Indicator(
            promise=PromiseFactory(period=period), name="Kontroller", unit="antal", **fields
        )

    def test_a_cadence_needs_a_target(self):
        with pytest.raises(ValidationError) as error:
            indicator_save(user=SYSTEM, indicator=self.indicator(target_cadence="month"))

        assert error.value.message_dict == {"target": ["Ange målvärdet som ska nås per månad."]}

    def test_a_step_longer_than_the_period_is_refused(self):
        with pytest.raises(ValidationError) as error:
            indicator_save(user=SYSTEM, indicator=self.indicator(target=10, target_cadence="year"))

        assert list(error.value.message_dict) == ["target_cadence"]
        assert not Indicator.objects.exists()

    def test_a_fitting_cadence_is_saved(self):
        indicator = indicator_save(
            user=SYSTEM, indicator=self.indicator(target=10, target_cadence="quarter")
        )

        assert Indicator.objects.get().target_cadence == indicator.target_cadence == "quarter"


def test_the_public_promise_page_shows_target_against_outcome_per_step(client, foot_patrols):
    period = foot_patrols.promise.period
    period.is_published = True
    period.save()

    html = client.get(foot_patrols.promise.get_absolute_url()).content.decode()

    assert "<strong>Minst 20 fotpatruller per år</strong> — 2021: 23" in html
    assert '2021: 23 <span aria-hidden="true">✔</span>' in html
    assert '2022: 17 <span aria-hidden="true">✘</span>' in html
    assert "chart-target-step" in html


def test_the_secretarys_follow_up_rows_show_the_same_steps(client, secretary, timra):
    period = PeriodFactory(
        municipality=timra, starts_on=date(2021, 1, 1), ends_on=date(2022, 12, 31)
    )
    CouncilFactory(municipality=timra)
    indicator = IndicatorFactory(
        activity=None,
        promise=PromiseFactory(period=period, title="Fler fotpatruller"),
        unit="fotpatruller",
        target=20,
        target_cadence="year",
    )
    MeasurementFactory(indicator=indicator, measured_on=date(2021, 5, 1), value=23)
    client.force_login(secretary)

    html = client.get(reverse("admin:followup_meeting_add"), {"period": period.pk}).text

    assert "<strong>Minst 20 fotpatruller per år</strong> — 2021: 23" in html
    assert '2022: 0 <span aria-hidden="true">✘</span>' in html


# --- How a step's measurements make its outcome: a sum of counts, or a level's latest value --


@pytest.fixture
def feeling_safe(db):
    """A level: the share of residents who feel safe, measured by surveys, at least 62 % a year."""
    period = PeriodFactory(starts_on=date(2021, 1, 1), ends_on=date(2023, 12, 31))
    return IndicatorFactory(
        activity=None,
        promise=PromiseFactory(period=period),
        name="Andel som känner sig trygga",
        unit="%",
        target=62,
        target_cadence="year",
        aggregation=Indicator.Aggregation.LATEST,
    )


def test_a_level_step_is_its_latest_measurement_not_the_sum(feeling_safe):
    for day, value in (
        (date(2021, 3, 1), 55),
        (date(2021, 12, 31), 64),  # the step's last day belongs to it
        (date(2022, 1, 1), 60),  # the next step's first day does not
        (date(2022, 6, 1), 58),
    ):
        MeasurementFactory(indicator=feeling_safe, measured_on=day, value=value)

    summary = target_summary(feeling_safe, today=date(2024, 2, 1))

    assert [s.outcome for s in summary.steps] == [Decimal("64.00"), Decimal("58.00"), None]
    assert [s.met for s in summary.steps] == [True, False, None]
    assert str(summary) == "Minst 62 % per år — 2021: 64 ✔, 2022: 58 ✘, 2023: –"


def test_a_level_measured_twice_on_one_day_takes_the_later_record(feeling_safe):
    MeasurementFactory(indicator=feeling_safe, measured_on=date(2021, 5, 1), value=70)
    MeasurementFactory(indicator=feeling_safe, measured_on=date(2021, 5, 1), value=50)
    MeasurementFactory(indicator=feeling_safe, measured_on=date(2021, 2, 1), value=90)

    [step] = target_steps(feeling_safe, today=date(2021, 12, 1))

    assert step.outcome == Decimal("50.00")


def test_a_running_level_step_stays_undecided_above_or_below_its_target(feeling_safe):
    MeasurementFactory(indicator=feeling_safe, measured_on=date(2021, 3, 1), value=70)
    assert [s.met for s in target_steps(feeling_safe, today=date(2021, 6, 1))] == [None]
    feeling_safe.direction = Indicator.Direction.LOWER_IS_BETTER
    assert [s.met for s in target_steps(feeling_safe, today=date(2021, 6, 1))] == [None]
    assert [s.met for s in target_steps(feeling_safe, today=date(2022, 1, 2))][0] is False


def test_a_counted_step_without_measurements_did_nothing(foot_patrols):
    foot_patrols.measurements.all().delete()

    steps = target_steps(foot_patrols, today=date(2023, 2, 1))

    assert [(s.outcome, s.met) for s in steps] == [(Decimal(0), False), (Decimal(0), False)]


def test_step_outcome_is_the_one_place_that_aggregates(foot_patrols):
    measurements = [(date(2021, 1, 1), 1, Decimal(3)), (date(2021, 2, 1), 2, Decimal(4))]

    assert step_outcome(foot_patrols, measurements) == Decimal(7)
    foot_patrols.aggregation = Indicator.Aggregation.LATEST
    assert step_outcome(foot_patrols, measurements) == Decimal(4)
    assert step_outcome(foot_patrols, []) is None


def test_the_chart_draws_a_levels_outcomes_and_skips_steps_without_one(feeling_safe):
    MeasurementFactory(indicator=feeling_safe, measured_on=date(2021, 3, 1), value=55)
    MeasurementFactory(indicator=feeling_safe, measured_on=date(2021, 9, 1), value=64)
    MeasurementFactory(indicator=feeling_safe, measured_on=date(2023, 9, 1), value=66)

    svg = indicator_chart(feeling_safe, today=date(2024, 2, 1))

    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    assert len(root.findall(f"{SVG}line[@class='chart-target chart-target-step']")) == 3
    assert len(root.findall(f"{SVG}circle")) == 2  # 2021 and 2023; 2022 has no measurement
    assert "Senaste värdet är 66 %" in root.findtext(f"{SVG}desc")
    values = [float(text.text) for text in root.findall(f"{SVG}text[@class='chart-axis']")[:-2]]
    assert max(values) < 119  # the axis fits the levels, not their sum (55 + 64)


def test_the_public_page_and_the_secretarys_rows_show_a_levels_latest_value(
    client, secretary, timra
):
    period = PeriodFactory(
        municipality=timra, starts_on=date(2021, 1, 1), ends_on=date(2022, 12, 31)
    )
    CouncilFactory(municipality=timra)
    indicator = IndicatorFactory(
        activity=None,
        promise=PromiseFactory(period=period, title="Trygga boende"),
        unit="%",
        target=62,
        target_cadence="year",
        aggregation=Indicator.Aggregation.LATEST,
    )
    MeasurementFactory(indicator=indicator, measured_on=date(2021, 3, 1), value=55)
    MeasurementFactory(indicator=indicator, measured_on=date(2021, 10, 1), value=63)
    client.force_login(secretary)

    secretarys = client.get(reverse("admin:followup_meeting_add"), {"period": period.pk}).text
    period.is_published = True
    period.save()
    client.logout()
    public = client.get(indicator.promise.get_absolute_url()).content.decode()

    for html in (secretarys, public):
        assert "<strong>Minst 62 % per år</strong> (senaste mätvärdet i varje steg)" in html
        assert '2021: 63 <span aria-hidden="true">✔</span>' in html
        assert '2022: – <span class="text-muted">(inget mätvärde)</span>' in html
