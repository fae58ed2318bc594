"""`make demo`'s steps through the real entry point: the generated week, then today's scan prints
one alert (the demo token's ±2% depth collapse), the digest shows its change, and the weekly
report of the previous week has something to count."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.test_cli import run


def test_the_demo_prints_one_alert_and_a_digest_with_changes(tmp_path: Path) -> None:
    assert run(["supply", "import", "--demo"], tmp_path).returncode == 0
    history = run(["demo", "history", "--days", "8"], tmp_path)
    assert history.returncode == 0, history.stderr
    assert "192 hourly scans stored" in history.stdout

    scan = run(["scan"], tmp_path)
    assert scan.returncode == 0, scan.stderr
    alerts = scan.stdout.split("Alerts of this snapshot (dry run", 1)[1]
    assert "Liquidity alerts · 1 token" in alerts
    assert re.search(r"ZIBBKA · ±2% depth collapsed to \$695 \(floor \$50k, 7-day median", alerts)

    digest = run(["digest", "--dry-run"], tmp_path)
    assert digest.returncode == 0, digest.stderr
    # The history varies the books hour by hour: the change is about -89% from some $6k.
    assert re.search(
        r"since the previous digest: ±2% depth -8\d% \(\$\d\.\d+k → \$695\)", digest.stdout
    )

    report = run(["report", "--dry-run"], tmp_path)
    assert report.returncode == 0, report.stderr
    assert re.search(r"Weekly liquidity report \d{4}-W\d\d", report.stdout)
    # Eight days of history reach into the previous ISO week, whatever today is.
    assert re.search(r"At risk during the week: \d+ tokens \(\d+ high, \d+ medium", report.stdout)
    for part in ("Cases:", "Pipeline at the week's end:", "Response rate:", "Pledges this week:"):
        assert part in report.stdout

    live = run(["demo", "history"], tmp_path, MARKET_SOURCE="live")
    assert live.returncode == 2 and "MARKET_SOURCE=demo" in live.stderr
