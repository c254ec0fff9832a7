import datetime

import pytest

from activities.models import Activity
from followup.models import Meeting
from promises.models import Municipality, Period, Promise
from tests.activities.factories import ActivityFactory
from tests.followup.factories import MeetingFactory
from tests.promises.factories import OrganisationFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db


def test_published_promises_exclude_those_of_draft_periods():
    published = PromiseFactory(period=PeriodFactory(is_published=True))
    PromiseFactory(period=PeriodFactory(is_published=False))

    assert list(Promise.objects.published()) == [published]


def test_published_municipalities_are_those_with_a_published_period():
    shown = PeriodFactory(is_published=True).municipality
    PeriodFactory(is_published=True, municipality=shown)
    PeriodFactory(is_published=False)

    assert list(Municipality.objects.published()) == [shown]


def test_current_first_puts_the_period_in_force_before_later_and_earlier_ones():
    municipality = PeriodFactory().municipality
    Period.objects.all().delete()
    earlier = PeriodFactory(
        municipality=municipality,
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )
    in_force = PeriodFactory(
        municipality=municipality,
        starts_on=datetime.date(2023, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
    )
    later = PeriodFactory(
        municipality=municipality,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )

    ordered = list(Period.objects.current_first(today=datetime.date(2024, 5, 1)))

    assert ordered == [in_force, later, earlier]


def test_activities_for_an_organisation_include_led_and_shared_ones_once():
    police = OrganisationFactory()
    led = ActivityFactory(lead_organisation=police, other_organisations=[police])
    shared = ActivityFactory(other_organisations=[police, OrganisationFactory()])
    ActivityFactory()

    assert set(Activity.objects.for_organisation(police)) == {led, shared}
    assert Activity.objects.for_organisation(police).count() == 2


def test_published_meetings_need_a_published_meeting_in_a_published_period():
    shown = MeetingFactory(is_published=True)
    MeetingFactory(is_published=False)
    MeetingFactory(is_published=True, period=PeriodFactory(is_published=False))

    assert list(Meeting.objects.published()) == [shown]


def test_upcoming_meetings_are_after_today_soonest_first():
    today = datetime.date(2026, 5, 1)
    later = MeetingFactory(date=datetime.date(2026, 9, 1))
    sooner = MeetingFactory(date=datetime.date(2026, 6, 1))
    MeetingFactory(date=today)

    assert list(Meeting.objects.upcoming(today=today)) == [sooner, later]
    assert Meeting.objects.held(today=today).count() == 1
