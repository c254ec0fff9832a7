"""The page cache's settings come from the environment and refuse values that make no sense."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.production.servers import ROOT, production_env
from timra_trygghet.env import env_int


@pytest.mark.parametrize("value", ["0", "-5", "many", "2.5"])
def test_a_variant_bound_below_one_or_not_a_number_is_refused(monkeypatch, value):
    monkeypatch.setenv("PAGE_CACHE_MAX_VARIANTS", value)
    with pytest.raises(ImproperlyConfigured, match="PAGE_CACHE_MAX_VARIANTS"):
        env_int("PAGE_CACHE_MAX_VARIANTS", 100, minimum=1)


def test_a_valid_bound_is_read_and_unset_means_the_default(monkeypatch):
    monkeypatch.setenv("PAGE_CACHE_MAX_VARIANTS", "5")
    assert env_int("PAGE_CACHE_MAX_VARIANTS", 100, minimum=1) == 5
    monkeypatch.delenv("PAGE_CACHE_MAX_VARIANTS")
    assert env_int("PAGE_CACHE_MAX_VARIANTS", 100, minimum=1) == 100


@pytest.mark.parametrize(
    ("name", "value"),
    [("PAGE_CACHE_MAX_VARIANTS", "0"), ("PAGE_CACHE_SECONDS", "-1"), ("CACHE_MAX_ENTRIES", "x")],
)
def test_the_portal_does_not_start_with_a_bad_page_cache_setting(name, value):
    result = subprocess.run(
        [sys.executable, "-c", "import timra_trygghet.settings"],
        cwd=ROOT,
        env=production_env(**{name: value}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} must be" in result.stderr
