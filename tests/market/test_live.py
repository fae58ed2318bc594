"""Against the real exchanges (``pytest -m live``; off by default, needs the network)."""

from __future__ import annotations

import pytest

from bot.market.gateway import MarketGateway

pytestmark = pytest.mark.live


@pytest.mark.parametrize("exchange", ["binance", "okx", "bybit"])
async def test_live_markets_tickers_and_one_book(exchange: str) -> None:
    gateway = MarketGateway([exchange], "live", ["USDT"])
    try:
        markets = await gateway.markets(exchange)
        btc = next(m for m in markets if m.symbol == "BTC/USDT")
        tickers = await gateway.fetch_tickers(exchange)
        book = await gateway.fetch_order_book(btc, 20)
    finally:
        await gateway.close()
    assert len(markets) > 100 and all(m.quote == "USDT" for m in markets)
    assert tickers["BTC/USDT"].quote_volume
    assert book.bids and book.asks and book.bids[0][0] < book.asks[0][0]
