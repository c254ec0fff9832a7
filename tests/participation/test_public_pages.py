"""The question form, "Frågor och svar", and what the promise and focus-area pages show."""

import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.form_guard import started_token
from participation.models import Question
from tests.followup.factories import MeetingFactory
from tests.participation.factories import DialogueFactory, QuestionFactory
from tests.promises.factories import FocusAreaFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(timra):
    return FocusAreaFactory(period=PeriodFactory(municipality=timra, slug="2025-2026"))


@pytest.fixture
def promise(area):
    return PromiseFactory(period=area.period, focus_areas=[area])


def ask_url(promise) -> str:
    return reverse(
        "participation:ask_about_promise",
        kwargs={
            "municipality": promise.period.municipality.slug,
            "period": promise.period.slug,
            "promise": promise.slug,
        },
    )


def form_data(**overrides) -> dict:
    data = {
        "message": "Kan polisen synas mer vid busstationen på kvällarna?",
        "display_name": "Sara",
        "email": "sara@example.invalid",
        "website": "",
        "started": started_token(time.time() - 60),
    }
    data.update(overrides)
    return data


def questions_url(municipality) -> str:
    return reverse("participation:questions", kwargs={"municipality": municipality.slug})


# --- The form ------------------------------------------------------------------------------


def test_the_form_page_sets_only_the_csrf_cookie_and_says_what_is_stored(client, promise):
    response = client.get(ask_url(promise))
    assert response.status_code == 200
    assert set(response.cookies) == {"csrftoken"}
    content = response.content.decode()
    assert "Det här sparar vi, och varför" in content
    assert "30 dagar" in content
    assert promise.title in content
    assert f'href="{reverse("pages:privacy")}#fraga-radet"' in content


def test_a_resident_sends_a_question_and_lands_on_the_thanks_page(client, promise):
    response = client.post(ask_url(promise), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "participation:thanks", kwargs={"municipality": promise.period.municipality.slug}
    )
    question = Question.objects.get()
    assert (question.promise, question.email, question.display_name) == (
        promise,
        "sara@example.invalid",
        "Sara",
    )
    assert question.status == Question.Status.NEW
    assert client.get(response["Location"]).status_code == 200


def test_asking_about_a_focus_area_works_too(client, area):
    url = reverse(
        "participation:ask_about_focus_area",
        kwargs={"municipality": "timra", "period": area.period.slug, "focus_area": area.slug},
    )
    assert client.post(url, form_data()).status_code == 302
    assert Question.objects.get().focus_area == area


def test_the_form_of_an_unpublished_or_unknown_subject_is_404(client, timra):
    draft = PromiseFactory(period=PeriodFactory(municipality=timra, is_published=False))
    assert client.get(ask_url(draft)).status_code == 404
    assert client.get("/timra/2025-2026/loften/finns-inte/fraga/").status_code == 404


def test_a_filled_honeypot_is_thanked_but_nothing_is_stored(client, promise):
    response = client.post(ask_url(promise), form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("started", "message"),
    [
        ("", "Formuläret kunde inte skickas"),
        ("forged", "Formuläret kunde inte skickas"),
        ("now", "Formuläret skickades väldigt snabbt"),
    ],
)
def test_a_form_sent_at_once_or_with_a_forged_time_is_not_stored(client, promise, started, message):
    token = started_token() if started == "now" else started
    response = client.post(ask_url(promise), form_data(started=token))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_the_minimum_fill_time_comes_from_the_setting(client, promise, settings):
    settings.QUESTION_MIN_FILL_SECONDS = 120
    response = client.post(ask_url(promise), form_data())  # shown a minute ago
    assert "Formuläret skickades väldigt snabbt" in response.content.decode()
    assert not Question.objects.exists()
    settings.QUESTION_MIN_FILL_SECONDS = 30
    assert client.post(ask_url(promise), form_data()).status_code == 302


