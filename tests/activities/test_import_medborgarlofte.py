"""manage.py import_medborgarlofte: a published text becomes a draft period, never published."""

import io
import json
import os
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from activities.models import Indicator
from promises.models import FocusArea, Organisation, Period, Promise
from tests.promises.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parents[1] / "promises" / "medborgarlofte_texts"
TIMRA_SOURCE = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "timra-medborgarloften-2021-2022.txt"
)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_medborgarlofte", *map(str, args), stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Period, FocusArea, Promise, Indicator, Organisation)
    }


@pytest.fixture
def timra_text_path() -> Path:
    if not TIMRA_SOURCE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"The published source text is missing at {TIMRA_SOURCE}.")
        pytest.skip(f"The published source text is not at {TIMRA_SOURCE}.")
    return TIMRA_SOURCE


def test_a_dry_run_prints_timras_text_as_json_and_creates_nothing(timra_text_path):
    MunicipalityFactory(name="Timrå", slug="timra")
    before = counts()

    found = json.loads(run(timra_text_path, "--municipality", "timra", "--dry-run", "--json"))

    assert counts() == before
    assert found["period"]["name"] == "2021–2022"
    assert (found["period"]["starts_on"], found["period"]["ends_on"]) == (
        "2021-01-01",
        "2022-12-31",
    )
    assert len(found["focus_areas"]) == 4
    assert all(set(area) >= {"name"} for area in found["focus_areas"])
    assert [promise["parties"] for promise in found["promises"]] == [
        ["kommunen", "polisen"],
        ["kommunen", "polisen"],
        ["polisen", "kommunen"],
        ["polisen"],
        ["polisen", "kommunen"],
        ["polisen"],
    ]
    assert all(promise["targets"] == [] for promise in found["promises"])
    assert found["follow_up"]["cadence"] == "every_meeting"
    assert len(found["unclassified"]) == 1
    assert "draft" not in found


def test_targets_appear_in_the_json_with_quantity_unit_and_cadence():
    MunicipalityFactory(name="Älvmora", slug="alvmora")

    found = json.loads(
        run(TEXTS / "05_mal_med_kadens.txt", "--municipality", "alvmora", "--dry-run", "--json")
    )

    assert found["promises"][0]["targets"] == [
        {
            "text": "minst 20 fotpatruller årligen",
            "quantity": 20,
            "unit": "fotpatruller",
            "cadence": "year",
            "comparison": "at_least",
            "aggregation": "sum",
        }
    ]


def test_importing_creates_an_unpublished_period_with_promises_indicators_and_organisations():
    alvmora = MunicipalityFactory(name="Älvmora", slug="alvmora")

    found = json.loads(run(TEXTS / "05_mal_med_kadens.txt", "--municipality", "alvmora", "--json"))

    period = Period.objects.get(municipality=alvmora)
    assert found["draft"]["period"] == period.slug == "2025-2026"
    assert period.is_published is False
    assert (period.starts_on, period.ends_on) == (date(2025, 1, 1), date(2026, 12, 31))
    promises = list(period.promises.order_by("order").prefetch_related("organisations"))
    assert len(promises) == 5
    assert (
        promises[0].text
        == "Polisen ska genomföra minst 20 fotpatruller årligen i centrala Älvmora."
    )
    assert promises[0].title == "Genomföra minst 20 fotpatruller årligen i centrala Älvmora"
    assert [[o.name for o in p.organisations.all()] for p in promises] == [
        ["Polisen, Älvmora"],
        ["Polisen, Älvmora"],
        ["Älvmora kommun"],
        ["Älvmora kommun"],
        ["Älvmora kommun"],
    ]
    indicator = Indicator.objects.get(promise=promises[0])
    assert (
        indicator.name,
        indicator.unit,
        indicator.target,
        indicator.direction,
        indicator.aggregation,
    ) == ("Minst 20 fotpatruller årligen", "fotpatruller", Decimal(20), "higher", "sum")
    assert Indicator.objects.get(promise=promises[4]).direction == "lower"  # inom 24 timmar
    assert set(alvmora.organisations.values_list("name", flat=True)) == {
        "Polisen, Älvmora",
        "Älvmora kommun",
    }


def test_a_draft_is_not_shown_on_the_public_site(client):
    MunicipalityFactory(name="Älvmora", slug="alvmora")
    run(TEXTS / "05_mal_med_kadens.txt", "--municipality", "alvmora")

    assert client.get("/alvmora/2025-2026/").status_code == 404


