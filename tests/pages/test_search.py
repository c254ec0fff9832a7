"""Site-wide search: published data only, grouped by kind, Swedish word forms on PostgreSQL."""

import pytest
from django.db import connection
from django.urls import reverse

from activities.models import ProgressUpdate
from pages.forms import MAX_QUERY_LENGTH
from tests.activities.factories import ActivityFactory, ProgressUpdateFactory
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.factories import PeriodFactory, PromiseFactory
from tests.promises.public_data import build_public_period

pytestmark = pytest.mark.django_db

SEARCH = reverse("pages:search")


def search(client, query):
    return client.get(SEARCH, {"q": query})


@pytest.fixture
def published():
    data = build_public_period(1)
    promise = PromiseFactory(
        period=data.period,
        title="Trafikkontroller vid skolor",
        text="Polisen gör hastighetskontroller vid skolorna.",
    )
    activity = ActivityFactory(
        promise=promise, title="Nattvandring i centrum", description="Vuxna vandrar på helger."
    )
    ProgressUpdateFactory(
        activity=activity,
        text="Fyrtio nattvandrare deltog under våren.",
        status=ProgressUpdate.Status.IN_PROGRESS,
    )
    meeting = data.meetings[0]
    meeting.minutes = "Rådet diskuterade buskörning med mopeder."
    meeting.save()
    FollowUpFactory(
        meeting=data.meetings[1], promise=promise, comment="Cykelhjälmar delades ut till elever."
    )
    return data


def test_finds_promises_activities_updates_minutes_and_follow_ups_grouped_by_kind(
    client, published
):
    cases = {
        "Trafikkontroller": "promises",
        "Nattvandring": "activities",
        "nattvandrare": "updates",
        "buskörning": "meetings",
        "Cykelhjälmar": "follow_ups",
    }
    for query, kind in cases.items():
        response = search(client, query)
        results = response.context["results"]
        assert len(getattr(results, kind)) == 1, query
        assert results.count == 1, query
    html = search(client, "Nattvandring").content.decode()
    activity = published.period.promises.get(title="Trafikkontroller vid skolor").activities.get()
    assert f"#aktivitet-{activity.pk}" in html
    assert "Aktiviteter (1)" in html


def test_understands_swedish_word_forms_on_postgresql(client, published):
    if connection.vendor != "postgresql":
        pytest.skip("Swedish stemming needs PostgreSQL full-text search.")
    # The Swedish stemmer maps "skola" and "skolorna", "mopeden" and "mopeder" together.
    results = search(client, "skola").context["results"]
    assert [p.title for p in results.promises] == ["Trafikkontroller vid skolor"]
    results = search(client, "mopeden").context["results"]
    assert len(results.meetings) == 1


def test_every_word_must_match_in_any_case(client, published):
    results = search(client, "POLISEN skolorna").context["results"]
    assert [p.title for p in results.promises] == ["Trafikkontroller vid skolor"]
    assert search(client, "polisen bananer").context["results"].count == 0


def test_case_does_not_matter_for_swedish_letters_either(client, published):
    results = search(client, "VÅREN").context["results"]
    assert [u.text for u in results.updates] == ["Fyrtio nattvandrare deltog under våren."]


def test_never_finds_unpublished_periods_or_meetings(client, published):
    hidden = PeriodFactory(municipality=published.municipality, is_published=False)
    promise = PromiseFactory(period=hidden, title="Hemligt hundlöfte", text="Hundar.")
    ProgressUpdateFactory(activity=ActivityFactory(promise=promise, title="Hundpatrull"))
    draft = MeetingFactory(
        council=published.meetings[0].council,
        period=published.period,
        minutes="Hundar diskuterades i utkastet.",
        is_published=False,
    )
    FollowUpFactory(meeting=draft, promise=published.promises[0], comment="Hundar överallt.")
    for query in ("hundlöfte", "Hundpatrull", "hundar", "utkastet"):
        assert search(client, query).context["results"].count == 0, query


