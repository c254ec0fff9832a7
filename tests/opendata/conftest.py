"""A published period with everything under it, and a draft that must never show."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from followup.models import FollowUp, Meeting
from participation.models import Question
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.participation.factories import QuestionFactory
from tests.promises.factories import (
    FocusAreaFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PeriodFactory,
    PoliceFactory,
    PromiseFactory,
)

SECRET = "HEMLIGT-UTKAST"  # appears in every unpublished text, so leaks are easy to spot


@dataclass
class World:
    municipality: Municipality
    period: Period
    police: Organisation
    kommun: Organisation
    focus_areas: list[FocusArea] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    updates: list[ProgressUpdate] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    meeting: Meeting | None = None
    follow_ups: list[FollowUp] = field(default_factory=list)


def build_period(
    municipality: Municipality,
    police: Organisation,
    kommun: Organisation,
    size: int,
    *,
    is_published: bool = True,
    label: str = "",
) -> World:
    """A period with ``size`` promises, each with activities, updates, indicators and follow-ups."""
    period = PeriodFactory(municipality=municipality, is_published=is_published)
    world = World(municipality=municipality, period=period, police=police, kommun=kommun)
    world.focus_areas = [
        FocusAreaFactory(period=period, name=f"{label}Trygghet i Timrå {i}") for i in range(2)
    ]
    world.meeting = MeetingFactory(
        period=period,
        date=datetime.date(2025, 6, 12),
        start_time=datetime.time(13, 0),
        minutes=f"{label}Rådet gick igenom löftena. Åtgärder för ökad trygghet.",
        published_at=timezone.now(),
    )
    for i in range(size):
        promise = PromiseFactory(
            period=period,
            title=f"{label}Löfte {i} om ökad trygghet i Sörberge",
            organisations=[police, kommun],
            focus_areas=[world.focus_areas[i % 2]],
        )
        world.promises.append(promise)
        late = ActivityFactory(
            promise=promise,
            title=f"{label}Försenad åtgärd {i}",
            lead_organisation=police,
            planned_end=datetime.date(2025, 2, 1),
            weight=2,
        )
        done = ActivityFactory(
            promise=promise,
            title=f"{label}Genomförd åtgärd {i}",
            lead_organisation=kommun,
            other_organisations=[police],
        )
        world.activities += [late, done]
        world.updates += [
            ProgressUpdateFactory(
                activity=late,
                reported_on=datetime.date(2025, 1, 15),
                percent_complete=40,
                text=f"{label}Arbetet pågår; fem kontroller är gjorda.",
            ),
            ProgressUpdateFactory(
                activity=done,
                reported_on=datetime.date(2025, 3, 1),
                status=ProgressUpdate.Status.COMPLETED,
                percent_complete=100,
                text=f"{label}Klart: åtgärden är genomförd.",
            ),
        ]
        promise_indicator = IndicatorFactory(
            promise=promise, activity=None, name=f"{label}Anmälningar {i}", unit="antal"
        )
        activity_indicator = IndicatorFactory(activity=late, name=f"{label}Kontroller {i}")
        world.indicators += [promise_indicator, activity_indicator]
        world.measurements += [
            MeasurementFactory(
                indicator=promise_indicator, measured_on=datetime.date(2025, 3, 31), value="12.5"
            ),
            MeasurementFactory(
                indicator=activity_indicator, measured_on=datetime.date(2025, 4, 30), value=7
            ),
        ]
        world.follow_ups.append(
            FollowUpFactory(
                meeting=world.meeting,
                promise=promise,
                comment=f"{label}Rådet är nöjt med läget.",
                next_steps=f"{label}Fortsätt med kontrollerna.",
            )
        )
        world.follow_ups.append(
            FollowUpFactory(
                meeting=world.meeting,
                promise=promise,
                activity=late,
                assessment=FollowUp.Assessment.DEVIATION,
                comment=f"{label}Aktiviteten är försenad.",
            )
        )
    return world


@dataclass
class Scene:
    """A published world, a draft period and an unpublished meeting of the published period."""

    published: World
    draft: World
    unpublished_meeting: Meeting
    unpublished_follow_up: FollowUp


def build_scene(size: int = 2) -> Scene:
    municipality = MunicipalityFactory(name="Timrå", slug="timra")
    police = PoliceFactory(slug="polisen", name="Polisen i Timrå")
    kommun = OrganisationFactory(slug="timra-kommun", name="Timrå kommun")
    published = build_period(municipality, police, kommun, size)
    draft = build_period(municipality, police, kommun, 1, is_published=False, label=SECRET)
    unpublished_meeting = MeetingFactory(
        period=published.period,
        date=datetime.date(2025, 9, 18),
        is_published=False,
        agenda=f"{SECRET} dagordning",
        minutes=f"{SECRET} protokoll",
    )
    unpublished_follow_up = FollowUpFactory(
        meeting=unpublished_meeting,
        promise=published.promises[0],
        comment=f"{SECRET} bedömning",
    )
    # Residents' questions: published ones (answered at a published meeting or not),
    # and what must never be published: an unmoderated question, an answer of the
    # unpublished meeting, and every e-mail address.
    for promise in published.promises:
        QuestionFactory(
            promise=promise,
            status=Question.Status.SENT_TO_COUNCIL,
            meeting=published.meeting,
            answer="Rådet svarar på frågan.",
            email=f"{SECRET}@example.invalid",
        )
    QuestionFactory(promise=published.promises[0], message=f"{SECRET} ogranskad fråga")
    QuestionFactory(
        promise=published.promises[0],
        status=Question.Status.SENT_TO_COUNCIL,
        meeting=unpublished_meeting,
        answer=f"{SECRET} svar",
    )
    return Scene(published, draft, unpublished_meeting, unpublished_follow_up)


@pytest.fixture
def scene(db) -> Scene:
    return build_scene()
