"""A query parameter an API address does not read is a 400 naming it, never ignored.

The cases come from the API's router (every list and every object's address) and
from each list's filter set (each filter misspelled), so a new endpoint or filter
joins by itself.
"""

import pytest
from django.urls import reverse

from caching.pages import API_DETAILS, API_LISTS, REFUSES_UNKNOWN_PARAMETERS
from opendata.api.urls import router

RESOURCES = sorted(router.registry, key=lambda entry: entry[2])


def _endpoints() -> list:
    """(URL name, viewset or None, whether it is a list) of every API address."""
    cases = [pytest.param("api:index", None, False, id="api:index")]
    for _prefix, viewset, basename in RESOURCES:
        for kind in ("list", "detail"):
            if kind == "detail" and not hasattr(viewset, "retrieve"):
                continue  # a list only, such as the overview
            name = f"api:{basename}-{kind}"
            cases.append(pytest.param(name, viewset, kind == "list", id=name))
    return cases


ENDPOINTS = _endpoints()


def _url(name: str, viewset) -> str:
    if not name.endswith("-detail"):
        return reverse(name)
    obj = viewset().get_queryset().order_by("pk").first()
    assert obj is not None, f"the scene has nothing published for {name}"
    return reverse(name, args=[obj.pk])


def _accepted(viewset, is_list: bool) -> set[str]:
    if not is_list:
        return {"format"}
    pagination = viewset.pagination_class
    return {
        "format",
        pagination.page_query_param,
        pagination.page_size_query_param,
        *viewset.filterset_class.base_filters,
    }


def test_the_cases_cover_every_address_of_the_api():
    names = {case.values[0] for case in ENDPOINTS}
    assert names == API_LISTS | API_DETAILS | {"api:index"} == REFUSES_UNKNOWN_PARAMETERS
    assert len(RESOURCES) >= 9


@pytest.mark.parametrize(("name", "viewset", "is_list"), ENDPOINTS)
def test_an_unknown_parameter_is_a_400_naming_it(client, scene, name, viewset, is_list):
    response = client.get(_url(name, viewset), {"foo": "bar"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["foo"]
    message = body["foo"][0]
    assert message.startswith("Okänd parameter: foo. Tillåtna parametrar här: ")
    assert set(message.split(": ", 2)[2].rstrip(".").split(", ")) == _accepted(viewset, is_list)


def _misspelled_filters() -> list:
    cases = []
    for _prefix, viewset, basename in RESOURCES:
        for filter_name in viewset.filterset_class.base_filters:
            # A letter left out: "municipalty", "updated_sinc".
            wrong = filter_name[:-2] + filter_name[-1]
            cases.append(pytest.param(basename, wrong, id=f"{basename}:{wrong}"))
    return cases


@pytest.mark.parametrize(("basename", "wrong"), _misspelled_filters())
def test_a_misspelled_filter_is_a_400_naming_it_and_nothing_is_listed(
    client, scene, basename, wrong
):
    response = client.get(reverse(f"api:{basename}-list"), {wrong: "1"})

    assert response.status_code == 400
    assert list(response.json()) == [wrong]
    assert "results" not in response.json()


@pytest.mark.parametrize(("name", "viewset", "is_list"), ENDPOINTS)
def test_the_parameters_an_address_reads_are_still_answered(
    client, scene, name, viewset, is_list
):
    parameters = {"format": "json"}
    if is_list:
        parameters |= {"page": "1", "page_size": "5"}

    response = client.get(_url(name, viewset), parameters)

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["api:promise-list", "api:index"])
def test_the_page_cache_leaves_an_unknown_parameter_to_the_api(client, scene, settings, name):
    settings.PAGE_CACHE_SECONDS = 600
    url = reverse(name)
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"

    response = client.get(url, {"foo": "bar"})

    assert response.status_code == 400
    assert list(response.json()) == ["foo"]
    assert response["X-Cache"] == "bypass"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_another_method_with_an_unknown_parameter_is_still_a_405(client, scene, method):
    response = getattr(client, method)(reverse("api:promise-list") + "?foo=bar")

    assert response.status_code == 405
