"""The English catalog is complete: every entry translated, nothing fuzzy, and valid.

``make messages`` brings new Swedish msgids into ``locale/en``; these tests fail
until each has its English (docs: README, "Development")."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.timra_trygghet.test_admin_language import _entries

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_entry_has_english_and_none_is_fuzzy():
    text = CATALOG.read_text(encoding="utf-8")
    entries = list(_entries(CATALOG))

    assert len(entries) > 1000
    untranslated = [msgid for _context, msgid, _plural, translated in entries if not translated]
    assert untranslated == []
    assert "#, fuzzy" not in text
    assert "\n#| " not in text  # previous msgids of fuzzy entries


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is missing")
def test_the_catalog_passes_msgfmt_checks_without_warnings():
    result = subprocess.run(  # noqa: S603 - a fixed command on our own file
        ["msgfmt", "-c", "-o", "/dev/null", str(CATALOG)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
