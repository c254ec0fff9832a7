"""The public meeting pages: the list of meetings and one published meeting."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from website import meeting_selectors as selectors
from website.selectors import public_municipality


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
    if not detail.meeting.is_published:
        # Gone, not missing: the record says when and why it was taken off the site.
        return render(
            request,
            "followup/meeting_withdrawn.html",
            {
                "municipality": detail.meeting.council.municipality,
                "meeting": detail.meeting,
                "withdrawn": detail.withdrawn,
            },
            status=410,
        )
    return render(
        request,
        "followup/meeting_detail.html",
        {
            "municipality": detail.meeting.council.municipality,
            "meeting": detail.meeting,
            "promises": detail.promises,
            "corrections": detail.corrections,
        },
    )
