"""Progress is read out once everywhere: every progress bar is hidden from screen
readers, because the percentage is always written out beside it (issue 12, part 5).

The public pages are checked in a browser (tests/browser/test_progress.py); this
covers every template and the admin's progress column and follow-up facts."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from followup.services import PromiseFacts
from promises.admin_display import progress_bar
from tests.promises.factories import PromiseFactory

PROGRESS_TAG = re.compile(r"<progress\b[^>]*>", re.IGNORECASE)


def project_templates() -> list[Path]:
    root = Path(settings.BASE_DIR)
    skipped = {".venv", "node_modules", "build", "static", ".git"}
    return [
        path
        for path in root.rglob("*.html")
        if not skipped.intersection(path.relative_to(root).parts)
    ]


def test_every_progress_bar_in_the_templates_is_hidden_and_unlabelled():
    tags = [
        (path.name, tag)
        for path in project_templates()
        for tag in PROGRESS_TAG.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(tags) >= 3  # the public include, the staff card, the admin's follow-up facts
    for name, tag in tags:
        assert 'aria-hidden="true"' in tag, (name, tag)
        assert "aria-label" not in tag, (name, tag)


def test_the_admin_progress_column_says_the_number_once():
    html = str(progress_bar(84.6))
    bar = PROGRESS_TAG.search(html).group(0)
    assert bar == '<progress max="100" value="85" aria-hidden="true">'
    assert html.endswith("</progress> 85&nbsp;%")
    assert "aria-label" not in html


@pytest.mark.django_db
def test_the_meeting_forms_promise_facts_say_the_progress_once():
    promise = PromiseFactory()
    promise.progress = 40.0
    promise.late_activity_count = 0
    html = render_to_string(
        "admin/followup/meeting/promise_facts.html", {"facts": PromiseFacts(promise=promise)}
    )
    assert '<progress max="100" value="40" aria-hidden="true">' in html
    assert "aria-label" not in html
    assert html.count("40&nbsp;%") == 1
