import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.followup.factories import MeetingFactory
from tests.opendata.conftest import SECRET, build_scene

CALENDAR = "/oppna-data/timra/sammantraden.ics"


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def planned(scene):
    """A planned meeting of the published period: announced, not yet published."""
    return MeetingFactory(
        period=scene.published.period,
        date=timezone.localdate() + datetime.timedelta(days=30),
        start_time=None,
        place="Stadshuset",
        is_published=False,
        agenda=f"{SECRET} dagordning för kommande möte",
    )


def test_the_calendar_and_the_site_agree_on_which_meetings_are_planned(client, scene, planned):
    """One rule (``MeetingQuerySet.planned``): an unpublished meeting dated today is held,
    so neither the site's list nor the calendar announces it."""
    held_today = MeetingFactory(
        period=scene.published.period,
        date=timezone.localdate(),
        is_published=False,
        agenda=f"{SECRET} dagordning för dagens möte",
    )

    calendar = set(events_by_uid(parse(client.get(CALENDAR))))
    site = client.get(reverse("followup:meeting_list", args=["timra"]))

    assert [meeting.pk for meeting in site.context["planned"]] == [planned.pk]
    assert f"sammantrade-{planned.pk}@medborgarloften.timra" in calendar
    assert f"sammantrade-{held_today.pk}@medborgarloften.timra" not in calendar
    assert SECRET not in site.text


def test_calendar_has_published_and_planned_meetings(client, scene, planned):
    calendar = parse(client.get(CALENDAR))

    events = events_by_uid(calendar)
    assert set(events) == {
        f"sammantrade-{scene.published.meeting.pk}@medborgarloften.timra",
        f"sammantrade-{planned.pk}@medborgarloften.timra",
    }
    assert str(calendar["X-WR-CALNAME"]) == "Rådet för trygghet och hälsa, Timrå"
    held = events[f"sammantrade-{scene.published.meeting.pk}@medborgarloften.timra"]
    assert held.decoded("DTSTART") == datetime.datetime(
        2025, 6, 12, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm")
    )
    assert held.decoded("DURATION") == datetime.timedelta(hours=2)
    assert str(held["LOCATION"]) == "Kommunhuset"
    meeting_url = f"http://testserver{scene.published.meeting.get_absolute_url()}"
    assert str(held["URL"]) == meeting_url
    assert meeting_url in str(held["DESCRIPTION"])
    upcoming = events[f"sammantrade-{planned.pk}@medborgarloften.timra"]
    assert upcoming.decoded("DTSTART") == planned.date  # all day: no start time yet
    assert upcoming.decoded("DTEND") == planned.date + datetime.timedelta(days=1)
    assert "URL" not in upcoming
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"


def test_event_ids_do_not_depend_on_the_host_name_used(client, scene):
    first = events_by_uid(parse(client.get(CALENDAR)))
    second = events_by_uid(parse(client.get(CALENDAR, HTTP_HOST="localhost")))

    assert set(first) == set(second)


def test_nothing_unpublished_is_in_the_calendar(client, scene, planned):
    MeetingFactory(
        period=scene.draft.period,
        date=timezone.localdate() + datetime.timedelta(days=10),
        agenda=SECRET,
    )

    response = client.get(CALENDAR)

    body = response.content.decode()
    assert SECRET not in body
    assert f"sammantrade-{scene.unpublished_meeting.pk}@" not in body  # held, not published
    assert f"sammantrade-{scene.draft.meeting.pk}@" not in body  # in a draft period
    assert not response.cookies


def test_unknown_municipality_has_no_calendar(client, db):
    assert client.get("/oppna-data/finns-inte/sammantraden.ics").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_calendar_costs_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    scene = build_scene(size)
    for days in range(size):
        MeetingFactory(
            period=scene.published.period,
            date=timezone.localdate() + datetime.timedelta(days=days + 1),
        )

    with django_assert_num_queries(2):  # municipality with its council, meetings
        calendar = parse(client.get(CALENDAR))

    assert len(calendar.walk("VEVENT")) == size + 1
