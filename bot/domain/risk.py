"""SPEC 4.3, risk version 2: a token's risk score (0–100, higher = riskier), tier and reasons.

Who is assessed: tokens the home exchange lists. A token it does not list is not assessed
(:func:`assess_risk` refuses it; the use cases say so and show the other venues).

``unrated`` (score None): no home book is usable for data reasons — every home market is crossed
or locked, has a non-positive price, could not be fetched or parsed, or has no USD rate for its
quote. The reasons name each fault and its market, and, when the other venues' prices disagree
with no home book to tell which is the token, that too. Unrated tokens are listed apart ("data
issues"), never ranked with the risks. An empty side is not a data fault but a liquidity fact:
the token is rated, that side's depth is 0, and a reason names it (``no asks on binance: nobody
can buy``).

Rules (ids), each comparing one home figure with a ``RISK_…`` threshold (:class:`RiskRules`):

- ``low_depth``: ±2% depth, the smaller of the two side sums over the home pairs, below the floor;
- ``wide_spread``: tightest home spread above the limit; no two-sided home book (an empty side)
  is worse than any spread and scores the full weight;
- ``low_volume``: home 24h volume below the floor; unknown volume (no ticker) is a reason
  (``unknown_volume``) without points;
- ``small_market_cap``: circulating supply × home price below the floor, when supply is known;
- ``wash_trading``: home 24h volume / home ±1% depth (bid + ask) above the limit, counted only
  for volume at or above the low-volume floor (smaller volume is thinness, not a wash signal,
  and ``low_volume`` scores it); an empty ±1% band under such volume is the full weight;
- ``one_sided``: |±2% imbalance| above the limit, or a home side with no order at all (full);
- ``low_home_share``: home share of global ±2% depth (both sides) below the floor, only when the
  token trades on another venue;
- ``no_mm`` / ``mm_breached``: market-maker status ``none`` or ``breached``. ``unknown`` (too
  little history, e.g. on day one) adds nothing and is no reason: it is shown as information.

A rule that fires adds ``weight × severity`` points, severity in [0.5, 1]:

- below a minimum (value < threshold): ``max(0.5, 1 − value / threshold)``;
- above a maximum (value > threshold): ``max(0.5, 1 − threshold / value)``;
- above a maximum on a figure that cannot exceed 1 (the imbalance):
  ``max(0.5, (value − threshold) / (1 − threshold))``, so a book with bids only reaches 1;
- a fact without a number (an empty side, no spread, no market maker): 1.

A token just past a threshold scores half the weight, one with nothing (zero depth, zero volume)
the full weight. ``score = min(100, round_half_up(Σ points))``; tier ``high`` from ``tier_high``
(60), ``medium`` from ``tier_medium`` (30), else ``low``. A rule with weight 0 is switched off.

Monotone by construction: each severity is a non-increasing function of depth (either side or
both, at ±1% and ±2%: the imbalance only shrinks when the thinner side grows), of market cap and
of a narrower spread, and no gate depends on depth; tests/domain/test_risk_properties.py checks it.

Weights (defaults, README "Risk"): depth 35, spread 20, volume 20, market cap 10, wash 10,
one-sided 10, home share 5, market maker 10. Derived from three requirements:

1. A token whose own numbers are far past the thresholds is ``high`` without market-maker
   points: ±2% depth ≤ $1k (≥ 98% short), any spread past the limit (≥ 0.5) and volume ≤ $10k
   (≥ 90% short) give at least 35·0.98 + 20·0.5 + 20·0.9 = 62.3 ≥ 60.
2. No single rule makes a token ``high`` (largest weight 35 < 60), depth alone at full weight
   makes it ``medium``, and the secondary rules together (cap, wash, one-sided, home share,
   market maker: 45) cannot make a token with healthy depth, spread and volume ``high``.
3. The market maker is one signal among eight (10 of 110): it moves a token across at most one
   tier boundary, never carries a thin book into ``high`` on its own.

A deep, tight major fires no rule and scores 0. ``reasons`` and ``rules`` line up one to one,
ordered by points (largest first), reasons without points last. Each reason names the figure and
the threshold, with enough digits never to read as equal (``±2% depth $49.96k < $50k``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.domain.aggregate import home_faults, home_markets, sides_without_orders
from bot.domain.models import BookSide, MMStatus, RiskAssessment, Tier, TokenLiquidity
from bot.domain.units import digits_apart, fmt_bps, fmt_pct, fmt_ratio, fmt_usd
from bot.domain.vocabulary import AT_RISK_TIERS


@dataclass(frozen=True)
class RiskRules:
    """Thresholds and weights of the risk rules; mirrors ``bot.settings.RiskThresholds``
    (build with ``RiskRules(**thresholds.model_dump())``). USD, bps, fractions (0.10 = 10%)."""

    min_depth_2pct_usd: float = 50_000
    max_spread_bps: float = 100
    min_volume_24h_usd: float = 100_000
    min_market_cap_usd: float = 10_000_000
    max_volume_depth_ratio: float = 50
    max_imbalance: float = 0.8
    min_home_share: float = 0.10
    weight_depth: int = 35
    weight_spread: int = 20
    weight_volume: int = 20
    weight_market_cap: int = 10
    weight_wash: int = 10
    weight_imbalance: int = 10
    weight_home_share: int = 5
    weight_no_mm: int = 10
    tier_high: int = 60
    tier_medium: int = 30
    mm_max_spread_bps: float = 50
    mm_min_depth_2pct_usd: float = 10_000
    mm_min_days: int = 3
    mm_min_uptime: float = 0.75


@dataclass(frozen=True)
class _Finding:
    rule: str
    points: float
    reason: str


Formatter = Callable[[float, int], str]


def _pct(fraction: float, significant: int) -> str:
    return fmt_pct(fraction, significant=significant)


def _number(value: float, significant: int) -> str:
    return f"{value:.{significant}g}"


def _versus(value: float, sign: str, threshold: float, fmt: Formatter) -> str:
    """``$4.3k < $50k``: the figure and its threshold, with enough digits never to read as
    equal (``$49.96k < $50k``, not ``$50k < $50k``)."""
    digits = digits_apart(value, threshold)
    return f"{fmt(value, digits)} {sign} {fmt(threshold, digits)}"


def _below(value: float, threshold: float) -> float:
    return max(0.5, 1 - value / threshold)


def _above(value: float, threshold: float) -> float:
    return max(0.5, 1 - threshold / value)


def _above_bounded(value: float, threshold: float) -> float:
    return max(0.5, (value - threshold) / (1 - threshold)) if threshold < 1 else 1.0


def _empty_sides(token: TokenLiquidity) -> tuple[BookSide, ...]:
    """Sides with no order on any usable home book: nobody can trade that way on the home
    exchange."""
    return sides_without_orders(home_markets(token))


def _empty_side_reason(sides: tuple[BookSide, ...], home: str) -> str:
    if len(sides) == 2:
        return f"no bids and no asks on {home}: nobody can buy or sell"
    if sides == ("ask",):
        return f"no asks on {home}: nobody can buy"
    return f"no bids on {home}: nobody can sell"


def _book_findings(token: TokenLiquidity, rules: RiskRules) -> list[_Finding]:
    """Depth, spread and the one-sided book, from the usable home books."""
    found: list[_Finding] = []
    depth = token.home_depth_2pct_usd
    if depth is not None and depth < rules.min_depth_2pct_usd:
        bound = " (lower bound)" if any(m.depth_truncated for m in home_markets(token)) else ""
        reason = f"±2% depth {_versus(depth, '<', rules.min_depth_2pct_usd, fmt_usd)}{bound}"
        points = rules.weight_depth * _below(depth, rules.min_depth_2pct_usd)
        found.append(_Finding("low_depth", points, reason))
    spread = token.home_spread_bps
    if spread is None:
        reason = f"no spread: no two-sided book on {token.home_exchange}"
        found.append(_Finding("wide_spread", float(rules.weight_spread), reason))
    elif spread > rules.max_spread_bps:
        reason = f"spread {_versus(spread, '>', rules.max_spread_bps, fmt_bps)}"
        points = rules.weight_spread * _above(spread, rules.max_spread_bps)
        found.append(_Finding("wide_spread", points, reason))
    empty = _empty_sides(token)
    imbalance = token.home_imbalance_2pct
    if empty:
        reason = _empty_side_reason(empty, token.home_exchange)
        found.append(_Finding("one_sided", float(rules.weight_imbalance), reason))
    elif imbalance is not None and abs(imbalance) > rules.max_imbalance:
        heavy = "bid" if imbalance > 0 else "ask"
        figures = _versus(abs(imbalance), ">", rules.max_imbalance, _number)
        reason = f"one-sided book ({heavy}-heavy): |±2% imbalance| {figures}"
        points = rules.weight_imbalance * _above_bounded(abs(imbalance), rules.max_imbalance)
        found.append(_Finding("one_sided", points, reason))
    return found


def _volume_findings(token: TokenLiquidity, rules: RiskRules) -> list[_Finding]:
    """Low volume, unknown volume and the wash-trading signal."""
    volume, depth_1pct = token.home_volume_24h_usd, token.home_depth_1pct_usd
    if volume is None:
        return [_Finding("unknown_volume", 0.0, f"24h volume unknown on {token.home_exchange}")]
    floor = rules.min_volume_24h_usd
    if volume < floor:
        reason = f"24h volume {_versus(volume, '<', floor, fmt_usd)}"
        return [_Finding("low_volume", rules.weight_volume * _below(volume, floor), reason)]
    limit = rules.max_volume_depth_ratio
    if depth_1pct is None:
        return []
    if depth_1pct <= 0:
        reason = (
            f"24h volume {fmt_usd(volume)} against no ±1% depth "
            f"(volume/±1% depth > {fmt_ratio(limit)})"
        )
        return [_Finding("wash_trading", float(rules.weight_wash), reason)]
    ratio = volume / depth_1pct
    if ratio <= limit:
        return []
    reason = f"volume/±1% depth {_versus(ratio, '>', limit, fmt_ratio)}"
    return [_Finding("wash_trading", rules.weight_wash * _above(ratio, limit), reason)]


def _other_findings(token: TokenLiquidity, rules: RiskRules, mm: MMStatus) -> list[_Finding]:
    """Market cap, home share of global depth and the market maker."""
    found: list[_Finding] = []
    cap = token.market_cap_usd
    if cap is not None and cap < rules.min_market_cap_usd:
        reason = f"market cap {_versus(cap, '<', rules.min_market_cap_usd, fmt_usd)}"
        points = rules.weight_market_cap * _below(cap, rules.min_market_cap_usd)
        found.append(_Finding("small_market_cap", points, reason))
    share = token.home_share_depth
    elsewhere = any(venue != token.home_exchange for venue in token.venues)
    if elsewhere and share is not None and share < rules.min_home_share:
        figures = _versus(share, "<", rules.min_home_share, _pct)
        reason = f"home share of global ±2% depth {figures}"
        points = rules.weight_home_share * _below(share, rules.min_home_share)
        found.append(_Finding("low_home_share", points, reason))
    if mm == "none":
        reason = "no market maker on record and no market-maker-like quoting observed"
        found.append(_Finding("no_mm", float(rules.weight_no_mm), reason))
    elif mm == "breached":
        reason = "market maker on record is not meeting its obligations"
        found.append(_Finding("mm_breached", float(rules.weight_no_mm), reason))
    return found


def _tier(score: int, rules: RiskRules) -> Tier:
    if score >= rules.tier_high:
        return "high"
    if score >= rules.tier_medium:
        return "medium"
    return "low"


def _unrated(token: TokenLiquidity, mm_status: MMStatus) -> RiskAssessment:
    reasons = [f"{f.symbol} on {f.exchange}: {f.reason}" for f in home_faults(token)]
    rules = ["data_fault"] * len(reasons)
    if token.price_disagreement:
        reasons.append(token.price_disagreement)
        rules.append("price_disagreement")
    return RiskAssessment(token.symbol, None, "unrated", tuple(reasons), tuple(rules), mm_status)


def assess_risk(token: TokenLiquidity, mm_status: MMStatus, rules: RiskRules) -> RiskAssessment:
    """Score a token's liquidity risk (0–100) with its tier and reasons, or rate it ``unrated``
    when no home book is usable; see the module docstring for the rules and the formula.
    ``ValueError`` for a token the home exchange does not list (it is not assessed)."""
    if not token.home_listed:
        raise ValueError(f"{token.symbol} is not listed on {token.home_exchange}: not assessed")
    if not home_markets(token):
        return _unrated(token, mm_status)
    findings = _book_findings(token, rules)
    findings += _volume_findings(token, rules)
    findings += _other_findings(token, rules, mm_status)
    # A rule with weight 0 is switched off by the operator: it neither scores nor shows. A
    # reason without points (unknown volume) is information and comes last.
    scored = sorted((f for f in findings if f.points > 0), key=lambda f: -f.points)
    shown = scored + [f for f in findings if f.rule == "unknown_volume"]
    score = min(100, math.floor(sum(f.points for f in scored) + 0.5))
    return RiskAssessment(
        symbol=token.symbol,
        score=score,
        tier=_tier(score, rules),
        reasons=tuple(f.reason for f in shown),
        rules=tuple(f.rule for f in shown),
        mm_status=mm_status,
    )


class Rated(Protocol):
    """Anything that carries a token's risk: an assessment, a stored one, a report row."""

    @property
    def symbol(self) -> str: ...
    @property
    def score(self) -> int | None: ...
    @property
    def tier(self) -> str: ...


R = TypeVar("R", bound=Rated)


def is_at_risk(tier: str) -> bool:
    """Whether a token of risk tier ``tier`` is at risk: ``high`` or ``medium``."""
    return tier in AT_RISK_TIERS


def risk_rank(rated: Rated) -> tuple[int, str]:
    """The ranking key of every risk list: highest score (0–100) first, ties by symbol; an
    unrated token (score None) is never ranked with the risks, and sorts last if it is."""
    return (-(rated.score if rated.score is not None else -1), rated.symbol)


def rank_at_risk(rated: Iterable[R], tier: str | None = None) -> list[R]:
    """The at-risk tokens of ``rated`` (tiers high and medium, or only ``tier``), riskiest first
    (``risk_rank``)."""
    return sorted(
        (r for r in rated if is_at_risk(r.tier) and (tier is None or r.tier == tier)),
        key=risk_rank,
    )


def count_by_tier(rated: Iterable[Rated]) -> dict[str, int]:
    """How many of ``rated`` are in each at-risk tier, every tier present (zeros included)."""
    counts: dict[str, int] = dict.fromkeys(AT_RISK_TIERS, 0)
    for r in rated:
        if r.tier in counts:
            counts[r.tier] += 1
    return counts
