"""SPEC 4.2: one token's liquidity on the home exchange and across every tracked venue.

- A market's book counts when it is *measured* (both ±2% depths known in USD: an ok book with a
  USD rate, or a book with an empty side, whose depth there is 0). Home book figures sum the
  token's measured home markets over all its quote pairs (PEPE/USDT + PEPE/FDUSD + …); global
  figures sum those and every measured market kept on the other venues.
- A token's ±2% depth is the smaller of its two side sums (:func:`min_side`), everywhere.
- Volume comes from the tickers and counts even where the book is unusable: every home market's,
  and every other market's that is not excluded.
- Reference price: the USD mid of the home market with the most ±2% depth (bid + ask), or its
  ticker's last price where an empty side leaves the mid undefined. With no usable home book, the
  median of the other venues' prices (one per venue: its deepest measured market) when there are
  three or more venues; with fewer there is no reference, nothing is excluded, and venues whose
  prices are more than 10% apart are named in ``price_disagreement``.
- Ticker-collision guard: a market of another exchange whose USD price (mid, else last) is off
  the reference by more than ``max_mid_deviation`` either way, max(p/ref, ref/p) > 1.10, is
  excluded from every aggregate and listed in ``excluded``: the same code can be a different
  asset on another exchange. So is an ok market with no USD rate for its quote (its depths cannot
  be summed with the others'). Other error markets stay in ``markets`` (answers show them) and
  count for volume only.
- ``depth_truncated``: some market in the aggregates has a truncated ±2% band, so the depth
  figures (home or global) may be lower bounds.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence

from bot.domain.models import BookSide, ExcludedVenue, MarketMetrics, TokenLiquidity
from bot.domain.units import digits_apart, fmt_pct, fmt_price


def group_by_token(markets: Iterable[MarketMetrics]) -> dict[str, list[MarketMetrics]]:
    """Markets grouped by base token symbol, in the order first seen."""
    groups: dict[str, list[MarketMetrics]] = {}
    for market in markets:
        groups.setdefault(market.base, []).append(market)
    return groups


def min_side(bid: float | None, ask: float | None) -> float | None:
    """A token's ±2% depth (USD) from its bid and ask side sums: the smaller side, because a book
    is only as deep as its thinner side. None when either side is unknown."""
    return None if bid is None or ask is None else min(bid, ask)


def _depth_2pct_total(market: MarketMetrics) -> float:
    return (market.depth_bid_2pct_usd or 0.0) + (market.depth_ask_2pct_usd or 0.0)


def _sum(values: Iterable[float | None]) -> float | None:
    """Sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole


def _imbalance(bid: float | None, ask: float | None) -> float | None:
    if bid is None or ask is None or bid + ask <= 0:
        return None
    return (bid - ask) / (bid + ask)


def home_markets(token: TokenLiquidity) -> tuple[MarketMetrics, ...]:
    """The token's usable home-exchange books: the measured home markets (ok, or with an empty
    side). None of them means the token cannot be rated (SPEC 4.3 ``unrated``)."""
    return tuple(m for m in token.markets if m.exchange == token.home_exchange and m.measured)


def sides_without_orders(books: Sequence[MarketMetrics]) -> tuple[BookSide, ...]:
    """The sides (``bid``, ``ask``) with no order on any of ``books`` (a token's usable home
    books): nobody can trade that way there. Both: the book is empty. None for no books."""
    if not books:
        return ()
    return tuple(side for side in ("bid", "ask") if all(side in m.empty_sides for m in books))


def home_faults(token: TokenLiquidity) -> tuple[ExcludedVenue, ...]:
    """The home markets whose book is unusable for data reasons, each with the fault: crossed or
    locked, a non-positive price, a failed fetch or parse, or no USD rate for the quote."""
    return tuple(
        ExcludedVenue(m.exchange, m.symbol, m.error or f"no USD rate for quote {m.quote}")
        for m in token.markets
        if m.exchange == token.home_exchange and not m.measured
    )


def _deviation(price: float, reference: float) -> float:
    """How far apart two positive prices are, the same both ways: max(p/ref, ref/p) − 1."""
    return max(price / reference, reference / price) - 1


def _venue_prices(markets: Sequence[MarketMetrics]) -> dict[str, float]:
    """One USD price per venue: that of its deepest measured market with a price."""
    deepest: dict[str, MarketMetrics] = {}
    for market in markets:
        if market.measured and market.price_usd is not None:
            best = deepest.get(market.exchange)
            if best is None or _depth_2pct_total(market) > _depth_2pct_total(best):
                deepest[market.exchange] = market
    return {venue: m.price_usd for venue, m in deepest.items() if m.price_usd is not None}


