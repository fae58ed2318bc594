"""DEMO DATA history: the demo cassette's one scan, varied hour by hour, so that `make demo` has
days of snapshots behind its market-maker statuses, trends and day-over-day changes.

Each ok market of the home exchange has its depths, spread and volume scaled by factors drawn
for that market and hour (log-normal around 1), so a deep book stays deep and a thin one thin;
error markets and the other venues stay as recorded. Deterministic: an hour always varies the
same way. ``NEW_LISTING`` has no home market before the last ``NEW_LISTING_HOURS`` hours: a
token with too little history (market maker ``unknown``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.domain.models import DEPTH_BANDS_PCT, MarketMetrics

HISTORY_SEED = 20_261_201
NEW_LISTING = "VRIMLE"
"""A demo token listed on the home exchange shortly before the demo's scan."""
NEW_LISTING_HOURS = 30

_DEPTHS = tuple(
    f"depth_{side}_{band}pct{unit}"
    for unit in ("", "_usd")
    for band in DEPTH_BANDS_PCT
    for side in ("bid", "ask")
)
"""Every depth figure of a market: bid and ask, each band, in quote currency and in USD."""


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def scaled_depths(market: MarketMetrics, factor: float) -> MarketMetrics:
    """``market`` with every depth figure (each side and band, quote and USD) times ``factor``."""
    figures: dict[str, Any] = {name: _times(getattr(market, name), factor) for name in _DEPTHS}
    return replace(market, **figures)


def _varied(market: MarketMetrics, rng: random.Random) -> MarketMetrics:
    depth = math.exp(rng.gauss(0.0, 0.25))
    spread = math.exp(rng.gauss(0.0, 0.2))
    volume = math.exp(rng.gauss(0.0, 0.3))
    figures: dict[str, Any] = {name: _times(getattr(market, name), depth) for name in _DEPTHS}
    if market.mid is not None and market.spread_bps is not None:
        half = market.spread_bps * spread / 2 / 10_000
        figures.update(
            spread_bps=market.spread_bps * spread,
            best_bid=market.mid * (1 - half),
            best_ask=market.mid * (1 + half),
        )
    slippage = {
        side: {size: _times(bps, spread) for size, bps in sizes.items()}
        for side, sizes in market.slippage_bps.items()
    }
    volume_usd = _times(market.volume_24h_usd, volume)
    return replace(market, **figures, volume_24h_usd=volume_usd, slippage_bps=slippage)


def demo_markets_at(
    markets: Sequence[MarketMetrics], at: datetime, now: datetime, home_exchange: str
) -> list[MarketMetrics]:
    """The demo scan's ``markets`` as they might have been at ``at`` (an hour before ``now``)."""
    rng = random.Random(HISTORY_SEED * 1_000_003 + int(at.timestamp() // 3600))
    listed_from = now - timedelta(hours=NEW_LISTING_HOURS)
    varied = []
    for market in markets:  # the cassette's order, so an hour always draws the same factors
        if market.base == NEW_LISTING and market.exchange == home_exchange and at < listed_from:
            continue
        home = market.exchange == home_exchange  # the other venues stay as recorded
        varied.append(_varied(market, rng) if market.ok and home else market)
    return varied
