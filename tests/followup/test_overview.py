"""The national overview's rules (followup/overview.py): current period, progress,
last follow-up, the overdue rule, filters, search, sorting and the query count."""

import datetime

import pytest
from django.core.management import call_command

from activities.models import ProgressUpdate
from demo.scene import seed_scale
from followup.models import Council
from followup.overview import (
    GRACE_DAYS,
    Sort,
    current_periods,
    follow_up_due,
    is_overdue,
    national_overview,
    swedish_sort_key,
)
from promises.models import County, Municipality
from tests.activities.factories import ActivityFactory, ProgressUpdateFactory
from tests.followup.factories import CouncilFactory, MeetingFactory
from tests.promises.factories import MunicipalityFactory, PeriodFactory, PromiseFactory

D = datetime.date
Cadence = Council.FollowUpCadence
TODAY = D(2026, 6, 1)
PERIOD_START = D(2025, 1, 1)
PERIOD_END = D(2026, 12, 31)


def due(cadence, last=None, meeting_cadence="", starts_on=PERIOD_START, ends_on=PERIOD_END):
    return follow_up_due(
        follow_up_cadence=cadence,
        meeting_cadence=meeting_cadence,
        starts_on=starts_on,
        ends_on=ends_on,
        last_follow_up=last,
    )


class TestTheOverdueRule:
    def test_the_next_follow_up_is_due_one_interval_after_the_last(self):
        assert due(Cadence.QUARTER, last=D(2026, 1, 10)) == D(2026, 1, 10) + datetime.timedelta(92)
        assert due(Cadence.YEAR, last=D(2026, 1, 10)) == D(2027, 1, 11)

    def test_without_a_follow_up_it_is_due_one_interval_after_the_period_began(self):
        assert due(Cadence.TERTIAL) == D(2025, 1, 1) + datetime.timedelta(123)

    def test_at_every_meeting_reads_how_often_the_council_meets(self):
        assert due(Cadence.EVERY_MEETING, D(2026, 1, 1), Council.MeetingCadence.MONTH) == D(
            2026, 2, 1
        )
        assert due(Cadence.EVERY_MEETING, D(2026, 1, 1), meeting_cadence="") is None

    def test_at_the_end_of_the_period_is_due_on_its_last_day(self):
        assert due(Cadence.END_OF_PERIOD, last=D(2025, 6, 1)) == D(2026, 12, 31)

    def test_nothing_is_due_after_a_follow_up_at_or_after_the_periods_end(self):
        assert due(Cadence.QUARTER, last=D(2026, 12, 31)) is None
        assert due(Cadence.END_OF_PERIOD, last=D(2027, 1, 15)) is None

    def test_an_unknown_cadence_is_never_due(self):
        assert due(Cadence.UNKNOWN) is None
        assert not is_overdue(None, TODAY)

    def test_overdue_only_after_the_grace_days(self):
        deadline = D(2026, 3, 1)
        assert not is_overdue(deadline, deadline + datetime.timedelta(GRACE_DAYS))
        assert is_overdue(deadline, deadline + datetime.timedelta(GRACE_DAYS + 1))


def municipality(
    name: str,
    *,
    county: County | None = None,
    cadence: str = Cadence.QUARTER,
    meetings: tuple = (),
    promises: int = 2,
    starts_on: D = PERIOD_START,
    ends_on: D = PERIOD_END,
    council: bool = True,
) -> Municipality:
    place = MunicipalityFactory(name=name, county=county)
    period = PeriodFactory(municipality=place, starts_on=starts_on, ends_on=ends_on)
    if council:
        CouncilFactory(municipality=place, follow_up_cadence=cadence)
    for _ in range(promises):
        PromiseFactory(period=period)
    for date in meetings:
        MeetingFactory(period=period, date=date, is_published=True)
    return place


@pytest.fixture
def counties(db):
    return {
        "22": County.objects.create(code="22", name="Västernorrlands län"),
        "23": County.objects.create(code="23", name="Jämtlands län"),
    }


def by_name(rows) -> dict:
    return {row.municipality.name: row for row in rows}


