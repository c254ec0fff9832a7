"""The public meeting pages: the list of meetings and one published meeting."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from followup import selectors
from promises.selectors import public_municipality


def meeting_list(request: HttpRequest, municipality: str) -> HttpResponse:
    found = public_municipality(municipality)
    return render(
        request,
        "followup/meeting_list.html",
        {
            "municipality": found,
            "meetings": selectors.published_meetings(found),
            "planned": selectors.planned_meetings(found),
        },
    )


def meeting_detail(request: HttpRequest, municipality: str, pk: int) -> HttpResponse:
    detail = selectors.meeting_detail(municipality, pk)
    return render(
        request,
        "followup/meeting_detail.html",
        {
            "municipality": detail.meeting.council.municipality,
            "meeting": detail.meeting,
            "promises": detail.promises,
        },
    )
