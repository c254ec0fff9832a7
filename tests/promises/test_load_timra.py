import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from followup.models import Council
from promises.data import timra_2021_2022 as data
from promises.models import FocusArea, Municipality, Organisation, Period, Promise

pytestmark = pytest.mark.django_db

# The published text, kept outside the project; the project ships its own copy.
SOURCE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / ("timra-medborgarloften-2021-2022.txt")
)


def load() -> None:
    call_command("load_timra", stdout=open(os.devnull, "w"))  # noqa: SIM115


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Municipality, Organisation, Council, Period, FocusArea, Promise)
    }


def test_it_loads_timras_period_with_four_areas_and_six_promises():
    load()

    period = Period.objects.get(municipality__slug="timra", slug="2021-2022")
    assert period.is_published
    assert period.focus_areas.count() == 4
    assert period.promises.count() == 6
    assert Council.objects.get(municipality=period.municipality).name == (
        "Rådet för trygghet och hälsa"
    )
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Polisen",
        "Timrå kommun",
        "Socialtjänsten, Timrå kommun",
    }


def test_every_promise_answers_a_focus_area_and_is_made_by_the_named_organisations():
    load()

    for promise in Promise.objects.prefetch_related("focus_areas", "organisations"):
        assert promise.focus_areas.exists()
    huskurage = Promise.objects.get(slug="vald-i-nara-relationer-och-huskurage")
    assert huskurage.with_residents is True
    assert {o.slug for o in huskurage.organisations.all()} == {"timra-kommun", "polisen"}
    drugs = Promise.objects.get(slug="insatser-mot-oppen-droghandel")
    assert "socialtjansten-timra" in {o.slug for o in drugs.organisations.all()}
    traffic = Promise.objects.get(slug="trafikkontroller-vid-riskplatser")
    assert "trafiksakerhet" in {a.slug for a in traffic.focus_areas.all()}


def test_promise_texts_are_verbatim_from_the_published_source():
    if not SOURCE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"The published source text is missing at {SOURCE}.")
        pytest.skip(f"The published source text is not at {SOURCE}.")
    load()
    source = re.sub(r"\s+", " ", SOURCE.read_text(encoding="utf-8"))

    texts = list(Promise.objects.order_by("order").values_list("text", flat=True))

    assert len(texts) == 6
    for text in texts:
        assert f"• {text}" in source, text
    for _slug, name in data.FOCUS_AREAS:
        assert f"• {name}" in source, name
    assert data.PERIOD["purpose"] in source
    assert data.PERIOD["outcome"] in source


def test_a_second_run_changes_nothing_and_duplicates_nothing():
    load()
    before = counts()
    stamps = list(Promise.objects.order_by("pk").values_list("updated_at", flat=True))
    history = Promise.history.count()

    load()

    assert counts() == before
    assert list(Promise.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert Promise.history.count() == history


def test_a_second_run_keeps_edits_made_in_the_admin():
    load()
    Promise.objects.filter(slug="kunskap-hos-medarbetarna").update(title="Ändrad rubrik")

    load()

    assert Promise.objects.get(slug="kunskap-hos-medarbetarna").title == "Ändrad rubrik"


def test_timra_gets_its_official_code_and_county():
    load()

    timra = Municipality.objects.select_related("county").get(slug="timra")
    assert (timra.code, timra.county.code, timra.county.name) == (
        "2262",
        "22",
        "Västernorrlands län",
    )
