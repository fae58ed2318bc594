"""The scan document of SPEC 4.4 (`liqbot scan --json`): JSON numbers, unknown as null."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from bot.domain.models import SLIPPAGE_SIZES_USD, MarketMetrics
from bot.usecases.scan import ScanResult, TokenReport


def _num(value: float | None) -> float | None:
    """JSON has no NaN/Infinity: anything not finite is unknown."""
    if value is None or not math.isfinite(value):
        return None
    return value


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def market_doc(m: MarketMetrics) -> dict[str, Any]:
    slippage = {
        side: {str(n): _num(m.slippage_bps.get(side, {}).get(n)) for n in SLIPPAGE_SIZES_USD}
        for side in ("buy", "sell")
    }
    return {
        "exchange": m.exchange,
        "symbol": m.symbol,
        "base": m.base,
        "quote": m.quote,
        "status": m.status,
        "error": m.error,
        "best_bid": _num(m.best_bid),
        "best_ask": _num(m.best_ask),
        "mid": _num(m.mid),
        "spread_bps": _num(m.spread_bps),
        "depth_bid_1pct_usd": _num(m.depth_bid_1pct_usd),
        "depth_ask_1pct_usd": _num(m.depth_ask_1pct_usd),
        "depth_bid_2pct_usd": _num(m.depth_bid_2pct_usd),
        "depth_ask_2pct_usd": _num(m.depth_ask_2pct_usd),
        "depth_truncated": m.depth_truncated,
        "imbalance_2pct": _num(m.imbalance_2pct),
        "volume_24h_usd": _num(m.volume_24h_usd),
        "slippage_bps": slippage,
    }


def token_doc(t: TokenReport) -> dict[str, Any]:
    liq, risk = t.liquidity, t.risk
    return {
        "symbol": liq.symbol,
        "tier": risk.tier,
        "score": risk.score,
        "reasons": list(risk.reasons),
        "home_depth_2pct_usd": _num(liq.home_depth_2pct_usd),
        "global_depth_2pct_usd": _num(liq.global_depth_2pct_usd),
        "home_volume_24h_usd": _num(liq.home_volume_24h_usd),
        "global_volume_24h_usd": _num(liq.global_volume_24h_usd),
        "market_cap_usd": _num(liq.market_cap_usd),
        "mm_status": risk.mm_status,
    }


def scan_document(result: ScanResult) -> dict[str, Any]:
    """SPEC 4.4, exactly: source, times, per-exchange counts, markets, tokens."""
    return {
        "source": result.source,
        "started_at": _iso(result.started_at),
        "finished_at": _iso(result.finished_at),
        "exchanges": {
            s.exchange: {
                "markets": s.markets,
                "ok": s.ok,
                "errors": s.errors,
                "requests": s.requests,
            }
            for s in result.exchanges
        },
        "markets": [market_doc(m) for m in result.markets],
        "tokens": [token_doc(t) for t in result.tokens],
    }
