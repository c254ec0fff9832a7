"""The public promise pages: content, query counts at two sizes, 404s and no cookies."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ProgressUpdate
from tests.activities.factories import ActivityFactory, ProgressUpdateFactory
from tests.promises.factories import (
    FocusAreaFactory,
    MunicipalityFactory,
    PeriodFactory,
    PromiseFactory,
)
from tests.promises.public_data import build_public_period

SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def page_urls(data) -> dict[str, str]:
    municipality, period = data.municipality.slug, data.period.slug
    promise = data.promises[0]
    return {
        "start": reverse("promises:municipality", kwargs={"municipality": municipality}),
        "period": reverse(
            "promises:period", kwargs={"municipality": municipality, "period": period}
        ),
        "archive": reverse("promises:period_archive", kwargs={"municipality": municipality}),
        "list": reverse(
            "promises:promise_list", kwargs={"municipality": municipality, "period": period}
        ),
        "list_filtered": reverse(
            "promises:promise_list", kwargs={"municipality": municipality, "period": period}
        )
        + f"?omrade={data.focus_areas[0].slug}&aktor={data.police.slug}&status=in_progress",
        "promise": promise.get_absolute_url(),
        "focus_area": data.focus_areas[0].get_absolute_url(),
    }


# Each page type costs this many queries whatever the amount of data. The period
# pages read their dialogues, the promise page its residents' questions and the
# focus-area page its dialogues and question count (participation's includes).
EXPECTED_QUERIES = {
    "start": 10,
    "period": 9,
    "archive": 2,
    "list": 5,
    "list_filtered": 5,
    "promise": 15,
    "focus_area": 6,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page", list(EXPECTED_QUERIES))
def test_each_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, size, page):
    data = build_public_period(size)
    url = page_urls(data)[page]
    with django_assert_num_queries(EXPECTED_QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 6])
def test_the_national_overview_costs_four_queries(client, django_assert_num_queries, count):
    # The sole municipality's check, the counties, the municipalities and their current
    # periods (tests/public/test_national_overview.py has the rest of the overview).
    for number in range(count):
        build_public_period(1, slug=f"kommun{number}")
    with django_assert_num_queries(4):
        response = client.get("/")
    assert len(response.context["overview"].rows) == count


def test_the_root_shows_the_only_municipality_and_lists_several(client):
    build_public_period(2, slug="timra")
    response = client.get("/")
    assert response.templates[0].name == "promises/period_overview.html"
    assert "Medborgarlöften i Timra 2025–2026" in response.content.decode()

    build_public_period(2, slug="sundsvall")
    response = client.get("/")
    html = response.content.decode()
    assert response.templates[0].name == "promises/home.html"
    assert 'href="/timra/"' in html
    assert 'href="/sundsvall/"' in html


def test_the_root_does_not_list_a_municipality_without_a_published_period(client):
    build_public_period(2, slug="timra")
    PeriodFactory(
        municipality=MunicipalityFactory(name="Hemlig", slug="hemlig"), is_published=False
    )
    response = client.get("/")
    assert response.templates[0].name == "promises/period_overview.html"
    assert "/hemlig/" not in response.content.decode()


def _earlier_period(municipality):
    """A published 2019–2020 period before the current one, with "Ett gammalt löfte"."""
    older = PeriodFactory(
        municipality=municipality,
        name="2019–2020",
        slug="2019-2020",
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
    )
    PromiseFactory(period=older, title="Ett gammalt löfte")
    return older


def test_the_start_page_shows_the_current_period_areas_promises_updates_and_meetings(client):
    data = build_public_period(3)
    _earlier_period(data.municipality)
    html = client.get(data.municipality.get_absolute_url()).content.decode()

    assert "Medborgarlöften i Timra 2025–2026" in html
    assert "Ett gammalt löfte" not in html
    for area in data.focus_areas:
        assert area.get_absolute_url() in html
    for promise in data.promises:
        assert promise.get_absolute_url() in html
    # Progress as text and as a <progress> with its value; lateness in words.
    assert '<progress max="100" value="60"' in html
    assert "60 % klart" in html
    assert "Försenad" in html
    # The next planned meeting's date and place; the latest published meeting linked.
    assert data.planned_meeting.date.strftime("%Y") in html
    assert data.meetings[1].get_absolute_url() in html
    assert data.planned_meeting.get_absolute_url() not in html
    assert "Arbetet pågår enligt plan." in html


def test_an_earlier_period_stays_reachable_in_the_archive(client):
    data = build_public_period(1)
    older = _earlier_period(data.municipality)
    hidden = PeriodFactory(municipality=data.municipality, name="2027–2028", is_published=False)

    archive = client.get(
        reverse("promises:period_archive", kwargs={"municipality": data.municipality.slug})
    ).content.decode()
    assert archive.index(data.period.get_absolute_url()) < archive.index(older.get_absolute_url())
    assert hidden.get_absolute_url() not in archive
    older_html = client.get(older.get_absolute_url()).content.decode()
    assert "Ett gammalt löfte" in older_html
    assert "Perioden är avslutad." in older_html
    assert (
        "Perioden är avslutad." not in client.get(data.period.get_absolute_url()).content.decode()
    )
    # An earlier period's page shows its own meetings, not today's.
    assert data.meetings[1].get_absolute_url() not in older_html
    assert "Inget protokoll är publicerat ännu." in older_html
    assert "Inget sammanträde är inplanerat ännu." in older_html


def test_the_promise_page_shows_activities_timeline_indicators_and_follow_ups(client):
    data = build_public_period(1)
    promise = data.promises[0]
    response = client.get(promise.get_absolute_url())
    html = response.content.decode()

    assert promise.text in html
    assert "tillsammans med invånarna" not in html
    for area in promise.focus_areas.all():
        assert area.get_absolute_url() in html
    activities = list(promise.activities.order_by("order"))
    assert f'id="aktivitet-{activities[0].pk}"' in html
    # The first activity's planned end has passed: it is marked late in words.
    assert "Planerat slut har passerats." in html
    # Timeline newest first.
    updates = list(response.context["detail"].activities[0].updates.all())
    assert [u.reported_on for u in updates] == sorted(
        (u.reported_on for u in updates), reverse=True
    )
    # Each indicator as a chart and as a table.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart"') == 2
    assert html.count('class="table table-sm indicator-table"') == 2
    # Measurement dates in words, as everywhere on the site ("1 december 2026").
    measured = promise.indicators.get().measurements.order_by("measured_on").first().measured_on
    month = SWEDISH_MONTHS[measured.month - 1]
    assert (
        f'<time datetime="{measured.isoformat()}">{measured.day} {month} {measured.year}</time>'
    ) in html
    # The council's follow-ups, meeting by meeting, newest first.
    newest, oldest = data.meetings[1], data.meetings[0]
    assert html.index(newest.get_absolute_url()) < html.index(oldest.get_absolute_url())
    assert "Avvikelse" in html
    # The late activity's own block links the meetings that followed it up.
    late_block = html.split(f'id="aktivitet-{activities[0].pk}"')[1].split("</article>")[0]
    assert newest.get_absolute_url() in late_block
    assert oldest.get_absolute_url() in late_block
    other_block = html.split(f'id="aktivitet-{activities[1].pk}"')[1].split("</article>")[0]
    assert newest.get_absolute_url() not in other_block


def test_staff_text_is_shown_as_text_and_never_runs(client):
    data = build_public_period(1)
    activity = data.promises[0].activities.first()
    ProgressUpdateFactory(
        activity=activity,
        text='<script>alert("x")</script>\nAndra raden',
        status=ProgressUpdate.Status.IN_PROGRESS,
    )
    html = client.get(data.promises[0].get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>Andra raden" in html


def test_a_completed_promise_says_so_in_words(client):
    data = build_public_period(1)
    promise = PromiseFactory(period=data.period, title="Klart löfte")
    ProgressUpdateFactory(
        activity=ActivityFactory(promise=promise),
        status=ProgressUpdate.Status.COMPLETED,
        percent_complete=100,
    )
    html = client.get(promise.get_absolute_url()).content.decode()
    assert "Genomfört" in html
    assert '<progress max="100" value="100"' in html
    assert "100 % klart" in html


def test_each_area_card_on_the_start_page_lists_its_own_promises_in_order(client):
    data = build_public_period(5)
    html = client.get(data.municipality.get_absolute_url()).content.decode()
    cards = html.split('<article class="card h-100">')[1:]

    for area, card in zip(data.focus_areas, cards, strict=True):
        card = card.split("</article>")[0]
        expected = [p for p in data.promises if area in p.focus_areas.all()]
        listed = [p for p in data.promises if p.get_absolute_url() in card]
        assert area.get_absolute_url() in card
        assert listed == expected
        positions = [card.index(p.get_absolute_url()) for p in listed]
        assert positions == sorted(positions)


def test_the_focus_area_page_lists_only_its_promises(client):
    data = build_public_period(3)
    area = data.focus_areas[0]
    html = client.get(area.get_absolute_url()).content.decode()
    for promise in data.promises:
        assert (promise.get_absolute_url() in html) == promise.focus_areas.filter(
            pk=area.pk
        ).exists()


class TestPromiseListFilters:
    def list_url(self, data) -> str:
        return reverse(
            "promises:promise_list",
            kwargs={"municipality": data.municipality.slug, "period": data.period.slug},
        )

    def test_filters_by_focus_area(self, client):
        data = build_public_period(3)
        area = FocusAreaFactory(period=data.period, name="Trafik", slug="trafik")
        only = PromiseFactory(period=data.period, title="Trafiklöftet", focus_areas=[area])
        response = client.get(self.list_url(data), {"omrade": "trafik"})
        assert [p.pk for p in response.context["promises"]] == [only.pk]

    def test_filters_by_organisation_giving_the_promise_or_responsible_for_an_activity(
        self, client
    ):
        data = build_public_period(2)
        from tests.promises.factories import OrganisationFactory

        school = OrganisationFactory(name="Skolan")
        given = PromiseFactory(period=data.period, organisations=[school])
        worked_on = PromiseFactory(period=data.period)
        ActivityFactory(promise=worked_on, other_organisations=[school])
        response = client.get(self.list_url(data), {"aktor": school.slug})
        assert {p.pk for p in response.context["promises"]} == {given.pk, worked_on.pk}

    def test_filters_by_status_and_by_lateness(self, client):
        data = build_public_period(2)
        fresh = PromiseFactory(period=data.period, title="Inte påbörjat")
        response = client.get(self.list_url(data), {"status": "not_started"})
        assert [p.pk for p in response.context["promises"]] == [fresh.pk]
        response = client.get(self.list_url(data), {"status": "forsenad"})
        assert {p.pk for p in response.context["promises"]} == {p.pk for p in data.promises}

    @pytest.mark.parametrize(
        "query",
        [
            {"status": "bogus"},
            {"omrade": "finns-inte"},
            {"aktor": "<script>"},
            {"status": ["in_progress", "x" * 5000]},
            {"omrade": "\x00"},
        ],
    )
    def test_an_unknown_filter_value_gives_a_swedish_message_not_an_error(self, client, query):
        data = build_public_period(2)
        response = client.get(self.list_url(data), query)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Något filter har ett värde som inte finns." in html
        assert "finns inte bland alternativen" in html
        assert "<script>" not in html
        assert len(response.context["promises"]) == 2

    def test_the_filter_form_is_sent_with_get_and_carries_no_csrf_token(self, client):
        data = build_public_period(1)
        html = client.get(self.list_url(data)).content.decode()
        assert '<form method="get"' in html
        assert "csrfmiddlewaretoken" not in html


class TestNotFound:
    def test_unknown_municipality_period_promise_and_focus_area_are_404(self, client):
        data = build_public_period(1)
        m, p = data.municipality.slug, data.period.slug
        for url in (
            "/finns-inte/",
            "/finns-inte/perioder/",
            f"/{m}/finns-inte/",
            f"/{m}/finns-inte/loften/",
            f"/{m}/{p}/loften/finns-inte/",
            f"/{m}/{p}/omraden/finns-inte/",
            f"/{m}/{p}/loften/{data.promises[0].slug}/extra/",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert "Sidan finns inte" in response.content.decode()

    def test_an_unpublished_period_and_everything_under_it_is_404(self, client):
        data = build_public_period(1)
        hidden = PeriodFactory(municipality=data.municipality, slug="utkast", is_published=False)
        area = FocusAreaFactory(period=hidden)
        promise = PromiseFactory(period=hidden, focus_areas=[area])
        for url in (
            hidden.get_absolute_url(),
            reverse(
                "promises:promise_list",
                kwargs={"municipality": data.municipality.slug, "period": hidden.slug},
            ),
            promise.get_absolute_url(),
            area.get_absolute_url(),
        ):
            assert client.get(url).status_code == 404, url

    def test_a_municipality_with_only_unpublished_periods_is_404(self, client):
        hidden = PeriodFactory(is_published=False)
        assert client.get(hidden.municipality.get_absolute_url()).status_code == 404
        assert client.get(f"/{hidden.municipality.slug}/perioder/").status_code == 404

    def test_a_promise_is_only_found_under_its_own_period(self, client):
        data = build_public_period(1)
        other = PeriodFactory(municipality=data.municipality, slug="annan")
        url = reverse(
            "promises:promise",
            kwargs={
                "municipality": data.municipality.slug,
                "period": other.slug,
                "promise": data.promises[0].slug,
            },
        )
        assert client.get(url).status_code == 404


def test_anonymous_visitors_get_no_cookie_on_any_promise_page(client):
    data = build_public_period(2)
    urls = [
        *page_urls(data).values(),
        "/",
        "/en/",
        "/finns-inte/",
        page_urls(data)["list"] + "?status=x",
    ]
    for url in urls:
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url


def test_the_english_interface_lives_under_en_and_links_back_to_the_same_page(client):
    data = build_public_period(1)
    url = data.promises[0].get_absolute_url()
    swedish = client.get(url).content.decode()
    assert '<html lang="sv">' in swedish
    assert f'href="/en{url}" lang="en"' in swedish
    english = client.get(f"/en{url}")
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert f'href="{url}" lang="sv"' in html
    # Staff-written Swedish content keeps its own language inside the English page.
    assert f'<h1 lang="sv">{data.promises[0].title}</h1>' in html
    assert '<div lang="sv" class="staff-text">' in html


def test_an_unprefixed_url_is_swedish_whatever_the_browser_asks_for(client):
    build_public_period(1)
    response = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="sv">' in response.content.decode()


def test_models_know_their_public_address():
    data = build_public_period(1)
    promise = data.promises[0]
    assert data.municipality.get_absolute_url() == "/timra/"
    assert data.period.get_absolute_url() == "/timra/2025-2026/"
    assert promise.get_absolute_url() == f"/timra/2025-2026/loften/{promise.slug}/"
    area = data.focus_areas[0]
    assert area.get_absolute_url() == f"/timra/2025-2026/omraden/{area.slug}/"
    meeting = data.meetings[0]
    assert meeting.get_absolute_url() == f"/timra/sammantraden/{meeting.pk}/"
    assert timezone.localdate()  # the data is built relative to today


def test_follow_ups_from_an_unpublished_meeting_stay_hidden_on_the_promise_page(client):
    from tests.followup.factories import FollowUpFactory

    data = build_public_period(1)
    promise = data.promises[0]
    FollowUpFactory(
        meeting=data.planned_meeting, promise=promise, comment="Utkast som inte är justerat."
    )
    FollowUpFactory(
        meeting=data.planned_meeting,
        promise=promise,
        activity=promise.activities.first(),
        comment="Utkast om aktiviteten.",
    )
    html = client.get(promise.get_absolute_url()).content.decode()
    assert "Utkast" not in html
    assert data.planned_meeting.get_absolute_url() not in html


def _headline_html(client, promise) -> str:
    html = client.get(promise.get_absolute_url()).content.decode()
    return html.split('id="lagesbild"', 1)[1].split("</div>", 1)[0]


def _overdue_activity(promise, title: str):
    activity = ActivityFactory(
        promise=promise,
        title=title,
        planned_start=timezone.localdate() - datetime.timedelta(days=60),
        planned_end=timezone.localdate() - datetime.timedelta(days=10),
    )
    ProgressUpdateFactory(
        activity=activity,
        status=ProgressUpdate.Status.IN_PROGRESS,
        percent_complete=50,
        reported_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    return activity


def test_the_top_of_a_promise_page_shows_the_councils_latest_verdict_and_links_to_it(client):
    from tests.followup.factories import FollowUpFactory

    data = build_public_period(1)
    promise = PromiseFactory(period=data.period, title="Trygg trafik")
    _overdue_activity(promise, "Hastighetskontroller")
    latest = data.meetings[1]
    FollowUpFactory(meeting=data.meetings[0], promise=promise, assessment="deviation")
    FollowUpFactory(meeting=latest, promise=promise, assessment="done")

    headline = _headline_html(client, promise)

    assert "Genomfört" in headline
    assert f"Rådets bedömning {latest.date.day} " in headline
    assert 'href="#followups-heading"' in headline
    # The council judged it done: the overdue activity is named, not flagged, and the
    # reports' "Pågår" (all weighed by the council) does not contradict the verdict.
    assert "Hastighetskontroller" in headline
    assert "late-badge" not in headline
    assert "Pågår" not in headline


def test_without_a_verdict_the_top_shows_the_reports_status_and_names_late_activities(client):
    data = build_public_period(1)
    promise = PromiseFactory(period=data.period, title="Trygg trafik")
    _overdue_activity(promise, "Hastighetskontroller")

    headline = _headline_html(client, promise)

    assert "Pågår" in headline
    assert "1 försenad aktivitet" in headline
    assert "Hastighetskontroller" in headline
    assert 'href="#followups-heading"' in headline


def test_reports_after_the_latest_meeting_show_beside_the_verdict(client):
    from tests.followup.factories import FollowUpFactory

    data = build_public_period(1)
    promise = PromiseFactory(period=data.period, title="Trygg trafik")
    FollowUpFactory(meeting=data.meetings[1], promise=promise, assessment="on_track")
    ProgressUpdateFactory(
        activity=ActivityFactory(promise=promise),
        status=ProgressUpdate.Status.IN_PROGRESS,
        percent_complete=40,
        reported_on=timezone.localdate(),
    )

    headline = _headline_html(client, promise)

    assert "Enligt plan" in headline
    assert "Lägesrapporter efter sammanträdet:" in headline
    assert "Pågår" in headline