@pytest.mark.parametrize("size", [3, 30])
def test_search_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    build_public_period(size)
    # One query per kind of hit (six) and one for the menu's municipality.
    with django_assert_num_queries(7):
        response = search(client, "Arbetet")
    assert response.context["results"].count > 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Skriv ett eller flera ord att söka efter."),
        ("   ", "Skriv ett eller flera ord att söka efter."),
        ("a", "Skriv minst 2 tecken."),
        ("x" * (MAX_QUERY_LENGTH + 1), "Sökningen får vara högst 200 tecken lång"),
        ("!!", "Sökningen måste innehålla minst en bokstav eller siffra."),
        ("ab\x00cd", "Sökningen innehåller otillåtna tecken."),
    ],
)
def test_a_malformed_query_gives_a_swedish_message_not_an_error(client, query, message):
    build_public_period(1)
    response = search(client, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["results"] is None


@pytest.mark.parametrize(
    "query",
    [
        '"oavslutat citat',
        "och",
        "a & b | !c",
        "kontroll:*",
        "-",
        "(( ))x",
        "ab' OR 1=1 --",
        "<script>",
    ],
)
def test_search_syntax_characters_never_cause_an_error(client, query):
    build_public_period(1)
    response = search(client, query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_the_search_page_without_a_query_shows_only_the_form(client):
    response = client.get(SEARCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'role="search"' in html
    assert "Skriv ett eller flera ord" not in html


def test_the_search_form_is_get_and_sets_no_cookie(client, published):
    response = search(client, "Trafikkontroller")
    html = response.content.decode()
    assert '<form method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "Set-Cookie" not in response.headers


def test_each_kind_shows_at_most_twenty_hits_and_says_so(client):
    build_public_period(6)  # 24 progress updates say "Arbetet pågår enligt plan."
    response = search(client, "Arbetet")
    assert len(response.context["results"].updates) == 20
    assert "Varje grupp visar högst 20 träffar" in response.content.decode()
    assert "Varje grupp visar högst" not in search(client, "Löfte").content.decode()


@pytest.fixture
def with_diacritics():
    data = build_public_period(1)
    area = data.period.focus_areas.first()
    area.name = "Våld i nära relationer"
    area.description = "Stöd till den som utsätts för våld."
    area.save()
    meeting = data.meetings[0]
    meeting.attendees = "Kommunpolisen"
    meeting.minutes = "Fler närvarande poliser under helgkvällarna."
    meeting.save()
    return data


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("vald", "focus_areas"),
        ("VALD", "focus_areas"),
        ("våld", "focus_areas"),
        ("narvarande poliser", "meetings"),
        ("närvarande", "meetings"),
        ("helgkvallarna", "meetings"),
    ],
)
def test_words_typed_without_swedish_letters_find_words_with_them(
    client, with_diacritics, query, kind
):
    results = search(client, query).context["results"]
    assert len(getattr(results, kind)) == 1, query


def test_folding_works_both_ways(client):
    data = build_public_period(1)
    area = data.period.focus_areas.first()
    area.name = "Trafiksäkerhet vid skolor"
    area.save()
    # "trafiksakerhet" typed without ä, and "skolör" with a stray diacritic.
    assert len(search(client, "trafiksakerhet").context["results"].focus_areas) == 1
    assert len(search(client, "Trafiksäkerhet").context["results"].focus_areas) == 1


def test_focus_areas_are_searched_and_link_to_their_page(client, with_diacritics):
    area = with_diacritics.period.focus_areas.get(name="Våld i nära relationer")
    html = search(client, "relationer").content.decode()
    assert "Fokusområden (1)" in html
    assert f'href="{area.get_absolute_url()}"' in html


def test_unpublished_focus_areas_are_not_searched(client, with_diacritics):
    hidden = PeriodFactory(municipality=with_diacritics.municipality, is_published=False)
    hidden.focus_areas.create(name="Hemligt fokusområde", slug="hemligt", order=1)
    assert search(client, "Hemligt").context["results"].count == 0


def test_the_english_interface_says_the_content_is_in_swedish(client, with_diacritics):
    english = client.get("/en" + SEARCH, {"q": "traffic"}).content.decode()
    assert 'id="content-language-note"' in english
    assert "The content is written in Swedish" in english
    swedish = search(client, "trafik").content.decode()
    assert 'id="content-language-note"' not in swedish


def _menu(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_search_page_has_the_same_menu_as_the_start_page(client, with_diacritics):
    start = client.get("/").content.decode()
    for page in (SEARCH, reverse("pages:about"), reverse("pages:accessibility")):
        html = client.get(page).content.decode()
        assert _menu(html).replace(' aria-current="page"', "") == _menu(start).replace(
            ' aria-current="page"', ""
        ), page
    assert "Sammanträden" in _menu(client.get(SEARCH).content.decode())
