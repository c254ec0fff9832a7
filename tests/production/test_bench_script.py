"""`make bench` (scripts/bench.py) runs end to end and reports every page as a ratio.

A short run (one demo municipality, a second per page) on the
database the suite runs on: the numbers mean nothing here, the table does.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.production.servers import ROOT

PAGES = {
    "trivial",
    "trivial-end",
    "static",
    "start",
    "promise",
    "meeting",
    "search",
    "api",
    "overview",  # the national overview at /, once other municipalities are loaded
}


@pytest.fixture
def apache_bench():
    if shutil.which("ab") is None:
        message = "ApacheBench is missing: apt-get install apache2-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_benchmark_reports_every_page_as_a_ratio_to_the_trivial_view(tmp_path, apache_bench):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]  # a throwaway <name>_bench beside it
    result = subprocess.run(
        [
            sys.executable,
            "scripts/bench.py",
            "--scale=1",
            "--seconds=1",
            f"--json={tmp_path / 'bench.json'}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    output = result.stdout
    assert "targets (ratios from this run):" in output
    assert "uncached start / trivial" in output
    assert "1 more municipalities / Timrå alone" in output
    report = json.loads((tmp_path / "bench.json").read_text())
    measured = {(m["page"], m["mode"], m["phase"]) for m in report["measurements"]}
    scaled_pages = {page for page, _mode, phase in measured if phase == "scaled"}
    assert scaled_pages == PAGES
    for page in PAGES - {"trivial", "trivial-end"}:
        assert (page, "uncached", "scaled") in measured
        assert (page, "cached", "scaled") in measured
    for m in report["measurements"]:
        assert m["requests"] > 0 and m["requests_per_second"] > 0, m
        assert m["ratio"] == pytest.approx(m["requests_per_second"] / floor(report, m), abs=0.001)
        assert m["errors"] == 0, m
        if m["mode"] == "uncached" and m["phase"] == "scaled" and m["page"] != "static":
            # The start, promise and overview pages come from their shared fragments
            # (caching/fragments.py) once made: no query. The others are counted.
            if m["page"] in ("start", "promise", "overview"):
                assert m["queries"] == 0, m
            else:
                assert m["queries"] > 0, m
    for phase in ("timra-alone", "among-others"):
        assert {page for page, _mode, p in measured if p == phase} == {
            "start",
            "promise",
            "meeting",
            "api",
        }
    start = next(m for m in report["measurements"] if m["page"] == "start")
    assert f"{start['requests_per_second']:.0f}" in output
    assert {t["met"] for t in report["targets"]} <= {True, False}
    assert len(report["worker_peak_rss_mib"]) == 2


def floor(report: dict, row: dict) -> float:
    """The trivial view's mean rate on the larger database, first and last."""
    trivial = [
        m["requests_per_second"]
        for m in report["measurements"]
        if m["phase"] == "scaled" and m["page"].startswith("trivial")
    ]
    return sum(trivial) / len(trivial)
