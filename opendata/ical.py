"""The council's meetings as an iCalendar feed that calendar apps can subscribe to."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from followup.models import Meeting
from opendata import selectors
from promises.models import Municipality

PRODUCT_ID = "-//Följ medborgarlöftena//Sammanträden//SV"
REFRESH_INTERVAL = timedelta(hours=12)
# Meetings record only their start; calendars get this length so that a timed
# meeting does not show as a zero-minute event.
ASSUMED_MEETING_LENGTH = timedelta(hours=2)


def _start(meeting: Meeting) -> date | datetime:
    """A timed start in Swedish time, or the whole day when no time is set."""
    if meeting.start_time is None:
        return meeting.date
    return datetime.combine(meeting.date, meeting.start_time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def meeting_event(request: HttpRequest, meeting: Meeting) -> Event:
    event = Event()
    # Stable whatever host name the calendar was fetched through, so that no
    # calendar ever shows the same meeting twice.
    event.add(
        "uid", f"sammantrade-{meeting.pk}@medborgarloften.{meeting.council.municipality.slug}"
    )
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("summary", _("%(council)s, sammanträde") % {"council": meeting.council.name})
    start = _start(meeting)
    event.add("dtstart", start)
    if isinstance(start, datetime):
        event.add("duration", ASSUMED_MEETING_LENGTH)
    else:
        event.add("dtend", start + timedelta(days=1))
    if meeting.place:
        event.add("location", meeting.place)
    event.add("status", "CONFIRMED")
    if meeting.is_published:
        url = request.build_absolute_uri(meeting.get_absolute_url())
        event.add("url", url)
        parts = [meeting.agenda, _("Protokoll och rådets uppföljning: %(url)s") % {"url": url}]
        event.add("description", "\n\n".join(part for part in parts if part))
    else:
        # Planned: agenda, attendees and minutes stay private until the meeting is published.
        url = request.build_absolute_uri(meeting.period.municipality.get_absolute_url())
        event.add(
            "description",
            _("Protokollet publiceras när det är justerat: %(url)s") % {"url": url},
        )
    return event


def meetings_calendar(request: HttpRequest, municipality: Municipality) -> bytes:
    council = getattr(municipality, "council", None)
    name = (
        _("%(council)s, %(municipality)s") % {"council": council.name, "municipality": municipality}
        if council
        else _("Rådets sammanträden, %(municipality)s") % {"municipality": municipality}
    )
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"value": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    for meeting in selectors.calendar_meetings(municipality):
        calendar.add_component(meeting_event(request, meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()
