"""Garbage in the open-data API's filters and addresses: a 4xx with a reason, never a 5xx.

Schemathesis (tests/opendata/test_schemathesis.py) generates requests from the
schema, so its values mostly have the declared types; here every filter of every
list gets hostile text instead, unknown parameters are added, and the addresses
outside the schema (the index, the schema, the docs, unknown paths) get the same.
"""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.security.hostile import (
    assert_not_a_server_error,
    encode_value,
    get,
    hostile_settings,
    hostile_text,
)

pytestmark = pytest.mark.django_db

LISTS = {
    "municipalities": ["updated_since"],
    "periods": ["municipality", "updated_since"],
    "focus-areas": ["municipality", "period", "updated_since"],
    "promises": [
        "focus_area",
        "municipality",
        "organisation",
        "period",
        "status",
        "updated_since",
    ],
    "activities": [
        "focus_area",
        "late",
        "municipality",
        "organisation",
        "period",
        "promise",
        "status",
        "updated_since",
    ],
    "progress-updates": [
        "activity",
        "focus_area",
        "municipality",
        "organisation",
        "period",
        "promise",
        "status",
        "updated_since",
    ],
    "indicators": ["municipality", "period", "promise", "updated_since"],
    "meetings": ["municipality", "period", "promise", "updated_since"],
}
ODD_VALUES = [
    "2025-13-45",
    "2025-01-01T25:61:00",
    "2025-01-01T00:00:00+99:00",
    "9999-12-31T23:59:59Z",
    "0001-01-01",
    "-1",
    "0",
    "9" * 30,
    "1.5",
    "true",
    "ja",
    "Ja",
    "",
]


@pytest.fixture
def api(db, settings):
    from tests.opendata.conftest import build_scene

    # Many requests in a few seconds must not hit the rate limit.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"},
    }
    return build_scene(size=1)


def assert_a_reason(response) -> None:
    """A 4xx says why: {"detail": "..."} or {"parameter": ["...", ...]}."""
    assert_not_a_server_error(response)
    if response.status_code < 400:
        return
    body = json.loads(response.content)
    assert isinstance(body, dict) and body, body
    if "detail" in body:
        assert isinstance(body["detail"], str) and body["detail"].strip(), body
    else:
        for messages in body.values():
            assert isinstance(messages, list) and messages, body
            assert all(isinstance(m, str) and m.strip() for m in messages), body


@hostile_settings
@given(data=st.data())
def test_every_list_filter_answers_garbage_with_a_reason(client, api, data):
    resource = data.draw(st.sampled_from(sorted(LISTS)))
    names = [*LISTS[resource], "page", "page_size"]
    query = data.draw(
        st.dictionaries(
            st.one_of(st.sampled_from(names), hostile_text()),
            st.one_of(
                st.sampled_from(ODD_VALUES),
                hostile_text(),
                st.lists(st.sampled_from(ODD_VALUES), min_size=2, max_size=3),
            ),
            min_size=1,
            max_size=4,
        )
    )
    response = get(client, f"/api/v1/{resource}/", query)
    assert_a_reason(response)
    assert response["Content-Type"].startswith("application/json")


@hostile_settings
@given(data=st.data())
def test_addresses_outside_the_schema_answer_garbage_without_error(client, api, data):
    path = data.draw(
        st.one_of(
            st.sampled_from(["/api/", "/api/v1/", "/api/schema/", "/api/docs/"]),
            st.builds(
                lambda resource, tail: f"/api/v1/{resource}/{encode_value(tail)}/",
                st.sampled_from(sorted(LISTS)),
                hostile_text(),
            ),
            hostile_text().map(lambda tail: f"/api/{encode_value(tail)}"),
        )
    )
    query = data.draw(st.dictionaries(hostile_text(), hostile_text(), max_size=2))
    response = get(client, path, query)
    assert_not_a_server_error(response)
    if path.startswith("/api/v1/") and response.status_code >= 400:
        assert_a_reason(response)


@pytest.mark.parametrize(
    ("resource", "name"),
    [
        (resource, name)
        for resource, names in sorted(LISTS.items())
        for name in [*names, "page", "page_size"]
        if name in ("updated_since", "period", "status", "page", "page_size")
    ],
)
def test_a_garbage_filter_value_is_a_4xx_that_names_the_parameter(client, api, resource, name):
    response = get(client, f"/api/v1/{resource}/", {name: "<script>x</script>\x00'--"})
    assert response.status_code in (400, 404), response.status_code
    assert_a_reason(response)
    if response.status_code == 400:  # a filter; a page that does not exist is a 404
        assert name in json.loads(response.content), response.content
