import csv
import importlib
import io
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from promises.models import County, Municipality
from promises.services import MUNICIPALITIES_CSV, municipalities_load, municipality_rows
from tests.promises.factories import MunicipalityFactory, PeriodFactory

pytestmark = pytest.mark.django_db

# The reference facts, kept outside the project; the project ships its own copy.
SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "kommuner.csv"


def load() -> str:
    out = io.StringIO()
    call_command("load_municipalities", stdout=out)
    return out.getvalue()


def test_the_projects_data_file_holds_290_municipalities_in_21_counties():
    rows = municipality_rows()

    assert len(rows) == 290
    assert len({row.code for row in rows}) == 290
    assert all(len(row.code) == 4 and row.code.isdigit() for row in rows)
    assert len({(row.county_code, row.county_name) for row in rows}) == 21


def test_the_projects_data_file_matches_the_shared_reference_facts():
    if not SOURCE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"The shared reference file is missing at {SOURCE}.")
        pytest.skip(f"The shared reference file is not at {SOURCE}.")
    with SOURCE.open(encoding="utf-8") as shared, MUNICIPALITIES_CSV.open(encoding="utf-8") as ours:
        assert list(csv.reader(ours)) == list(csv.reader(shared))


def test_it_loads_every_municipality_with_its_code_and_county():
    output = load()

    assert "290 created" in output
    assert Municipality.objects.count() == 290
    assert County.objects.count() == 21
    timra = Municipality.objects.select_related("county").get(code="2262")
    assert (timra.name, timra.slug) == ("Timrå", "timra")
    assert (timra.county.code, timra.county.name) == ("22", "Västernorrlands län")
    assert Municipality.objects.get(code="0180").name == "Stockholm"


def test_two_municipalities_with_one_transliteration_get_distinct_slugs():
    load()

    assert Municipality.objects.get(name="Håbo").slug == "habo"
    assert Municipality.objects.get(name="Habo").slug == "habo-0643"


def test_a_second_run_changes_nothing():
    load()
    before = list(Municipality.objects.order_by("pk").values_list("pk", "slug", "updated_at"))

    output = load()

    assert "0 created, 0 updated, 290 unchanged" in output
    assert list(Municipality.objects.order_by("pk").values_list("pk", "slug", "updated_at")) == (
        before
    )


def test_an_existing_municipality_without_a_code_is_found_by_name_and_keeps_its_address():
    timra = MunicipalityFactory(name="Timrå", slug="timra")
    period = PeriodFactory(municipality=timra)

    load()

    timra.refresh_from_db()
    assert timra.code == "2262"
    assert timra.slug == "timra"
    assert Municipality.objects.filter(name="Timrå").count() == 1
    assert period.municipality_id == timra.pk


def test_a_renamed_municipality_is_updated_by_its_code():
    load()
    rows = [row for row in municipality_rows() if row.code != "2262"]
    timra = next(row for row in municipality_rows() if row.code == "2262")
    renamed = type(timra)(timra.code, "Timrå nya", timra.county_code, timra.county_name)

    result = municipalities_load([*rows, renamed])

    assert (result.created, result.updated) == (0, 1)
    assert Municipality.objects.get(code="2262").name == "Timrå nya"


def test_demo_municipalities_without_a_code_are_left_alone():
    demo = MunicipalityFactory(name="Demokommun 1", slug="demokommun-1")

    load()

    demo.refresh_from_db()
    assert demo.code is None
    assert Municipality.objects.count() == 291


@pytest.mark.parametrize("code", ["123", "12345", "12a4", "abcd"])
def test_a_municipality_code_other_than_four_digits_is_a_field_error(code):
    municipality = MunicipalityFactory.build(name="Exempelkommun", slug="exempel", code=code)

    with pytest.raises(ValidationError) as error:
        municipality.full_clean()

    assert "code" in error.value.message_dict


def test_the_database_refuses_a_malformed_municipality_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(name="Exempelkommun", slug="exempel", code="12a4")


def test_the_database_refuses_two_municipalities_with_one_code():
    MunicipalityFactory(name="Första", slug="forsta", code="9999")

    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(name="Andra", slug="andra", code="9999")


def test_the_migration_gives_the_existing_timra_its_code_by_name():
    migration = importlib.import_module("promises.migrations.0004_timra_municipality_code")
    timra = MunicipalityFactory(name="Timrå", slug="timra")
    other = MunicipalityFactory(name="Demokommun 2", slug="demokommun-2")

    migration.fill_timra(apps, None)

    timra.refresh_from_db()
    other.refresh_from_db()
    assert timra.code == "2262"
    assert timra.county.name == "Västernorrlands län"
    assert other.code is None
