"""`liqbot ask "/liquidity 币安人生"`: the CLI takes the symbols the exchanges list, Unicode too."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import run
from tests.market.cassettes import binance_listing

SYMBOL = "币安人生"


def test_scan_ask_and_digest_on_a_cjk_token(tmp_path: Path, db_url: str) -> None:
    binance_listing(tmp_path / "cassette", [SYMBOL, "ZORB"])
    env = {
        "DATABASE_URL": db_url,
        "MARKET_SOURCE": f"replay:{tmp_path / 'cassette'}",
        "EXCHANGES": "binance",
        "QUOTE_ASSETS": "USDT",
    }
    scanned = run(["scan"], tmp_path, **env)
    assert scanned.returncode == 0, scanned.stderr
    assert SYMBOL in scanned.stdout

    asked = run(["ask", f"/liquidity {SYMBOL}"], tmp_path, **env)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.startswith(f"{SYMBOL} · tier ")
    assert f"{SYMBOL}/USDT" in asked.stdout  # the venue row

    digest = run(["digest", "--dry-run"], tmp_path, **env)
    assert digest.returncode == 0, digest.stderr
    assert f"{SYMBOL}  " in digest.stdout
