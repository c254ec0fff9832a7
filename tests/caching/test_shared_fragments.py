"""Shared fragments (caching/fragments.py): the costly part of the start and promise pages
is made once and served to logged-in staff and cookie-carrying visitors too, and every
write through the services is on the very next page."""

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from activities.models import ProgressUpdate
from activities.services import progress_update_create
from caching import fragments
from followup.models import FollowUp
from followup.services import follow_up_save, meeting_publish
from tests.followup.factories import FollowUpFactory, MeetingFactory
from tests.promises.public_data import build_public_period
from website import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture(autouse=True)
def _swedish_afterwards(settings):
    """The test client leaves the last page's language active in this thread."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def data(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_public_period(3)


@pytest.fixture
def visitor(client):
    """A visitor with a cookie of no meaning to the site: the page cache steps aside."""
    client.cookies["besok"] = "1"
    return client


@pytest.fixture
def staff(client, national_administrator):
    client.force_login(national_administrator)
    return client


def start_page(data) -> str:
    return reverse("promises:municipality", kwargs={"municipality": data.municipality.slug})


def promise_page(data) -> str:
    return data.promises[0].get_absolute_url()


def get(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Cache"] == "bypass"  # never the whole-page cache: these carry cookies
    return response.content.decode()


@pytest.mark.parametrize("page", [start_page, promise_page])
def test_a_cookie_carrying_visitor_gets_the_stored_page_without_a_query(
    visitor, data, page, django_assert_num_queries
):
    first = get(visitor, page(data))
    with django_assert_num_queries(0):
        second = get(visitor, page(data))
    assert second == first


@pytest.mark.parametrize("page", [start_page, promise_page])
def test_staff_get_the_same_page_as_anybody_from_the_stored_fragments(
    visitor, data, page, national_administrator, django_assert_max_num_queries
):
    made_for_the_visitor = get(visitor, page(data))
    staff = Client()
    staff.force_login(national_administrator)
    # The session and the user: nothing of the page itself.
    with django_assert_max_num_queries(3):
        assert get(staff, page(data)) == made_for_the_visitor


def test_each_language_has_its_own_fragments(visitor, data):
    swedish = get(visitor, promise_page(data))
    english = get(visitor, "/en" + promise_page(data))
    assert "Det här görs" in swedish and "Det här görs" not in english
    assert 'lang="en"' in english and "Sök" in swedish


def test_a_progress_update_is_on_the_next_page_of_the_staff_member_who_wrote_it(
    staff, data, national_administrator, django_capture_on_commit_callbacks
):
    activity = data.promises[0].activities.order_by("order", "pk").first()
    get(staff, start_page(data))
    get(staff, promise_page(data))

    with django_capture_on_commit_callbacks(execute=True):
        progress_update_create(
            user=national_administrator,
            activity=activity,
            status=ProgressUpdate.Status.IN_PROGRESS,
            percent_complete=97,
            text="Nästan klart med kvällsvandringarna.",
            reported_on=timezone.localdate(),
        )

    assert "Nästan klart med kvällsvandringarna." in get(staff, start_page(data))
    assert "97 %" in get(staff, promise_page(data))


def test_publishing_a_meeting_shows_its_follow_up_on_the_next_page(
    staff, data, national_administrator, django_capture_on_commit_callbacks
):
    promise = data.promises[0]
    with django_capture_on_commit_callbacks(execute=True):
        meeting = MeetingFactory(
            council=data.meetings[0].council,
            period=data.period,
            date=timezone.localdate() - datetime.timedelta(days=3),
            is_published=False,
        )
        FollowUpFactory(
            meeting=meeting, promise=promise, comment="Rådet ser en tydlig förbättring."
        )
        for other in data.promises[1:]:  # publishing needs every promise assessed
            FollowUpFactory(meeting=meeting, promise=other)
    assert "Rådet ser en tydlig förbättring." not in get(staff, promise_page(data))

    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_publish(user=national_administrator, meeting=meeting)

    assert "Rådet ser en tydlig förbättring." in get(staff, promise_page(data))


def test_a_corrected_follow_up_is_on_the_next_page(
    staff, data, national_administrator, django_capture_on_commit_callbacks
):
    follow_up = FollowUp.objects.filter(promise=data.promises[0], activity=None).first()
    get(staff, promise_page(data))

    follow_up.comment = "Rättat: löftet följer planen."
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_save(
            user=national_administrator,
            follow_up=follow_up,
            opened_version=follow_up.meeting.version,
            reason="Fel ord i protokollet.",
        )

    assert "Rättat: löftet följer planen." in get(staff, promise_page(data))


def test_the_generation_is_read_before_the_view_queries(visitor, data, monkeypatch):
    """A change committed while a page is being made must not be stored as current."""
    read = []
    real = fragments.current_generation
    monkeypatch.setattr(fragments, "current_generation", lambda: read.append("g") or real())
    real_period = selectors.current_period

    def current_period(*args, **kwargs):
        read.append("query")
        return real_period(*args, **kwargs)

    monkeypatch.setattr(selectors, "current_period", current_period)
    get(visitor, start_page(data))
    assert read == ["g", "query"]


def stored_entries(settings) -> int:
    return len(list(Path(settings.CACHES["default"]["LOCATION"]).glob("*.djcache")))


def test_made_up_addresses_are_404s_and_store_nothing(visitor, data, settings):
    get(visitor, promise_page(data))
    stored = stored_entries(settings)
    for number in range(5):
        missing = promise_page(data).replace(data.promises[0].slug, f"finns-inte-{number}")
        assert visitor.get(missing).status_code == 404
    assert stored_entries(settings) == stored


def test_without_the_page_cache_every_request_makes_the_page_afresh(visitor, data, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(visitor, promise_page(data))
    with CaptureQueriesContext(connection) as captured:
        get(visitor, promise_page(data))
    assert len(captured) >= 10


def test_without_a_reachable_cache_pages_are_made_afresh(visitor, data):
    expected = get(visitor, promise_page(data))
    closed = {
        "default": {
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    with override_settings(CACHES=closed), CaptureQueriesContext(connection) as captured:
        assert get(visitor, promise_page(data)) == expected
    assert len(captured) >= 10
