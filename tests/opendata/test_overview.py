"""The national overview in the open data: /api/v1/overview/ and /oppna-data/oversikt.csv.

The same rows as the start page (followup/overview.py), no personal data, a 400 naming
the parameter for a malformed value, and a fixed number of queries at two sizes.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.scene import seed_scale
from followup.overview import POLICE_PROMISES_URL
from promises.models import County
from tests.followup.factories import CouncilFactory, MeetingFactory
from tests.opendata.test_downloads import csv_rows
from tests.promises.factories import MunicipalityFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/overview/"
CSV = "/oppna-data/oversikt.csv"
FIELDS = {
    "id",
    "slug",
    "name",
    "code",
    "county",
    "has_promises",
    "url",
    "html_url",
    "period",
    "promise_count",
    "progress",
    "last_follow_up",
    "follow_up_cadence",
    "next_follow_up_due",
    "follow_up_overdue",
    "police_promises_url",
}


@pytest.fixture
def portal():
    today = timezone.localdate()
    vnl = County.objects.create(code="22", name="Västernorrlands län")
    jml = County.objects.create(code="23", name="Jämtlands län")
    timra = MunicipalityFactory(name="Timrå", slug="timra", code="2262", county=vnl)
    period = PeriodFactory(
        municipality=timra,
        name="2025–2026",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today + datetime.timedelta(days=300),
    )
    CouncilFactory(municipality=timra, follow_up_cadence="quarter")
    for _ in range(3):
        PromiseFactory(period=period)
    MeetingFactory(
        period=period,
        date=today - datetime.timedelta(days=150),
        attendees="Anna Hemlig, ordförande",
    )
    sundsvall = MunicipalityFactory(name="Sundsvall", slug="sundsvall", code="2281", county=vnl)
    other = PeriodFactory(municipality=sundsvall, starts_on=today - datetime.timedelta(days=30))
    CouncilFactory(municipality=sundsvall, follow_up_cadence="year")
    PromiseFactory(period=other)
    MunicipalityFactory(name="Ragunda", slug="ragunda", code="2303", county=jml)
    return {"timra": timra, "period": period, "today": today}


def results(response) -> list[dict]:
    assert response.status_code == 200
    return response.json()["results"]


def test_lists_every_municipality_with_the_overviews_fields(client, portal):
    rows = {row["slug"]: row for row in results(client.get(API))}
    assert list(rows) == ["ragunda", "sundsvall", "timra"]
    timra = rows["timra"]
    assert set(timra) == FIELDS
    assert timra["code"] == "2262"
    assert timra["county"] == {"code": "22", "name": "Västernorrlands län"}
    assert timra["has_promises"] is True
    assert timra["promise_count"] == 3
    assert timra["progress"] == 0.0
    last = portal["today"] - datetime.timedelta(days=150)
    assert timra["last_follow_up"] == last.isoformat()
    assert timra["next_follow_up_due"] == (last + datetime.timedelta(days=92)).isoformat()
    assert timra["follow_up_cadence"] == "quarter"
    assert timra["follow_up_overdue"] is True
    assert timra["html_url"] == "http://testserver/timra/"
    assert timra["url"] == f"http://testserver/api/v1/municipalities/{portal['timra'].pk}/"
    assert timra["period"]["id"] == portal["period"].pk
    assert timra["period"]["url"] == f"http://testserver/api/v1/periods/{portal['period'].pk}/"
    assert timra["police_promises_url"] is None
    sundsvall = rows["sundsvall"]
    assert sundsvall["last_follow_up"] is None and sundsvall["follow_up_overdue"] is False


def test_a_municipality_without_promises_points_to_polisens_page(client, portal):
    ragunda = next(row for row in results(client.get(API)) if row["slug"] == "ragunda")
    assert ragunda["has_promises"] is False
    assert ragunda["period"] is None and ragunda["progress"] is None
    assert ragunda["promise_count"] == 0
    assert ragunda["url"] is None and ragunda["html_url"] is None
    assert ragunda["police_promises_url"] == POLICE_PROMISES_URL


def test_carries_no_personal_data(client, portal):
    body = client.get(API).content.decode()
    assert "Hemlig" not in body and "attendees" not in body and "@" not in body


def test_filters_by_county_searches_and_sorts(client, portal):
    assert [r["slug"] for r in results(client.get(API, {"county": "23"}))] == ["ragunda"]
    assert results(client.get(API, {"county": "01"})) == []  # well-formed, matches nothing
    assert [r["slug"] for r in results(client.get(API, {"search": "SUNDS"}))] == ["sundsvall"]
    by_follow_up = results(client.get(API, {"ordering": "last_follow_up"}))
    assert [r["slug"] for r in by_follow_up] == ["timra", "sundsvall", "ragunda"]
    by_progress = results(client.get(API, {"ordering": "progress"}))
    assert by_progress[-1]["slug"] == "ragunda"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"county": "Jämtland"}, "county"),
        ({"county": ""}, "county"),
        ({"ordering": "size"}, "ordering"),
        ({"search": "x" * 101}, "search"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_a_malformed_value_is_a_400_naming_the_parameter(client, portal, query, parameter):
    response = client.get(API, query)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [parameter]
    assert body[parameter][0]  # the reason, in Swedish


def test_is_paginated_like_the_other_lists(client, portal):
    first = client.get(API, {"page_size": 2}).json()
    assert first["count"] == 3 and len(first["results"]) == 2
    assert first["next"].endswith("page=2&page_size=2")
    assert client.get(API, {"page": 9}).status_code == 404


def test_sets_no_cookie_refuses_writes_and_is_in_the_index_and_schema(client, portal):
    response = client.get(API)
    assert not response.cookies and response["Access-Control-Allow-Origin"] == "*"
    assert client.post(API).status_code == 405
    assert client.get("/api/v1/").json()["overview"] == "http://testserver/api/v1/overview/"
    schema = json.loads(client.get("/api/schema/", HTTP_ACCEPT="application/json").content)
    parameters = {p["name"] for p in schema["paths"][API]["get"]["parameters"]}
    assert {"county", "search", "ordering", "page", "page_size"} <= parameters


def test_the_csv_download_has_every_municipality_as_swedish_excel_reads_it(client, portal):
    response = client.get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="medborgarloften-oversikt.csv"' in response["Content-Disposition"]
    assert not response.cookies
    rows = {row["Kommun"]: row for row in csv_rows(response)}
    assert list(rows) == ["Ragunda", "Sundsvall", "Timrå"]
    timra = rows["Timrå"]
    last = portal["today"] - datetime.timedelta(days=150)
    assert timra["Kommunkod"] == "2262"
    assert timra["Län"] == "Västernorrlands län" and timra["Länskod"] == "22"
    assert timra["Har medborgarlöften i portalen"] == "ja"
    assert timra["Löftesperiod"] == "2025–2026"
    assert timra["Antal löften"] == "3"
    assert timra["Framsteg (procent)"] == "0,0"
    assert timra["Senaste uppföljning"] == last.isoformat()
    assert timra["Följer upp"] == "Varje kvartal"
    assert timra["Uppföljningstakt (kod)"] == "quarter"
    assert timra["Uppföljningen försenad"] == "ja"
    ragunda = rows["Ragunda"]
    assert ragunda["Har medborgarlöften i portalen"] == "nej"
    assert ragunda["Antal löften"] == "" and ragunda["Uppföljningen försenad"] == ""
    assert "Hemlig" not in response.content.decode("utf-8-sig")


def test_the_csv_is_listed_with_the_other_downloads(client, portal):
    page = client.get("/oppna-data/").content.decode()
    assert 'href="/oppna-data/oversikt.csv" download' in page
    assert 'href="/api/v1/overview/"' in page
    assert client.post(CSV).status_code == 405


@pytest.mark.parametrize("size", [3, 30])
def test_the_api_and_the_csv_cost_a_fixed_number_of_queries(
    client, size, django_assert_num_queries
):
    call_command("load_municipalities", verbosity=0)
    seed_scale(size)
    # The municipalities and their current periods (with the roll-up and last follow-up).
    with django_assert_num_queries(2):
        body = client.get(API, {"ordering": "progress", "page_size": 500}).json()
    assert body["count"] == 290 + size
    assert sum(row["has_promises"] for row in body["results"]) == size
    with django_assert_num_queries(2):
        response = client.get(CSV)
    assert len(csv_rows(response)) == 290 + size
