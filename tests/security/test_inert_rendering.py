"""Stored HTML and script is shown as text, never run: on every page that shows it.

Every text a resident can see (titles, descriptions, progress updates, meeting
minutes, follow-ups, organisation and indicator names) holds a script and an
attribute-breaking image tag; no page may contain either as markup, and each
page shows it escaped.
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from activities.models import Activity, Indicator, ProgressUpdate
from activities.services import progress_update_create
from followup.models import FollowUp, Meeting
from promises.models import FocusArea, Municipality, Organisation, Period, Promise
from tests.security.hostile import hostile_settings

pytestmark = pytest.mark.django_db


def payload(where: str) -> str:
    return f'<script>alert("{where}")</script>"><img src=x onerror=alert("{where}")>'


RAW = ["<script>alert(", "<img src=x onerror"]
ESCAPED = "&lt;script&gt;alert("


@pytest.fixture
def hostile_world(police_organisation, municipality_organisation):
    from tests.opendata.conftest import build_period
    from tests.promises.factories import MunicipalityFactory

    municipality = MunicipalityFactory(name="Timrå", slug="timra")
    world = build_period(municipality, police_organisation, municipality_organisation, 1)
    Municipality.objects.filter(pk=municipality.pk).update(name=payload("kommun")[:100])
    Organisation.objects.filter(pk=police_organisation.pk).update(
        name=payload("aktör"), short_name=payload("aktör")[:60]
    )
    Period.objects.filter(pk=world.period.pk).update(
        purpose=payload("syfte"), situation=payload("läge"), outcome=payload("mål")
    )
    FocusArea.objects.filter(period=world.period).update(
        name=payload("område"), description=payload("områdestext")
    )
    Promise.objects.filter(period=world.period).update(
        title=payload("löfte"), text=payload("löftestext")
    )
    Activity.objects.filter(promise__period=world.period).update(
        title=payload("aktivitet"), description=payload("beskrivning"), place=payload("plats")
    )
    ProgressUpdate.objects.filter(activity__promise__period=world.period).update(
        text=payload("lägesrapport"), reported_on=timezone.localdate()
    )
    Indicator.objects.all().update(name=payload("mått"), unit=payload("enhet")[:40])
    Meeting.objects.filter(pk=world.meeting.pk).update(
        place=payload("lokal"),
        attendees=payload("närvarande"),
        agenda=payload("dagordning"),
        minutes=payload("protokoll"),
    )
    FollowUp.objects.filter(meeting=world.meeting).update(
        comment=payload("kommentar"), next_steps=payload("nästa steg")
    )
    return world


def public_pages(world) -> list[str]:
    period, promise = world.period, world.promises[0]
    area = world.focus_areas[0]
    meeting = world.meeting
    base = f"/timra/{period.slug}"
    return [
        "/",
        "/timra/",
        f"{base}/",
        f"{base}/loften/",
        f"{base}/loften/{promise.slug}/",
        f"{base}/omraden/{area.slug}/",
        "/timra/perioder/",
        "/timra/sammantraden/",
        f"/timra/sammantraden/{meeting.pk}/",
        "/sok/?q=alert",
        f"/en{base}/loften/{promise.slug}/",
        f"/en/timra/sammantraden/{meeting.pk}/",
    ]


def assert_inert(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, f"{where} shows {raw!r} as markup"


def test_stored_html_is_shown_escaped_on_every_public_page(client, hostile_world):
    for path in public_pages(hostile_world):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert_inert(text, path)
        assert ESCAPED in text, f"{path} does not show the stored text at all"


def test_stored_html_is_inert_in_the_feeds_and_plain_text_in_the_calendar(client, hostile_world):
    period, promise = hostile_world.period, hostile_world.promises[0]
    paths = [
        "/oppna-data/timra/lagesrapporter.atom",
        "/oppna-data/timra/sammantraden.atom",
        f"/oppna-data/timra/{period.slug}/{promise.slug}/flode.atom",
        "/oppna-data/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.content.decode(), path)
    # iCalendar text is plain text by definition; no HTML description is offered.
    calendar = client.get("/oppna-data/timra/sammantraden.ics")
    assert calendar["Content-Type"].startswith("text/calendar")
    assert "FMTTYPE=text/html" not in calendar.content.decode()


def test_stored_html_is_shown_escaped_in_the_staff_pages_and_the_admin(
    client, hostile_world, police_reporter, secretary
):
    activity = hostile_world.activities[0]  # led by the police
    client.force_login(police_reporter)
    for path in ["/personal/", reverse("staff:report_create", args=[activity.pk])]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_inert(response.content.decode(), path)
        assert ESCAPED in response.content.decode(), path

    client.force_login(secretary)
    meeting = hostile_world.meeting
    for path in [
        reverse("admin:followup_meeting_report", args=[meeting.pk]),
        reverse("admin:followup_meeting_change", args=[meeting.pk]),
        f"{reverse('admin:followup_meeting_add')}?period={hostile_world.period.pk}",
        reverse("admin:followup_meeting_changelist"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert_inert(text, path)
        assert ESCAPED in text, path


def test_a_script_reported_through_the_staff_form_is_shown_as_text_on_the_promise_page(
    client, hostile_world, police_reporter
):
    activity = hostile_world.activities[0]
    client.force_login(police_reporter)
    response = client.post(
        reverse("staff:report_create", args=[activity.pk]),
        {
            "submission_token": str(uuid.uuid4()),
            "status": "in_progress",
            "percent_complete": "50",
            "text": "<script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.filter(text="<script>alert(1)</script>").exists()

    page = Client().get(hostile_world.promises[0].get_absolute_url()).content.decode()

    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in page
    assert "<script>alert(1)</script>" not in page


# One line of text, without NUL (which nothing stores) or lone surrogates.
ONE_LINE = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Zl", "Zp"], blacklist_characters="\x00\n\r")
    | st.sampled_from(list("<>&\"'/=` ")),
    min_size=1,
    max_size=200,
).filter(lambda text: text.strip() == text and text)


@hostile_settings
@given(text=ONE_LINE)
def test_any_progress_update_text_is_shown_exactly_as_escaped_text(
    hostile_world, police_reporter, text
):
    from tests.security.hostile import rolled_back

    activity = hostile_world.activities[0]
    with rolled_back():
        progress_update_create(
            user=police_reporter,
            activity=activity,
            status="in_progress",
            percent_complete=60,
            text=text,
            reported_on=timezone.localdate(),
        )
        page = Client().get(hostile_world.promises[0].get_absolute_url()).content.decode()
        assert f"<p>{escape(text)}</p>" in page
