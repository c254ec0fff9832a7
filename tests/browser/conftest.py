"""Browser tests: a real headless Chromium driven by Playwright, with axe-core.

Chromium is Debian's package (/usr/bin/chromium); Playwright cannot download its
own browsers here. Locally, without Chromium, these tests are skipped with a hint;
in CI (CI=true) a missing browser is an error, never a skip.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 360, "desktop": 1280}

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make for setup are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"Chromium not found at {CHROMIUM}: CI must run the browser tests "
            "(apt-get install -y chromium)."
        )
    skip = pytest.mark.skip(
        reason="Chromium not found: install it with `apt-get install -y chromium` "
        "to run the browser tests."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def timra_loaded():
    """Timrå's published promises with the demo scene under them (``seed_demo``); the period."""
    from demo.scene import build_scene
    from promises.models import Period

    build_scene()
    return Period.objects.get(municipality__slug="timra", slug="2021-2022")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request) -> int:
    """Run the test once at phone width (360 px) and once at desktop width (1280 px)."""
    return WIDTHS[request.param]


@pytest.fixture
def page(browser, width, live_server):
    context = browser.new_context(
        viewport={"width": width, "height": 800},
        base_url=live_server.url,
        locale="sv-SE",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


def check_accessibility(page) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; fail on any violation."""
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    violations = [
        {
            "id": violation["id"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
    if violations:
        raise AxeViolations(
            f"{page.url} has accessibility violations:\n{json.dumps(violations, indent=2)}"
        )


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact, named by page and width."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = ARTIFACTS / f"{name}-{width}px.png"
    page.screenshot(path=str(path), full_page=True)
    return path
