"""Importing activity plans in the admin: formats, the header, the preview, all or nothing."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.roles import NATIONAL_ADMINISTRATOR
from activities.imports import (
    MAX_ROWS,
    MAX_SHOWN_ERRORS,
    ImportFileError,
    import_plan,
    preview_plan,
    read_plan_file,
)
from activities.models import Activity
from tests.activities.factories import ActivityFactory
from tests.activities.plan_files import HEADER, csv_bytes, many_rows, xlsx_bytes
from tests.promises.factories import OrganisationFactory, PeriodFactory, PromiseFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:activities_activity_import")
PROCESS_URL = reverse("admin:activities_activity_process_import")
CHANGELIST_URL = reverse("admin:activities_activity_changelist")


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
        "Trygghetsvandring på Köpmangatan",
        "",
        "timra-kommun",
        "polisen;Socialtjänsten",
        "2025-04-01",
        "2025-10-31",
        "Centrala Timrå",
        "",
    ],
]


def upload(content: bytes, name: str = "plan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def preview(client, period, content: bytes, name: str = "plan.csv"):
    return client.post(IMPORT_URL, {"period": period.pk, "import_file": upload(content, name)})


def confirm(client, response):
    return client.post(PROCESS_URL, {"token": response.context["confirm_form"]["token"].value()})


FORMATS = {
    "csv-comma-utf8": ("plan.csv", lambda rows: csv_bytes(rows)),
    "csv-semicolon-utf8-bom": (
        "plan.csv",
        lambda rows: csv_bytes(rows, delimiter=";", encoding="utf-8-sig"),
    ),
    "csv-semicolon-windows-1252": (
        "plan.csv",
        lambda rows: csv_bytes(rows, delimiter=";", encoding="cp1252"),
    ),
    "csv-comma-windows-1252": ("plan.csv", lambda rows: csv_bytes(rows, encoding="cp1252")),
    "xlsx": ("plan.xlsx", xlsx_bytes),
}


@pytest.mark.parametrize("file_format", list(FORMATS))
def test_a_good_file_in_each_format_is_previewed_then_imported(
    client, administrator, plan, file_format
):
    period, traffic, centre = plan
    name, make = FORMATS[file_format]
    client.force_login(administrator)

    response = preview(client, period, make(GOOD_ROWS), name)

    assert response.status_code == 200
    result = response.context["preview"]
    assert (len(result.new), len(result.changed), result.rows_with_errors) == (2, 0, 0)
    assert not Activity.objects.exists()  # a preview saves nothing
    assert "Trygghetsvandring på Köpmangatan" in response.text

    response = confirm(client, response)

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST_URL}?promise__period__id__exact={period.pk}"
    speed, walk = Activity.objects.order_by("title")
    assert (speed.promise, speed.lead_organisation.slug, speed.weight) == (traffic, "polisen", 2)
    assert speed.planned_start == datetime.date(2025, 8, 15)
    assert speed.description == "Kontroller vid skolstart."
    assert walk.title == "Trygghetsvandring på Köpmangatan"
    assert walk.promise == centre
    assert sorted(o.slug for o in walk.other_organisations.all()) == [
        "polisen",
        "socialtjansten-timra-kommun",
    ]
    assert walk.weight == 1
    history = walk.history.first()
    assert history.history_user == administrator
    assert history.history_change_reason == "Importerad från plan." + name.split(".")[1]


def test_xlsx_date_cells_are_read_as_dates(plan, administrator):
    rows = [list(GOOD_ROWS[0])]
    rows[0][5] = datetime.datetime(2025, 8, 15)
    table = read_plan_file("plan.xlsx", xlsx_bytes(rows))
    result = preview_plan(table, plan[0], administrator)
    assert result.new[0].activity.planned_start == datetime.date(2025, 8, 15)


def test_a_file_with_the_wrong_columns_gets_one_swedish_message_naming_them(
    client, administrator, plan
):
    header = ["Löfte", "rubrik", "beskrivning", "ansvarig", "medansvariga aktörer", "kommentar"]
    rows = [["trafikkontroller", f"Aktivitet {n}", "", "polisen", "", ""] for n in range(12_000)]
    client.force_login(administrator)

    response = preview(client, plan[0], csv_bytes(rows, header=header))

    assert response.context["preview"] is None
    assert response.context["form"].errors["import_file"] == [
        "Rubrikraden stämmer inte med mallen. Saknas: ”ansvarig aktör”. "
        "Okända: ”ansvarig”, ”kommentar”. Första raden ska ha kolumnerna ”löfte”, ”rubrik”, "
        "”beskrivning”, ”ansvarig aktör”, ”medansvariga aktörer”, ”planerad start”, "
        "”planerat slut”, ”plats”, ”vikt” (”löfte”, ”rubrik”, ”ansvarig aktör” måste finnas)."
    ]
    assert "not found" not in response.text
    assert len(response.content) < 60_000
    assert not Activity.objects.exists()


def test_header_names_ignore_case_spacing_and_order(plan, administrator):
    header = ["  RUBRIK", "Ansvarig  aktör", "löfte"]
    table = read_plan_file(
        "plan.csv", csv_bytes([["Ny aktivitet", "polisen", "trafikkontroller"]], header=header)
    )
    result = preview_plan(table, plan[0], administrator)
    assert result.new[0].activity.title == "Ny aktivitet"


def test_a_file_of_the_most_rows_allowed_is_previewed_on_a_page_of_bounded_size(
    client, administrator, plan
):
    client.force_login(administrator)
    response = preview(client, plan[0], csv_bytes(many_rows(MAX_ROWS), delimiter=";"))
    result = response.context["preview"]
    assert (len(result.new), result.rows_with_errors) == (MAX_ROWS, 0)
    assert "Importera 2000 aktiviteter" in response.text
    assert "de 20 första av 2000" in response.text
    assert len(response.content) < 60_000

    assert confirm(client, response).status_code == 302
    assert Activity.objects.count() == MAX_ROWS


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_file_of_more_rows_than_allowed_is_refused_in_swedish(
    client, administrator, plan, file_format
):
    rows = many_rows(MAX_ROWS + 1)
    content = csv_bytes(rows) if file_format == "csv" else xlsx_bytes(rows)
    client.force_login(administrator)
    response = preview(client, plan[0], content, f"plan.{file_format}")
    assert response.context["form"].errors["import_file"] == [
        "Filen har fler än 2\xa0000 rader med aktiviteter. Dela upp planen i flera filer "
        "med högst 2\xa0000 rader var."
    ]
    assert not Activity.objects.exists()


def test_empty_rows_do_not_count_and_row_numbers_are_the_files(plan, administrator):
    rows = [GOOD_ROWS[0], [""] * 9, GOOD_ROWS[1]]
    rows[2] = list(rows[2])
    rows[2][3] = "Brandkåren"
    content = b"\r\n;;\r\n" + csv_bytes(rows, delimiter=";")  # two empty lines first
    result = preview_plan(read_plan_file("plan.csv", content), plan[0], administrator)
    assert result.rows == 2
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (6, "ansvarig aktör", "Okänd aktör: ”Brandkåren”.")
    ]


def test_a_file_with_bad_rows_imports_nothing_and_names_row_and_column_in_swedish(
    client, administrator, plan
):
    period = plan[0]
    bad = list(GOOD_ROWS[1])
    bad[6] = "31/10/2025"
    client.force_login(administrator)

    response = preview(client, period, csv_bytes([GOOD_ROWS[0], bad], delimiter=";"))

    result = response.context["preview"]
    assert (len(result.new), result.rows_with_errors) == (1, 1)
    assert response.context["confirm_form"] is None
    table = response.text[response.text.index('id="plan-errors"') :]
    assert re.search(
        r"<td>3</td><td>planerat slut</td><td>Ogiltigt datum ”31/10/2025”; skriv ÅÅÅÅ-MM-DD.</td>",
        table,
    )
    assert "PLANNED_END" not in response.text and "planned_end" not in response.text
    assert "Importera" not in response.text.split('id="plan-errors"')[1].split("Välj en fil")[0]
    assert not Activity.objects.exists()


def test_only_the_first_errors_are_listed_and_the_rest_counted(client, administrator, plan):
    rows = many_rows(MAX_ROWS, lead="brandkåren")
    client.force_login(administrator)

    response = preview(client, plan[0], csv_bytes(rows))

    result = response.context["preview"]
    assert result.rows_with_errors == MAX_ROWS
    assert len(result.errors) == MAX_SHOWN_ERRORS
    assert response.text.count("Okänd aktör: ”brandkåren”.") == MAX_SHOWN_ERRORS
    assert f"… och {MAX_ROWS - MAX_SHOWN_ERRORS} fel till." in response.text
    assert len(response.content) < 60_000


@pytest.mark.parametrize(
    ("start", "end", "column"),
    [
        ("1900-01-01", "2025-10-31", "planerad start"),
        ("2025-04-01", "2031-01-01", "planerat slut"),
        ("2024-12-31", "2025-10-31", "planerad start"),
    ],
    ids=["1900", "after-period", "day-before-period"],
)
def test_dates_outside_the_period_are_flagged(plan, administrator, start, end, column):
    row = list(GOOD_ROWS[1])
    row[5], row[6] = start, end
    result = preview_plan(read_plan_file("plan.csv", csv_bytes([row])), plan[0], administrator)
    assert [(e.row, e.column) for e in result.errors] == [(2, column)]
    assert result.errors[0].message.startswith("Datumet måste ligga inom löftesperioden")


@pytest.mark.parametrize(
    ("column", "value", "name", "message"),
    [
        (0, "okänt-löfte", "löfte", "Det finns inget löfte ”okänt-löfte” i perioden"),
        (0, "", "löfte", "Ange löftet (kortnamn eller rubrik)."),
        (1, "", "rubrik", "Ange aktivitetens rubrik."),
        (1, "x" * 201, "rubrik", "som mest 200 tecken"),
        (3, "", "ansvarig aktör", "Ange den ansvariga aktören."),
        (4, "polisen;Okänd", "medansvariga aktörer", "Okänd aktör: ”Okänd”."),
        (5, "2025-02-30", "planerad start", "Ogiltigt datum ”2025-02-30”; skriv ÅÅÅÅ-MM-DD."),
        (6, "2025-01-01", "planerat slut", "Planerat slut kan inte vara före planerad start."),
        (8, "tre", "vikt", "Vikten måste vara ett heltal mellan 1 och 100, inte ”tre”."),
        (8, "2,5", "vikt", "Vikten måste vara ett heltal mellan 1 och 100, inte ”2,5”."),
        (8, "500", "vikt", "100"),
    ],
)
def test_row_errors_are_in_swedish_with_the_columns_name(
    plan, administrator, column, value, name, message
):
    row = list(GOOD_ROWS[1])
    row[column] = value
    result = preview_plan(read_plan_file("plan.csv", csv_bytes([row])), plan[0], administrator)
    assert [(error.row, error.column) for error in result.errors] == [(2, name)]
    assert message in result.errors[0].message
    assert not Activity.objects.exists()


def test_a_row_repeating_an_earlier_one_is_an_error(plan, administrator):
    repeated = list(GOOD_ROWS[0])
    repeated[1] = repeated[1].upper()
    table = read_plan_file("plan.csv", csv_bytes([GOOD_ROWS[0], repeated]))
    result = preview_plan(table, plan[0], administrator)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "rubrik", "Samma löfte och rubrik finns redan på rad 2.")
    ]


@pytest.mark.parametrize(("column", "name"), [(1, "rubrik"), (2, "beskrivning")])
def test_a_nul_character_in_a_cell_is_a_row_error_in_swedish(plan, administrator, column, name):
    # PostgreSQL refuses NUL in text; it was a database error shown in English.
    row = list(GOOD_ROWS[1])
    row[column] = "före\x00efter"
    result = preview_plan(read_plan_file("plan.csv", csv_bytes([row])), plan[0], administrator)
    assert [(e.column, e.message) for e in result.errors] == [
        (name, "Cellen innehåller ett otillåtet tecken (NUL).")
    ]


def test_importing_the_same_file_again_changes_nothing(client, administrator, plan):
    period = plan[0]
    content = csv_bytes(GOOD_ROWS)
    import_plan(read_plan_file("plan.csv", content), period, administrator)
    client.force_login(administrator)

    response = preview(client, period, content)

    result = response.context["preview"]
    assert (len(result.new), len(result.changed), result.unchanged) == (0, 0, 2)
    assert response.context["confirm_form"] is None
    assert "Filen ändrar ingenting i planen." in response.text
    assert Activity.objects.count() == 2


def test_a_changed_row_changes_the_existing_activity_through_the_service(
    client, administrator, plan, police_organisation
):
    period, traffic, _centre = plan
    existing = ActivityFactory(
        promise=traffic,
        title="Hastighetskontroller vid skolorna",
        lead_organisation=police_organisation,
        weight=5,
    )
    client.force_login(administrator)

    response = preview(client, period, csv_bytes(GOOD_ROWS))
    result = response.context["preview"]
    assert (len(result.new), len(result.changed)) == (1, 1)
    assert confirm(client, response).status_code == 302

    existing.refresh_from_db()
    assert (existing.weight, existing.place) == (2, "Skolorna")
    assert existing.history.first().history_change_reason == "Importerad från plan.csv"
    assert Activity.objects.count() == 2


def test_a_plan_changed_since_the_preview_is_checked_again_and_nothing_saved(
    client, administrator, plan
):
    period, traffic, _centre = plan
    client.force_login(administrator)
    response = preview(client, period, csv_bytes(GOOD_ROWS))
    traffic.slug = "trafik"
    traffic.save()

    response = confirm(client, response)

    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["preview"].errors] == [(2, "löfte")]
    assert not Activity.objects.exists()


def test_a_preview_is_imported_once_and_only_by_its_user(
    client, administrator, plan, django_user_model
):
    other = django_user_model.objects.create_user("annan-admin", is_staff=True)
    other.groups.add(Group.objects.get(name=NATIONAL_ADMINISTRATOR))
    client.force_login(administrator)
    response = preview(client, plan[0], csv_bytes(GOOD_ROWS))
    token = response.context["confirm_form"]["token"].value()

    client.force_login(other)
    refused = client.post(PROCESS_URL, {"token": token}, follow=True)
    assert "Förhandsgranskningen finns inte längre" in refused.text
    assert not Activity.objects.exists()

    client.force_login(administrator)
    assert client.post(PROCESS_URL, {"token": token}).status_code == 302
    again = client.post(PROCESS_URL, {"token": token})
    assert again.status_code == 302 and again["Location"] == IMPORT_URL
    assert Activity.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.4", "Välj en CSV- eller XLSX-fil."),
        ("plan.xlsx", b"not a zip", "Filen är inte en XLSX-fil."),
        (
            "plan.xlsx",
            b"PK\x03\x04 inte en arbetsbok",
            "Filen gick inte att läsa som XLSX. Spara den på nytt i Excel och försök igen.",
        ),
        (
            "plan.csv",
            ",".join(HEADER).encode() + b"\n\x81\x8d\x8f\x90\x9d\n",
            "Filen är varken UTF-8 eller Windows-1252. Spara den i Excel som ”CSV UTF-8 "
            "(kommaavgränsad)” eller som Excel-arbetsbok (.xlsx) och försök igen.",
        ),
        (
            "plan.csv",
            (",".join(HEADER) + "\n").encode(),
            "Filen har inga rader med aktiviteter under rubrikraden.",
        ),
        ("plan.csv", b"\n\n", "Filen är tom."),
    ],
    ids=["pdf", "fake-xlsx", "broken-xlsx", "neither-encoding", "header-only", "empty"],
)
def test_an_unreadable_or_empty_file_is_explained_in_swedish_beside_the_field(
    client, administrator, plan, name, content, message
):
    client.force_login(administrator)
    response = preview(client, plan[0], content, name)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [message]
    assert not Activity.objects.exists()


def test_read_plan_file_raises_a_swedish_error_for_a_ragged_row():
    content = csv_bytes([["a"] * 9]) + b'"trafik","x","y","polisen","","","","","1","extra"\r\n'
    table = read_plan_file("plan.csv", content)
    assert table.rows[1]["_extra"] == ["extra"]
    with pytest.raises(ImportFileError):
        read_plan_file("plan.txt", content)


@override_settings(ACTIVITY_IMPORT_MAX_BYTES=100)
def test_a_too_large_file_is_refused(client, administrator, plan):
    client.force_login(administrator)
    response = preview(client, plan[0], csv_bytes(GOOD_ROWS))
    errors = response.context["form"].errors["import_file"]
    assert errors == ["Filen är för stor: högst 100\xa0byte."]
    assert not Activity.objects.exists()


def test_the_page_is_swedish_the_current_period_chosen_and_kept_after_an_error(
    client, administrator, timra
):
    earlier = PeriodFactory(
        starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2020, 12, 31)
    )
    current = PeriodFactory(
        starts_on=datetime.date.today() - datetime.timedelta(days=30),
        ends_on=datetime.date.today() + datetime.timedelta(days=300),
    )
    client.force_login(administrator)

    page = client.get(IMPORT_URL)
    assert page.context["form"]["period"].value() == current.pk
    assert re.search(rf'<option value="{current.pk}" selected>', page.text)
    for english in ("Import", "Submit", "Format", "This field", "Select"):
        assert not re.search(rf">\s*{english}\b", page.text), english
    assert "Granska filen" in page.text and "Importera aktivitetsplan" in page.text

    response = preview(client, earlier, b"fel;kolumner\n1;2\n")
    assert response.context["form"]["period"].value() == str(earlier.pk)
    assert re.search(rf'<option value="{earlier.pk}" selected>', response.text)


def test_no_period_is_chosen_when_two_are_current(client, administrator, timra):
    today = datetime.date.today()
    for _ in range(2):
        PeriodFactory(starts_on=today, ends_on=today + datetime.timedelta(days=30))
    client.force_login(administrator)
    assert client.get(IMPORT_URL).context["form"]["period"].value() is None


def test_the_changelist_links_to_the_import_for_administrators_only(
    client, administrator, secretary
):
    client.force_login(administrator)
    assert IMPORT_URL in client.get(CHANGELIST_URL).text
    client.force_login(secretary)
    assert IMPORT_URL not in client.get(CHANGELIST_URL).text


def test_only_administrators_may_import(client, secretary, plan):
    client.force_login(secretary)
    assert client.get(IMPORT_URL).status_code == 403
    assert preview(client, plan[0], csv_bytes(GOOD_ROWS)).status_code == 403
    assert client.post(PROCESS_URL, {"token": "x"}).status_code == 403
    assert not Activity.objects.exists()


@pytest.mark.parametrize("periods", [1, 5])
def test_the_import_page_costs_a_fixed_number_of_queries(
    client, administrator, django_assert_num_queries, periods
):
    PeriodFactory.create_batch(periods)
    client.force_login(administrator)
    with django_assert_num_queries(5):
        response = client.get(IMPORT_URL)
    assert response.status_code == 200
    assert "Fil med aktivitetsplanen" in response.text


@pytest.mark.parametrize("rows", [10, 200])
def test_the_preview_reads_promises_organisations_and_activities_once(
    plan, administrator, django_assert_max_num_queries, rows
):
    table = read_plan_file("plan.csv", csv_bytes(many_rows(rows)))
    with django_assert_max_num_queries(6):
        result = preview_plan(table, plan[0], administrator)
    assert len(result.new) == rows
