"""SPEC 4.3: a token's risk score (0–100, higher = riskier), tier and reasons.

Every rule compares one figure of the token (home exchange unless said otherwise) with a threshold
from settings (``RISK_…``, mirrored by :class:`RiskRules`) and, when it fires, contributes
``weight × severity`` points, with severity in [0.5, 1]:

- "below a minimum" (value < threshold): ``severity = max(0.5, 1 − value / threshold)``;
- "above a maximum" (value > threshold): ``severity = max(0.5, 1 − threshold / value)``;
- a rule whose figure cannot exist (no market maker, no usable home book): ``severity = 1``.

So a token just past a threshold scores half the weight and one with nothing (zero depth, zero
volume) the full weight. ``score = min(100, round_half_up(Σ contributions))``; tier ``high`` from
``tier_high``, ``medium`` from ``tier_medium``, else ``low``. A rule with weight 0 is switched off.

Rules (ids): ``low_depth`` (±2% depth, the smaller side, summed over home pairs), ``wide_spread``
(tightest home spread), ``low_volume`` (home 24h volume), ``small_market_cap`` (only when known),
``wash_trading`` (home 24h volume / home ±1% depth, bid + ask), ``one_sided`` (|±2% imbalance|),
``low_home_share`` (home share of global ±2% depth, only when the token trades on another venue),
``no_mm`` (market-maker status ``none`` or ``breached``). A token with no usable home order book is
maximally risky on depth, spread and volume.

``reasons`` and ``rules`` of the result line up one to one, ordered by contribution (largest first).
Each reason names the figure and the threshold, e.g. ``±2% depth $4.3k < $50k``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.domain.aggregate import home_markets
from bot.domain.models import MMStatus, RiskAssessment, Tier, TokenLiquidity
from bot.domain.units import fmt_bps, fmt_pct, fmt_ratio, fmt_usd
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
    weight_depth: int = 30
    weight_spread: int = 15
    weight_volume: int = 15
    weight_market_cap: int = 10
    weight_wash: int = 10
    weight_imbalance: int = 5
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


def _below(value: float, threshold: float) -> float:
    return max(0.5, 1 - value / threshold) if threshold > 0 else 1.0


def _above(value: float, threshold: float) -> float:
    return max(0.5, 1 - threshold / value) if value > 0 else 1.0


def _no_home_book(token: TokenLiquidity, rules: RiskRules) -> list[_Finding]:
    where = f"no usable order book on {token.home_exchange}"
    return [
        _Finding("low_depth", rules.weight_depth, where),
        _Finding("wide_spread", rules.weight_spread, f"spread n/a ({where})"),
        _Finding("low_volume", rules.weight_volume, f"24h volume n/a ({where})"),
    ]


def _book_findings(token: TokenLiquidity, rules: RiskRules, truncated: bool) -> list[_Finding]:
    found: list[_Finding] = []
    depth = token.home_depth_2pct_usd
    if depth is not None and depth < rules.min_depth_2pct_usd:
        bound = " (lower bound)" if truncated else ""
        reason = f"±2% depth {fmt_usd(depth)} < {fmt_usd(rules.min_depth_2pct_usd)}{bound}"
        severity = _below(depth, rules.min_depth_2pct_usd)
        found.append(_Finding("low_depth", rules.weight_depth * severity, reason))
    spread = token.home_spread_bps
    if spread is not None and spread > rules.max_spread_bps:
        reason = f"spread {fmt_bps(spread)} > {fmt_bps(rules.max_spread_bps)}"
        severity = _above(spread, rules.max_spread_bps)
        found.append(_Finding("wide_spread", rules.weight_spread * severity, reason))
    volume = token.home_volume_24h_usd
    if volume is not None and volume < rules.min_volume_24h_usd:
        reason = f"24h volume {fmt_usd(volume)} < {fmt_usd(rules.min_volume_24h_usd)}"
        severity = _below(volume, rules.min_volume_24h_usd)
        found.append(_Finding("low_volume", rules.weight_volume * severity, reason))
    return found


def _wash_finding(token: TokenLiquidity, rules: RiskRules) -> _Finding | None:
    volume, depth = token.home_volume_24h_usd, token.home_depth_1pct_usd
    if volume is None or depth is None or volume <= 0:
        return None
    limit = fmt_ratio(rules.max_volume_depth_ratio)
    if depth <= 0:
        # An empty ±1% band makes the ratio infinite for any volume. Only substantial reported
        # volume (at least the low-volume floor) there is a wash signal; a few dollars of volume
        # on a wide-spread book is thinness, which the depth and spread rules already report.
        if volume < rules.min_volume_24h_usd:
            return None
        reason = f"24h volume {fmt_usd(volume)} against no ±1% depth (volume/±1% depth > {limit})"
        return _Finding("wash_trading", float(rules.weight_wash), reason)
    ratio = volume / depth
    if ratio <= rules.max_volume_depth_ratio:
        return None
    reason = f"volume/±1% depth {fmt_ratio(ratio)} > {limit}"
    severity = _above(ratio, rules.max_volume_depth_ratio)
    return _Finding("wash_trading", rules.weight_wash * severity, reason)


def _other_findings(token: TokenLiquidity, rules: RiskRules) -> list[_Finding]:
    found: list[_Finding] = []
    cap = token.market_cap_usd
    if cap is not None and cap < rules.min_market_cap_usd:
        reason = f"market cap {fmt_usd(cap)} < {fmt_usd(rules.min_market_cap_usd)}"
        severity = _below(cap, rules.min_market_cap_usd)
        found.append(_Finding("small_market_cap", rules.weight_market_cap * severity, reason))
    wash = _wash_finding(token, rules)
    if wash is not None:
        found.append(wash)
    imbalance = token.home_imbalance_2pct
    if imbalance is not None and abs(imbalance) > rules.max_imbalance:
        heavy = "bid" if imbalance > 0 else "ask"
        reason = (
            f"one-sided book: ±2% imbalance {imbalance:+.2f} ({heavy}-heavy), "
            f"beyond ±{rules.max_imbalance:g}"
        )
        severity = _above(abs(imbalance), rules.max_imbalance)
        found.append(_Finding("one_sided", rules.weight_imbalance * severity, reason))
    share = token.home_share_depth
    elsewhere = any(venue != token.home_exchange for venue in token.venues)
    if elsewhere and share is not None and share < rules.min_home_share:
        reason = (
            f"home share of global ±2% depth {fmt_pct(share)} < {fmt_pct(rules.min_home_share)}"
        )
        severity = _below(share, rules.min_home_share)
        found.append(_Finding("low_home_share", rules.weight_home_share * severity, reason))
    return found


def _mm_finding(mm_status: MMStatus, rules: RiskRules) -> _Finding | None:
    # Only a known absence scores: ``unknown`` (too little history) is information, not a risk,
    # and ``claimed`` is not judged yet. The figures behind a breach are in `/mm`.
    if mm_status == "none":
        reason = "no market maker: none on record and no market-maker-like quoting observed"
    elif mm_status == "breached":
        reason = "market maker on record breached its obligations (see /mm)"
    else:
        return None
    return _Finding("no_mm", float(rules.weight_no_mm), reason)


def _tier(score: int, rules: RiskRules) -> Tier:
    if score >= rules.tier_high:
        return "high"
    if score >= rules.tier_medium:
        return "medium"
    return "low"


def assess_risk(token: TokenLiquidity, mm_status: MMStatus, rules: RiskRules) -> RiskAssessment:
    """Score a token's liquidity risk (0–100) with its tier and reasons; see the module docstring
    for the rules and the scoring formula."""
    home = home_markets(token)
    if home:
        truncated = any(market.depth_truncated for market in home)
        findings = _book_findings(token, rules, truncated)
    else:
        findings = _no_home_book(token, rules)
    findings += _other_findings(token, rules)
    mm = _mm_finding(mm_status, rules)
    if mm is not None:
        findings.append(mm)
    # A rule with weight 0 is switched off by the operator: it neither scores nor shows.
    findings = sorted((f for f in findings if f.points > 0), key=lambda f: -f.points)
    score = min(100, math.floor(sum(f.points for f in findings) + 0.5))
    return RiskAssessment(
        symbol=token.symbol,
        score=score,
        tier=_tier(score, rules),
        reasons=tuple(f.reason for f in findings),
        rules=tuple(f.rule for f in findings),
        mm_status=mm_status,
    )


class Rated(Protocol):
    """Anything that carries a token's risk: an assessment, a stored one, a report row."""

    @property
    def symbol(self) -> str: ...
    @property
    def score(self) -> int: ...
    @property
    def tier(self) -> str: ...


R = TypeVar("R", bound=Rated)


def is_at_risk(tier: str) -> bool:
    """Whether a token of risk tier ``tier`` is at risk: ``high`` or ``medium``."""
    return tier in AT_RISK_TIERS


def risk_rank(rated: Rated) -> tuple[int, str]:
    """The ranking key of every risk list: highest score (0–100) first, ties by symbol."""
    return (-rated.score, rated.symbol)


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
