"""The scan document's `requests` (SPEC 4.4): every HTTP request of the scan, market list included,
counted at the wire and equal to what the replayed cassette actually served."""

from __future__ import annotations

from collections.abc import Callable

from bot.market.demo import demo_cassette_lines
from bot.market.gateway import MarketGateway
from bot.market.replay import ReplaySession, parse_cassette_lines
from bot.usecases.scan import run_scan
from bot.usecases.services import Services


class Bar:
    """What the CLI's progress bar does: ask for each exchange's market list first."""

    def __init__(self) -> None:
        self.started: dict[str, int] = {}

    def exchange_started(self, exchange: str, markets: int) -> None:
        self.started[exchange] = markets

    def market_done(self, exchange: str) -> None:
        return None


async def _on_counted_demo(services: Services) -> dict[str, ReplaySession]:
    """Swap in a gateway on the demo cassette whose replay sessions the test can read."""
    sessions: dict[str, ReplaySession] = {}

    def transport(exchange: str) -> ReplaySession:
        lines = demo_cassette_lines(exchange)
        sessions[exchange] = ReplaySession(exchange, parse_cassette_lines(lines))
        return sessions[exchange]

    settings = services.settings
    await services.gateway.close()
    services.gateway = MarketGateway(
        list(settings.exchanges), "demo", list(settings.quote_assets), transport=transport
    )
    return sessions


async def test_requests_include_each_exchanges_market_list(
    make_services: Callable[..., Services],
) -> None:
    services = make_services()
    served = await _on_counted_demo(services)
    progress = Bar()

    result = await run_scan(services, progress=progress, store=False)

    assert set(progress.started) == {"binance", "okx", "bybit"}
    requests = {s.exchange: s.requests for s in result.exchanges}
    assert requests == {name: session.served for name, session in served.items()}
    # markets + tickers + one book per market, plus the deeper re-fetches of thin candidates
    for summary in result.exchanges:
        assert summary.requests >= 2 + summary.markets


async def test_a_second_scan_counts_no_market_list_it_did_not_load(
    make_services: Callable[..., Services],
) -> None:
    services = make_services()
    served = await _on_counted_demo(services)
    first = await run_scan(services, progress=Bar(), store=False)
    before = {name: session.served for name, session in served.items()}

    again = await run_scan(services, progress=Bar(), store=False)

    requests = {s.exchange: s.requests for s in again.exchanges}
    assert requests == {name: session.served - before[name] for name, session in served.items()}
    # the market list is cached by the gateway: one request fewer per exchange
    assert requests == {s.exchange: s.requests - 1 for s in first.exchanges}
