"""Importing a published medborgarlöfte in the admin: paste or upload, review, save a draft."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Indicator
from followup.models import Council
from promises.models import FocusArea, Period, Promise
from tests.admin_helpers import _add_form

pytestmark = pytest.mark.django_db

URL = reverse("onboarding:import")
TEXTS = Path(__file__).resolve().parents[1] / "promises" / "medborgarlofte_texts"
TEXT = """Medborgarlöfte för Timrå 2025–2026

Medborgarlöftet 2025-2026 syftar till att fler ska känna sig trygga i centrum.

Trygg skolväg
Polisen lovar att genomföra minst 20 trafikkontroller per år vid skolorna.

Trygga kvällar
Kommunen och polisen ska gå trygghetsvandringar i centrum. (Polisen och kommunen)

Löftena följs upp var fjärde månad i brottsförebyggande rådet.
Vi gillar korv.
"""


def preview_data(response, **changes) -> dict:
    """The preview's values as a browser would post them, then ``changes``."""
    data: dict = {"save": "1"}
    context = response.context
    _add_form(data, context["period_form"])
    for name in ("focus_area_formset", "promise_formset", "target_formset"):
        formset = context[name]
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data["unclassified"] = list(context["unclassified"])
    data.update(changes)
    return data


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Period, FocusArea, Promise, Indicator)}


@pytest.fixture
def logged_in(client, national_administrator):
    client.force_login(national_administrator)
    return client


def test_pasted_text_is_previewed_with_everything_found_and_nothing_saved(logged_in, timra):
    before = counts()

    response = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})

    assert response.status_code == 200
    assert counts() == before
    period = response.context["period_form"].initial
    assert (period["name"], str(period["starts_on"]), str(period["ends_on"])) == (
        "2025–2026",
        "2025-01-01",
        "2026-12-31",
    )
    assert period["follow_up_cadence"] == "tertial"
    assert period["purpose"].startswith("Medborgarlöftet 2025-2026 syftar till")
    assert [f["name"] for f in response.context["focus_area_formset"].initial] == [
        "Trygg skolväg",
        "Trygga kvällar",
    ]
    assert [
        (p["parties"], p["focus_areas"]) for p in response.context["promise_formset"].initial
    ] == [("polisen", "Trygg skolväg"), ("polisen, kommunen", "Trygga kvällar")]
    assert response.context["target_formset"].initial == [
        {
            "promise": 1,
            "text": "Minst 20 trafikkontroller per år",
            "quantity": Decimal("20"),
            "unit": "trafikkontroller",
            "cadence": "year",
            "comparison": "at_least",
            "aggregation": "sum",
        }
    ]
    assert response.context["unclassified"] == ["Vi gillar korv."]
    content = response.content.decode()
    assert "Ej placerad text" in content and "Vi gillar korv." in content


def test_saving_the_reviewed_preview_creates_an_unpublished_draft_with_the_corrections(
    logged_in, timra
):
    council = Council.objects.create(municipality=timra, name="Brottsförebyggande rådet")
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})

    response = logged_in.post(
        URL,
        preview_data(
            preview,
            **{
                "promise-0-title": "Trafikkontroller vid skolorna",
                "target-0-quantity": "25",
                "target-0-cadence": "tertial",
                "target-0-aggregation": "latest",
                "focus-2-name": "Trygg idrott",
                "promise-1-focus_areas": "Trygga kvällar, Trygg idrott",
            },
        ),
    )

    period = Period.objects.get(municipality=timra)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:promises_period_change", args=[period.pk])
    assert (period.name, period.is_published) == ("2025–2026", False)
    assert list(period.focus_areas.values_list("name", flat=True)) == [
        "Trygg skolväg",
        "Trygga kvällar",
        "Trygg idrott",
    ]
    promises = list(period.promises.order_by("order"))
    assert [p.title for p in promises][0] == "Trafikkontroller vid skolorna"
    assert [sorted(o.kind for o in p.organisations.all()) for p in promises] == [
        ["police"],
        ["municipality", "police"],
    ]
    assert sorted(promises[1].focus_areas.values_list("name", flat=True)) == [
        "Trygg idrott",
        "Trygga kvällar",
    ]
    indicator = Indicator.objects.get()
    assert (
        indicator.promise,
        indicator.target,
        indicator.target_cadence,
        indicator.aggregation,
    ) == (promises[0], Decimal("25"), "tertial", "latest")
    council.refresh_from_db()
    assert council.follow_up_cadence == "tertial"


def test_a_focus_area_or_promise_number_that_does_not_exist_is_shown_and_nothing_saved(
    logged_in, timra
):
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})
    before = counts()

    response = logged_in.post(
        URL,
        preview_data(
            preview,
            **{"promise-0-focus_areas": "Okänt område", "target-0-promise": "9"},
        ),
    )

    assert response.status_code == 200
    assert response.context["promise_formset"].forms[0].errors == {
        "focus_areas": ["Finns inte bland fokusområdena: Okänt område."]
    }
    assert response.context["target_formset"].forms[0].errors == {
        "promise": ["Det finns inget löfte nummer 9."]
    }
    assert "Vi gillar korv." in response.content.decode()
    assert counts() == before


def test_an_open_ended_period_asks_for_its_end_date(logged_in, timra):
    text = (TEXTS / "07_tillsvidare.txt").read_text(encoding="utf-8")
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": text})

    response = logged_in.post(URL, preview_data(preview))

    assert response.context["period_form"].errors == {
        "ends_on": ["Texten anger inget slutdatum för perioden; ange det."]
    }
    assert not Period.objects.exists()
    response = logged_in.post(URL, preview_data(preview, **{"period-ends_on": "2027-12-31"}))
    assert response.status_code == 302
    assert Period.objects.get().ends_on.isoformat() == "2027-12-31"


