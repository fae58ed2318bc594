"""Contribution arithmetic: a pledge of x% of circulating supply to the savings (lending) pools,
as a token amount, its USD value at a given price, how it compares to the ±2% depth and how much
of it the home book absorbs within ±2%; an agreed amount against what was received."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Contribution:
    """A pledged contribution: ``pct_of_supply`` in % of circulating supply (0–100], ``tokens`` in
    base units, ``usd`` at the given price (None without a price), ``depth_multiple`` = usd / ±2%
    depth in USD (None without a price or a positive depth)."""

    pct_of_supply: float
    tokens: float
    usd: float | None
    depth_multiple: float | None


def contribution(
    pct_of_supply: float,
    circulating_supply: float,
    price_usd: float | None,
    depth_2pct_usd: float | None,
) -> Contribution:
    """Token amount, USD value and ±2%-depth multiple of pledging ``pct_of_supply`` % of
    ``circulating_supply`` tokens at ``price_usd`` USD per token.

    Raises ValueError for a percentage outside (0, 100] or a non-positive supply (the modal
    validates first; this guards every other caller). A non-positive price counts as unknown.
    """
    if not math.isfinite(pct_of_supply) or not 0 < pct_of_supply <= 100:
        raise ValueError(f"contribution must be in (0, 100] % of supply, got {pct_of_supply}")
    if not math.isfinite(circulating_supply) or circulating_supply <= 0:
        raise ValueError(f"circulating supply must be positive, got {circulating_supply}")
    tokens = circulating_supply * pct_of_supply / 100
    known_price = price_usd is not None and math.isfinite(price_usd) and price_usd > 0
    usd = tokens * price_usd if known_price and price_usd is not None else None
    multiple = (
        usd / depth_2pct_usd
        if usd is not None and depth_2pct_usd is not None and depth_2pct_usd > 0
        else None
    )
    return Contribution(
        pct_of_supply=pct_of_supply, tokens=tokens, usd=usd, depth_multiple=multiple
    )


def absorbable_usd(usd: float | None, depth_2pct_usd: float | None) -> float | None:
    """How much of a contribution worth ``usd`` the home book could absorb within ±2% of its mid:
    the contribution up to the home ±2% depth (smaller side, USD) — what the tokens are worth in
    liquidity terms. None when either figure is unknown."""
    if usd is None or depth_2pct_usd is None or not math.isfinite(usd):
        return None
    return max(0.0, min(usd, depth_2pct_usd))


@dataclass(frozen=True)
class DatedFigures:
    """A token amount valued on one day's home book: ``tokens`` (base units), ``price_usd`` (the
    home mid of the snapshot taken at ``figures_at``) and ``depth_2pct_usd`` (that snapshot's home
    ±2% depth, smaller side, USD). Every figure says when it was measured."""

    tokens: float | None
    price_usd: float | None
    depth_2pct_usd: float | None
    figures_at: datetime | None

    @property
    def usd(self) -> float | None:
        """The tokens at that day's mid, in USD."""
        price = self.price_usd
        if self.tokens is None or price is None or not math.isfinite(price) or price <= 0:
            return None
        return self.tokens * price

    @property
    def absorbable_usd(self) -> float | None:
        """The part of ``usd`` the home book absorbed within ±2% that day."""
        return absorbable_usd(self.usd, self.depth_2pct_usd)


def shortfall_tokens(agreed: float | None, received: float | None) -> float | None:
    """Tokens agreed but not received (None when either is unknown or nothing is short)."""
    if agreed is None or received is None or received >= agreed:
        return None
    return agreed - received
