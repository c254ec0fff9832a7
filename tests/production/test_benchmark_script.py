import subprocess
import sys

from tests.production.servers import ROOT


def test_the_benchmark_seeds_a_throwaway_database_and_reports(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "scripts/benchmark.py",
            "--scale=1",
            "--requests=3",
            "--url=/admin/login/",
            f"--json={tmp_path / 'bench.json'}",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DJANGO_LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert "Seeded Timrå and 1 demo municipalities" in result.stdout
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line}
    assert rows["/healthz"][1] == "0", "the health check makes no query"
    assert int(rows["/admin/login/"][1]) >= 0
    assert "queries" in result.stdout
    assert "peak resident memory" in result.stdout
    assert '"url": "/admin/login/"' in (tmp_path / "bench.json").read_text()