def test_a_text_file_and_a_word_document_are_read(logged_in, timra):
    upload = SimpleUploadedFile("lofte.txt", TEXT.encode("utf-8"))
    response = logged_in.post(URL, {"municipality": timra.pk, "file": upload})
    assert len(response.context["promise_formset"].initial) == 2

    docx = io.BytesIO()
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in TEXT.splitlines())
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paragraphs}</w:body></w:document>",
        )
    upload = SimpleUploadedFile("lofte.docx", docx.getvalue())
    response = logged_in.post(URL, {"municipality": timra.pk, "file": upload})
    assert [p["text"] for p in response.context["promise_formset"].initial][0] == (
        "Polisen lovar att genomföra minst 20 trafikkontroller per år vid skolorna."
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lofte.pdf", b"%PDF", "Bara .txt- och .docx-filer kan importeras."),
        ("lofte.txt", "Löfte".encode("latin-1"), "Textfilen är inte i UTF-8."),
        ("lofte.docx", b"not a zip", "Filen går inte att läsa som ett Word-dokument."),
    ],
)
def test_unreadable_files_are_refused_beside_the_field(logged_in, timra, name, content, message):
    response = logged_in.post(
        URL, {"municipality": timra.pk, "file": SimpleUploadedFile(name, content)}
    )

    assert response.context["form"].errors == {"file": [message]}


def test_an_empty_form_asks_for_the_text(logged_in, timra):
    response = logged_in.post(URL, {"municipality": timra.pk, "text": "  "})

    assert response.context["form"].errors == {"text": ["Klistra in texten eller välj en fil."]}


def test_a_municipal_administrator_imports_only_into_their_own_municipality(
    client, municipal_administrator, timra, sundsvall
):
    client.force_login(municipal_administrator)

    response = client.get(URL)
    assert list(response.context["form"].fields["municipality"].queryset) == [timra]
    response = client.post(URL, {"municipality": sundsvall.pk, "text": TEXT})
    assert "municipality" in response.context["form"].errors
    preview = client.post(URL, {"municipality": timra.pk, "text": TEXT})
    response = client.post(URL, preview_data(preview, **{"period-municipality": str(sundsvall.pk)}))
    assert "municipality" in response.context["period_form"].errors
    assert not Period.objects.exists()


@pytest.mark.parametrize("actor", ["secretary", "other_secretary"])
def test_secretaries_may_not_import(client, request, actor, timra):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"municipality": timra.pk, "text": TEXT}).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"save": "1"},
        {"save": "1", "period-municipality": "abc", "promise-TOTAL_FORMS": "x"},
        {"municipality": "999999", "text": "Polisen ska patrullera."},
        {"municipality": "1", "text": "\x00"},
    ],
)
def test_broken_or_hostile_posts_are_answered_with_messages_not_errors(logged_in, timra, data):
    response = logged_in.post(URL, data)

    assert response.status_code == 200
    assert not Period.objects.exists()


def test_an_unknown_municipality_in_the_address_is_ignored(logged_in, timra):
    assert logged_in.get(URL, {"municipality": "abc"}).status_code == 200


def test_an_import_never_overwrites_the_cadence_the_council_already_has(logged_in, timra):
    council = Council.objects.create(
        municipality=timra, name="Rådet för trygghet", follow_up_cadence="every_meeting"
    )
    preview = logged_in.post(URL, {"municipality": timra.pk, "text": TEXT})
    assert preview.context["period_form"]["follow_up_cadence"].value() == "tertial"

    response = logged_in.post(URL, preview_data(preview))

    assert response.status_code == 302
    council.refresh_from_db()
    assert council.follow_up_cadence == "every_meeting"


FORGED_MUNICIPALITY = (
    "Välj en kommun i listan. Du kan bara importera till en kommun där du får lägga till "
    "en löftesperiod."
)


def _error_beside_municipality(html: str, field_id: str) -> bool:
    """The message is in the same form row as the municipality's select."""
    row = html.split(f'id="{field_id}"')[0].rsplit('<div class="form-row', 1)[-1]
    return FORGED_MUNICIPALITY in row


@pytest.mark.parametrize("forged", ["999999", "sundsvall", "abc"])
def test_a_forged_municipality_in_the_preview_is_refused_beside_the_field_and_nothing_saved(
    client, municipal_administrator, timra, sundsvall, forged
):
    client.force_login(municipal_administrator)
    preview = client.post(URL, {"municipality": timra.pk, "text": TEXT})
    before = counts()
    value = str(sundsvall.pk) if forged == "sundsvall" else forged

    response = client.post(URL, preview_data(preview, **{"period-municipality": value}))

    assert response.status_code == 200
    assert response.context["period_form"].errors["municipality"] == [FORGED_MUNICIPALITY]
    assert _error_beside_municipality(response.content.decode(), "id_period-municipality")
    assert counts() == before


@pytest.mark.parametrize("forged", ["999999", "sundsvall"])
def test_a_forged_municipality_in_the_text_form_is_refused_beside_the_field(
    client, municipal_administrator, timra, sundsvall, forged
):
    client.force_login(municipal_administrator)
    value = str(sundsvall.pk) if forged == "sundsvall" else forged

    response = client.post(URL, {"municipality": value, "text": TEXT})

    assert response.status_code == 200
    assert response.context["form"].errors == {"municipality": [FORGED_MUNICIPALITY]}
    assert _error_beside_municipality(response.content.decode(), "id_municipality")
    assert not Period.objects.exists()
