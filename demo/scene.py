"""Realistic demo data on top of Timrå's real promises, for development and benchmarks.

The factories live with the tests (tests/<app>/factories.py) and are reused here,
so demo data and test data are built the same way. Everything made here is
fiction: the activity plan, the progress updates, the measurements and the
meetings are invented to show how the portal works.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.permissions import SYSTEM
from activities.models import Activity, Indicator, Measurement, ProgressUpdate
from activities.services import (
    activity_save,
    indicator_save,
    measurement_create,
    progress_update_create,
)
from followup.models import Council, FollowUp, Meeting
from followup.services import load_timra
from participation.data import timra_dialogues
from participation.services import load_timra_dialogues
from promises.data import timra_2021_2022
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from tests.activities.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressUpdateFactory,
)
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import (
    FocusAreaFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PeriodFactory,
    PromiseFactory,
)

Status = ProgressUpdate.Status
Assessment = FollowUp.Assessment
D = datetime.date

# promise slug -> activities: (title, description, lead, others, start, end, place, story)
# A story is the list of (date, status, percent, text) progress updates, oldest first.
TIMRA_ACTIVITY_PLAN: dict[str, list[tuple]] = {
    "vald-i-nara-relationer-och-huskurage": [
        (
            "Informationskampanj om våld i nära relationer",
            "Affischer, sociala medier och information på kommunens webbplats om vart den "
            "som utsätts för våld kan vända sig.",
            "timra-kommun",
            ["polisen"],
            D(2021, 3, 1),
            D(2021, 12, 31),
            "",
            [
                (D(2021, 3, 20), Status.IN_PROGRESS, 20, "Material beställt och planering klar."),
                (D(2021, 9, 1), Status.IN_PROGRESS, 70, "Kampanjen visades under vecka 35."),
                (D(2021, 12, 10), Status.COMPLETED, 100, "Kampanjen är genomförd."),
            ],
        ),
        (
            "Fler fastighetsbolag ansluter sig till Huskurage",
            "Kommunen och polisen bjuder in fastighetsbolagen i Timrå till information om "
            "Huskurage och stöttar dem som vill ansluta sig.",
            "timra-kommun",
            ["polisen"],
            D(2021, 4, 1),
            D(2022, 12, 31),
            "",
            [
                (D(2021, 5, 12), Status.IN_PROGRESS, 15, "Informationsmöte med tre bolag."),
                (D(2022, 1, 20), Status.IN_PROGRESS, 50, "Två bolag har anslutit sig."),
                (D(2022, 9, 30), Status.IN_PROGRESS, 70, "Ett bolag till har anslutit sig."),
            ],
        ),
    ],
    "kunskap-hos-medarbetarna": [
        (
            "Utbildning för kommunens medarbetare",
            "Halvdagsutbildning om att upptäcka och motverka våld i nära relationer för "
            "medarbetare inom skola, omsorg och socialtjänst.",
            "socialtjansten-timra",
            ["timra-kommun"],
            D(2021, 9, 1),
            D(2022, 6, 30),
            "",
            [
                (D(2021, 10, 5), Status.IN_PROGRESS, 30, "Två utbildningstillfällen hållna."),
                (D(2022, 3, 15), Status.IN_PROGRESS, 80, "Sex av åtta tillfällen hållna."),
                (D(2022, 6, 20), Status.COMPLETED, 100, "Alla tillfällen genomförda."),
            ],
        ),
        (
            "Utbildning för poliserna i Timrå",
            "Poliserna som arbetar i Timrå går polisens utbildning om våld i nära relationer.",
            "polisen",
            [],
            D(2021, 9, 1),
            D(2022, 3, 31),
            "",
            [
                (D(2021, 11, 1), Status.IN_PROGRESS, 50, "Hälften av poliserna utbildade."),
                (D(2022, 3, 1), Status.COMPLETED, 100, "Samtliga poliser har gått utbildningen."),
            ],
        ),
    ],
    "trygghet-i-centrala-timra": [
        (
            "Trygghetsvandringar i centrala Timrå",
            "Boende, kommunen och polisen går tillsammans genom centrum och noterar vad som "
            "känns otryggt, till exempel belysning och buskage.",
            "timra-kommun",
            ["polisen"],
            D(2021, 4, 1),
            D(2022, 10, 31),
            "centrala Timrå",
            [
                (D(2021, 5, 18), Status.IN_PROGRESS, 40, "Första vandringen med 25 deltagare."),
                (D(2021, 10, 12), Status.IN_PROGRESS, 70, "Belysningen vid busstationen bytt."),
                (D(2022, 5, 10), Status.COMPLETED, 100, "Andra vandringen genomförd."),
            ],
        ),
        (
            "Synlig polisnärvaro kvällar och helger",
            "Polisen patrullerar till fots i centrum under kvällar och helger.",
            "polisen",
            [],
            D(2021, 1, 1),
            D(2022, 12, 31),
            "centrala Timrå",
            [
                (D(2021, 6, 1), Status.IN_PROGRESS, 30, "Fotpatrullering varje fredag."),
                (D(2022, 2, 1), Status.PAUSED, 40, "Pausat på grund av resursbrist."),
                (D(2022, 8, 15), Status.IN_PROGRESS, 60, "Patrulleringen återupptagen."),
            ],
        ),
    ],
    "insatser-mot-oppen-droghandel": [
        (
            "Riktade insatser mot öppen droghandel",
            "Polisen genomför riktade insatser på platser där droghandel förekommer, i "
            "samverkan med socialtjänsten.",
            "polisen",
            ["socialtjansten-timra"],
            D(2021, 2, 1),
            D(2022, 12, 31),
            "",
            [
                (D(2021, 4, 30), Status.IN_PROGRESS, 25, "Fyra insatser genomförda."),
                (D(2021, 11, 30), Status.IN_PROGRESS, 60, "Tio insatser genomförda."),
                (D(2022, 12, 15), Status.COMPLETED, 100, "Planerade insatser genomförda."),
            ],
        ),
        (
            "Tidiga samtal med unga som riskerar att rekryteras",
            "Socialtjänsten och polisen kallar unga och deras föräldrar till samtal när de "
            "påträffas i miljöer med droger.",
            "socialtjansten-timra",
            ["polisen"],
            D(2021, 2, 1),
            D(2022, 12, 31),
            "",
            [
                (D(2021, 6, 15), Status.IN_PROGRESS, 30, "Arbetssättet är framtaget."),
                (D(2022, 4, 1), Status.IN_PROGRESS, 55, "Tolv samtal hållna."),
            ],
        ),
    ],
    "informationstraffar-om-alkohol-och-droger": [
        (
            "Informationsträffar för föräldrar",
            "Gemensamma träffar för föräldrar om ungas bruk av alkohol och droger.",
            "timra-kommun",
            ["polisen", "socialtjansten-timra"],
            D(2021, 8, 15),
            D(2022, 6, 15),
            "",
            [
                (D(2021, 10, 20), Status.IN_PROGRESS, 35, "Två träffar hållna."),
                (D(2022, 5, 25), Status.COMPLETED, 100, "Sex träffar hållna."),
            ],
        ),
        (
            "Information i skolorna",
            "Polisen och kommunen besöker högstadieskolorna.",
            "polisen",
            ["timra-kommun"],
            D(2021, 8, 15),
            D(2022, 6, 15),
            "",
            [
                (D(2021, 9, 10), Status.PLANNED, 0, "Planeras till höstterminen."),
                (D(2022, 1, 10), Status.CANCELLED, 0, "Ersatt av föräldraträffarna."),
            ],
        ),
    ],
    "trafikkontroller-vid-riskplatser": [
        (
            "Trafikkontroller vid identifierade riskplatser",
            "Kontroller av hastighet och nykterhet vid de platser som boende och statistiken "
            "pekat ut.",
            "polisen",
            [],
            D(2021, 3, 1),
            D(2022, 12, 31),
            "",
            [
                (D(2021, 6, 30), Status.IN_PROGRESS, 30, "Tolv kontroller genomförda."),
                (D(2022, 6, 30), Status.IN_PROGRESS, 75, "Trettio kontroller genomförda."),
                (D(2022, 12, 20), Status.COMPLETED, 100, "Fyrtio kontroller genomförda."),
            ],
        ),
        (
            "Insatser mot olagliga A-traktorer och buskörning",
            "Riktade kontroller av A-traktorer och mopeder under vår och sommar.",
            "polisen",
            [],
            D(2021, 4, 1),
            D(2022, 9, 30),
            "",
            [
                (D(2021, 6, 1), Status.IN_PROGRESS, 40, "Kontroller varje helg i maj."),
                (D(2022, 6, 10), Status.IN_PROGRESS, 70, "Kontroller under försommaren."),
            ],
        ),
    ],
}

# (promise slug, activity index or None, name, unit, baseline, target, direction, values)
TIMRA_INDICATORS = [
    (
        "vald-i-nara-relationer-och-huskurage",
        1,
        "Fastighetsbolag anslutna till Huskurage",
        "antal",
        1,
        5,
        Indicator.Direction.HIGHER_IS_BETTER,
        [(D(2021, 6, 30), 1), (D(2021, 12, 31), 2), (D(2022, 6, 30), 3), (D(2022, 12, 31), 4)],
    ),
    (
        "informationstraffar-om-alkohol-och-droger",
        0,
        "Gemensamma informationsträffar",
        "antal",
        0,
        6,
        Indicator.Direction.HIGHER_IS_BETTER,
        [(D(2021, 10, 31), 2), (D(2022, 3, 31), 4), (D(2022, 5, 31), 6)],
    ),
    (
        "trafikkontroller-vid-riskplatser",
        0,
        "Trafikkontroller vid identifierade riskplatser",
        "antal",
        0,
        40,
        Indicator.Direction.HIGHER_IS_BETTER,
        [(D(2021, 6, 30), 12), (D(2021, 12, 31), 20), (D(2022, 6, 30), 30), (D(2022, 12, 31), 40)],
    ),
    (
        "vald-i-nara-relationer-och-huskurage",
        None,
        "Anmälningar om våld i nära relation",
        "antal per år",
        95,
        120,
        Indicator.Direction.HIGHER_IS_BETTER,
        [(D(2021, 12, 31), 104), (D(2022, 12, 31), 112)],
    ),
]

TIMRA_MEETINGS = [
    D(2021, 3, 18),
    D(2021, 6, 10),
    D(2021, 10, 14),
    D(2022, 2, 17),
    D(2022, 6, 9),
    D(2022, 11, 17),
]

DEMO_ADMIN_USERNAME = "admin"
DEMO_REASON = "Demodata (seed_demo)"


@dataclass
class DemoResult:
    timra_seeded: bool
    municipalities_added: int


def _assessment_for(percent: float, late: bool) -> str:
    if percent >= 100:
        return Assessment.DONE
    if late:
        return Assessment.DEVIATION
    if percent < 30:
        return Assessment.AT_RISK
    return Assessment.ON_TRACK


@transaction.atomic
def seed_timra_demo() -> bool:
    """Add an invented activity plan and its follow-up under Timrå's real promises.

    The plan, its reports and measurements go through the services as the
    command line's ``SYSTEM`` actor, validated and recorded in the history like
    any other write. Returns False, changing nothing, when Timrå already has
    activities.
    """
    period = Period.objects.filter(municipality__slug="timra", slug="2021-2022").first()
    if period is None or Activity.objects.filter(promise__period=period).exists():
        return False
    organisations = {o.slug: o for o in Organisation.objects.all()}
    promises = {p.slug: p for p in period.promises.all()}
    activities: dict[str, list[Activity]] = {}
    for promise_slug, plan in TIMRA_ACTIVITY_PLAN.items():
        promise = promises[promise_slug]
        activities[promise_slug] = []
        for order, (title, description, lead, others, start, end, place, story) in enumerate(
            plan, start=1
        ):
            activity = activity_save(
                user=SYSTEM,
                activity=ActivityFactory.build(
                    promise=promise,
                    order=order,
                    title=title,
                    description=description,
                    lead_organisation=organisations[lead],
                    planned_start=start,
                    planned_end=end,
                    place=place,
                ),
                other_organisations=[organisations[slug] for slug in others],
                reason=DEMO_REASON,
            )
            activities[promise_slug].append(activity)
            for reported_on, status, percent, text in story:
                progress_update_create(
                    user=SYSTEM,
                    activity=activity,
                    reported_on=reported_on,
                    status=status,
                    percent_complete=percent,
                    text=text,
                )
    for promise_slug, index, name, unit, baseline, target, direction, values in TIMRA_INDICATORS:
        owner = (
            {"promise": promises[promise_slug], "activity": None}
            if index is None
            else {"activity": activities[promise_slug][index], "promise": None}
        )
        indicator = indicator_save(
            user=SYSTEM,
            indicator=IndicatorFactory.build(
                **owner, name=name, unit=unit, baseline=baseline, target=target, direction=direction
            ),
            reason=DEMO_REASON,
        )
        for measured_on, value in values:
            measurement_create(
                user=SYSTEM,
                indicator=indicator,
                measured_on=measured_on,
                value=value,
                source="Demodata",
            )

    council = Council.objects.get(municipality=period.municipality)
    for number, meeting_date in enumerate(TIMRA_MEETINGS, start=1):
        is_last = number == len(TIMRA_MEETINGS)
        meeting = MeetingFactory(
            council=council,
            period=period,
            date=meeting_date,
            start_time=datetime.time(13, 0),
            place="Kommunhuset, Timrå",
            attendees="Kommunpolis, trygghetssamordnare, socialchef, kommunstyrelsens ordförande",
            agenda="1. Mötets öppnande\n2. Uppföljning av medborgarlöftena\n3. Övriga frågor",
            minutes=f"Sammanträde {number} i rådet för trygghet och hälsa. Rådet följde upp "
            "samtliga medborgarlöften utifrån lägesrapporterna.",
            # The newest minutes are not yet approved, so the meeting is a draft.
            is_published=not is_last,
            published_at=None if is_last else timezone.now(),
        )
        for promise in Promise.objects.filter(period=period).with_progress(today=meeting_date):
            FollowUpFactory(
                meeting=meeting,
                promise=promise,
                assessment=_assessment_for(promise.progress, promise.has_late_activities),
                comment=f"Framsteg {round(promise.progress)} procent vid sammanträdet.",
                next_steps="Fortsätt enligt aktivitetsplanen och rapportera till nästa möte.",
            )
    return True


DEMO_CADENCES = [
    {"follow_up_cadence": Council.FollowUpCadence.TERTIAL},
    {"follow_up_cadence": Council.FollowUpCadence.YEAR},
    {
        "follow_up_cadence": Council.FollowUpCadence.EVERY_MEETING,
        "meeting_cadence": Council.MeetingCadence.QUARTER,
    },
    {"follow_up_cadence": Council.FollowUpCadence.HALF_YEAR},
    {},  # not stated: never flagged
]


def seed_scale(count: int, seed: int = 1) -> int:
    """Add ``count`` invented municipalities with full histories, in bulk.

    Built with the factories' build strategy and saved with bulk_create, so 300
    municipalities take seconds, not hours. The one write that does not pass
    the services, on purpose: it only ever adds new, invented municipalities
    (nothing of the record is touched) for the benchmark and the migration
    tests, and one service call with validation and history per row would make
    ``seed_demo --scale 300`` take many minutes instead of seconds.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    start_index = Municipality.objects.filter(slug__startswith="demokommun-").count() + 1
    numbers = range(start_index, start_index + count)
    statuses = [Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED, Status.PAUSED]

    with transaction.atomic():
        municipalities = Municipality.objects.bulk_create(
            [
                MunicipalityFactory.build(name=f"Demokommun {n}", slug=f"demokommun-{n}")
                for n in numbers
            ]
        )
        # A local police area works with several municipalities: one per five.
        police_areas = Organisation.objects.bulk_create(
            [
                OrganisationFactory.build(
                    name=f"Polisen, demoområde {n}",
                    short_name="Polisen",
                    slug=f"polisen-demoomrade-{n}",
                    kind=Organisation.Kind.POLICE,
                )
                for n in numbers[::5]
            ]
        )
        kommuner = Organisation.objects.bulk_create(
            [
                OrganisationFactory.build(
                    name=f"{m.name} kommun",
                    short_name=f"{m.name} kommun",
                    slug=f"{m.slug}-kommun",
                    kind=Organisation.Kind.MUNICIPALITY,
                )
                for m in municipalities
            ]
        )
        police_for = {m.pk: police_areas[i // 5] for i, m in enumerate(municipalities)}
        kommun_for = {m.pk: k for m, k in zip(municipalities, kommuner, strict=True)}
        Membership = Organisation.municipalities.through
        Membership.objects.bulk_create(
            [Membership(organisation=kommun_for[m.pk], municipality=m) for m in municipalities]
            + [Membership(organisation=police_for[m.pk], municipality=m) for m in municipalities]
        )
        # Councils follow up at different cadences, so the national overview shows some
        # on time and some overdue (followup/overview.py).
        councils = Council.objects.bulk_create(
            [
                Council(
                    municipality=m,
                    name="Rådet för trygghet och hälsa",
                    **DEMO_CADENCES[(n - 1) % len(DEMO_CADENCES)],
                )
                for n, m in zip(numbers, municipalities, strict=True)
            ]
        )
        periods = Period.objects.bulk_create(
            [
                PeriodFactory.build(
                    municipality=m,
                    name="2025–2026",
                    slug="2025-2026",
                    starts_on=D(2025, 1, 1),
                    ends_on=D(2026, 12, 31),
                )
                for m in municipalities
            ]
        )
        focus_areas = FocusArea.objects.bulk_create(
            [
                FocusAreaFactory.build(period=p, name=name, slug=f"omrade-{i}", order=i)
                for p in periods
                for i, name in enumerate(
                    ["Synlig polis", "Unga och droger", "Trafiksäkerhet", "Våld i nära relation"],
                    start=1,
                )
            ]
        )
        promises = Promise.objects.bulk_create(
            [
                PromiseFactory.build(period=p, order=i, title=f"Löfte {i}", slug=f"lofte-{i}")
                for p in periods
                for i in range(1, 7)
            ]
        )
        areas_by_period: dict[int, list[FocusArea]] = {}
        for area in focus_areas:
            areas_by_period.setdefault(area.period_id, []).append(area)
        period_municipality = {p.pk: p.municipality_id for p in periods}
        PromiseArea = Promise.focus_areas.through
        PromiseOrganisation = Promise.organisations.through
        PromiseArea.objects.bulk_create(
            [
                PromiseArea(promise=pr, focusarea=areas_by_period[pr.period_id][pr.order % 4])
                for pr in promises
            ]
        )
        PromiseOrganisation.objects.bulk_create(
            [
                PromiseOrganisation(promise=pr, organisation=org)
                for pr in promises
                for org in (
                    police_for[period_municipality[pr.period_id]],
                    kommun_for[period_municipality[pr.period_id]],
                )
            ]
        )
        activities = Activity.objects.bulk_create(
            [
                ActivityFactory.build(
                    promise=pr,
                    order=i,
                    title=f"Aktivitet {i} för {pr.title.lower()}",
                    lead_organisation=(police_for if i % 2 else kommun_for)[
                        period_municipality[pr.period_id]
                    ],
                    planned_start=D(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 200)),
                    planned_end=D(2025, 9, 1) + datetime.timedelta(days=rng.randint(0, 480)),
                    weight=rng.randint(1, 3),
                )
                for pr in promises
                for i in range(1, 4)
            ]
        )
        updates = []
        for activity in activities:
            percent = 0
            for step in range(rng.randint(0, 4)):
                percent = min(100, percent + rng.randint(10, 40))
                status = (
                    Status.COMPLETED
                    if percent == 100
                    else rng.choice(statuses[1:2] * 3 + statuses[3:])
                )
                updates.append(
                    ProgressUpdateFactory.build(
                        activity=activity,
                        organisation=activity.lead_organisation,
                        reported_on=min(today, D(2025, 2, 1) + datetime.timedelta(days=90 * step)),
                        status=status,
                        percent_complete=percent,
                        text=f"Lägesrapport {step + 1}: arbetet går framåt.",
                    )
                )
        ProgressUpdate.objects.bulk_create(updates)
        indicators = Indicator.objects.bulk_create(
            [
                IndicatorFactory.build(
                    promise=pr,
                    activity=None,
                    name="Genomförda insatser",
                    unit="antal",
                    baseline=0,
                    target=20,
                )
                for pr in promises
            ]
        )
        Measurement.objects.bulk_create(
            [
                MeasurementFactory.build(
                    indicator=indicator,
                    measured_on=min(today, D(2025, 3, 31) + datetime.timedelta(days=91 * q)),
                    value=rng.randint(0, 5) + 4 * q,
                    source="Demodata",
                )
                for indicator in indicators
                for q in range(4)
            ]
        )
        council_for = {c.municipality_id: c for c in councils}
        meetings = Meeting.objects.bulk_create(
            [
                MeetingFactory.build(
                    council=council_for[p.municipality_id],
                    period=p,
                    date=D(2025, 3, 15) + datetime.timedelta(days=120 * k),
                    is_published=D(2025, 3, 15) + datetime.timedelta(days=120 * k) < today,
                )
                for p in periods
                for k in range(3)
            ]
        )
        promises_by_period: dict[int, list[Promise]] = {}
        for promise in promises:
            promises_by_period.setdefault(promise.period_id, []).append(promise)
        FollowUp.objects.bulk_create(
            [
                FollowUpFactory.build(
                    meeting=meeting,
                    promise=promise,
                    assessment=rng.choice(list(Assessment.values)),
                )
                for meeting in meetings
                for promise in promises_by_period[meeting.period_id]
            ]
        )
    return len(municipalities)


def build_scene(scale: int = 0) -> DemoResult:
    """The demo scene, built in one place for ``make run``, the benchmark, Lighthouse and tests.

    Timrå's published promises (``load_timra``), the invented activity plan and
    follow-up under them, and ``scale`` invented municipalities. Safe to repeat:
    what exists is kept, and only the extra municipalities are added again.
    """
    load_timra(timra_2021_2022, user=SYSTEM)
    load_timra_dialogues(timra_dialogues, user=SYSTEM)
    timra_seeded = seed_timra_demo()
    return DemoResult(timra_seeded, seed_scale(scale) if scale else 0)


def ensure_demo_admin(password: str) -> bool:
    """Create the development superuser; False if it already exists."""
    User = get_user_model()
    if User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        return False
    User.objects.create_superuser(DEMO_ADMIN_USERNAME, "admin@example.invalid", password)
    return True
