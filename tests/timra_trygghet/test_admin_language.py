"""The admin is Swedish throughout, including what Django and the admin's libraries show.

Django's own Swedish catalog misses a few newer strings, and django-simple-history,
django-otp and django-axes ship no Swedish at all; the
project's ``locale/sv`` fills the gaps. The cases are generated from the packages'
own catalogs, so a library upgrade that adds an untranslated string fails here.
"""

import glob
import json
import re
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.i18n import JSONCatalog

PACKAGES = {
    # Django ships complete English catalogs of its msgids.
    "django.contrib.admin": "en",
    "django.contrib.auth": "en",
    "django.contrib.contenttypes": "en",
    "django.conf": "en",
    # The libraries ship no English catalog: every language's msgids, as long as the
    # package's code still uses them.
    "simple_history": "*",
    "django_otp": "*",
    "axes": "*",
}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$')


def _entries(path: Path):
    """(context, msgid, msgid_plural, translated) of each entry of a .po file."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            if match := KEYWORD.match(line):
                current = match.group(1)
                fields[current] = _unescape(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += _unescape(line[1:-1])
        if fields.get("msgid"):
            translations = [value for key, value in fields.items() if key.startswith("msgstr")]
            translated = bool(translations) and all(translations) and not fuzzy
            yield fields.get("msgctxt", ""), fields["msgid"], fields.get("msgid_plural"), translated


def _package_dir(name: str) -> Path:
    return Path(import_module(name).__file__).parent


def _source_text(directory: Path) -> str:
    parts = []
    for pattern in ("**/*.py", "**/*.html", "**/*.js", "**/*.txt"):
        for path in directory.glob(pattern):
            if "locale" not in path.parts and "/tests/" not in str(path):
                parts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return "\n".join(parts)


PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]|\{\w*\}")


def _used_in(msgid: str, source: str) -> bool:
    """Whether the code still says it: every literal part, placeholders aside
    (a template writes ``%(name)s`` as ``{{ name }}``)."""
    return all(part in source for part in PLACEHOLDER.split(msgid) if part.strip())


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _msgids(package: str, language: str, domain: str) -> set[tuple[str, str, str | None]]:
    directory = _package_dir(package)
    files = glob.glob(str(directory / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))
    found = set()
    for path in files:
        for context, msgid, plural, _translated in _entries(Path(path)):
            found.add((context, msgid, plural))
    if language == "*":
        source = _source_text(directory)
        found = {entry for entry in found if _used_in(entry[1], source)}
    return found


def _cases():
    for package, language in PACKAGES.items():
        for domain in ("django", "djangojs"):
            for context, msgid, plural in sorted(_msgids(package, language, domain)):
                yield pytest.param(
                    domain, context, msgid, plural, id=f"{package}:{domain}:{msgid[:40]}"
                )


CASES = list(_cases())


def test_the_cases_cover_the_admins_libraries():
    packages = {case.id.split(":")[0] for case in CASES}
    assert packages == set(PACKAGES)
    assert len(CASES) > 600


def _swedish(domain: str) -> set[tuple[str, str]]:
    """(context, msgid) of every entry with a Swedish text, upstream's and ours."""
    catalogs = [Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / f"{domain}.po"]
    for package in PACKAGES:
        catalogs.append(_package_dir(package) / "locale" / "sv" / "LC_MESSAGES" / f"{domain}.po")
    return {
        (context, msgid)
        for path in catalogs
        if path.exists()
        for context, msgid, _plural, translated in _entries(path)
        if translated
    }


@pytest.mark.parametrize(
    ("domain", "context", "msgid", "plural"), [c for c in CASES if c.values[0] == "django"]
)
def test_every_admin_string_has_swedish(domain, context, msgid, plural):
    assert (context, msgid) in SWEDISH[domain]


SWEDISH = {"django": _swedish("django"), "djangojs": _swedish("djangojs")}


def _javascript_catalog() -> dict:
    """What the admin's jsi18n view holds in Swedish, as JSON (the same catalog class)."""
    request = RequestFactory().get("/")
    with translation.override("sv"):
        response = JSONCatalog.as_view(packages=["django.contrib.admin"])(request)
    return json.loads(response.content)["catalog"]


def test_every_admin_javascript_string_has_swedish():
    catalog = _javascript_catalog()
    js_cases = [c.values for c in CASES if c.values[0] == "djangojs"]
    assert len(js_cases) > 50
    missing = [
        msgid
        for _domain, context, msgid, _plural in js_cases
        if (f"{context}\x04{msgid}" if context else msgid) not in catalog
    ]
    assert not missing, missing[:10]


@pytest.mark.django_db
def test_the_admins_javascript_catalog_is_swedish(client, admin_user):
    client.force_login(admin_user)
    catalog = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ange tider i tidszonen" in catalog


@pytest.mark.django_db
def test_the_admin_is_swedish_whatever_the_browser_asks_for(client, admin_user):
    client.force_login(admin_user)
    html = client.get(
        reverse("admin:followup_meeting_changelist"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="sv"' in html
    assert "Filtrera på datum" in html
    assert "Filter by" not in html