@pytest.mark.django_db
class TestNationalOverview:
    def test_a_council_that_follows_up_on_time_is_not_flagged(self, counties):
        municipality("Timrå", meetings=(D(2026, 4, 1),))
        row = by_name(national_overview(today=TODAY))["Timrå"]
        assert row.last_follow_up == D(2026, 4, 1)
        assert row.due == D(2026, 7, 2)
        assert row.overdue is False

    def test_a_council_past_its_cadence_and_the_grace_is_flagged(self, counties):
        municipality("Sundsvall", meetings=(D(2025, 9, 1), D(2025, 12, 1)))
        row = by_name(national_overview(today=TODAY))["Sundsvall"]
        assert row.last_follow_up == D(2025, 12, 1)
        assert row.overdue is True

    def test_a_council_that_never_followed_up_is_flagged_once_an_interval_and_the_grace_passed(
        self, counties
    ):
        municipality("Ånge", starts_on=D(2026, 1, 1), cadence=Cadence.QUARTER)
        municipality("Härnösand", starts_on=D(2026, 4, 1), cadence=Cadence.QUARTER)
        rows = by_name(national_overview(today=TODAY))
        assert rows["Ånge"].last_follow_up is None and rows["Ånge"].overdue is True
        assert rows["Härnösand"].overdue is False

    def test_unpublished_planned_or_other_periods_meetings_are_not_follow_ups(self, counties):
        place = municipality("Kramfors", meetings=(D(2026, 3, 1),))
        period = place.periods.get()
        MeetingFactory(period=period, date=D(2026, 5, 1), is_published=False)
        MeetingFactory(period=period, date=D(2026, 7, 1), is_published=True)  # after today
        older = PeriodFactory(municipality=place, starts_on=D(2023, 1, 1), ends_on=D(2024, 12, 31))
        MeetingFactory(period=older, date=D(2026, 5, 20), is_published=True)
        assert by_name(national_overview(today=TODAY))["Kramfors"].last_follow_up == D(2026, 3, 1)

    def test_without_a_council_or_cadence_nothing_is_flagged(self, counties):
        municipality("Sollefteå", council=False, starts_on=D(2020, 1, 1))
        municipality("Örnsköldsvik", cadence=Cadence.UNKNOWN, starts_on=D(2020, 1, 1))
        rows = by_name(national_overview(today=TODAY))
        assert not rows["Sollefteå"].overdue and not rows["Örnsköldsvik"].overdue

    def test_progress_and_promise_count_are_the_period_roll_up(self, counties):
        place = municipality("Timrå", promises=0)
        period = place.periods.get()
        for percent in (20, 60):
            promise = PromiseFactory(period=period)
            activity = ActivityFactory(promise=promise)
            ProgressUpdateFactory(
                activity=activity,
                percent_complete=percent,
                status=ProgressUpdate.Status.IN_PROGRESS,
                reported_on=D(2026, 5, 1),
            )
        expected = current_periods(TODAY).get(pk=period.pk)
        row = by_name(national_overview(today=TODAY))["Timrå"]
        assert row.promise_count == 2 == expected.promise_count
        assert row.progress == pytest.approx(40.0) == pytest.approx(expected.progress)

    def test_the_current_period_is_the_one_in_force_as_on_the_start_page(self, counties):
        place = municipality("Timrå", promises=1, starts_on=D(2026, 1, 1))
        PeriodFactory(municipality=place, starts_on=D(2023, 1, 1), ends_on=D(2024, 12, 31))
        PeriodFactory(
            municipality=place, starts_on=D(2026, 3, 1), ends_on=D(2027, 1, 1), is_published=False
        )
        row = by_name(national_overview(today=TODAY))["Timrå"]
        assert row.period.starts_on == D(2026, 1, 1)

    def test_municipalities_without_a_published_period_are_listed_without_promises(self, counties):
        municipality("Timrå")
        MunicipalityFactory(name="Ragunda", county=counties["23"])
        hidden = MunicipalityFactory(name="Bräcke", county=counties["23"])
        PeriodFactory(municipality=hidden, is_published=False)
        rows = by_name(national_overview(today=TODAY))
        assert rows["Timrå"].has_promises
        for name in ("Ragunda", "Bräcke"):
            assert not rows[name].has_promises
            assert rows[name].promise_count == 0 and rows[name].progress is None
            assert not rows[name].overdue

    def test_filters_by_county_those_without_promises_too(self, counties):
        municipality("Timrå", county=counties["22"])
        municipality("Östersund", county=counties["23"])
        MunicipalityFactory(name="Ragunda", county=counties["23"])
        MunicipalityFactory(name="Demokommun", county=None)
        names = [row.municipality.name for row in national_overview(county="23", today=TODAY)]
        assert names == ["Ragunda", "Östersund"]
        assert national_overview(county="99", today=TODAY) == []

    def test_searches_the_name_in_any_case_swedish_letters_too(self, counties):
        municipality("Örnsköldsvik")
        MunicipalityFactory(name="Östersund")
        municipality("Timrå")
        assert [r.municipality.name for r in national_overview(search="ÖRN", today=TODAY)] == [
            "Örnsköldsvik"
        ]
        assert [r.municipality.name for r in national_overview(search=" rå ", today=TODAY)] == [
            "Timrå"
        ]

    def test_sorts_by_name_in_swedish_order(self, counties):
        for name in ("Örebro", "Ale", "Åre", "Älvdalen", "Eda", "Zinkgruvan"):
            MunicipalityFactory(name=name)
        names = [row.municipality.name for row in national_overview(today=TODAY)]
        assert names == ["Ale", "Eda", "Zinkgruvan", "Åre", "Älvdalen", "Örebro"]
        assert swedish_sort_key("Å") > swedish_sort_key("Z")

    def test_sorts_by_progress_highest_first_those_without_promises_last(self, counties):
        for name, percent in (("Låg", 10), ("Hög", 90), ("Mitten", 50)):
            period = municipality(name, promises=0).periods.get()
            ProgressUpdateFactory(
                activity=ActivityFactory(promise=PromiseFactory(period=period)),
                percent_complete=percent,
                status=ProgressUpdate.Status.IN_PROGRESS,
                reported_on=D(2026, 5, 1),
            )
        MunicipalityFactory(name="Aneby")
        names = [r.municipality.name for r in national_overview(sort=Sort.PROGRESS, today=TODAY)]
        assert names == ["Hög", "Mitten", "Låg", "Aneby"]

    def test_sorts_by_last_follow_up_newest_first_never_followed_up_last(self, counties):
        municipality("Gammal", meetings=(D(2025, 6, 1),))
        municipality("Ny", meetings=(D(2026, 5, 1),))
        municipality("Öje")  # never followed up
        MunicipalityFactory(name="Aneby")  # no promises in the portal
        rows = national_overview(sort=Sort.LAST_FOLLOW_UP, today=TODAY)
        assert [r.municipality.name for r in rows] == ["Ny", "Gammal", "Öje", "Aneby"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_overview_of_every_municipality_costs_two_queries(size, django_assert_num_queries):
    call_command("load_municipalities", verbosity=0)
    seed_scale(size)
    with django_assert_num_queries(2):
        rows = national_overview()
    assert len(rows) == 290 + size
    assert sum(row.has_promises for row in rows) == size
