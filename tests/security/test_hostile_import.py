"""Hostile activity plans for the admin's import: never a server error, only valid rows stored."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from activities.imports import COLUMNS
from activities.models import Activity
from tests.security.hostile import (
    SCRIPT,
    assert_not_a_server_error,
    assert_valid,
    hostile_settings,
    hostile_text,
    rolled_back,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:activities_activity_import")
PROCESS_URL = reverse("admin:activities_activity_process_import")
HEADER = list(COLUMNS.values())
GOOD_ROW = [
    "trafikkontroller",
    "Hastighetskontroller vid skolorna",
    "Kontroller vid skolstart.",
    "polisen",
    "timra-kommun",
    "2025-08-15",
    "2025-12-20",
    "Skolorna",
    "2",
]


@pytest.fixture
def period(police_organisation, municipality_organisation):
    from tests.promises.factories import PeriodFactory, PromiseFactory

    period = PeriodFactory(is_published=True)
    PromiseFactory(period=period, title="Trafikkontroller vid riskplatser", slug="trafikkontroller")
    return period


@pytest.fixture
def admin_client_(administrator) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@st.composite
def plans(draw) -> list[list[str]]:
    """One to three rows, each the good row with one to three cells made hostile."""
    header = list(HEADER)
    if draw(st.integers(0, 9)) == 0:
        header[draw(st.integers(0, len(HEADER) - 1))] = draw(hostile_text())
    rows = [header]
    for number in range(draw(st.integers(1, 3))):
        row = list(GOOD_ROW)
        row[1] = f"{row[1]} {number}"  # one activity per row
        for column in draw(st.sets(st.integers(0, len(row) - 1), max_size=2)):
            row[column] = draw(hostile_text())
        if draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        rows.append(row)
    return rows


def csv_bytes(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    # Lone surrogates go as the bytes a broken exporter writes: not UTF-8.
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        # Cells hold no control characters or lone surrogates (openpyxl refuses them).
        sheet.append(
            [
                "".join(c for c in cell if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF)
                for cell in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def uploads(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["csv", "csv", "csv", "xlsx", "csv-bytes", "fake-xlsx"]))
    if kind == "csv":
        delimiter = draw(st.sampled_from([",", ";"]))
        return "plan.csv", csv_bytes(draw(plans()), delimiter)
    if kind == "xlsx":
        return "plan.xlsx", xlsx_bytes(draw(plans()))
    if kind == "csv-bytes":
        return "plan.csv", draw(st.binary(max_size=2_000))
    return "plan.xlsx", b"PK" + draw(st.binary(max_size=2_000))


def without_surrogates(text: str) -> str:
    """What a multipart form field can carry (the file itself can carry anything)."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _plan(**cells) -> tuple[str, bytes]:
    row = list(GOOD_ROW)
    for name, value in cells.items():
        row[HEADER.index(name.replace("_", " "))] = value
    return "plan.csv", csv_bytes([HEADER, row])


@hostile_settings
@example(upload=_plan(rubrik=SCRIPT, plats="\u202eevil\u202c"), period_value=None)
@example(upload=_plan(beskrivning="före\x00efter"), period_value=None)
@example(upload=_plan(rubrik="före\x00efter"), period_value=None)
@example(upload=_plan(rubrik="x" * 201), period_value=None)
@example(upload=_plan(vikt="1e309"), period_value=None)
@example(upload=_plan(planerad_start="2025-02-30"), period_value=None)
@example(upload=_plan(medansvariga_aktörer=";;\x00;"), period_value=None)
@given(
    upload=uploads(),
    # The period's field is made hostile in about one upload out of eight.
    period_value=st.tuples(st.integers(0, 7), hostile_text().map(without_surrogates)).map(
        lambda drawn: drawn[1] if drawn[0] == 3 else None
    ),
)
def test_the_import_answers_hostile_files_without_error_and_stores_only_valid_activities(
    admin_client_, period, upload, period_value
):
    name, content = upload
    with rolled_back():
        preview = admin_client_.post(
            IMPORT_URL,
            {
                "period": period.pk if period_value is None else period_value,
                "import_file": SimpleUploadedFile(name, content),
            },
        )
        assert_not_a_server_error(preview)
        assert "Traceback" not in preview.content.decode()
        assert not Activity.objects.exists()  # a preview saves nothing
        result = (preview.context or {}).get("preview")
        if result is not None:
            # Rows are refused with a message per cell, never by an exception.
            assert all(error.message and error.row >= 2 for error in result.errors)
        confirm_form = (preview.context or {}).get("confirm_form")
        if confirm_form is None:
            return
        confirmed = admin_client_.post(PROCESS_URL, {"token": confirm_form["token"].value()})
        assert_not_a_server_error(confirmed)
        for activity in Activity.objects.all():
            assert_valid(activity)
