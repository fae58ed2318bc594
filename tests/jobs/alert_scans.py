"""Hand-made scheduled snapshots for the alert tests: binance books with round ±2% depths,
assessed and stored by the scan's own code; and what the Slack stand-in received."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.metrics import compute_market_metrics
from bot.domain.models import MarketMetrics, MMStatus
from bot.usecases.scan import ExchangeSummary, ScanResult, assess_tokens, store_scan_result
from bot.usecases.services import Services
from tests.builders import NOW, book, market, ref, ticker
from tests.fakes.slack_api import ApiCall, SlackApiStandIn


class Crash(BaseException):
    """The process dies here (passes every ``except Exception``)."""


def deep(
    symbol: str = "ZORB", bid: float = 100_000, ask: float = 120_000, spread_bps: float = 20.0
) -> MarketMetrics:
    """An ok binance X/USDT book with ±2% depths ``bid`` and ``ask`` (USD), ``spread_bps``
    wide."""
    return market(f"{symbol}/USDT", bid_usd=bid, ask_usd=ask, spread_bps=spread_bps)


def no_asks(symbol: str = "ZORB") -> MarketMetrics:
    """A binance book with bids only ($500 within 2% of the last price 1.0) and no asks."""
    pair = f"{symbol}/USDT"
    return compute_market_metrics(
        ref(pair), book([(0.99, 500)], [], symbol=pair), ticker(50_000, last=1.0, symbol=pair), 1.0
    )


async def snapshot(
    services: Services, hour: int, *markets: MarketMetrics, mm: dict[str, MMStatus] | None = None
) -> int:
    """Store the scheduled snapshot of ``NOW + hour`` hours (the scan code's assessments, with
    the market-maker statuses ``mm``, "unknown" by default); returns the scan id."""
    at = NOW + timedelta(hours=hour)
    reports = assess_tokens(services, markets, {}, mm or {})
    summary = ExchangeSummary("binance", len(markets), len(markets), 0, len(markets), None)
    result = ScanResult("demo", at, at, (summary,), tuple(markets), tuple(reports))
    return await store_scan_result(services, result)


def main_posts(slack: SlackApiStandIn) -> list[ApiCall]:
    """The top-level posts (not thread replies) Slack accepted."""
    return [c for c in slack.ok_calls("chat.postMessage") if not c.args.get("thread_ts")]


def replies(slack: SlackApiStandIn, ts: str) -> list[str]:
    """The texts of the replies in the thread of message ``ts``."""
    return [
        c.args["text"] for c in slack.ok_calls("chat.postMessage") if c.args.get("thread_ts") == ts
    ]
