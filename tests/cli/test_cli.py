"""The `liqbot` command line through its real entry point, offline on the demo cassette."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LIQBOT = [sys.executable, "-m", "bot.cli"]


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RISK_", "SLACK_"))}
    base.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "MARKET_SOURCE": "demo"})
    base.update(env)
    return subprocess.run(
        LIQBOT + args, capture_output=True, text=True, env=base, cwd=tmp_path, timeout=120
    )


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    tmp = tmp_path_factory.mktemp("scan")
    assert run(["supply", "import", "--demo"], tmp).returncode == 0
    done = run(["scan", "--source", "demo", "--json"], tmp)
    assert done.returncode == 0, done.stderr
    assert "DEMO DATA" in done.stderr
    return tmp, json.loads(done.stdout)


def test_scan_json_is_the_spec_document(demo_scan: tuple[Path, dict]) -> None:
    _, doc = demo_scan
    assert set(doc) == {"source", "started_at", "finished_at", "exchanges", "markets", "tokens"}
    assert doc["source"] == "demo"
    assert set(doc["exchanges"]) == {"binance", "okx", "bybit"}
    for counts in doc["exchanges"].values():
        assert set(counts) == {"markets", "ok", "errors", "requests"}
        assert counts["ok"] + counts["errors"] == counts["markets"] > 0
    total = sum(c["markets"] for c in doc["exchanges"].values())
    assert len(doc["markets"]) == total > 300
    market_keys = {
        "exchange", "symbol", "base", "quote", "status", "error", "best_bid", "best_ask", "mid",
        "spread_bps", "depth_bid_1pct_usd", "depth_ask_1pct_usd", "depth_bid_2pct_usd",
        "depth_ask_2pct_usd", "depth_truncated", "imbalance_2pct", "volume_24h_usd", "slippage_bps",
    }  # fmt: skip
    for m in doc["markets"]:
        assert set(m) == market_keys
        assert set(m["slippage_bps"]) == {"buy", "sell"}
        assert set(m["slippage_bps"]["buy"]) == {"1000", "10000", "50000", "100000"}
        if m["status"] == "ok":
            assert m["error"] is None
            assert isinstance(m["spread_bps"], (int, float)) and m["spread_bps"] >= 0
            # the scan document repeats the SPEC 4.1 definitions: check one by hand
            mid = (m["best_bid"] + m["best_ask"]) / 2
            assert m["mid"] == pytest.approx(mid)
            assert m["spread_bps"] == pytest.approx(10_000 * (m["best_ask"] - m["best_bid"]) / mid)
        else:
            assert m["error"] and m["mid"] is None
    token_keys = {
        "symbol", "tier", "score", "reasons", "home_depth_2pct_usd", "global_depth_2pct_usd",
        "home_volume_24h_usd", "global_volume_24h_usd", "market_cap_usd", "mm_status",
    }  # fmt: skip
    tiers = set()
    for t in doc["tokens"]:
        assert set(t) == token_keys
        if t["tier"] == "unrated":
            assert t["score"] is None and t["reasons"]
        else:
            assert 0 <= t["score"] <= 100
        assert t["mm_status"] in {"verified", "claimed", "breached", "observed", "none", "unknown"}
        tiers.add(t["tier"])
    assert tiers == {"high", "medium", "low", "unrated"}
    # Rated tokens ranked by score, the unrated ones after them, never ranked among them.
    scores = [t["score"] for t in doc["tokens"]]
    rated = [score for score in scores if score is not None]
    assert scores[: len(rated)] == sorted(rated, reverse=True)
    # A token the home exchange does not list is not assessed: left out of "tokens".
    listed = {m["base"] for m in doc["markets"] if m["exchange"] == "binance"}
    assert {t["symbol"] for t in doc["tokens"]} <= listed
    assert {m["base"] for m in doc["markets"]} - listed


def test_demo_edge_cases_are_error_rows_not_crashes(demo_scan: tuple[Path, dict]) -> None:
    _, doc = demo_scan
    errors = [m["error"] for m in doc["markets"] if m["status"] == "error"]
    assert any("crossed" in e for e in errors)
    assert any("empty" in e for e in errors)


def test_demo_data_faults_are_unrated_and_an_empty_side_is_rated(
    demo_scan: tuple[Path, dict],
) -> None:
    _, doc = demo_scan
    tokens = {t["symbol"]: t for t in doc["tokens"]}
    home_errors = {
        m["base"]: m for m in doc["markets"] if m["exchange"] == "binance" and m["error"]
    }
    crossed = next(m for m in home_errors.values() if "crossed" in m["error"])
    token = tokens[crossed["base"]]
    assert (token["tier"], token["score"]) == ("unrated", None)
    assert token["reasons"] == [f"{crossed['symbol']} on binance: {crossed['error']}"]
    assert token["home_volume_24h_usd"] == crossed["volume_24h_usd"] > 0  # the ticker counts
    no_asks = next(m for m in home_errors.values() if m["error"].startswith("empty ask"))
    token = tokens[no_asks["base"]]
    assert token["tier"] == "high" and "no asks on binance: nobody can buy" in token["reasons"]
    assert token["home_depth_2pct_usd"] == 0 and no_asks["depth_bid_2pct_usd"] > 0


def test_scan_table_says_demo_data(demo_scan: tuple[Path, dict]) -> None:
    tmp, _ = demo_scan
    done = run(["scan", "--top", "5"], tmp)
    assert done.returncode == 0, done.stderr
    assert "DEMO DATA" in done.stdout
    assert "At-risk tokens on binance" in done.stdout
    assert "Data issues, not rated (no usable home book): 1" in done.stdout
    assert "Not listed on the home exchange, not assessed:" in done.stdout


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert run(["scan", "--no-such-flag"], tmp_path).returncode == 2
    assert run(["scan", "--exchange", "kraken"], tmp_path).returncode == 2
    assert run(["supply", "import"], tmp_path).returncode == 2
    assert run(["scan", "--source", "ftp"], tmp_path).returncode == 2


def test_a_slash_command_typed_wrong_exits_2_and_an_unknown_token_1(tmp_path: Path) -> None:
    wrong_days = run(["ask", "/liquidity ZORB history 45"], tmp_path)
    assert wrong_days.returncode == 2
    assert wrong_days.stderr == "liqbot: `history` covers 30 or 90 days, not 45.\n"
    assert run(["ask", "/nosuch"], tmp_path).returncode == 2
    assert run(["ask", "/atrisk --tier low"], tmp_path).returncode == 2
    unknown = run(["ask", "/liquidity NOSUCHTOKEN"], tmp_path)
    assert unknown.returncode == 1 and "No market for NOSUCHTOKEN" in unknown.stderr


def test_invalid_setting_exits_1_naming_it(tmp_path: Path) -> None:
    done = run(["scan"], tmp_path, RISK_MAX_SPREAD_BPS="wide", SLACK_BOT_TOKEN="xoxb-secret-1")
    assert done.returncode == 1
    assert "RISK_MAX_SPREAD_BPS" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "secret-1" not in done.stderr


def test_malformed_supply_file_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "supply.csv"
    bad.write_text("symbol,circulating_supply\nZORB,1000\nQUUX,lots\n")
    done = run(["supply", "import", str(bad)], tmp_path)
    assert done.returncode == 1
    assert "line 3" in done.stderr
    good = tmp_path / "good.csv"
    good.write_text("ZORB,1000\n")
    assert run(["supply", "import", str(good)], tmp_path).returncode == 0
    # the bad file did not write ZORB's or anything else's supply before failing
    import sqlite3

    rows = sqlite3.connect(tmp_path / "cli.db").execute("select symbol from tokens").fetchall()
    assert rows == [("ZORB",)]


def test_manifest_names_the_request_url(tmp_path: Path) -> None:
    done = run(["manifest", "--url", "https://liqbot.example.org"], tmp_path)
    assert done.returncode == 0
    assert "https://liqbot.example.org/slack/events" in done.stdout
    assert "/liquidity" in done.stdout and "/outreach" in done.stdout


def test_manifest_yml_is_what_liqbot_manifest_prints(tmp_path: Path) -> None:
    done = run(["manifest", "--url", "https://liqbot.example.com"], tmp_path)
    assert done.returncode == 0, done.stderr
    manifest_yml = Path(__file__).resolve().parents[2] / "manifest.yml"
    assert done.stdout == manifest_yml.read_text(encoding="utf-8")


def test_the_cli_loads_no_slack_database_or_exchange_code_at_start() -> None:
    # `liqbot scan` and `liqbot db upgrade` must not pay for Slack and the presenters.
    probe = (
        "import sys, bot.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('commands', 'jobs', 'slack_bolt', 'slack_sdk', 'sqlalchemy', 'ccxt', 'matplotlib') "
        "or m.startswith(('bot.presenters', 'bot.usecases', 'bot.slack', 'bot.db'))))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_makefile_demo_token_is_at_risk(demo_scan: tuple[Path, dict]) -> None:
    _, doc = demo_scan
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    token = next(
        line.split(":=")[1].strip()
        for line in makefile.splitlines()
        if line.startswith("DEMO_TOKEN")
    )
    tiers = {t["symbol"]: t["tier"] for t in doc["tokens"]}
    assert tiers[token] == "high"


def test_a_partial_scan_is_shown_but_not_stored(tmp_path: Path) -> None:
    import sqlite3

    done = run(["scan", "--exchange", "okx", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "partial scan" in done.stderr
    assert set(json.loads(done.stdout)["exchanges"]) == {"okx"}
    scans = sqlite3.connect(tmp_path / "cli.db").execute("select count(*) from scans").fetchone()
    assert scans == (0,)


def test_outreach_export_formats(tmp_path: Path) -> None:
    csv_out = run(["outreach", "export", "--format", "csv"], tmp_path)
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout.splitlines()[0].startswith("id,symbol,at,kind,by,by_id,refers_to")
    cases = run(["outreach", "export", "--cases", "--since", "2026-11-01"], tmp_path)
    assert cases.returncode == 0, cases.stderr
    assert cases.stdout.splitlines()[0].startswith("symbol,stage,owner,owner_id,market_maker")
    json_out = run(["outreach", "export", "--format", "json"], tmp_path)
    assert json_out.returncode == 0 and json.loads(json_out.stdout) == []
    assert run(["outreach", "export", "--format", "xml"], tmp_path).returncode == 2
    bad_day = run(["outreach", "export", "--since", "12/01"], tmp_path)
    assert bad_day.returncode == 2 and "YYYY-MM-DD" in bad_day.stderr
    backwards = ["outreach", "export", "--since", "2026-12-02", "--until", "2026-12-01"]
    assert run(backwards, tmp_path).returncode == 2


def test_ask_writes_the_history_chart(demo_scan: tuple[Path, dict], tmp_path: Path) -> None:
    scanned, _ = demo_scan
    target = tmp_path / "zibbka-history.png"
    done = run(["ask", "/liquidity ZIBBKA history", "--chart-out", str(target)], scanned)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")  # day one: one labelled point
    assert "chart written to" in done.stderr


def test_review_pack_writes_the_four_files(demo_scan: tuple[Path, dict], tmp_path: Path) -> None:
    scanned, _ = demo_scan
    out = tmp_path / "pack"
    done = run(["review", "pack", "zibbka", "--out", str(out)], scanned)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "ZIBBKA-case-timeline.csv",
        "ZIBBKA-daily-metrics.csv",
        "ZIBBKA-history-90d.png",
        "ZIBBKA-review-summary.md",
    ]
    summary = (out / "ZIBBKA-review-summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# ZIBBKA: monitoring-tag review evidence\n")
    assert "**Meets the monitoring-tag review criteria: no** (not decided)." in summary
    nothing = run(["review", "pack", "NOPE", "--out", str(out)], scanned)
    assert nothing.returncode == 1
    assert nothing.stderr.strip() == "liqbot: Nothing stored about NOPE yet: no history to draw."


def test_report_dry_run_prints_the_week(demo_scan: tuple[Path, dict]) -> None:
    scanned, _ = demo_scan
    done = run(["report", "--dry-run", "--week", "2026-W47"], scanned)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "DEMO DATA — fictional tokens, not market data",
        "Weekly liquidity report 2026-W47 (2026-11-16 to 2026-11-22)",
    ]
    assert "Delivered this week: none (no contribution recorded as received in the week)." in lines
    assert "report of 2026-W47 (dry run, not posted)" in done.stderr
    bad = run(["report", "--dry-run", "--week", "2026-47"], scanned)
    assert bad.returncode == 2 and "--week: not an ISO week" in bad.stderr
    nowhere = run(["report"], scanned)  # no REPORT_CHANNEL nor DIGEST_CHANNEL
    assert nowhere.returncode == 1 and "REPORT_CHANNEL" in nowhere.stderr
