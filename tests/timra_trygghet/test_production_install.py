"""The production install (docs/deployment.md: `uv sync --no-dev`) runs without the dev tools.

Checked in a fresh interpreter where every development dependency fails to import,
as it would when not installed: the settings, every app, the admin, the URLs and
the management commands of production load, and the demo app is simply absent.
"""

import subprocess
import sys
import tomllib

from tests.production.servers import ROOT, production_env

# The import name of each development dependency (pyproject.toml, [dependency-groups] dev).
DEV_IMPORT_NAMES = {
    "pytest": "pytest",
    "pytest-django": "pytest_django",
    "factory-boy": "factory",
    "ruff": "ruff",
    "playwright": "playwright",
    "feedparser": "feedparser",
    "schemathesis": "schemathesis",
    "hypothesis": "hypothesis",
    "import-linter": "importlinter",
    "aiosmtpd": "aiosmtpd",
}

SCRIPT = """
import sys

class NotInstalled:
    # Finds nothing of the blocked packages, as if they were not installed.

    def __init__(self, finder):
        self.finder = finder

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            return None
        return self.finder.find_spec(name, path, target)

    def __getattr__(self, name):  # find_distributions, invalidate_caches, ...
        return getattr(self.finder, name)

sys.meta_path[:] = [NotInstalled(finder) for finder in sys.meta_path]

import django
from django.apps import apps
from django.core.management import call_command, get_commands
from django.urls import get_resolver

django.setup()
call_command("check")
get_resolver().url_patterns  # every app's URLs and views
from django.contrib import admin
admin.autodiscover()
assert not apps.is_installed("demo"), "the demo app needs the development dependencies"
assert "seed_demo" not in get_commands()
assert "load_timra" in get_commands()
assert not any(name.split(".")[0] in BLOCKED for name in sys.modules), sorted(
    name for name in sys.modules if name.split(".")[0] in BLOCKED
)
print("production install ok")
"""


def dev_dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [
        spec.split(">")[0].split("=")[0].split("[")[0].strip()
        for spec in project["dependency-groups"]["dev"]
    ]


def test_every_development_dependency_has_its_import_name_here():
    assert set(dev_dependencies()) == set(DEV_IMPORT_NAMES)


def test_the_portal_loads_without_any_development_dependency(tmp_path):
    blocked = sorted(DEV_IMPORT_NAMES.values())
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CACHE_DIR=str(tmp_path / "cache")
    )
    result = subprocess.run(
        [sys.executable, "-c", f"BLOCKED = {blocked!r}\n" + SCRIPT],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "timra_trygghet.settings"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "production install ok" in result.stdout
