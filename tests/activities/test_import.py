"""Importing activity plans in the admin: preview, Swedish row errors, all or nothing."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from tablib import Dataset

from activities.imports import COLUMNS, ActivityPlanResource
from activities.models import Activity
from tests.promises.factories import OrganisationFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:activities_activity_import")
PROCESS_URL = reverse("admin:activities_activity_process_import")
HEADER = list(COLUMNS.values())
CSV_FORMAT, XLSX_FORMAT = "0", "1"


@pytest.fixture
def plan(police_organisation, municipality_organisation):
    period = PeriodFactory(is_published=True)
    traffic = PromiseFactory(
        period=period, title="Trafikkontroller vid riskplatser", slug="trafikkontroller"
    )
    centre = PromiseFactory(period=period, title="Trygghet i centrala Timrå", slug="centrum")
    OrganisationFactory(name="Socialtjänsten, Timrå kommun", short_name="Socialtjänsten")
    return period, traffic, centre


GOOD_ROWS = [
    [
        "trafikkontroller",
        "Hastighetskontroller vid skolorna",
        "Kontroller vid skolstart.",
        "Polisen",
        "",
        "2025-08-15",
        "2025-12-20",
        "Skolorna",
        "2",
    ],
    [
        "Trygghet i centrala Timrå",
        "Trygghetsvandring i centrum",
        "",
        "timra-kommun",
        "polisen;Socialtjänsten",
        "2025-04-01",
        "2025-10-31",
        "Centrala Timrå",
        "",
    ],
]


def csv_file(rows, name="plan.csv") -> SimpleUploadedFile:
    lines = [",".join(HEADER)] + [",".join(f'"{cell}"' for cell in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def xlsx_file(rows) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        "plan.xlsx",
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def preview(client, period, upload, file_format=CSV_FORMAT):
    return client.post(
        IMPORT_URL,
        {"period": period.pk, "resource": "0", "format": file_format, "import_file": upload},
    )


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(PROCESS_URL, data)


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_good_file_is_previewed_then_imported(client, administrator, plan, make_file):
    period, traffic, centre = plan
    client.force_login(administrator)
    file_format = XLSX_FORMAT if make_file is xlsx_file else CSV_FORMAT

    response = preview(client, period, make_file(GOOD_ROWS), file_format)

    assert response.status_code == 200
    assert response.context["result"].totals["new"] == 2
    assert not Activity.objects.exists()  # a preview saves nothing
    assert "Hastighetskontroller vid skolorna" in response.text

    response = confirm(client, response)

    assert response.status_code == 302
    speed, walk = Activity.objects.order_by("title")
    assert (speed.promise, speed.lead_organisation.slug, speed.weight) == (traffic, "polisen", 2)
    assert str(speed.planned_start) == "2025-08-15"
    assert walk.promise == centre
    assert sorted(o.slug for o in walk.other_organisations.all()) == [
        "polisen",
        "socialtjansten-timra-kommun",
    ]
    assert walk.weight == 1
    assert walk.history.first().history_user == administrator


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(client, administrator, plan):
    period = plan[0]
    bad_row = list(GOOD_ROWS[1])
    bad_row[3] = "Brandkåren"
    client.force_login(administrator)

    response = preview(client, period, csv_file([GOOD_ROWS[0], bad_row]))

    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context
    invalid = result.invalid_rows[0]
    assert invalid.number == 2
    assert invalid.error_dict["lead_organisation"] == ["Okänd aktör: ”Brandkåren”."]
    assert re.search(r"Okänd aktör: ”Brandkåren”", response.text)
    assert not Activity.objects.exists()


def test_a_file_with_the_wrong_columns_gets_a_message_not_a_traceback(client, administrator, plan):
    period = plan[0]
    client.force_login(administrator)
    upload = SimpleUploadedFile("plan.csv", b"not,a,plan\n1,2,3\n", "text/csv")

    response = preview(client, period, upload)

    assert response.status_code == 200
    assert response.context["result"].has_errors()
    assert "Traceback" not in response.text
    assert ".venv" not in response.text and "site-packages" not in response.text
    assert not Activity.objects.exists()


def test_the_resource_rolls_back_every_row_when_one_fails(plan, administrator):
    period = plan[0]
    bad_row = list(GOOD_ROWS[1])
    bad_row[6] = "31/10/2025"
    dataset = Dataset(GOOD_ROWS[0], bad_row, headers=HEADER)

    result = ActivityPlanResource(period=period, user=administrator).import_data(
        dataset, dry_run=False
    )

    assert result.has_validation_errors()
    assert result.invalid_rows[0].error_dict["planned_end"] == [
        "Ogiltigt datum ”31/10/2025”; skriv ÅÅÅÅ-MM-DD."
    ]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "field", "message"),
    [
        (0, "okänt-löfte", "promise", "Det finns inget löfte ”okänt-löfte” i perioden"),
        (8, "tre", "weight", "Vikten måste vara ett heltal mellan 1 och 100, inte ”tre”."),
        (8, "500", "weight", "Kontrollera att detta värde är mindre än eller lika med 100."),
        (6, "2025-01-01", "planned_end", "Planerat slut kan inte vara före planerad start."),
        (4, "polisen;Okänd", "other_organisations", "Okänd aktör: ”Okänd”."),
    ],
)
def test_row_errors_are_in_swedish(plan, administrator, column, value, field, message):
    row = list(GOOD_ROWS[1])
    row[column] = value
    result = ActivityPlanResource(period=plan[0], user=administrator).import_data(
        Dataset(row, headers=HEADER), dry_run=True
    )
    errors = result.invalid_rows[0].error_dict
    assert any(message in text for texts in errors.values() for text in texts), errors
    assert not Activity.objects.exists()


def test_importing_the_same_file_again_changes_nothing(plan, administrator):
    period = plan[0]
    ActivityPlanResource(period=period, user=administrator).import_data(
        Dataset(*GOOD_ROWS, headers=HEADER), dry_run=False
    )
    again = ActivityPlanResource(period=period, user=administrator).import_data(
        Dataset(*GOOD_ROWS, headers=HEADER), dry_run=False
    )
    assert again.totals["skip"] == 2
    assert Activity.objects.count() == 2


@pytest.mark.parametrize(
    ("upload", "file_format", "message"),
    [
        (
            SimpleUploadedFile("plan.pdf", b"%PDF-1.4", "application/pdf"),
            CSV_FORMAT,
            "CSV- eller XLSX",
        ),
        (
            SimpleUploadedFile("plan.xlsx", b"not a zip", "application/zip"),
            XLSX_FORMAT,
            "inte en XLSX",
        ),
        (SimpleUploadedFile("plan.csv", b"a,b\n", "text/csv"), XLSX_FORMAT, "stämmer inte"),
    ],
    ids=["pdf", "fake-xlsx", "format-mismatch"],
)
def test_only_csv_and_xlsx_files_are_accepted(
    client, administrator, plan, upload, file_format, message
):
    client.force_login(administrator)
    response = preview(client, plan[0], upload, file_format)
    assert message in response.text
    assert "result" not in response.context or response.context["result"] is None


@override_settings(ACTIVITY_IMPORT_MAX_BYTES=100)
def test_a_too_large_file_is_refused(client, administrator, plan):
    client.force_login(administrator)
    response = preview(client, plan[0], csv_file(GOOD_ROWS))
    assert "Filen är för stor" in response.text
    assert not Activity.objects.exists()


def test_only_administrators_may_import(client, secretary, plan):
    client.force_login(secretary)
    assert client.get(IMPORT_URL).status_code == 403
    response = preview(client, plan[0], csv_file(GOOD_ROWS))
    assert response.status_code == 403
    assert not Activity.objects.exists()


@pytest.mark.parametrize("periods", [1, 5])
def test_the_import_page_costs_a_fixed_number_of_queries(
    client, administrator, django_assert_num_queries, periods
):
    PeriodFactory.create_batch(periods)
    client.force_login(administrator)
    with django_assert_num_queries(4):
        response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert "Fil med aktivitetsplanen" in response.text


@pytest.mark.parametrize(
    ("name", "content", "file_format", "message"),
    [
        (
            "plan.csv",
            "löfte,rubrik\n".encode("latin-1"),
            CSV_FORMAT,
            "Filen är inte en CSV-fil i UTF-8.",
        ),
        (
            "plan.xlsx",
            b"PK\x03\x04 inte en arbetsbok",
            XLSX_FORMAT,
            "Filen gick inte att läsa som XLSX.",
        ),
        (
            "plan.csv",
            (",".join(HEADER) + "\n").encode(),
            CSV_FORMAT,
            "Filen har inga rader med aktiviteter under rubrikraden.",
        ),
    ],
    ids=["not-utf-8", "broken-xlsx", "header-only"],
)
def test_an_unreadable_or_empty_file_is_explained_in_swedish(
    client, administrator, plan, name, content, file_format, message
):
    client.force_login(administrator)
    response = preview(client, plan[0], SimpleUploadedFile(name, content), file_format)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [message]
    assert "encountered while trying to read file" not in response.text
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("column", "field"), [(1, "title"), (2, "description"), (3, "lead_organisation")]
)
def test_a_nul_character_in_a_cell_is_a_row_error_in_swedish(plan, administrator, column, field):
    # PostgreSQL refuses NUL in text; it was a database error shown in English.
    row = list(GOOD_ROWS[1])
    row[column] = "före\x00efter"
    result = ActivityPlanResource(period=plan[0], user=administrator).import_data(
        Dataset(row, headers=HEADER), dry_run=True
    )
    assert not result.has_errors()
    assert result.invalid_rows[0].error_dict[field] == [
        "Cellen innehåller ett otillåtet tecken (NUL)."
    ]
