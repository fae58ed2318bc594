"""The fictional market universe behind the demo cassette: tokens, listings and book shapes.

Venue-neutral: prices are per quote currency, depths in USD, books as (price, amount) levels.
``demo_formats`` turns it into each exchange's native JSON. Everything derives from one
``random.Random(seed)``, consumed in a fixed order, so a seed always yields the same bytes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from typing import Literal

from bot.domain.models import Level

BookShape = Literal["normal", "one_sided", "empty", "crossed", "truncated"]
Profile = Literal["major", "deep", "normal", "thin"]

QUOTE_USD = {"USDT": 1.0, "USDC": 0.9999, "FDUSD": 0.9996, "BTC": 67_250.0}
# Majors: (code, name, USD price, circulating supply). Real names, demo numbers.
MAJORS = (
    ("BTC", "Bitcoin", 67_250.0, 19_700_000.0),
    ("ETH", "Ether", 3_420.0, 120_200_000.0),
    ("SOL", "Solana", 152.4, 445_000_000.0),
    ("BNB", "BNB", 583.0, 146_000_000.0),
    ("XRP", "XRP", 0.5231, 55_000_000_000.0),
)
_ONSETS = (
    "ZORB", "QUUX", "FLIM", "BLORP", "SNARF", "GRUB", "WIBB", "PLONK", "KRIZZ", "DRAXO",
    "MOOP", "TWIZ", "NURB", "FOZZ", "JIBB", "VORP", "SKROB", "YOMP", "GLIBB", "HUZZ",
    "THWAP", "PRUX", "CRUMB", "WOZZ", "BRIXL", "SPLUD", "FRONK", "ZIBB", "KLOOV", "MURX",
    "QWIB", "DWEEZ", "FLUB", "GRONK", "PIZZL", "SNOOB", "VRIM", "WUMB", "YIBB", "ZLORB",
)  # fmt: skip
_CODAS = ("LE", "COIN", "LY", "ZA", "NIK", "OOP", "ET", "UM", "KA", "IO", "AX", "IX", "ON")
_NAME_SUFFIXES = ("Protocol", "Network", "Finance", "Labs", "DAO", "Chain", "Swap", "Token")


@dataclass(frozen=True)
class Listing:
    """One demo market: ``base/quote`` on ``exchange``; ``mid`` in quote currency."""

    exchange: str
    base: str
    quote: str
    mid: float
    spread_bps: float
    depth_2pct_usd: float  # per side, before rounding
    levels: int
    volume_24h_usd: float
    shape: BookShape = "normal"
    trading: bool = True

    @property
    def symbol(self) -> str:
        return f"{self.base}/{self.quote}"

    @property
    def step(self) -> float:
        """Amount step (lot size), from the USD price so BTC-quoted pairs match USDT ones."""
        return amount_step(self.mid * QUOTE_USD[self.quote])


@dataclass(frozen=True)
class DemoToken:
    code: str
    name: str
    price_usd: float
    circulating_supply: float | None
    listings: tuple[Listing, ...]


CODE_POOL = tuple(onset + coda for onset in _ONSETS for coda in _CODAS if len(onset + coda) <= 9)
"""Every made-up token code the demo can use (ZORBLE, QUUXCOIN, …): no real tickers."""


def fictional_codes(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct made-up token codes drawn from ``CODE_POOL``."""
    codes = list(CODE_POOL)
    rng.shuffle(codes)
    if count > len(codes):
        raise ValueError(f"at most {len(codes)} fictional tokens")
    return codes[:count]


def tick_size(price: float) -> float:
    """A price step of about 1e-5 of the price (5–6 significant digits, like real venues)."""
    return float(10.0 ** math.floor(math.log10(price * 1e-5)))


def amount_step(price_usd: float) -> float:
    """Amount step (a power of ten, at most 1) worth at most 0.001 USD at ``price_usd``."""
    return float(10.0 ** min(0, math.floor(math.log10(1e-3 / price_usd))))


