"""SPEC 4.2: one token's liquidity on the home exchange and across every tracked venue.

- Home figures sum the token's ok markets on the home exchange over all its quote pairs
  (PEPE/USDT + PEPE/FDUSD + …); global figures sum the home markets and every venue kept.
- Reference mid: the USD mid of the home market with the most ±2% depth (bid + ask); a token with
  no ok home market falls back to the median USD mid of its ok markets.
- Ticker-collision guard: a market of another exchange whose USD mid deviates from the reference by
  more than ``max_mid_deviation`` (10%) is excluded from every aggregate and listed in
  ``excluded``, because the same code can be a different asset on another exchange.
- A market with no USD rate for its quote cannot be summed with the others: excluded, with that
  reason. Error markets stay in ``markets`` (so answers can show them) but count nowhere.
- ``depth_truncated``: some market in the aggregates has a truncated ±2% band, so the depth
  figures (home or global) may be lower bounds.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from bot.domain.models import ExcludedVenue, MarketMetrics, TokenLiquidity
from bot.domain.units import fmt_pct, fmt_price


def group_by_token(markets: Iterable[MarketMetrics]) -> dict[str, list[MarketMetrics]]:
    """Markets grouped by base token symbol, in the order first seen."""
    groups: dict[str, list[MarketMetrics]] = {}
    for market in markets:
        groups.setdefault(market.base, []).append(market)
    return groups


def _depth_2pct_total(market: MarketMetrics) -> float:
    return (market.depth_bid_2pct_usd or 0.0) + (market.depth_ask_2pct_usd or 0.0)


def _sum(values: Iterable[float | None]) -> float | None:
    """Sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _min_side(bid: float | None, ask: float | None) -> float | None:
    return None if bid is None or ask is None else min(bid, ask)


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole


def _imbalance(bid: float | None, ask: float | None) -> float | None:
    if bid is None or ask is None or bid + ask <= 0:
        return None
    return (bid - ask) / (bid + ask)


def home_markets(token: TokenLiquidity) -> tuple[MarketMetrics, ...]:
    """The token's ok home-exchange markets that count in its aggregates."""
    excluded = {(venue.exchange, venue.symbol) for venue in token.excluded}
    return tuple(
        market
        for market in token.markets
        if market.ok
        and market.exchange == token.home_exchange
        and (market.exchange, market.symbol) not in excluded
    )


def _priced(markets: Sequence[MarketMetrics]) -> tuple[list[MarketMetrics], list[ExcludedVenue]]:
    """The ok markets with a USD mid, and the ok ones excluded for want of a USD rate."""
    excluded: list[ExcludedVenue] = []
    priced: list[MarketMetrics] = []
    for market in markets:
        if not market.ok:
            continue
        if market.mid_usd is None:
            reason = f"no USD rate for quote {market.quote}"
            excluded.append(ExcludedVenue(market.exchange, market.symbol, reason))
        else:
            priced.append(market)
    return priced, excluded


def _reference_mid(
    priced: Sequence[MarketMetrics], home: Sequence[MarketMetrics]
) -> tuple[float | None, str]:
    """The mid (USD) other venues are compared with, and its name in the reasons: the deepest
    home market's mid, else the median of every priced venue's mid."""
    if home:
        return max(home, key=_depth_2pct_total).mid_usd, "home mid"
    mids = [market.mid_usd for market in priced if market.mid_usd is not None]
    return (statistics.median(mids) if mids else None), "median mid"


def _collision(
    market: MarketMetrics, reference: float | None, reference_name: str, max_deviation: float
) -> ExcludedVenue | None:
    """The exclusion of a venue whose mid deviates from the reference by more than
    ``max_deviation`` (a ticker collision), or None when it counts."""
    mid_usd = market.mid_usd
    if reference is None or mid_usd is None or reference <= 0:
        return None
    deviation = abs(mid_usd - reference) / reference
    if deviation <= max_deviation:
        return None
    reason = (
        f"mid {fmt_price(mid_usd)} deviates {fmt_pct(deviation, 0)} from "
        f"{reference_name} {fmt_price(reference)} (ticker collision?)"
    )
    return ExcludedVenue(market.exchange, market.symbol, reason)


def aggregate_token(
    symbol: str,
    markets: Sequence[MarketMetrics],
    home_exchange: str,
    circulating_supply: float | None,
    max_mid_deviation: float = 0.10,
) -> TokenLiquidity:
    """Aggregate one token's markets into home and global figures (USD; see the module docstring).

    ``circulating_supply`` in tokens (None when unknown) gives ``market_cap_usd`` = supply × home
    mid; ``max_mid_deviation`` is a fraction (0.10 = 10%).
    """
    priced, excluded = _priced(markets)
    home = [market for market in priced if market.exchange == home_exchange]
    reference, reference_name = _reference_mid(priced, home)
    included = list(home)
    for market in priced:
        if market.exchange == home_exchange:
            continue
        collision = _collision(market, reference, reference_name, max_mid_deviation)
        if collision is not None:
            excluded.append(collision)
        else:
            included.append(market)

    home_bid = _sum(m.depth_bid_2pct_usd for m in home) if home else None
    home_ask = _sum(m.depth_ask_2pct_usd for m in home) if home else None
    global_bid = _sum(m.depth_bid_2pct_usd for m in included) if included else None
    global_ask = _sum(m.depth_ask_2pct_usd for m in included) if included else None
    home_total = None if home_bid is None or home_ask is None else home_bid + home_ask
    global_total = None if global_bid is None or global_ask is None else global_bid + global_ask
    home_volume = _sum(m.volume_24h_usd for m in home)
    home_mid_usd = reference if home else None

    return TokenLiquidity(
        symbol=symbol,
        home_exchange=home_exchange,
        markets=tuple(markets),
        excluded=tuple(excluded),
        home_mid_usd=home_mid_usd,
        home_spread_bps=min((m.spread_bps for m in home if m.spread_bps is not None), default=None),
        home_depth_bid_2pct_usd=home_bid,
        home_depth_ask_2pct_usd=home_ask,
        home_depth_2pct_usd=_min_side(home_bid, home_ask),
        home_depth_1pct_usd=(
            _sum((m.depth_bid_1pct_usd or 0.0) + (m.depth_ask_1pct_usd or 0.0) for m in home)
            if home
            else None
        ),
        home_volume_24h_usd=home_volume,
        home_imbalance_2pct=_imbalance(home_bid, home_ask),
        global_depth_bid_2pct_usd=global_bid,
        global_depth_ask_2pct_usd=global_ask,
        global_depth_2pct_usd=_min_side(global_bid, global_ask),
        global_volume_24h_usd=_sum(m.volume_24h_usd for m in included),
        # Share of both sides' ±2% depth: how much of the token's book sits on the home exchange.
        home_share_depth=_share(home_total, global_total),
        home_share_volume=_share(home_volume, _sum(m.volume_24h_usd for m in included)),
        circulating_supply=circulating_supply,
        market_cap_usd=(
            circulating_supply * home_mid_usd
            if circulating_supply is not None and home_mid_usd is not None
            else None
        ),
        depth_truncated=any(m.depth_truncated for m in included),
        venues=tuple(dict.fromkeys(m.exchange for m in included)),
    )