def test_a_client_address_is_limited_to_a_few_questions_an_hour(client, promise, settings):
    settings.QUESTION_RATE_LIMIT = 3
    for n in range(3):
        assert client.post(ask_url(promise), form_data(message=f"Fråga {n}")).status_code == 302
    response = client.post(ask_url(promise), form_data(message="Fråga 4"))
    assert response.status_code == 429
    assert "Vänta en stund" in response.content.decode()
    assert Question.objects.count() == 3
    # Another address may still ask.
    other = client.post(ask_url(promise), form_data(), REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"message": ""}, "message", "Skriv din fråga eller ditt förslag."),
        ({"message": "å" * 2001}, "message", "Skriv högst 2000 tecken (nu 2001)."),
        ({"display_name": "n" * 81}, "display_name", "Skriv högst 80 tecken."),
        ({"email": "inte-en-adress"}, "email", "Skriv en giltig e-postadress"),
        (
            {"email": "a" * 250 + "@example.se"},
            "email",
            "E-postadressen får vara högst 254 tecken lång.",
        ),
        ({"message": "Hej\u202edolt"}, "message", "osynliga styrtecken"),
        ({"message": "Hej\x00"}, "message", "Null characters are not allowed"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_nothing_is_stored(
    client, promise, overrides, field, message
):
    response = client.post(ask_url(promise), form_data(**overrides))
    assert response.status_code == 400  # as the subscription form: shown again, with messages
    assert not Question.objects.exists()
    errors = " ".join(response.context["form"].errors[field])
    if field != "message" or "Null" not in message:
        assert message in errors
    assert 'class="invalid-feedback"' in response.content.decode()


def test_html_and_odd_letters_are_stored_as_written_and_shown_escaped(client, promise, secretary):
    text = "<script>alert(1)</script> Ünïcödé 👩‍👧 ÅÄÖ 中文 עברית"
    client.post(ask_url(promise), form_data(message=text, display_name="<b>Eva</b>"))
    question = Question.objects.get()
    assert question.message == text
    question.status = Question.Status.PUBLISHED
    question.save()
    content = client.get(promise.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content
    assert "&lt;b&gt;Eva&lt;/b&gt;" in content
    assert "👩‍👧" in content


def test_rapid_repeats_of_one_form_are_stopped_by_the_limit(client, promise):
    data = form_data()
    statuses = [client.post(ask_url(promise), data).status_code for _ in range(8)]
    assert statuses.count(302) == 5
    assert statuses[5:] == [429, 429, 429]
    assert Question.objects.count() == 5


# --- What the public sees -----------------------------------------------------------------


def test_the_promise_page_lists_published_questions_with_answers_and_dates(
    client, promise, secretary
):
    meeting = MeetingFactory(period=promise.period, is_published=True)
    QuestionFactory(
        promise=promise,
        message="Fråga som väntar på granskning",
    )
    QuestionFactory(
        promise=promise,
        message="Fråga som rådet har besvarat",
        status=Question.Status.SENT_TO_COUNCIL,
        meeting=meeting,
        answer="Rådet svarar ja.",
        email="hemlig@example.invalid",
    )
    QuestionFactory(
        promise=promise,
        message="Avvisad fråga",
        status=Question.Status.REJECTED,
        rejection_reason="offensive",
    )
    content = client.get(promise.get_absolute_url()).content.decode()
    assert "Fråga som rådet har besvarat" in content
    assert "Rådet svarar ja." in content
    assert "Rådets svar, sammanträdet 15 mars 2025" in content
    assert "väntar på granskning" not in content
    assert "Avvisad fråga" not in content
    assert "hemlig@example.invalid" not in content
    assert ask_url(promise) in content


def test_an_answer_of_an_unpublished_meeting_stays_hidden(client, promise):
    meeting = MeetingFactory(period=promise.period, is_published=False)
    QuestionFactory(
        promise=promise,
        status=Question.Status.SENT_TO_COUNCIL,
        meeting=meeting,
        answer="Hemligt utkast till svar",
    )
    content = client.get(promise.get_absolute_url()).content.decode()
    assert "Hemligt utkast" not in content
    assert "Väntar på rådets svar" in content


def test_the_focus_area_page_says_why_and_counts_residents_questions(client, area, promise):
    DialogueFactory(
        period=area.period, title="Trygghetsvandring i Vivsta", focus_areas=[area], respondents=42
    )
    DialogueFactory(period=area.period, title="Annat områdes dialog")
    QuestionFactory(promise=promise, status=Question.Status.PUBLISHED)
    QuestionFactory(promise=None, focus_area=area, status=Question.Status.SENT_TO_COUNCIL)
    QuestionFactory(promise=promise)  # not yet moderated
    content = client.get(area.get_absolute_url()).content.decode()
    assert "Varför det här området?" in content
    assert "Trygghetsvandring i Vivsta" in content
    assert "42 svarande" in content
    assert "Annat områdes dialog" not in content
    assert "2 invånare har ställt frågor om området." in content


def test_the_period_page_names_its_dialogues_and_the_areas_they_raised(client, area):
    DialogueFactory(period=area.period, title="Webbenkät hösten 2024", focus_areas=[area])
    content = client.get(area.period.get_absolute_url()).content.decode()
    assert "Webbenkät hösten 2024" in content
    assert area.get_absolute_url() in content


def test_the_questions_page_filters_by_focus_area_and_by_answered(client, timra, area, promise):
    other_area = FocusAreaFactory(period=area.period)
    other_promise = PromiseFactory(period=area.period, focus_areas=[other_area])
    meeting = MeetingFactory(period=area.period)
    QuestionFactory(
        promise=promise,
        message="Besvarad om området",
        status=Question.Status.SENT_TO_COUNCIL,
        meeting=meeting,
        answer="Svar.",
    )
    QuestionFactory(
        promise=other_promise, message="Obesvarad om annat", status=Question.Status.PUBLISHED
    )
    url = questions_url(timra)
    assert "Besvarad om området" in client.get(url).content.decode()
    only_area = client.get(url, {"omrade": area.pk}).content.decode()
    assert "Besvarad om området" in only_area and "Obesvarad om annat" not in only_area
    unanswered = client.get(url, {"besvarad": "nej"}).content.decode()
    assert "Obesvarad om annat" in unanswered and "Besvarad om området" not in unanswered
    answered = client.get(url, {"besvarad": "ja"}).content.decode()
    assert "Besvarad om området" in answered and "Obesvarad om annat" not in answered
    # A made-up filter value shows everything with a message, never an error.
    response = client.get(url, {"omrade": "x", "besvarad": "kanske"})
    assert response.status_code == 200


def test_the_questions_page_of_an_unknown_municipality_is_404(client):
    assert client.get("/finns-inte/fragor/").status_code == 404


# --- The municipality's menu --------------------------------------------------------------


def _menu(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_every_page_of_a_municipality_links_to_its_questions_in_the_menu(
    client, timra, area, promise
):
    path = questions_url(timra)
    link = f'href="{path}"'
    pages = [
        timra.get_absolute_url(),
        area.period.get_absolute_url(),
        promise.get_absolute_url(),
        area.get_absolute_url(),
        reverse("followup:meeting_list", kwargs={"municipality": "timra"}),
        reverse("promises:period_archive", kwargs={"municipality": "timra"}),
        ask_url(promise),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        menu = _menu(response.content.decode())
        assert f"<a {link}>Frågor och svar</a>" in menu, url

    questions = _menu(client.get(path).content.decode())
    assert f'<a {link} aria-current="page">Frågor och svar</a>' in questions
    english = _menu(client.get("/en" + pages[2]).content.decode())
    assert f'href="/en{path}">Questions and answers</a>' in english


# --- Cookies and the page cache -------------------------------------------------------------


def test_no_public_page_but_the_form_sets_a_cookie(client, timra, area, promise):
    QuestionFactory(promise=promise, status=Question.Status.PUBLISHED)
    urls = [
        promise.get_absolute_url(),
        area.get_absolute_url(),
        area.period.get_absolute_url(),
        questions_url(timra),
        questions_url(timra) + "?besvarad=ja",
        reverse("participation:thanks", kwargs={"municipality": "timra"}),
        reverse("opendata:municipality_questions_feed", kwargs={"municipality": "timra"}),
        reverse("api:question-list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
    assert "csrftoken" in client.get(ask_url(promise)).cookies


def test_promise_and_focus_area_pages_are_still_served_from_the_page_cache(
    client, settings, area, promise
):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    for url in (promise.get_absolute_url(), area.get_absolute_url()):
        assert client.get(url)["X-Cache"] == "miss"
        assert client.get(url)["X-Cache"] == "hit"
    assert client.get(ask_url(promise))["X-Cache"] == "bypass"


# --- Query counts at two sizes ------------------------------------------------------------


def _fill(timra, count: int):
    period = PeriodFactory(municipality=timra, slug="2025-2026")
    areas = [FocusAreaFactory(period=period) for _ in range(3)]
    meeting = MeetingFactory(period=period)
    promises = [PromiseFactory(period=period, focus_areas=[areas[n % 3]]) for n in range(3)]
    for n in range(count):
        QuestionFactory(
            promise=promises[n % 3],
            status=Question.Status.SENT_TO_COUNCIL,
            meeting=meeting,
            answer=f"Svar {n}",
        )
        QuestionFactory(promise=None, focus_area=areas[n % 3], status=Question.Status.PUBLISHED)
        DialogueFactory(period=period, focus_areas=areas[: 1 + n % 3])
    return period, areas, promises


QUERIES = {
    "questions": 3,
    "questions_filtered": 3,
    "feed": 2,
    "api": 2,
    "form": 1,
    # The existing pages with the includes, with dialogues and questions to show.
    "promise": 9,  # no activities here: tests/promises counts them
    "focus_area": 6,
    "period": 10,
}


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("page", list(QUERIES))
def test_each_new_page_costs_a_fixed_number_of_queries(
    client, django_assert_num_queries, timra, size, page
):
    _period, areas, promises = _fill(timra, size)
    url = {
        "questions": questions_url(timra),
        "questions_filtered": questions_url(timra) + f"?omrade={areas[0].pk}&besvarad=ja",
        "feed": reverse("opendata:municipality_questions_feed", kwargs={"municipality": "timra"}),
        "api": reverse("api:question-list"),
        "form": ask_url(promises[0]),
        "promise": promises[0].get_absolute_url(),
        "focus_area": areas[0].get_absolute_url(),
        "period": areas[0].period.get_absolute_url(),
    }[page]
    with django_assert_num_queries(QUERIES[page]):
        assert client.get(url).status_code == 200


def test_an_invalid_question_is_shown_again_with_the_same_status_as_the_subscription_form(
    client, promise
):
    """Both public forms answer a POST with errors the same way: 400, messages beside fields."""
    from subscriptions.models import Subscriber
    from tests.subscriptions.conftest import form_data as subscribe_data
    from tests.subscriptions.conftest import subscribe_url

    question = client.post(ask_url(promise), form_data(message="", email="inte-en-adress"))
    subscription = client.post(subscribe_url(promise), subscribe_data("inte-en-adress"))

    assert question.status_code == subscription.status_code == 400
    assert set(question.context["form"].errors) == {"message", "email"}
    assert 'aria-invalid="true"' in question.content.decode()
    assert not Question.objects.exists() and not Subscriber.objects.exists()
