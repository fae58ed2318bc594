"""`make bench` keeps working: each benchmark script runs to the end at a tiny size and prints its
figure lines. The figures themselves are not judged here (a benchmark, not a test, measures them
at full size); what is caught is a script that no longer runs against the code it measures (a
model that grew a field, a repository whose signature changed).

History and market-maker statuses run on SQLite here (PostgreSQL is left out: the scripts create
and drop a database of their own on it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench(script: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TEST_POSTGRES_URL"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "failed" not in done.stdout.lower(), done.stdout[-3000:]
    return done.stdout


def test_history_benchmark_runs_every_step() -> None:
    out = bench("history.py", "--days", "1", "--markets", "40", "--samples", "5")
    for step in ("daily_history 30d home", "home_book_samples 30d", "depth_around", "store_scan"):
        assert step in out
    assert "downsample one day" in out


def test_mm_status_benchmark_runs() -> None:
    out = bench("mm_status.py", "--tokens", "20", "--days", "2", "--runs", "2")
    assert "mm_statuses of 20 tokens" in out and "record_checks of one scan" in out


def test_scan_benchmark_runs_both_processes() -> None:
    out = bench("scan.py", "--tokens", "20", "--latency-ms", "1", "--profile", "0", "--no-half")
    for line in ("run_scan", "naive loop", "scan wall / bound", "CPU per market", "peak RSS"):
        assert line in out