def test_importing_timras_text_again_reuses_its_organisations_and_keeps_the_published_period(
    timra_text_path,
):
    call_command("load_timra", stdout=io.StringIO())
    organisations = Organisation.objects.count()

    run(timra_text_path, "--municipality", "timra")

    assert Organisation.objects.count() == organisations
    published, draft = Period.objects.filter(municipality__slug="timra").order_by("pk")
    assert (published.slug, published.is_published) == ("2021-2022", True)
    assert (draft.slug, draft.is_published) == ("2021-2022-2", False)
    assert draft.focus_areas.count() == 4
    loaded = {p.text: {o.slug for o in p.organisations.all()} for p in published.promises.all()}
    imported = {p.text: {o.slug for o in p.organisations.all()} for p in draft.promises.all()}
    assert imported == loaded


def test_focus_areas_named_above_promises_are_linked_to_them():
    MunicipalityFactory(name="Storåsen", slug="storasen")

    run(TEXTS / "10_omradesrubriker.txt", "--municipality", "storasen")

    promise = Promise.objects.get(text__startswith="Kommunen ska anställa")
    assert [area.name for area in promise.focus_areas.all()] == ["Ungdomar och droger"]
    social = Promise.objects.get(text__startswith="Polisen ska i samverkan med socialtjänsten")
    assert sorted(o.name for o in social.organisations.all()) == [
        "Polisen, Storåsen",
        "Socialtjänsten, Storåsen",
    ]
    assert Organisation.objects.get(name="Socialtjänsten, Storåsen").parent.name == (
        "Storåsen kommun"
    )


def test_an_open_ended_period_needs_an_end_date_and_nothing_is_half_saved():
    vretby = MunicipalityFactory(name="Vretby", slug="vretby")
    before = counts()

    with pytest.raises(CommandError, match="slutdatum"):
        run(TEXTS / "07_tillsvidare.txt", "--municipality", "vretby")

    assert counts() == before
    run(TEXTS / "07_tillsvidare.txt", "--municipality", "vretby", "--ends-on", "2026-08-31")
    period = Period.objects.get(municipality=vretby)
    assert (period.starts_on, period.ends_on, period.is_published) == (
        date(2024, 9, 1),
        date(2026, 8, 31),
        False,
    )


def _docx(paragraphs: list[tuple[str, bool]]) -> bytes:
    """A minimal Word document: (text, is_list_item) per paragraph."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        "<w:p>"
        + ('<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>' if item else "")
        + f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"
        for text, item in paragraphs
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def test_a_word_document_is_read_like_the_same_text(tmp_path):
    MunicipalityFactory(name="Vretby", slug="vretby")
    text = (TEXTS / "07_tillsvidare.txt").read_text(encoding="utf-8")
    paragraphs = [(line.removeprefix("• "), line.startswith("• ")) for line in text.splitlines()]
    path = tmp_path / "lofte.docx"
    path.write_bytes(_docx(paragraphs))

    from_docx = json.loads(run(path, "--municipality", "vretby", "--dry-run", "--json"))
    from_text = json.loads(
        run(TEXTS / "07_tillsvidare.txt", "--municipality", "vretby", "--dry-run", "--json")
    )

    assert from_docx == from_text


def test_a_file_that_is_not_a_word_document_is_refused(tmp_path):
    MunicipalityFactory(name="Vretby", slug="vretby")
    path = tmp_path / "lofte.docx"
    path.write_bytes(b"not a zip file")

    with pytest.raises(CommandError, match="Cannot read"):
        run(path, "--municipality", "vretby", "--dry-run")


def test_other_file_types_and_unknown_municipalities_are_refused(tmp_path):
    MunicipalityFactory(name="Vretby", slug="vretby")
    path = tmp_path / "lofte.pdf"
    path.write_bytes(b"%PDF")

    with pytest.raises(CommandError, match=r"\.txt and \.docx"):
        run(path, "--municipality", "vretby", "--dry-run")
    with pytest.raises(CommandError, match="No municipality"):
        run(TEXTS / "07_tillsvidare.txt", "--municipality", "finns-inte", "--dry-run")


def test_the_summary_without_json_lists_promises_with_their_parties():
    MunicipalityFactory(name="Sjöstad", slug="sjostad")

    output = run(TEXTS / "03_parentes_parter.txt", "--municipality", "sjostad", "--dry-run")

    assert "Promises: 4" in output
    assert "[polisen, kommunen] Genomföra gemensamma trygghetsvandringar" in output
    assert "Dry run: nothing was created." in output
