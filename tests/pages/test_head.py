"""What every public page says about itself in its head: a description, an icon."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.promises.public_data import build_public_period

pytestmark = pytest.mark.django_db

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def description(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    found = DESCRIPTION.findall(response.content.decode())
    assert len(found) == 1, f"{url}: {len(found)} meta descriptions"
    return unescape(found[0]).strip()


def test_every_public_page_describes_itself_for_search_engines(client):
    data = build_public_period(2)
    # A second municipality, so that / lists them instead of showing Timrå's start page.
    build_public_period(1, slug="sundsvall")
    period, promise, meeting = data.period, data.promises[0], data.meetings[0]
    slugs = {"municipality": data.municipality.slug}
    pages = {
        "home": reverse("promises:home"),
        "start": data.municipality.get_absolute_url(),
        "period": period.get_absolute_url(),
        "periods": reverse("promises:period_archive", kwargs=slugs),
        "promises": reverse("promises:promise_list", kwargs={**slugs, "period": period.slug}),
        "promise": promise.get_absolute_url(),
        "focus area": data.focus_areas[0].get_absolute_url(),
        "meetings": reverse("followup:meeting_list", kwargs=slugs),
        "meeting": meeting.get_absolute_url(),
        "search": reverse("pages:search") + "?q=trygghet",
        "about": reverse("pages:about"),
        "accessibility": reverse("pages:accessibility"),
        "open data": reverse("opendata:index"),
        "api": reverse("api:docs"),
    }

    found = {name: description(client, url) for name, url in pages.items()}

    short = {name: text for name, text in found.items() if len(text) < 20}
    assert not short, short
    # Each page type has its own; the start page and the period page show the same period.
    assert len(set(found.values())) == len(found) - 1, found
    assert found["start"] == found["period"]
    assert data.municipality.name in found["start"] and period.name in found["start"]
    assert promise.text.startswith(found["promise"].removesuffix("…"))
    assert meeting.date.strftime("%Y") in found["meeting"]


def test_the_english_pages_describe_themselves_in_english(client):
    about = reverse("pages:about")
    english = description(client, "/en" + about)
    # Swedish last: a request leaves its language active for the tests that follow.
    swedish = description(client, about)

    assert english != swedish
    assert "citizen" in english.lower()


def test_the_site_icon_is_served_at_the_root_and_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    icon = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    html = client.get(reverse("pages:about")).content.decode()
    link = r'<link rel="icon" href="/static/img/favicon[.\w]*svg" type="image/svg\+xml">'
    assert re.search(link, html)
