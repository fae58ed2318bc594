"""Contribution arithmetic: a pledge of x% of circulating supply to the savings (lending) pools,
as a token amount, its USD value at a given price, and how it compares to the ±2% depth."""

from __future__ import annotations

import math
from dataclasses import dataclass


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
    """How much of a contribution worth ``usd`` USD the home book could absorb within ±2% of
    the mid, its ±2% depth being ``depth_2pct_usd`` USD (the smaller side): the smaller of the
    two, in USD. What a pledge is worth in liquidity terms; None when either is unknown."""
    if usd is None or depth_2pct_usd is None:
        return None
    return max(min(usd, depth_2pct_usd), 0.0)
