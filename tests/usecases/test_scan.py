"""The scan use case: a thin candidate whose ±2% band was cut off is re-fetched deeper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.usecases.scan import run_scan
from bot.usecases.services import Services
from tests.market.cassettes import BINANCE, binance_markets_and_tickers, entry, write_cassette


def _levels(start: float, step: float, count: int) -> list[list[str]]:
    return [[f"{start + i * step:.6f}", "1.0"] for i in range(count)]


def _cassette(directory: Path) -> None:
    # ZORB/USDT, mid 1.0: 100 levels a side 0.0001 apart, all inside the ±2% band, so the first
    # fetch (limit 100) is truncated. The deeper fetch (limit 500) adds 300 more levels per side,
    # the last ones outside the band: bid 0.9995 − 399·0.0001 = 0.9596 < 0.98.
    shallow = {"lastUpdateId": 1, "bids": _levels(0.9995, -0.0001, 100)}
    shallow["asks"] = _levels(1.0005, 0.0001, 100)
    deep = {"lastUpdateId": 2, "bids": _levels(0.9995, -0.0001, 400)}
    deep["asks"] = _levels(1.0005, 0.0001, 400)
    write_cassette(
        directory,
        "binance",
        [
            *binance_markets_and_tickers([("ZORB", "USDT")]),
            entry(f"{BINANCE}/depth?symbol=ZORBUSDT&limit=100", shallow),
            entry(f"{BINANCE}/depth?symbol=ZORBUSDT&limit=500", deep),
        ],
    )


async def test_a_truncated_candidate_is_refetched_deeper(
    make_services: Callable[..., Services], replay_dir: Path
) -> None:
    _cassette(replay_dir)
    services = make_services(
        market_source=f"replay:{replay_dir}", exchanges="binance", quote_assets="USDT"
    )

    result = await run_scan(services)

    [market] = result.markets
    assert market.status == "ok" and not market.depth_truncated
    # bids priced ≥ 0.98: 0.9995 down to 0.9800 = 196 levels of 1 token; Σ price = 196 × the
    # mean price (0.9995 + 0.9800) / 2 = 0.98975 → 193.991. The first fetch saw 100 levels (99.45).
    assert market.depth_bid_2pct_usd == pytest.approx(193.991, rel=1e-6)
    [token] = result.tokens
    assert token.risk.tier != "low"  # a $196 book: an at-risk candidate, hence the re-fetch
    [summary] = result.exchanges
    assert summary.requests == 4  # markets, tickers, first book, deeper book
