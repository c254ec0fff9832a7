"""A published period with everything the public pages show, at a chosen size."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from activities.models import ProgressUpdate
from followup.models import FollowUp, Meeting
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.followup.factories import CouncilFactory, FollowUpFactory, MeetingFactory
from tests.promises.factories import (
    FocusAreaFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PeriodFactory,
    PoliceFactory,
    PromiseFactory,
)


@dataclass
class PublicData:
    municipality: Municipality
    period: Period
    focus_areas: list[FocusArea]
    promises: list[Promise]
    police: Organisation
    kommun: Organisation
    meetings: list[Meeting]
    planned_meeting: Meeting


def build_public_period(promise_count: int, slug: str = "timra") -> PublicData:
    """``promise_count`` promises, each with activities, updates, indicators and follow-ups."""
    today = timezone.localdate()
    municipality = MunicipalityFactory(name=slug.capitalize(), slug=slug)
    council = CouncilFactory(municipality=municipality)
    period = PeriodFactory(
        municipality=municipality,
        slug="2025-2026",
        starts_on=today - datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=365),
    )
    police = PoliceFactory()
    kommun = OrganisationFactory(name=f"{municipality.name} kommun")
    partner = OrganisationFactory(name=f"Fastighetsbolaget {slug}")
    focus_areas = [FocusAreaFactory(period=period) for _ in range(3)]
    meetings = [
        MeetingFactory(
            council=council,
            period=period,
            date=today - datetime.timedelta(days=days_ago),
            is_published=True,
        )
        for days_ago in (120, 30)
    ]
    planned_meeting = MeetingFactory(
        council=council,
        period=period,
        date=today + datetime.timedelta(days=20),
        is_published=False,
    )
    promises = []
    for index in range(promise_count):
        promise = PromiseFactory(
            period=period,
            organisations=[police, kommun],
            focus_areas=[focus_areas[index % 3], focus_areas[(index + 1) % 3]],
        )
        promises.append(promise)
        activities = [
            ActivityFactory(
                promise=promise,
                lead_organisation=police if number == 0 else kommun,
                other_organisations=[partner],
                planned_end=today - datetime.timedelta(days=10) if number == 0 else None,
            )
            for number in range(2)
        ]
        for activity in activities:
            for days_ago, percent in ((60, 20), (5, 60)):
                ProgressUpdateFactory(
                    activity=activity,
                    reported_on=today - datetime.timedelta(days=days_ago),
                    percent_complete=percent,
                    status=ProgressUpdate.Status.IN_PROGRESS,
                )
        for owner in (
            # The promise's own indicator has a target per quarter (drawn per step).
            {"promise": promise, "activity": None, "target_cadence": "quarter"},
            {"activity": activities[1]},
        ):
            indicator = IndicatorFactory(**owner)
            for days_ago, value in ((200, 2), (100, 8), (10, 14)):
                MeasurementFactory(
                    indicator=indicator,
                    measured_on=today - datetime.timedelta(days=days_ago),
                    value=value,
                )
        for meeting in meetings:
            FollowUpFactory(meeting=meeting, promise=promise)
            FollowUpFactory(
                meeting=meeting,
                promise=promise,
                activity=activities[0],
                assessment=FollowUp.Assessment.DEVIATION,
                comment="Aktiviteten är försenad.",
            )
    return PublicData(
        municipality=municipality,
        period=period,
        focus_areas=focus_areas,
        promises=promises,
        police=police,
        kommun=kommun,
        meetings=meetings,
        planned_meeting=planned_meeting,
    )