def _reference(
    home: Sequence[MarketMetrics], others: Sequence[MarketMetrics], max_deviation: float
) -> tuple[float | None, str, str | None]:
    """(reference USD price, its name, a disagreement note when there is no reference)."""
    home_prices = _venue_prices(home)
    if home_prices:
        return next(iter(home_prices.values())), "home mid", None
    prices = _venue_prices(others)
    if len(prices) >= 3:
        return statistics.median(prices.values()), "median mid", None
    note = None
    if len(prices) >= 2 and _deviation(max(prices.values()), min(prices.values())) > max_deviation:
        listed = ", ".join(f"{venue} {fmt_price(price)}" for venue, price in prices.items())
        note = f"prices disagree ({listed}) and no home book tells which is the token"
    return None, "", note


def _kept(
    markets: Sequence[MarketMetrics],
    home_exchange: str,
    reference: float | None,
    reference_name: str,
    max_deviation: float,
) -> tuple[list[MarketMetrics], list[ExcludedVenue]]:
    """The markets that count, and those left out with the reason: an ok book with no USD rate,
    and another venue's market priced off the reference."""
    kept: list[MarketMetrics] = []
    excluded: list[ExcludedVenue] = []
    for market in markets:
        price = market.price_usd
        deviation = 0.0  # the home exchange is never a collision: it defines the token
        if market.exchange != home_exchange and price is not None and reference is not None:
            deviation = _deviation(price, reference)
        if market.ok and market.usd_per_quote is None:
            reason = f"no USD rate for quote {market.quote}"
        elif deviation > max_deviation:
            what = "mid" if market.mid is not None else "last price"
            shown = fmt_pct(deviation, significant=digits_apart(deviation, max_deviation))
            reason = (
                f"{what} {fmt_price(price)} deviates {shown} from "
                f"{reference_name} {fmt_price(reference)} (ticker collision?)"
            )
        else:
            kept.append(market)
            continue
        excluded.append(ExcludedVenue(market.exchange, market.symbol, reason))
    return kept, excluded


def aggregate_token(
    symbol: str,
    markets: Sequence[MarketMetrics],
    home_exchange: str,
    circulating_supply: float | None,
    max_mid_deviation: float = 0.10,
) -> TokenLiquidity:
    """Aggregate one token's markets into home and global figures (USD; see the module docstring).

    ``circulating_supply`` in tokens (None when unknown) gives ``market_cap_usd`` = supply × home
    price; ``max_mid_deviation`` is a fraction (0.10 = 10%).
    """
    on_home = [m for m in markets if m.exchange == home_exchange]
    home = [m for m in on_home if m.measured]
    others = [m for m in markets if m.exchange != home_exchange]
    reference, reference_name, disagreement = _reference(home, others, max_mid_deviation)
    kept, excluded = _kept(markets, home_exchange, reference, reference_name, max_mid_deviation)
    included = [m for m in kept if m.measured]

    home_bid = _sum(m.depth_bid_2pct_usd for m in home)
    home_ask = _sum(m.depth_ask_2pct_usd for m in home)
    global_bid = _sum(m.depth_bid_2pct_usd for m in included)
    global_ask = _sum(m.depth_ask_2pct_usd for m in included)
    home_volume = _sum(m.volume_24h_usd for m in on_home)
    global_volume = _sum(m.volume_24h_usd for m in kept)
    # With no usable home book the home ticker's last price still tells the market cap.
    home_price = (
        reference if home else next((m.price_usd for m in on_home if m.price_usd is not None), None)
    )
    return TokenLiquidity(
        symbol=symbol,
        home_exchange=home_exchange,
        markets=tuple(markets),
        excluded=tuple(excluded),
        home_mid_usd=home_price,
        home_spread_bps=min((m.spread_bps for m in home if m.spread_bps is not None), default=None),
        home_depth_bid_2pct_usd=home_bid,
        home_depth_ask_2pct_usd=home_ask,
        home_depth_2pct_usd=min_side(home_bid, home_ask),
        home_depth_1pct_usd=_sum(
            (m.depth_bid_1pct_usd or 0.0) + (m.depth_ask_1pct_usd or 0.0) for m in home
        ),
        home_volume_24h_usd=home_volume,
        home_imbalance_2pct=_imbalance(home_bid, home_ask),
        global_depth_bid_2pct_usd=global_bid,
        global_depth_ask_2pct_usd=global_ask,
        global_depth_2pct_usd=min_side(global_bid, global_ask),
        global_volume_24h_usd=global_volume,
        # Share of both sides' ±2% depth: how much of the token's book sits on the home exchange.
        home_share_depth=_share(
            None if home_bid is None or home_ask is None else home_bid + home_ask,
            None if global_bid is None or global_ask is None else global_bid + global_ask,
        ),
        home_share_volume=_share(home_volume, global_volume),
        circulating_supply=circulating_supply,
        market_cap_usd=(
            circulating_supply * home_price
            if circulating_supply is not None and home_price is not None
            else None
        ),
        depth_truncated=any(m.depth_truncated for m in included),
        venues=tuple(dict.fromkeys(m.exchange for m in included)),
        price_disagreement=disagreement,
    )
