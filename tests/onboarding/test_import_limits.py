"""The import's limits: a text too long or too big to review is refused beside its field,
before parsing or previewing it, and so is a file without any text."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from onboarding.forms import MAX_SOURCE_CHARS
from promises.models import Period
from tests.onboarding.test_import import TEXT, URL, preview_data

pytestmark = pytest.mark.django_db

TOO_LONG = "Texten är längre än 100\xa0000 tecken. Ta bort det som inte hör till medborgarlöftet."
TOO_MUCH = (
    "Texten ger för många löften, mått och meningar för att granskas på en gång. "
    "Ta bort det som inte hör till medborgarlöftet och försök igen."
)
NO_TEXT = "Filen innehåller ingen text."


@pytest.fixture
def logged_in(client, national_administrator):
    client.force_login(national_administrator)
    return client


def _docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buffer.getvalue()


def test_a_pasted_text_longer_than_the_limit_is_refused_beside_it(logged_in, timra):
    text = "Vi gillar korv. " * (MAX_SOURCE_CHARS // 16 + 1)

    response = logged_in.post(URL, {"municipality": timra.pk, "text": text})

    assert response.status_code == 200
    assert response.context["form"].errors == {"text": [TOO_LONG]}
    assert "period_form" not in response.context


def test_a_word_document_with_more_text_than_the_limit_is_refused_beside_the_field(
    logged_in, timra
):
    # A small file that unpacks to much text: a zip bomb of sorts.
    upload = SimpleUploadedFile("lofte.docx", _docx(["Vi gillar korv. " * 1000] * 10))
    assert upload.size < 100_000

    response = logged_in.post(URL, {"municipality": timra.pk, "file": upload})

    assert response.context["form"].errors == {"file": [TOO_LONG]}


def test_a_text_of_exactly_the_limit_is_previewed(logged_in, timra):
    text = TEXT.strip() + "\n" + "x" * (MAX_SOURCE_CHARS - len(TEXT.strip()) - 1)
    assert len(text) == MAX_SOURCE_CHARS

    response = logged_in.post(URL, {"municipality": timra.pk, "text": text})

    assert "period_form" in response.context


def test_a_text_giving_more_to_review_than_a_save_may_post_is_refused_beside_it(
    logged_in, timra
):
    # Every line a promise with a target: far more fields than Django accepts in one
    # post (DATA_UPLOAD_MAX_NUMBER_FIELDS), so the reviewed preview could never be saved.
    line = "Polisen ska patrullera i centrum. Minst 20 fotpatruller per år.\n"
    text = "Medborgarlöfte 2025-2026\n" + line * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS // 10)

    response = logged_in.post(URL, {"municipality": timra.pk, "text": text})

    assert response.context["form"].errors == {"text": [TOO_MUCH]}
    assert "period_form" not in response.context


def test_a_preview_just_within_the_field_limit_can_be_saved(logged_in, timra):
    line = "Polisen ska patrullera i område {n}. Minst 20 fotpatruller per år.\n"
    text = "Medborgarlöfte 2025-2026\n" + "".join(line.format(n=n) for n in range(30))

    preview = logged_in.post(URL, {"municipality": timra.pk, "text": text})
    response = logged_in.post(URL, preview_data(preview))

    assert response.status_code == 302
    assert Period.objects.get().promises.count() == 30


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lofte.txt", b"\xef\xbb\xbf \n\t\n"),
        ("lofte.docx", _docx([])),
        ("lofte.docx", _docx(["   "])),
    ],
)
def test_a_file_without_text_is_refused_beside_the_field(logged_in, timra, name, content):
    response = logged_in.post(
        URL, {"municipality": timra.pk, "file": SimpleUploadedFile(name, content)}
    )

    assert response.context["form"].errors == {"file": [NO_TEXT]}
