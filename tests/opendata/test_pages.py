from xml.etree import ElementTree

import pytest

from tests.opendata.conftest import SECRET, build_period, build_scene
from tests.promises.factories import MunicipalityFactory

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locations(response) -> list[str]:
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    return [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]


def test_open_data_page_explains_licence_api_downloads_and_feeds(client, scene):
    response = client.get("/oppna-data/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Öppna data</h1>" in html
    assert "CC0 1.0" in html
    assert "https://creativecommons.org/publicdomain/zero/1.0/deed.sv" in html
    assert 'href="/api/docs/"' in html
    assert 'href="/api/schema/"' in html
    period = scene.published.period.slug
    for name in ["loften", "aktiviteter", "lagesrapporter", "matvarden", "uppfoljningar"]:
        assert f'href="/oppna-data/timra/{period}/{name}.csv"' in html
    assert f'href="/oppna-data/timra/{period}/medborgarloften.xlsx"' in html
    assert 'href="/oppna-data/timra/lagesrapporter.atom"' in html
    assert 'href="/oppna-data/timra/sammantraden.ics"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert "120 anrop per minut" in html
    assert not response.cookies


@pytest.mark.parametrize("size", [1, 4])
def test_open_data_page_costs_a_fixed_number_of_queries(
    client, db, django_assert_num_queries, size
):
    scene = build_scene()
    world = scene.published
    for _ in range(size):
        build_period(world.municipality, world.police, world.kommun, 1)
        other = MunicipalityFactory()
        build_period(other, world.police, world.kommun, 1)

    with django_assert_num_queries(2):  # municipalities with their councils, periods
        html = client.get("/oppna-data/").content.decode()

    assert html.count("medborgarloften.xlsx") == 1 + 2 * size


def test_open_data_page_lists_no_draft_period(client, scene):
    html = client.get("/oppna-data/").content.decode()

    assert scene.draft.period.slug not in html
    assert SECRET not in html


def test_subscribe_links_include_renders_the_links_for_a_promise(db, scene):
    from django.template.loader import render_to_string

    promise = scene.published.promises[0]

    html = render_to_string(
        "opendata/includes/subscribe_links.html",
        {
            "municipality": scene.published.municipality,
            "period": promise.period,
            "promise": promise,
        },
    )

    assert f'href="/oppna-data/timra/{promise.period.slug}/{promise.slug}/flode.atom"' in html
    assert 'href="/oppna-data/timra/sammantraden.ics"' in html
    assert f'href="/oppna-data/timra/{promise.period.slug}/medborgarloften.xlsx"' in html


def test_sitemap_lists_every_published_page_and_nothing_else(client, scene):
    response = client.get("/sitemap.xml")

    locations = sitemap_locations(response)
    world = scene.published
    expected = [
        world.municipality,
        world.period,
        *world.focus_areas,
        *world.promises,
        world.meeting,
    ]
    for obj in expected:
        assert f"http://testserver{obj.get_absolute_url()}" in locations
    for path in ["/", "/oppna-data/", "/om-medborgarloften/", "/tillganglighet/", "/sok/"]:
        assert f"http://testserver{path}" in locations
    hidden = [scene.draft.period, *scene.draft.promises, scene.unpublished_meeting]
    for obj in hidden:
        assert f"http://testserver{obj.get_absolute_url()}" not in locations
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_sitemap_costs_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    build_scene(size)

    # Per section: a count for the paginator and the page.
    with django_assert_num_queries(10):
        response = client.get("/sitemap.xml")

    # 6 fixed pages, then the municipality, period, focus areas, promises, meeting.
    assert len(sitemap_locations(response)) == 6 + 1 + 1 + 2 + size + 1


def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_on_downloads_feeds_and_calendar_are_405_even_with_csrf_checks(scene, method):
    from django.test import Client

    browser_like = Client(enforce_csrf_checks=True)
    municipality, period = scene.published.municipality.slug, scene.published.period.slug
    for path in [
        f"/oppna-data/{municipality}/{period}/loften.csv",
        f"/oppna-data/{municipality}/{period}/medborgarloften.xlsx",
        f"/oppna-data/{municipality}/lagesrapporter.atom",
        f"/oppna-data/{municipality}/sammantraden.atom",
        f"/oppna-data/{municipality}/sammantraden.ics",
        "/sitemap.xml",
        "/robots.txt",
    ]:
        assert getattr(browser_like, method)(path).status_code == 405, (method, path)
