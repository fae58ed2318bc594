"""A burst of per-token lookups shares one bulk ticker fetch; scans and stale ones fetch anew."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.market.gateway import MarketGateway
from tests.market.cassettes import binance_book, binance_markets_and_tickers, write_cassette


async def test_concurrent_token_snapshots_share_one_ticker_request(tmp_path: Path) -> None:
    write_cassette(
        tmp_path,
        "binance",
        [
            *binance_markets_and_tickers([("ZORB", "USDT"), ("QUUX", "USDT")]),
            binance_book("ZORBUSDT"),
            binance_book("QUUXUSDT"),
        ],
    )
    gateway = MarketGateway(["binance"], f"replay:{tmp_path}", ["USDT"])
    try:
        await gateway.markets("binance")
        before = gateway.status()["binance"].requests  # the market list: 1 request
        snaps = await asyncio.gather(
            *(
                gateway.snapshot_exchange("binance", symbols={s}, tickers_max_age_s=30)
                for s in ("ZORB/USDT", "QUUX/USDT", "ZORB/USDT")
            )
        )
        # one bulk ticker request for the three lookups, plus one book each
        assert gateway.status()["binance"].requests - before == 1 + 3
        assert all(s.tickers["ZORB/USDT"].last == 1.0 for s in snaps)

        again = gateway.status()["binance"].requests
        await gateway.snapshot_exchange("binance", symbols={"ZORB/USDT"})  # a scan: fresh tickers
        assert gateway.status()["binance"].requests - again == 2

        again = gateway.status()["binance"].requests
        await gateway.snapshot_exchange("binance", symbols={"ZORB/USDT"}, tickers_max_age_s=1e-9)
        assert gateway.status()["binance"].requests - again == 2  # too old to share: fetched anew
    finally:
        await gateway.close()
