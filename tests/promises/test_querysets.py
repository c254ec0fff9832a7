import datetime

import pytest
from django.db.models import Exists, OuterRef

from activities.models import Activity, Indicator, Measurement
from followup.models import FollowUp, Meeting
from promises.models import Municipality, Organisation, Period, Promise
from tests.activities.factories import ActivityFactory, IndicatorFactory, MeasurementFactory
from tests.followup.factories import FollowUpFactory, MeetingFactory
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


def test_one_activity_and_the_queryset_agree_on_who_leads_or_shares_it():
    """The "led or shared" rule has a query form and a per-object form; they are one rule."""
    organisations = OrganisationFactory.create_batch(3)
    first, second, third = organisations
    activities = [
        ActivityFactory(lead_organisation=first),
        ActivityFactory(lead_organisation=first, other_organisations=[first, second]),
        ActivityFactory(lead_organisation=second, other_organisations=[third]),
        ActivityFactory(),
    ]

    for organisation in organisations:
        by_query = set(Activity.objects.for_organisation(organisation))
        by_object = {
            activity
            for activity in Activity.objects.filter(pk__in=[a.pk for a in activities])
            if organisation.pk in activity.responsible_organisation_ids
        }
        assert by_object == by_query, organisation


def test_published_meetings_need_a_published_meeting_in_a_published_period():
    shown = MeetingFactory(is_published=True)
    MeetingFactory(is_published=False)
    MeetingFactory(is_published=True, period=PeriodFactory(is_published=False))

    assert list(Meeting.objects.published()) == [shown]


def test_planned_meetings_are_after_today_in_a_published_period_published_or_not():
    today = datetime.date(2026, 5, 1)
    later = MeetingFactory(date=datetime.date(2026, 9, 1), is_published=True)
    sooner = MeetingFactory(date=datetime.date(2026, 6, 1), is_published=False)
    MeetingFactory(date=today, is_published=False)
    MeetingFactory(date=datetime.date(2026, 6, 1), period=PeriodFactory(is_published=False))

    assert set(Meeting.objects.planned(today=today)) == {sooner, later}
    assert Meeting.objects.held(today=today).count() == 1


def test_activities_of_any_of_several_organisations_are_listed_once():
    police, kommun = OrganisationFactory(), OrganisationFactory()
    both = ActivityFactory(lead_organisation=police, other_organisations=[kommun])
    shared = ActivityFactory(other_organisations=[kommun])
    ActivityFactory()

    either = Organisation.objects.filter(pk__in=[police.pk, kommun.pk])
    found = Activity.objects.for_organisation(either)

    assert sorted(activity.pk for activity in found) == sorted([both.pk, shared.pk])


def test_organisations_responsible_for_an_activity_are_found_through_an_outer_reference():
    lead, sharing, bystander = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    ActivityFactory(lead_organisation=lead, other_organisations=[sharing])

    responsible = Organisation.objects.filter(
        Exists(Activity.objects.for_organisation(OuterRef("pk")))
    )

    assert set(responsible) == {lead, sharing}
    assert bystander not in responsible


def test_published_measurements_are_those_of_published_indicators():
    shown_on_promise = MeasurementFactory(
        indicator=IndicatorFactory(
            activity=None, promise=PromiseFactory(period=PeriodFactory(is_published=True))
        )
    )
    shown_on_activity = MeasurementFactory(
        indicator=IndicatorFactory(
            promise=None,
            activity=ActivityFactory(
                promise=PromiseFactory(period=PeriodFactory(is_published=True))
            ),
        )
    )
    MeasurementFactory(
        indicator=IndicatorFactory(
            activity=None, promise=PromiseFactory(period=PeriodFactory(is_published=False))
        )
    )

    assert set(Measurement.objects.published()) == {shown_on_promise, shown_on_activity}
    assert set(Measurement.objects.published()) == set(
        Measurement.objects.filter(indicator__in=Indicator.objects.published())
    )


def test_published_follow_ups_are_those_in_published_minutes():
    period = PeriodFactory(is_published=True)
    promise = PromiseFactory(period=period)
    meeting = MeetingFactory(period=period, is_published=True)
    shown = FollowUpFactory(meeting=meeting, promise=promise)
    FollowUpFactory(meeting=MeetingFactory(period=period, is_published=False), promise=promise)
    draft = PeriodFactory(is_published=False)
    FollowUpFactory(
        meeting=MeetingFactory(period=draft, is_published=True),
        promise=PromiseFactory(period=draft),
    )

    assert list(FollowUp.objects.published()) == [shown]
