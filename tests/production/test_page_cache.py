"""The shared page cache for anonymous visitors: what is stored, what is never
stored, and that every change to the content makes the cached pages stale."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from caching.generation import GENERATION_KEY, current_generation
from tests.activities.factories import ActivityFactory, ProgressUpdateFactory
from tests.promises.factories import OrganisationFactory, PromiseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.production.urls")]


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_the_test_suite_caches_no_pages_unless_asked(client, settings, promise):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(page(promise))
    assert client.get(page(promise))["X-Cache"] == "bypass"


@pytest.fixture
def promise(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        promise = PromiseFactory(title="Trygga skolvägar")
        activity = ActivityFactory(promise=promise)
        ProgressUpdateFactory(activity=activity, percent_complete=40, reported_on=date(2025, 3, 1))
    return promise


def page(promise) -> str:
    return f"/test/promise/{promise.pk}/"


def test_an_anonymous_page_is_served_from_the_cache_the_second_time(client, promise):
    first = client.get(page(promise))
    second = client.get(page(promise))

    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second.content == first.content == "<p lang='sv'>Trygga skolvägar: 40%</p>".encode()
    assert "Set-Cookie" not in second and not second.cookies


def test_a_cached_hit_costs_no_database_query(client, promise, django_assert_num_queries):
    client.get(page(promise))
    with django_assert_num_queries(0):
        assert client.get(page(promise))["X-Cache"] == "hit"


def test_a_head_request_is_answered_from_the_cached_get(client, promise):
    client.get(page(promise))
    assert client.head(page(promise))["X-Cache"] == "hit"


def test_a_new_progress_update_is_shown_at_once(
    client, promise, django_capture_on_commit_callbacks
):
    client.get(page(promise))
    with django_capture_on_commit_callbacks(execute=True):
        ProgressUpdateFactory(
            activity=promise.activities.get(), percent_complete=90, reported_on=date(2025, 4, 1)
        )

    response = client.get(page(promise))

    assert response["X-Cache"] == "miss"
    assert "Trygga skolvägar: 90%" in response.content.decode()


def test_deleting_and_many_to_many_changes_invalidate(
    client, promise, django_capture_on_commit_callbacks
):
    client.get(page(promise))
    with django_capture_on_commit_callbacks(execute=True):
        promise.organisations.add(OrganisationFactory())
    assert client.get(page(promise))["X-Cache"] == "miss"

    with django_capture_on_commit_callbacks(execute=True):
        promise.activities.get().updates.all().delete()
    response = client.get(page(promise))
    assert response["X-Cache"] == "miss"
    assert "Trygga skolvägar: 0%" in response.content.decode()


def test_invalidation_waits_for_the_commit_and_happens_once_per_transaction(
    promise, django_capture_on_commit_callbacks
):
    before = current_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            for percent in (50, 60, 70):
                ProgressUpdateFactory(activity=promise.activities.get(), percent_complete=percent)
        assert current_generation() == before, "nothing is invalidated before the commit"

    assert callbacks
    for callback in callbacks:
        callback()
    assert current_generation() == before + 1


def test_a_rolled_back_change_invalidates_nothing(promise, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ProgressUpdateFactory(activity=promise.activities.get(), percent_complete=99)
        raise RuntimeError("rolled back")
    assert callbacks == []


def test_the_generation_survives_being_evicted_without_reviving_old_pages(client, promise):
    client.get(page(promise))
    old = current_generation()
    cache.delete(GENERATION_KEY)

    assert current_generation() > old
    assert client.get(page(promise))["X-Cache"] == "miss"


def test_logged_in_staff_always_get_a_fresh_page(client, promise, admin_user):
    client.get(page(promise))
    client.force_login(admin_user)

    response = client.get(page(promise))

    assert response["X-Cache"] == "bypass"


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_AUTHORIZATION": "Token abc"}, {"HTTP_COOKIE": "sessionid=abc"}],
    ids=["authorization", "cookie"],
)
def test_requests_with_credentials_bypass_the_cache(client, promise, headers):
    client.get(page(promise))
    assert client.get(page(promise), **headers)["X-Cache"] == "bypass"


def test_the_language_cookie_alone_still_shares_pages(client, promise):
    client.get(page(promise))
    client.cookies["django_language"] = "sv"
    assert client.get(page(promise))["X-Cache"] == "hit"


def test_a_page_cached_in_one_language_is_never_served_in_another(client, promise, settings):
    def uncached(language: str) -> bytes:
        settings.PAGE_CACHE_SECONDS = 0
        body = client.get(page(promise), HTTP_ACCEPT_LANGUAGE=language).content
        settings.PAGE_CACHE_SECONDS = 600
        return body

    client.get(page(promise), HTTP_ACCEPT_LANGUAGE="sv")

    for language in ("en", "sv", "en"):
        cached = client.get(page(promise), HTTP_ACCEPT_LANGUAGE=language)
        assert cached.content == uncached(language)


def test_a_query_parameter_the_page_does_not_read_is_served_from_the_page_cached_without_it(
    client, promise
):
    first = client.get(page(promise))
    shared_link = client.get(page(promise) + "?sida=2&fbclid=abc")

    assert shared_link["X-Cache"] == "hit"
    assert shared_link.content == first.content


@pytest.mark.parametrize(
    "path",
    [
        "/test/sets-cookie/",
        "/test/csrf/",
        "/test/nonce/",
        "/test/private/",
        "/test/not-found/",
        "/healthz",
        "/no-such-page/",
    ],
)
def test_responses_that_must_not_be_shared_are_never_stored(client, path):
    client.get(path)
    client.cookies.clear()
    assert client.get(path)["X-Cache"] != "hit"


def test_a_server_error_is_never_stored(client):
    client.raise_request_exception = False
    client.get("/test/boom/")
    assert client.get("/test/boom/")["X-Cache"] == "miss"


def test_a_post_is_never_answered_from_the_cache(client, promise):
    client.get(page(promise))
    assert client.post(page(promise))["X-Cache"] == "bypass"


def test_a_staff_write_through_bulk_paths_invalidates(client, promise, admin_user):
    client.get(page(promise))
    client.force_login(admin_user)
    client.post("/test/bulk-publish/")
    client.logout()
    client.cookies.clear()

    response = client.get(page(promise))

    assert response["X-Cache"] == "miss"
    assert "Uppdaterad rubrik" in response.content.decode()


def test_the_management_command_invalidates(client, promise):
    client.get(page(promise))
    call_command("invalidate_page_cache", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert client.get(page(promise))["X-Cache"] == "miss"


def test_without_a_reachable_cache_pages_are_served_uncached(client, promise):
    closed = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=closed):
        response = client.get(page(promise))
        assert response.status_code == 200
        assert response["X-Cache"] == "bypass"
        assert "Trygga skolvägar: 40%" in response.content.decode()


def test_the_deploy_check_warns_when_the_page_cache_is_not_shared(settings):
    from caching.checks import check_page_cache_is_shared

    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in check_page_cache_is_shared(None)] == ["caching.W001"]

    # Django's own file cache adds and counts without a lock: not safe between workers.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/unused",
        }
    }
    assert [w.id for w in check_page_cache_is_shared(None)] == ["caching.W001"]

    for shared in (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x/3"},
        {"BACKEND": "caching.backends.FileCache", "LOCATION": "/tmp/unused"},
    ):
        settings.CACHES = {"default": shared}
        assert check_page_cache_is_shared(None) == []


def test_the_check_warns_when_the_cache_folder_cannot_be_written(settings, tmp_path):
    from caching.checks import check_file_cache_folder_is_writable

    a_file = tmp_path / "a-file"  # a folder cannot be made in it, even by root
    a_file.write_text("")
    settings.CACHES = {
        "default": {"BACKEND": "caching.backends.FileCache", "LOCATION": str(a_file / "cache")}
    }
    assert [w.id for w in check_file_cache_folder_is_writable(None)] == ["caching.W002"]

    settings.CACHES["default"]["LOCATION"] = str(tmp_path / "cache")
    assert check_file_cache_folder_is_writable(None) == []
