"""Read functions for the public meeting pages, each a fixed number of queries.

What is public about a meeting: once it is published (its minutes approved, in a
published period) everything is. Before that, a *planned* meeting (dated after
today, in a published period) shows only its date, time and place, so residents
can come or follow it; its agenda, attendees, minutes and follow-ups stay hidden.
A meeting that has been held but is not yet published is not shown at all.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from followup.models import FollowUp, Meeting
from promises.models import Municipality, Period, Promise


def _for_municipality(queryset: QuerySet, municipality: Municipality) -> QuerySet:
    return queryset.filter(council__municipality=municipality).select_related(
        "council__municipality", "period"
    )


def published_meetings(municipality: Municipality) -> list[Meeting]:
    return list(_for_municipality(Meeting.objects.published(), municipality).order_by("-date"))


def planned_meetings(municipality: Municipality, today: date | None = None) -> list[Meeting]:
    """Meetings after today in a published period: public with their date and place only."""
    return list(
        _for_municipality(
            Meeting.objects.upcoming(today).filter(period__is_published=True), municipality
        )
    )


def latest_published_meeting(
    municipality: Municipality, period: Period | None = None
) -> Meeting | None:
    """The newest held and published meeting, of one period when given."""
    meetings = _for_municipality(Meeting.objects.published().held(), municipality)
    if period is not None:
        meetings = meetings.filter(period=period)
    return meetings.order_by("-date", "-start_time").first()


def next_planned_meeting(
    municipality: Municipality, period: Period | None = None, today: date | None = None
) -> Meeting | None:
    """The next meeting after today in a published period, of one period when given."""
    meetings = _for_municipality(
        Meeting.objects.upcoming(today).filter(period__is_published=True), municipality
    )
    if period is not None:
        meetings = meetings.filter(period=period)
    return meetings.order_by("date", "start_time").first()


@dataclass
class MeetingDetail:
    meeting: Meeting
    promises: list[Promise]


def meeting_detail(municipality_slug: str, pk: int) -> MeetingDetail:
    """A published meeting with each promise of its period and the council's assessment of it.

    Every promise of the period is listed, so a promise the council did not follow
    up is visible as such; each carries ``meeting_follow_ups`` (whole promise first,
    then its activities).
    """
    meeting = get_object_or_404(
        Meeting.objects.published().select_related("council__municipality", "period__municipality"),
        council__municipality__slug=municipality_slug,
        pk=pk,
    )
    follow_ups = FollowUp.objects.filter(meeting=meeting).select_related("activity")
    promises = list(
        Promise.objects.filter(period=meeting.period)
        .select_related("period__municipality")
        .prefetch_related(
            Prefetch(
                "follow_ups",
                queryset=follow_ups.order_by(
                    F("activity__order").asc(nulls_first=True), "activity_id"
                ),
                to_attr="meeting_follow_ups",
            )
        )
        .order_by("order", "pk")
    )
    return MeetingDetail(meeting=meeting, promises=promises)
