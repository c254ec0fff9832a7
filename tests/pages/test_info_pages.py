"""About, accessibility statement, error pages, layout and language links."""

import pytest
from django.template import Context, Template, loader
from django.urls import reverse

from tests.promises.public_data import build_public_period

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["pages:about", "pages:accessibility", "pages:search"])
def test_info_pages_cost_a_fixed_number_of_queries_and_set_no_cookie(
    client, django_assert_num_queries, name
):
    # One query: is there a single municipality whose menu the page should show?
    with django_assert_num_queries(1):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_the_about_page_explains_promises_and_their_follow_up(client):
    html = client.get(reverse("pages:about")).content.decode()
    assert "<h1>Om medborgarlöften</h1>" in html
    assert "Rådet för trygghet och hälsa" in html
    assert "försenad" in html


def test_the_accessibility_statement_names_the_law_the_testing_and_the_supervisor(client):
    html = client.get(reverse("pages:accessibility")).content.decode()
    assert "lagen (2018:1937) om tillgänglighet till digital offentlig service" in html
    assert "WCAG 2.1" in html
    assert "axe-core" in html
    assert "tangentbordet" in html
    assert "Myndigheten för digital förvaltning (Digg)" in html
    assert "Rapportera brister" in html


def test_every_page_has_a_skip_link_navigation_and_footer_links(client):
    data = build_public_period(1)
    html = client.get(data.municipality.get_absolute_url()).content.decode()
    assert 'href="#main"' in html
    assert 'aria-label="Huvudmeny"' in html
    assert 'aria-current="page"' in html
    assert f'href="{reverse("pages:about")}"' in html
    assert f'href="{reverse("pages:accessibility")}"' in html
    assert 'href="/timra/sammantraden/"' in html
    assert 'href="/timra/perioder/"' in html


def test_no_page_asks_the_browser_for_anything_from_another_site(client):
    data = build_public_period(1)
    for url in ("/", data.promises[0].get_absolute_url(), reverse("pages:accessibility")):
        html = client.get(url).content.decode()
        assert 'src="http' not in html
        assert '<link rel="stylesheet" href="http' not in html
        assert "/static/css/bootstrap.css" in html


def test_the_404_page_is_humane_and_keeps_the_language(client):
    response = client.get("/en/finns-inte/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en">' in html
    assert 'href="/en/sok/"' in html
    swedish = client.get("/finns-inte/").content.decode()
    assert "Sidan finns inte" in swedish
    assert 'href="/" lang="sv"' not in swedish  # a link to Swedish is not needed on Swedish
    assert 'href="/en/finns-inte/" lang="en"' in swedish
    # A path that matches no page at all links to the English start page.
    nowhere = client.get("/a/b/c/d/e/f/g/").content.decode()
    assert 'href="/en/" lang="en"' in nowhere


def test_the_500_page_renders_without_any_context():
    html = loader.get_template("500.html").render()
    assert "Något gick fel" in html
    assert "<script" not in html


def test_the_language_link_never_points_to_another_site(rf):
    request = rf.get("/")
    request.path = "//evil.example/timra/"  # a protocol-relative path, as a crafted link sends
    template = Template(
        "{% load public %}{% other_languages as links %}{% for l in links %}{{ l.url }}{% endfor %}"
    )
    assert template.render(Context({"request": request})) == "/en/"
    request.path = "/timra/"
    assert template.render(Context({"request": request})) == "/en/timra/"


def test_the_language_link_keeps_the_search_query(client):
    html = client.get("/sok/", {"q": "trafik"}).content.decode()
    assert 'href="/en/sok/?q=trafik" lang="en"' in html
