"""Every feed and download is linked from the public pages residents read."""

import pytest
from django.urls import reverse

from tests.promises.public_data import build_public_period

pytestmark = pytest.mark.django_db


def test_start_page_links_the_municipalitys_feeds_calendar_and_download(client):
    data = build_public_period(2)

    html = client.get(data.municipality.get_absolute_url()).content.decode()

    slug, period = data.municipality.slug, data.period.slug
    for name, kwargs in [
        ("opendata:municipality_updates_feed", {"municipality": slug}),
        ("opendata:municipality_meetings_feed", {"municipality": slug}),
        ("opendata:municipality_calendar", {"municipality": slug}),
        ("opendata:period_xlsx", {"municipality": slug, "period": period}),
        ("opendata:index", {}),
    ]:
        assert f'href="{reverse(name, kwargs=kwargs)}"' in html, name
    assert 'rel="alternate" type="application/atom+xml"' in html


def test_promise_page_links_its_own_feed_for_subscription_and_autodiscovery(client):
    data = build_public_period(2)
    promise = data.promises[0]
    feed = reverse(
        "opendata:promise_feed",
        kwargs={
            "municipality": data.municipality.slug,
            "period": data.period.slug,
            "promise": promise.slug,
        },
    )

    html = client.get(promise.get_absolute_url()).content.decode()

    assert html.count(f'href="{feed}"') == 2  # <link rel="alternate"> and the visible link


def test_every_public_page_links_open_data_and_the_staff_login_in_its_footer(client):
    data = build_public_period(1)

    html = client.get(data.municipality.get_absolute_url()).content.decode()

    assert f'href="{reverse("opendata:index")}"' in html
    assert f'href="{reverse("accounts:login")}"' in html


def test_robots_keep_crawlers_out_of_the_admin_and_staff_pages(client):
    robots = client.get("/robots.txt").content.decode()

    for path in ("/admin/", "/konto/", "/personal/"):
        assert f"Disallow: {path}" in robots
