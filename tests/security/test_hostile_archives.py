"""Word and Excel files are zip archives: a small upload must not hold a worker or end in a 500.

Found by the outside test of this round: a .docx of nested paragraphs took longer than
gunicorn's timeout, an .xlsx with one very long row or a huge shared string held a
worker (and 1.6 GB), and encrypted or damaged archives raised errors nobody caught.
"""

import io
import zipfile

import pytest

from activities.imports import MAX_XLSX_UNPACKED_BYTES, ImportFileError, read_plan_file
from promises.medborgarlofte_import import UnreadableDocument, text_from_docx

WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _archive(entries: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _document(body: str) -> str:
    return f'<?xml version="1.0"?><w:document xmlns:w="{WORD}"><w:body>{body}</w:body></w:document>'


def test_deeply_nested_paragraphs_are_read_in_one_pass():
    depth = 50_000
    body = "<w:p><w:r><w:t>Ytter</w:t></w:r>" * depth + "</w:p>" * depth
    lines = text_from_docx(_archive({"word/document.xml": _document(body)})).splitlines()

    assert len(lines) == depth
    assert set(lines) == {"Ytter"}  # each paragraph keeps its own text, not its children's


def test_a_text_box_paragraph_keeps_its_own_text_and_list_mark():
    body = (
        "<w:p><w:r><w:t>Före </w:t></w:r>"
        '<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>Inre</w:t></w:r></w:p>"
        "<w:r><w:t>efter</w:t></w:r></w:p>"
    )
    assert text_from_docx(_archive({"word/document.xml": _document(body)})) == "• Inre\nFöre efter"


def _with_flag(data: bytes, offset_in_header: int, value: bytes) -> bytes:
    """The archive with bytes of its central directory entry for the first file replaced."""
    central = data.index(b"PK\x01\x02")
    position = central + offset_in_header
    return data[:position] + value + data[position + len(value) :]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: _with_flag(data, 8, b"\x01\x00"), id="encrypted-flag"),
        pytest.param(lambda data: _with_flag(data, 10, b"\x63\x00"), id="compression-method-99"),
        pytest.param(
            lambda data: data.replace(b"Stycke", b"\xff\xfe\xfd\xfc\xfb\xfa", 1),
            id="corrupt-deflate-data",
        ),
    ],
)
def test_a_damaged_word_archive_is_unreadable_not_a_crash(damage):
    body = "<w:p><w:r><w:t>" + "Stycke " * 200 + "</w:t></w:r></w:p>"
    intact = _archive({"word/document.xml": _document(body)}, compression=zipfile.ZIP_STORED)

    with pytest.raises(UnreadableDocument):
        text_from_docx(damage(intact))


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_parsed():
    huge = "x" * (MAX_XLSX_UNPACKED_BYTES + 1)
    content = _archive({"xl/sharedStrings.xml": huge, "[Content_Types].xml": "<Types/>"})

    assert len(content) < MAX_XLSX_UNPACKED_BYTES / 100  # small on the wire
    with pytest.raises(ImportFileError, match="för stor uppackad"):
        read_plan_file("plan.xlsx", content)
