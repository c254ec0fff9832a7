"""What a cached page is stored under: the parameters it reads, and a bounded number of variants.

The suite's cache is the file cache of one machine (caching/backends.py) in a
folder of the run's own, so the number of stored pages is the number of files.
"""

import secrets
from pathlib import Path

import pytest
from django.urls import reverse

from caching.generation import invalidate_pages
from tests.opendata.conftest import build_scene

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def stored_entries(settings) -> int:
    return len(list(Path(settings.CACHES["default"]["LOCATION"]).glob("*.djcache")))


def read_twice(client, path: str, **query):
    first, second = client.get(path, query), client.get(path, query)
    assert first.status_code == second.status_code == 200, first.content[:300]
    assert second["X-Cache"] == "hit", (path, query)
    assert second.content == first.content
    return second.content.decode()


@pytest.fixture
def scene():
    return build_scene()


def promise_list(scene) -> str:
    world = scene.published
    return reverse(
        "promises:promise_list",
        kwargs={"municipality": world.municipality.slug, "period": world.period.slug},
    )


def test_random_query_strings_are_served_from_one_cached_page_and_store_nothing(client, settings):
    docs = reverse("api:docs")
    canonical = read_twice(client, docs)
    before = stored_entries(settings)

    for _ in range(20):
        response = client.get(f"{docs}?x={secrets.token_hex(8)}")
        assert response["X-Cache"] == "hit"
        assert response.content.decode() == canonical

    assert stored_entries(settings) == before


def test_parameters_the_page_does_not_read_never_reach_it(client, scene):
    path = promise_list(scene)
    canonical = client.get(path).content

    shared_link = client.get(path, {"fbclid": "abc", "utm_source": "tidningen"})

    # The list offers "Visa alla" when it sees any parameter; it saw none.
    assert shared_link["X-Cache"] == "hit"
    assert shared_link.content == canonical
    assert "Visa alla" not in shared_link.content.decode()


def test_the_promise_lists_filters_give_different_cached_pages(client, scene):
    path = promise_list(scene)
    first_area, second_area = scene.published.focus_areas
    first_promise, second_promise = scene.published.promises

    unfiltered = read_twice(client, path)
    in_first = read_twice(client, path, omrade=first_area.slug)
    in_second = read_twice(client, path, omrade=second_area.slug)

    assert first_promise.title in unfiltered and second_promise.title in unfiltered
    assert first_promise.title in in_first and second_promise.title not in in_first
    assert second_promise.title in in_second and first_promise.title not in in_second


def test_the_order_of_declared_parameters_is_one_page(client, scene):
    path = promise_list(scene)
    area, police = scene.published.focus_areas[0].slug, scene.published.police.slug

    client.get(f"{path}?omrade={area}&aktor={police}")
    response = client.get(f"{path}?aktor={police}&utm_medium=x&omrade={area}")

    assert response["X-Cache"] == "hit"


def test_search_words_and_api_filters_give_different_cached_pages(client, scene):
    promise = scene.published.promises[0]
    search = reverse("pages:search")
    assert promise.title in read_twice(client, search, q="Sörberge")
    assert promise.title not in read_twice(client, search, q="cykelstöld")

    api = reverse("api:promise-list")
    first_area, second_area = scene.published.focus_areas
    everything = read_twice(client, api)
    in_first = read_twice(client, api, focus_area=first_area.pk)
    in_second = read_twice(client, api, focus_area=second_area.pk)
    assert len({everything, in_first, in_second}) == 3


def test_the_variants_of_one_path_are_bounded(client, scene, settings):
    settings.PAGE_CACHE_MAX_VARIANTS = 3
    search = reverse("pages:search")
    words = [f"ord{n}" for n in range(6)]
    for word in words:
        assert client.get(search, {"q": word})["X-Cache"] == "miss"
    before = stored_entries(settings)

    served = [client.get(search, {"q": word})["X-Cache"] for word in words]

    assert served == ["hit", "hit", "hit", "miss", "miss", "miss"]
    assert stored_entries(settings) == before
    # Another path has a bound of its own.
    assert read_twice(client, promise_list(scene))


def test_the_variant_bound_starts_afresh_after_an_invalidation(client, scene, settings):
    settings.PAGE_CACHE_MAX_VARIANTS = 1
    search = reverse("pages:search")
    client.get(search, {"q": "ett"})
    client.get(search, {"q": "två"})
    assert client.get(search, {"q": "två"})["X-Cache"] == "miss"

    invalidate_pages()

    assert read_twice(client, search, q="två")
