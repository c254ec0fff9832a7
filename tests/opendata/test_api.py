import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from activities.models import Activity
from promises.models import Promise
from tests.opendata.conftest import SECRET, build_period, build_scene

LISTS = [
    "/api/v1/municipalities/",
    "/api/v1/periods/",
    "/api/v1/focus-areas/",
    "/api/v1/promises/",
    "/api/v1/activities/",
    "/api/v1/progress-updates/",
    "/api/v1/indicators/",
    "/api/v1/meetings/",
    "/api/v1/questions/",
]


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


def test_promises_carry_the_roll_up_progress_status_and_late_count(client, scene):
    expected = {
        p.pk: p for p in Promise.objects.with_progress().filter(period=scene.published.period)
    }

    response = client.get("/api/v1/promises/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert sorted(item["id"] for item in results) == sorted(expected)
    for item in results:
        promise = expected[item["id"]]
        assert item["progress"] == round(promise.progress, 1)
        assert item["status"] == promise.status
        assert item["late_activity_count"] == promise.late_activity_count == 1
        assert item["has_late_activities"] is True
        assert item["slug"] == promise.slug
        assert [org["slug"] for org in item["organisations"]] == ["polisen", "timra-kommun"]
        assert item["period"]["id"] == scene.published.period.pk
        assert item["html_url"] == f"http://testserver{promise.get_absolute_url()}"


def test_activities_carry_their_current_status_and_lateness(client, scene):
    expected = {a.pk: a for a in Activity.objects.with_progress().published()}

    results = client.get("/api/v1/activities/").json()["results"]

    assert {item["id"] for item in results} == set(expected)
    for item in results:
        activity = expected[item["id"]]
        assert item["current_percent"] == activity.current_percent
        assert item["current_status"] == activity.current_status
        assert item["is_late"] == activity.is_late
        assert item["last_reported_on"] == activity.last_reported_on.isoformat()


def test_links_between_resources_lead_to_the_same_objects(client, scene):
    promise = client.get(f"/api/v1/promises/{scene.published.promises[0].pk}/").json()

    period = client.get(promise["period"]["url"]).json()
    activities = client.get(promise["activities"]).json()["results"]
    municipality = client.get(period["municipality"]["url"]).json()

    assert period["id"] == scene.published.period.pk
    assert {a["promise"]["id"] for a in activities} == {promise["id"]}
    assert len(activities) == 2
    assert municipality["slug"] == "timra"
    assert [p["id"] for p in municipality["periods"]] == [scene.published.period.pk]
    assert client.get(promise["focus_areas"][0]["url"]).status_code == 200


def test_indicators_include_their_measurements_and_owner_promise(client, scene):
    indicator = scene.published.indicators[0]

    item = client.get(f"/api/v1/indicators/{indicator.pk}/").json()

    assert item["promise"]["id"] == scene.published.promises[0].pk
    assert item["activity"] is None
    # What the target holds for and how a step's measurements make its outcome.
    assert (item["target_cadence"], item["aggregation"]) == (
        indicator.target_cadence,
        indicator.aggregation,
    )
    assert item["measurements"] == [
        {
            "id": scene.published.measurements[0].pk,
            "measured_on": "2025-03-31",
            "value": 12.5,
            "source": "Polisens statistik",
            "created_at": item["measurements"][0]["created_at"],
            "updated_at": item["measurements"][0]["updated_at"],
        }
    ]
    activity_indicator = client.get(f"/api/v1/indicators/{scene.published.indicators[1].pk}/")
    assert activity_indicator.json()["activity"]["id"] == scene.published.activities[0].pk


def test_meetings_include_their_follow_ups(client, scene):
    item = client.get(f"/api/v1/meetings/{scene.published.meeting.pk}/").json()

    assert item["date"] == "2025-06-12"
    assert item["council"]["name"] == "Rådet för trygghet och hälsa"
    assert {f["id"] for f in item["follow_ups"]} == {f.pk for f in scene.published.follow_ups}
    activity_follow_up = next(f for f in item["follow_ups"] if f["activity"])
    assert activity_follow_up["assessment"] == "deviation"


def test_nothing_unpublished_is_reachable_through_the_api(client, scene):
    for url in LISTS:
        response = client.get(url, {"page_size": 500})
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url

    hidden = {
        "periods": scene.draft.period,
        "focus-areas": scene.draft.focus_areas[0],
        "promises": scene.draft.promises[0],
        "activities": scene.draft.activities[0],
        "progress-updates": scene.draft.updates[0],
        "indicators": scene.draft.indicators[0],
        "meetings": scene.draft.meeting,
    }
    for resource, obj in hidden.items():
        response = client.get(f"/api/v1/{resource}/{obj.pk}/")
        assert response.status_code == 404, resource
    assert client.get(f"/api/v1/meetings/{scene.unpublished_meeting.pk}/").status_code == 404
    # Filtering by an unpublished period matches nothing, as a missing one does.
    response = client.get("/api/v1/promises/", {"period": scene.draft.period.pk})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_filters_narrow_the_lists(client, scene):
    world = scene.published
    other = build_period(world.municipality, world.police, world.kommun, 1, label="Annan ")
    first_area = world.focus_areas[0]

    by_period = client.get("/api/v1/promises/", {"period": other.period.pk})
    by_area = client.get("/api/v1/promises/", {"focus_area": first_area.pk})
    by_status = client.get("/api/v1/promises/", {"status": "not_started"})
    by_organisation = client.get("/api/v1/activities/", {"organisation": "timra-kommun"})
    shared = client.get(
        "/api/v1/activities/", {"organisation": "polisen", "period": other.period.pk}
    )
    late = client.get("/api/v1/activities/", {"late": "true", "period": world.period.pk})
    updates = client.get(
        "/api/v1/progress-updates/", {"status": "completed", "period": world.period.pk}
    )
    meetings = client.get("/api/v1/meetings/", {"promise": world.promises[0].pk})

    assert ids(by_period) == [other.promises[0].pk]
    assert ids(by_area) == [p.pk for p in world.promises if first_area in p.focus_areas.all()]
    assert ids(by_status) == []
    assert {a["lead_organisation"]["slug"] for a in by_organisation.json()["results"]} == {
        "timra-kommun"
    }
    # The police lead one activity and share the other: both, once each.
    assert sorted(ids(shared)) == sorted(a.pk for a in other.activities)
    assert ids(late) == [world.activities[i].pk for i in range(0, len(world.activities), 2)]
    assert {u["status"] for u in updates.json()["results"]} == {"completed"}
    assert ids(meetings) == [world.meeting.pk]


def test_updated_since_returns_only_what_changed(client, scene):
    promise = scene.published.promises[1]
    later = timezone.now() + datetime.timedelta(hours=1)
    Promise.objects.filter(pk=promise.pk).update(updated_at=later + datetime.timedelta(minutes=1))
    measurement = scene.published.measurements[0]
    type(measurement).objects.filter(pk=measurement.pk).update(
        updated_at=later + datetime.timedelta(minutes=1)
    )

    promises = client.get("/api/v1/promises/", {"updated_since": later.isoformat()})
    indicators = client.get("/api/v1/indicators/", {"updated_since": later.isoformat()})
    by_date = client.get("/api/v1/promises/", {"updated_since": "2000-01-01"})
    local = later.astimezone(ZoneInfo("Europe/Stockholm")).isoformat()
    # A "+" that was not URL-encoded arrives as a space; it still means the offset.
    unencoded = client.get(f"/api/v1/promises/?updated_since={local}")

    assert ids(promises) == [promise.pk]
    assert ids(indicators) == [measurement.indicator_id]
    assert len(ids(by_date)) == len(scene.published.promises)
    assert ids(unencoded) == [promise.pk]


def test_a_new_progress_update_counts_as_a_change_of_its_activity_and_promise(client, scene):
    from activities.models import ProgressUpdate

    activity = scene.published.activities[0]
    later = timezone.now() + datetime.timedelta(hours=1)
    update = activity.updates.first()
    ProgressUpdate.objects.filter(pk=update.pk).update(
        updated_at=later + datetime.timedelta(minutes=1)
    )

    activities = client.get("/api/v1/activities/", {"updated_since": later.isoformat()})
    promises = client.get("/api/v1/promises/", {"updated_since": later.isoformat()})

    assert ids(activities) == [activity.pk]
    assert ids(promises) == [activity.promise_id]


@pytest.mark.parametrize(
    ("url", "parameter", "value"),
    [
        ("/api/v1/promises/", "status", "kanske"),
        ("/api/v1/activities/", "status", "done"),
        ("/api/v1/promises/", "updated_since", "igår"),
        ("/api/v1/promises/", "updated_since", "2025-13-45"),
        ("/api/v1/meetings/", "updated_since", "9999-12-31T23:59:59-23:59"),
        ("/api/v1/promises/", "period", "abc"),
        ("/api/v1/promises/", "period", "0"),
        ("/api/v1/promises/", "focus_area", "-1"),
        ("/api/v1/promises/", "organisation", "okänd aktör"),
        ("/api/v1/promises/", "organisation", ""),
        ("/api/v1/promises/", "municipality", ""),
        ("/api/v1/activities/", "late", "kanske"),
        ("/api/v1/indicators/", "promise", "99999999999999999999999"),
        ("/api/v1/promises/", "page", "0"),
        ("/api/v1/promises/", "page", "två"),
        ("/api/v1/promises/", "page_size", "501"),
        ("/api/v1/promises/", "page_size", "x"),
    ],
)
def test_invalid_parameter_values_are_a_400_naming_the_parameter(
    client, scene, url, parameter, value
):
    response = client.get(url, {parameter: value})

    assert response.status_code == 400
    body = response.json()
    assert list(body) == [parameter]
    assert body[parameter][0]


@pytest.mark.parametrize(
    ("url", "parameter", "value"),
    [
        ("/api/v1/promises/", "period", "999999"),
        ("/api/v1/promises/", "municipality", "999999"),
        ("/api/v1/promises/", "organisation", "okand-aktor"),
        ("/api/v1/activities/", "organisation", "okand-aktor"),
        ("/api/v1/progress-updates/", "activity", "999999"),
        ("/api/v1/indicators/", "promise", "999999"),
        ("/api/v1/meetings/", "promise", "999999"),
    ],
)
def test_a_well_formed_value_that_matches_nothing_gives_an_empty_page(
    client, scene, url, parameter, value
):
    response = client.get(url, {parameter: value})

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_the_schema_declares_the_form_of_ids_and_short_names(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/promises/"]["get"]["parameters"]
    }
    assert parameters["period"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert parameters["organisation"]["minLength"] == 1
    assert parameters["organisation"]["pattern"] == "^[-a-zA-Z0-9_]+$"


def test_a_page_past_the_end_is_a_404_with_a_reason(client, scene):
    response = client.get("/api/v1/promises/", {"page": 5})

    assert response.status_code == 404
    assert response.json() == {"detail": "Sidan finns inte."}


def test_pages_link_to_each_other(client, scene):
    first = client.get("/api/v1/activities/", {"page_size": 3}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 4
    assert first["previous"] is None
    assert len(first["results"]) == 3
    assert len(second["results"]) == 1
    assert second["next"] is None


@pytest.mark.parametrize("path", ["promises/123456", "promises/abc", "meetings/0"])
def test_unknown_ids_are_a_404_with_a_json_reason(client, db, path):
    response = client.get(f"/api/v1/{path}/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_unknown_api_addresses_are_a_json_404(client, db):
    response = client.get("/api/v1/finns-inte/")

    assert response.status_code == 404
    assert "dokumentationen" in response.json()["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_write_methods_are_not_allowed(client, scene, method):
    promise = scene.published.promises[0]

    on_list = getattr(client, method)("/api/v1/promises/", {}, content_type="application/json")
    on_item = getattr(client, method)(
        f"/api/v1/promises/{promise.pk}/", {"title": "Nytt"}, content_type="application/json"
    )

    assert on_list.status_code == 405
    assert on_item.status_code == 405
    assert "GET" in on_item["Allow"]
    assert on_item.json()["detail"]
    promise.refresh_from_db()
    assert promise.title != "Nytt"


def test_api_responses_set_no_cookie_and_allow_any_origin(client, scene):
    for url in [*LISTS, "/api/v1/", "/api/schema/", "/api/v1/promises/999/"]:
        response = client.get(url)
        assert not response.cookies, url
    assert client.get("/api/v1/promises/")["Access-Control-Allow-Origin"] == "*"


def test_anonymous_clients_are_throttled(client, db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"},
    }

    statuses = [client.get("/api/v1/periods/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = client.get("/api/v1/periods/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]


# Queries per request: the same at both data sizes, whatever the page holds.
QUERIES = {
    "/api/v1/municipalities/": 3,  # count, page, periods
    "/api/v1/periods/": 2,  # count, page
    "/api/v1/focus-areas/": 3,  # count, page, promises
    "/api/v1/promises/": 4,  # count, page, organisations, focus areas
    "/api/v1/activities/": 3,  # count, page, other organisations
    "/api/v1/progress-updates/": 2,  # count, page
    "/api/v1/indicators/": 3,  # count, page, measurements
    "/api/v1/meetings/": 3,  # count, page, follow-ups
    "/api/v1/questions/": 2,  # count, page
}


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize("url", LISTS)
def test_lists_cost_a_fixed_number_of_queries(client, db, django_assert_num_queries, url, size):
    build_scene(size)

    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url, {"page_size": 500})

    assert response.status_code == 200
    assert len(response.json()["results"]) >= 1


@pytest.mark.parametrize("size", [1, 6])
def test_filtered_lists_cost_no_query_per_object_filter(
    client, db, django_assert_num_queries, size
):
    scene = build_scene(size)

    # Filters by id or short name join into the list's own queries.
    with django_assert_num_queries(QUERIES["/api/v1/promises/"]):
        response = client.get(
            "/api/v1/promises/",
            {"period": scene.published.period.pk, "organisation": "polisen"},
        )

    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_details_cost_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    scene = build_scene(size)

    with django_assert_num_queries(2):  # the meeting and its follow-ups, nothing per follow-up
        response = client.get(f"/api/v1/meetings/{scene.published.meeting.pk}/")
    assert len(response.json()["follow_ups"]) == 2 * size


def test_index_links_to_every_list(client, db):
    index = client.get("/api/v1/").json()

    assert index["docs"] == "http://testserver/api/docs/"
    lists = [url for name, url in index.items() if name not in ("docs", "schema")]
    # The national overview is a list only (tests/opendata/test_overview.py).
    expected = [*LISTS, "/api/v1/overview/"]
    assert sorted(url.removeprefix("http://testserver") for url in lists) == sorted(expected)
    for url in lists:
        assert client.get(url).status_code == 200


def test_documentation_costs_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/docs/").status_code == 200


def test_schema_describes_every_resource_in_openapi_3(client, db):
    response = client.get("/api/schema/")

    schema = json.loads(response.content)
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["license"]["name"] == "CC0 1.0"
    for url in LISTS:
        assert url in schema["paths"]
        assert url + "{id}/" in schema["paths"]
        assert list(schema["paths"][url]) == ["get"]


def test_schema_is_served_to_tools_that_ask_for_plain_json(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "PromiseStatusEnum" in schema["components"]["schemas"]


def test_documentation_page_lists_every_endpoint_without_scripts(client, db):
    response = client.get("/api/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in html
    for url in LISTS:
        assert f"GET {url}" in html
    assert "updated_since" in html
    assert 'id="schema-Promise"' in html
    assert not response.cookies