def build_book(rng: random.Random, listing: Listing) -> tuple[list[Level], list[Level]]:
    """Bids (best first) and asks (best first) whose ±2% band holds about ``depth_2pct_usd``."""
    if listing.shape == "empty":
        return [], []
    mid, tick = listing.mid, tick_size(listing.mid)
    half = listing.spread_bps / 2 / 10_000
    best_bid = math.floor(mid * (1 - half) / tick) * tick
    best_ask = max(math.ceil(mid * (1 + half) / tick) * tick, best_bid + tick)
    if listing.shape == "crossed":  # bid above ask: a stale or broken venue feed
        best_bid = round(mid * 1.002 / tick) * tick
        best_ask = round(mid * 0.998 / tick) * tick
    # A truncated book packs its levels within 1.5% of the touch: at limit 100 the fetch ends
    # inside the ±2% band. Other books reach 4–8% so the band is fully visible.
    span = 0.015 * listing.levels / 100 if listing.shape == "truncated" else rng.uniform(0.04, 0.08)
    quote_usd = QUOTE_USD[listing.quote]
    bids = _side(rng, mid, best_bid, -1, span, listing, tick, quote_usd)
    asks = _side(rng, mid, best_ask, +1, span, listing, tick, quote_usd)
    return bids, ([] if listing.shape == "one_sided" else asks)


def _side(
    rng: random.Random,
    mid: float,
    best: float,
    direction: int,
    span: float,
    listing: Listing,
    tick: float,
    quote_usd: float,
) -> list[Level]:
    count = listing.levels
    gap = span / count
    prices: list[float] = []
    for i in range(count):
        jitter = rng.uniform(-0.3, 0.3) if i else 0.0
        price = round(best * (1 + direction * gap * (i + jitter)) / tick) * tick
        if prices and (price - prices[-1]) * direction < tick / 2:
            price = prices[-1] + direction * tick
        if price <= 0:
            break
        prices.append(price)
    weights = [rng.uniform(0.3, 1.7) * (1 + 2 * i / count) for i in range(len(prices))]
    band = [w for p, w in zip(prices, weights, strict=True) if abs(p - mid) <= 0.02 * mid]
    scale = listing.depth_2pct_usd / quote_usd / (sum(band) or sum(weights) or 1.0)
    step = listing.step
    levels = []
    for price, weight in zip(prices, weights, strict=True):
        amount = max(step, round(weight * scale / price / step) * step)
        levels.append((price, amount))
    return levels


def _alt_listing_plan(rng: random.Random) -> dict[str, list[str]]:
    venues: dict[str, list[str]] = {}
    if rng.random() < 0.85:
        quotes = ["USDT"]
        quotes += ["USDC"] if rng.random() < 0.35 else []
        quotes += ["FDUSD"] if rng.random() < 0.25 else []
        quotes += ["BTC"] if rng.random() < 0.08 else []
        venues["binance"] = quotes
    for venue in ("okx", "bybit"):
        if rng.random() < 0.5 or not venues:
            venues[venue] = ["USDT"] + (["USDC"] if rng.random() < 0.3 else [])
    return venues


_PROFILES: dict[Profile, tuple[tuple[float, float], tuple[float, float], tuple[int, int]]] = {
    # spread bps and ±2% depth USD ranges (both log-uniform), book levels range. A spread
    # above 400 bps leaves the ±2% band empty: a few thin markets do that, as dead ones do.
    "major": ((0.5, 3.0), (4e6, 3e7), (100, 100)),
    "deep": ((2.0, 10.0), (3e5, 2e6), (100, 100)),
    "normal": ((10.0, 60.0), (4e4, 3e5), (60, 100)),
    "thin": ((60.0, 500.0), (5e2, 4e4), (8, 40)),
}


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _listing(
    rng: random.Random, exchange: str, base: str, quote: str, price_usd: float, profile: Profile
) -> Listing:
    spreads, depths, levels = _PROFILES[profile]
    venue_scale = 1.0 if exchange == "binance" else rng.uniform(0.25, 0.9)
    quote_scale = 1.0 if quote == "USDT" else rng.uniform(0.1, 0.5)
    depth = _log_uniform(rng, *depths) * venue_scale * quote_scale
    return Listing(
        exchange=exchange,
        base=base,
        quote=quote,
        mid=price_usd / QUOTE_USD[quote],
        spread_bps=_log_uniform(rng, *spreads),
        depth_2pct_usd=max(500.0, depth),
        levels=rng.randint(*levels),
        volume_24h_usd=depth * rng.uniform(2.0, 40.0),
    )


