"""The national overview at /: every municipality, filters, search, sorting, the overdue
flag, municipalities without promises, bad input, caching and the query count."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.scene import seed_scale
from followup.models import Council
from followup.overview import POLICE_PROMISES_URL
from promises.models import County
from tests.followup.factories import CouncilFactory, MeetingFactory
from tests.promises.factories import MunicipalityFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

# The sole municipality's check, the counties, the municipalities and their current
# periods (with the roll-up and the last follow-up), whatever the number of either.
OVERVIEW_QUERIES = 4


def with_promises(name: str, county=None, *, meetings_days_ago=(), cadence="quarter", promises=2):
    today = timezone.localdate()
    place = MunicipalityFactory(name=name, county=county)
    period = PeriodFactory(
        municipality=place,
        starts_on=today - datetime.timedelta(days=365),
        ends_on=today + datetime.timedelta(days=365),
    )
    CouncilFactory(municipality=place, follow_up_cadence=cadence)
    for _ in range(promises):
        PromiseFactory(period=period)
    for days in meetings_days_ago:
        MeetingFactory(period=period, date=today - datetime.timedelta(days=days))
    return place


@pytest.fixture
def counties():
    return {
        "22": County.objects.create(code="22", name="Västernorrlands län"),
        "23": County.objects.create(code="23", name="Jämtlands län"),
    }


@pytest.fixture
def portal(counties):
    """Three municipalities with promises (one overdue) and two without."""
    return {
        "timra": with_promises("Timrå", counties["22"], meetings_days_ago=(20,)),
        "sundsvall": with_promises("Sundsvall", counties["22"], meetings_days_ago=(200,)),
        "ostersund": with_promises("Östersund", counties["23"], meetings_days_ago=(40, 10)),
        "ragunda": MunicipalityFactory(name="Ragunda", county=counties["23"]),
        "ange": MunicipalityFactory(name="Ånge", county=counties["22"]),
    }


def rows(response) -> list[str]:
    return [row.municipality.name for row in response.context["overview"].rows]


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_with_one_municipality_the_root_stays_its_start_page(client, counties):
    with_promises("Timrå", counties["22"])
    MunicipalityFactory(name="Ragunda", county=counties["23"])  # reference data only
    response = client.get("/")
    assert response.templates[0].name == "promises/period_overview.html"


def test_lists_every_municipality_with_its_promises_progress_and_last_follow_up(client, portal):
    response = client.get("/")
    page = html(response)
    assert response.templates[0].name == "promises/home.html"
    assert rows(response) == ["Ragunda", "Sundsvall", "Timrå", "Ånge", "Östersund"]
    assert 'href="/timra/"' in page and 'href="/ostersund/"' in page
    assert "2 löften, 2025–2026" in page
    assert "0 % klart" in page
    last = (timezone.localdate() - datetime.timedelta(days=10)).strftime("%Y-%m-%d")
    assert response.context["overview"].rows[-1].last_follow_up.isoformat() == last
    assert "Senast uppföljt" in page and "Följer upp: varje kvartal" in page
    assert "5 kommuner" in page and "3 av dem har medborgarlöften i portalen." in page


def test_a_municipality_without_promises_is_listed_as_such_with_polisens_page(client, portal):
    page = html(client.get("/"))
    ragunda = page[page.index("Ragunda") : page.index("Sundsvall")]
    assert "Inga medborgarlöften i portalen." in ragunda
    assert f'href="{POLICE_PROMISES_URL}"' in ragunda
    assert 'href="/ragunda/"' not in page  # it has no page in the portal


def test_flags_an_overdue_follow_up_and_explains_the_rule(client, portal):
    response = client.get("/")
    page = html(response)
    flagged = {row.municipality.name for row in response.context["overview"].rows if row.overdue}
    assert flagged == {"Sundsvall"}
    sundsvall = page[page.index('href="/sundsvall/"') : page.index('href="/timra/"')]
    timra = page[page.index('href="/timra/"') : page.index("Ånge")]
    assert "Uppföljningen är försenad" in sundsvall
    assert "Uppföljningen är försenad" not in timra
    assert "När räknas uppföljningen som försenad?" in page
    assert "mer än 30 dagar längre än så" in page
    assert "1 har en försenad uppföljning." in page


def test_filters_by_county_those_without_promises_too(client, portal):
    response = client.get("/", {"lan": "23"})
    assert rows(response) == ["Ragunda", "Östersund"]
    assert '<option value="23" selected>Jämtlands län</option>' in html(response)


def test_searches_by_name_in_any_case(client, portal):
    assert rows(client.get("/", {"q": "ös"})) == ["Östersund"]
    assert rows(client.get("/", {"q": "S", "lan": "22"})) == ["Sundsvall"]
    assert "Ingen kommun matchar sökningen." in html(client.get("/", {"q": "Kiruna"}))


def test_sorts_by_name_progress_and_last_follow_up(client, portal):
    assert rows(client.get("/", {"sortera": "namn"}))[-2:] == ["Ånge", "Östersund"]
    by_follow_up = rows(client.get("/", {"sortera": "uppfoljning"}))
    assert by_follow_up == ["Östersund", "Timrå", "Sundsvall", "Ragunda", "Ånge"]
    by_progress = rows(client.get("/", {"sortera": "framsteg"}))
    assert by_progress[-2:] == ["Ragunda", "Ånge"]  # without promises last


@pytest.mark.parametrize(
    ("query", "field"),
    [({"lan": "99"}, "lan"), ({"sortera": "storlek"}, "sortera"), ({"q": "x" * 101}, "q")],
)
def test_an_invalid_value_is_shown_beside_its_field_and_the_rest_applies(
    client, portal, query, field
):
    response = client.get("/", query)
    page = html(response)
    assert f'id="id_{field}-error"' in page
    assert 'aria-invalid="true"' in page
    assert "Något i formuläret har ett värde som inte går att använda." in page
    assert len(rows(response)) == 5  # the invalid value is left out, nothing breaks


def test_the_form_is_a_plain_get_form_without_a_csrf_token(client, portal):
    page = html(client.get("/"))
    assert '<form method="get"' in page
    assert "csrfmiddlewaretoken" not in page
    for name in ('name="q"', 'name="lan"', 'name="sortera"'):
        assert name in page
    assert 'href="/oppna-data/oversikt.csv"' in page


def test_anonymous_visitors_get_no_cookie_and_the_english_interface_works(client, portal):
    for url in ("/", "/?lan=22&sortera=framsteg", "/?lan=x", "/en/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
    english = html(client.get("/en/"))
    assert '<html lang="en">' in english
    assert "Find a municipality" in english and "Follow-up overdue" in english
    assert "5 municipalities" in english


def test_the_overview_is_served_from_the_page_cache_and_its_fragment(
    client, portal, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/?lan=22")
    assert "Set-Cookie" not in first.headers
    with django_assert_num_queries(0):
        second = client.get("/?lan=22")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    client.cookies["besok"] = "1"  # a cookie: the page cache steps aside, the fragment does not
    with django_assert_num_queries(0):
        third = client.get("/?lan=22")
    assert third["X-Cache"] == "bypass"
    assert "Sundsvall" in third.content.decode()


@pytest.mark.parametrize("size", [3, 30])
def test_the_overview_of_all_municipalities_costs_a_fixed_number_of_queries(
    client, size, django_assert_num_queries
):
    call_command("load_municipalities", verbosity=0)
    seed_scale(size)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get("/", {"sortera": "framsteg"})
    overview = response.context["overview"]
    assert len(overview.rows) == 290 + size
    assert overview.with_promises == size
    # Demo councils follow up at several cadences; their last meeting was in 2025.
    cadences = {row.follow_up_cadence for row in overview.rows if row.has_promises}
    assert Council.FollowUpCadence.TERTIAL in cadences


def test_shows_fifty_at_a_time_with_links_that_keep_the_filters(client, counties):
    for number in range(2):
        with_promises(f"Kommun med löften {number}", counties["22"])
    for number in range(60):
        MunicipalityFactory(name=f"Kommun {number:02}", county=counties["22"])
    first = client.get("/", {"lan": "22", "sortera": "framsteg"})
    page = html(first)
    assert len(first.context["overview"].page) == 50
    assert "62 kommuner" in page and "Visar 1–50 av 62." in page and "Sida 1 av 2" in page
    assert 'href="?lan=22&amp;sortera=framsteg&amp;sida=2" rel="next"' in page
    second = client.get("/", {"lan": "22", "sortera": "framsteg", "sida": "2"})
    assert len(second.context["overview"].page) == 12
    assert 'rel="prev"' in html(second) and 'rel="next"' not in html(second)


@pytest.mark.parametrize(("number", "shown"), [("x", 1), ("0", 2), ("999", 2), ("-1", 2)])
def test_a_malformed_or_missing_page_number_shows_a_page_never_an_error(
    client, counties, number, shown
):
    with_promises("Timrå", counties["22"])
    with_promises("Sundsvall", counties["22"])
    for index in range(55):
        MunicipalityFactory(name=f"Kommun {index:02}", county=counties["22"])
    response = client.get("/", {"sida": number})
    assert response.status_code == 200
    assert response.context["overview"].page.number == shown
    assert "Något i formuläret" not in html(response)
