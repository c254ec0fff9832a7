import csv
import io

import pytest
from openpyxl import load_workbook

from activities.models import Activity
from promises.models import Promise
from tests.opendata.conftest import SECRET, build_scene

BASE = "/oppna-data/timra"


def csv_rows(response) -> list[dict[str, str]]:
    """Parse as Excel with Swedish settings would: UTF-8 with BOM, semicolons."""
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def url(scene, name: str) -> str:
    return f"{BASE}/{scene.published.period.slug}/{name}"


def test_promises_csv_opens_in_swedish_excel_with_the_roll_up(client, scene):
    response = client.get(url(scene, "loften.csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    expected = Promise.objects.with_progress().filter(period=scene.published.period)
    assert [row["Rubrik"] for row in rows] == [p.title for p in expected]
    first, promise = rows[0], expected[0]
    assert first["Rubrik"] == "Löfte 0 om ökad trygghet i Sörberge"  # å, ä, ö intact
    assert first["Framsteg (procent)"] == f"{promise.progress:.1f}".replace(".", ",")
    assert first["Statuskod"] == promise.status
    assert first["Status"] == "Pågår"
    assert first["Antal försenade aktiviteter"] == "1"
    assert first["Lovas av"] == "Polisen i Timrå, Timrå kommun"
    assert first["Tillsammans med invånarna"] == "nej"


def test_activities_csv_has_status_lateness_and_dates(client, scene):
    rows = csv_rows(client.get(url(scene, "aktiviteter.csv")))

    activities = Activity.objects.with_progress().filter(promise__period=scene.published.period)
    by_id = {a.pk: a for a in activities}
    assert {int(row["Id"]) for row in rows} == set(by_id)
    for row in rows:
        activity = by_id[int(row["Id"])]
        assert row["Procent klart"] == str(activity.current_percent)
        assert row["Försenad"] == ("ja" if activity.is_late else "nej")
        assert row["Planerat slut"] == activity.planned_end.isoformat()
    shared = next(row for row in rows if row["Medansvariga aktörer"])
    assert shared["Medansvariga aktörer"] == "Polisen i Timrå"


def test_updates_measurements_and_follow_ups_csv_match_the_database(client, scene):
    world = scene.published

    updates = csv_rows(client.get(url(scene, "lagesrapporter.csv")))
    measurements = csv_rows(client.get(url(scene, "matvarden.csv")))
    follow_ups = csv_rows(client.get(url(scene, "uppfoljningar.csv")))

    assert sorted(int(row["Id"]) for row in updates) == sorted(u.pk for u in world.updates)
    assert {row["Text"] for row in updates} == {u.text for u in world.updates}
    assert sorted(int(row["Id"]) for row in measurements) == sorted(
        m.pk for m in world.measurements
    )
    decimal_row = next(row for row in measurements if row["Id"] == str(world.measurements[0].pk))
    assert decimal_row["Värde"] == "12,50"  # decimal comma
    assert decimal_row["Medborgarlöfte"] == world.promises[0].title
    assert decimal_row["Aktivitet"] == ""
    assert (decimal_row["Målet gäller"], decimal_row["Stegets utfall"]) == (
        "för hela perioden",
        "Summan under steget",
    )
    assert sorted(int(row["Id"]) for row in follow_ups) == sorted(f.pk for f in world.follow_ups)
    assert {row["Bedömning"] for row in follow_ups} == {"Enligt plan", "Avvikelse"}


def test_xlsx_has_one_sheet_per_kind_with_the_same_data(client, scene):
    response = client.get(url(scene, "medborgarloften.xlsx"))

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Medborgarlöften",
        "Aktiviteter",
        "Lägesrapporter",
        "Mätvärden",
        "Uppföljningar",
    ]
    assert workbook["Medborgarlöften"].freeze_panes == "A2"
    promises = list(workbook["Medborgarlöften"].values)
    header, rows = promises[0], promises[1:]
    assert header[:3] == ("Id", "Ordning", "Rubrik")
    assert [row[2] for row in rows] == [p.title for p in scene.published.promises]
    measurements = list(workbook["Mätvärden"].values)
    value_column = measurements[0].index("Värde")
    date_column = measurements[0].index("Datum")
    values = {row[value_column] for row in measurements[1:]}
    assert values == {12.5, 7}
    assert measurements[1][date_column].date().isoformat() in {"2025-03-31", "2025-04-30"}
    assert len(list(workbook["Uppföljningar"].values)) == 1 + len(scene.published.follow_ups)


def test_text_that_looks_like_a_formula_stays_text(client, scene):
    update = scene.published.updates[0]
    update.text = '=HYPERLINK("http://example.invalid","Klicka")'
    update.save()

    rows = csv_rows(client.get(url(scene, "lagesrapporter.csv")))
    workbook = load_workbook(io.BytesIO(client.get(url(scene, "medborgarloften.xlsx")).content))

    row = next(row for row in rows if row["Id"] == str(update.pk))
    assert row["Text"] == "'" + update.text
    sheet = workbook["Lägesrapporter"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == update.text]
    assert cells
    assert cells[0].data_type == "s"


def test_nothing_unpublished_is_in_any_download(client, scene):
    names = ["loften.csv", "aktiviteter.csv", "lagesrapporter.csv", "matvarden.csv"]
    names += ["uppfoljningar.csv", "medborgarloften.xlsx"]
    for name in names:
        response = client.get(url(scene, name))
        assert response.status_code == 200
        if name.endswith(".csv"):
            assert SECRET not in response.content.decode("utf-8-sig"), name
        else:
            workbook = load_workbook(io.BytesIO(response.content))
            for sheet in workbook:
                for row in sheet.values:
                    assert not any(SECRET in str(value) for value in row), name
    # The follow-up of an unpublished meeting in a published period stays out too.
    follow_ups = csv_rows(client.get(url(scene, "uppfoljningar.csv")))
    assert str(scene.unpublished_follow_up.pk) not in {row["Id"] for row in follow_ups}
    # A draft period has no downloads at all.
    for name in names:
        assert client.get(f"{BASE}/{scene.draft.period.slug}/{name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [f"{BASE}/2025-2026/okand.csv", "/oppna-data/finns-inte/2025-2026/loften.csv"],
)
def test_unknown_files_and_periods_are_404(client, scene, path):
    assert client.get(path).status_code == 404


def test_downloads_set_no_cookie_and_refuse_writes(client, scene):
    response = client.get(url(scene, "loften.csv"))

    assert not response.cookies
    assert client.post(url(scene, "loften.csv")).status_code == 405


# One query for the period, then one per sheet plus its prefetches.
CSV_QUERIES = {
    "loften.csv": 4,  # period, promises, organisations, focus areas
    "aktiviteter.csv": 3,  # period, activities, other organisations
    "lagesrapporter.csv": 2,
    "matvarden.csv": 2,
    "uppfoljningar.csv": 2,
}


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("name", list(CSV_QUERIES))
def test_csv_costs_a_fixed_number_of_queries(client, db, django_assert_num_queries, name, size):
    scene = build_scene(size)

    with django_assert_num_queries(CSV_QUERIES[name]):
        response = client.get(url(scene, name))

    assert len(csv_rows(response)) >= size


@pytest.mark.parametrize("size", [1, 5])
def test_xlsx_costs_a_fixed_number_of_queries(client, db, django_assert_num_queries, size):
    scene = build_scene(size)

    with django_assert_num_queries(1 + sum(CSV_QUERIES.values()) - len(CSV_QUERIES)):
        response = client.get(url(scene, "medborgarloften.xlsx"))

    assert response.status_code == 200