def _special_case(item: Listing, index: int) -> Listing:
    """The pathological markets the metrics and risk rules must handle, on fixed token slots."""
    binance_usdt = item.exchange == "binance" and item.quote == "USDT"
    if index == 3 and binance_usdt:
        return replace(item, shape="one_sided")  # no asks at all
    if index == 7 and binance_usdt:
        return replace(item, shape="crossed")
    if index == 11 and binance_usdt:
        return replace(item, shape="empty")  # trading, but nobody quotes
    if index == 13 and binance_usdt:
        return replace(item, trading=False)  # halted: status BREAK, not an active market
    if index == 17 and item.exchange == "bybit":
        return replace(item, mid=item.mid * 10)  # ticker collision: another asset, same code
    if index in (19, 21) and item.quote == "USDT":
        venue = "binance" if index == 19 else "bybit"
        if item.exchange == venue:  # 100 levels end inside the ±2% band
            return replace(item, shape="truncated", levels=250, spread_bps=3.0)
    if index == 23 and item.exchange == "binance":
        return replace(item, volume_24h_usd=item.depth_2pct_usd * 500)  # wash-trading signal
    return item


def _ensure_venues(plan: dict[str, list[str]], index: int) -> dict[str, list[str]]:
    # The special cases need their venues: binance for most, bybit too for 17 and 21.
    if index in (3, 7, 11, 13, 17, 19, 21, 23):
        plan.setdefault("binance", ["USDT"])
    if index in (17, 21):
        plan.setdefault("bybit", ["USDT"])
    return plan


def build_universe(seed: int, tokens: int) -> list[DemoToken]:
    """Majors first, then ``tokens`` fictional alts, each with its listings on 1–3 venues."""
    rng = random.Random(seed)
    universe = [_major(rng, *major) for major in MAJORS]
    universe.append(_stable(rng, "USDC", "USD Coin", ["binance", "okx", "bybit"]))
    universe.append(_stable(rng, "FDUSD", "First Digital USD", ["binance"]))
    for index, code in enumerate(fictional_codes(rng, tokens)):
        profiles: list[Profile] = ["deep", "normal", "thin"]
        profile = rng.choices(profiles, weights=[20, 45, 35])[0]
        price = _log_uniform(rng, 1e-5, 20.0)
        market_cap = _log_uniform(rng, 2e6, 2e9)
        plan = _ensure_venues(_alt_listing_plan(rng), index)
        listings = tuple(
            _listing(rng, venue, code, quote, price, "thin" if quote == "BTC" else profile)
            for venue, quotes in plan.items()
            for quote in quotes
        )
        supply = market_cap / price if rng.random() < 0.9 else None
        name = f"{code.capitalize()} {rng.choice(_NAME_SUFFIXES)}"
        listings = tuple(_special_case(item, index) for item in listings)
        universe.append(DemoToken(code, name, price, supply, listings))
    return universe


def _major(rng: random.Random, code: str, name: str, price: float, supply: float) -> DemoToken:
    plan = {
        "binance": ["USDT", "USDC", "FDUSD"],
        "okx": ["USDT", "USDC"],
        "bybit": ["USDT", "USDC"],
    }
    if code != "BTC":
        plan["binance"].append("BTC")
        if code == "ETH":
            plan["okx"].append("BTC")
            plan["bybit"].append("BTC")
    listings = tuple(
        _listing(rng, venue, code, quote, price, "major")
        for venue, quotes in plan.items()
        for quote in quotes
        if quote != code
    )
    return DemoToken(code, name, price, supply, listings)


def _stable(rng: random.Random, code: str, name: str, venues: list[str]) -> DemoToken:
    """Quote-conversion pairs such as USDC/USDT: the deepest, tightest books in the demo."""
    price = QUOTE_USD[code]
    listings = tuple(_listing(rng, venue, code, "USDT", price, "major") for venue in venues)
    return DemoToken(code, name, price, None, tuple(replace(x, spread_bps=1.0) for x in listings))
