"""`/liquidity TOKEN` as plain text (`liqbot ask`), and the lines its Block Kit answer reuses.

Figures: spread in bps, depths and volumes in USD (SPEC 4.1/4.2), slippage in bps for a buy / a
sell of 10k and 50k USD ("–" when the book cannot fill the order), contribution scenarios in % of
circulating supply, token amount and USD at the home mid.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.domain.calendar import team_time
from bot.domain.contribution import Contribution
from bot.domain.models import MarketMetrics
from bot.domain.units import fmt_amount, fmt_bps, fmt_pct, fmt_price, fmt_ratio, fmt_usd
from bot.presenters.blocks_common import clip
from bot.usecases.token import TokenView

MM_WORDS: dict[str, str] = {
    "verified": "verified (engagement on record, obligations kept)",
    "claimed": "claimed (engagement on record, not judged yet)",
    "breached": "breached (engagement on record, obligations not kept)",
    "observed": "market-maker-like liquidity observed",
    "none": "none",
    "unknown": "unknown",
}
SLIPPAGE_SIZES_SHOWN = (10_000, 50_000)
EXCLUDED_MARK = "*"


def _bps(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if abs(value) < 100 else f"{value:,.0f}"


def _slippage(market: MarketMetrics, size: int) -> str:
    buy = market.slippage_bps.get("buy", {}).get(size)
    sell = market.slippage_bps.get("sell", {}).get(size)
    return f"{_bps(buy)}/{_bps(sell)}"


def _depth(value: float | None, truncated: bool) -> str:
    """USD depth; "≥" marks a lower bound (the fetched book ended inside the band)."""
    return ("≥" if truncated and value is not None else "") + fmt_usd(value)


def risk_line(view: TokenView) -> str:
    """``tier high, score 72/100``; an unrated token and one the home exchange does not list
    say so instead."""
    if view.risk is None:
        return f"not assessed: not listed on {view.liquidity.home_exchange}"
    if view.risk.score is None:
        return "unrated: data issue, no usable home book"
    return f"tier {view.risk.tier}, score {view.risk.score}/100"


def risk_reasons(view: TokenView) -> list[str]:
    if view.risk is None:
        return [f"{view.liquidity.home_exchange} does not list {view.symbol}: other venues below"]
    return list(view.risk.reasons) or ["no risk rule fired"]


def title(view: TokenView) -> str:
    """``DRAXOKA (Draxoka Chain) · tier high, score 72/100``"""
    name = f" ({view.name})" if view.name else ""
    return f"{view.symbol}{name} · {risk_line(view)}"


def venue_table(view: TokenView) -> list[str]:
    """The per-venue rows as fixed-width lines, header first; excluded markets marked ``*``."""
    excluded = {(e.exchange, e.symbol) for e in view.liquidity.excluded}
    head = ["venue", "pair", "spread bps", "bid -2%", "ask +2%"]
    head += [f"slip {size // 1000}k b/s" for size in SLIPPAGE_SIZES_SHOWN] + ["24h vol"]
    rows: list[list[str]] = []
    errors: list[str] = []
    for m in view.markets:
        pair = m.symbol + (EXCLUDED_MARK if (m.exchange, m.symbol) in excluded else "")
        if not m.ok:
            errors.append(f"{m.exchange} {pair}: error: {clip(m.error or 'unknown', 80)}")
            continue
        rows.append(
            [
                m.exchange,
                pair,
                _bps(m.spread_bps),
                _depth(m.depth_bid_2pct_usd, m.depth_truncated),
                _depth(m.depth_ask_2pct_usd, m.depth_truncated),
                *(_slippage(m, size) for size in SLIPPAGE_SIZES_SHOWN),
                fmt_usd(m.volume_24h_usd),
            ]
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in [head, *rows]
    ]
    return lines + errors


def trend_value(view: TokenView) -> str:
    """The home book's ±2% depth over the stored history: first day → last day, with the change."""
    points = [p for p in view.trend if p.depth_2pct_usd is not None]
    if not points:
        return "not enough history yet"
    if len(points) == 1:
        return f"one day so far ({fmt_usd(points[0].depth_2pct_usd)})"
    first, last = points[0], points[-1]
    change = ""
    if first.depth_2pct_usd:
        change = f" ({(last.depth_2pct_usd or 0) / first.depth_2pct_usd - 1:+.0%})"
    return (
        f"{first.day:%b %d} {fmt_usd(first.depth_2pct_usd)} → "
        f"{last.day:%b %d} {fmt_usd(last.depth_2pct_usd)}{change}, {len(points)} days"
    )


def aggregate_pairs(view: TokenView) -> list[tuple[str, str]]:
    """Home vs global aggregates as (label, value) pairs."""
    liq = view.liquidity
    truncated = liq.depth_truncated
    supply = (
        f" · {fmt_amount(view.circulating_supply)} circulating" if view.circulating_supply else ""
    )
    return [
        (
            f"Home ±2% depth ({liq.home_exchange})",
            f"{_depth(liq.home_depth_2pct_usd, truncated)} (bid "
            f"{_depth(liq.home_depth_bid_2pct_usd, truncated)} / ask "
            f"{_depth(liq.home_depth_ask_2pct_usd, truncated)})",
        ),
        (
            "Global ±2% depth",
            f"{_depth(liq.global_depth_2pct_usd, truncated)} (bid "
            f"{_depth(liq.global_depth_bid_2pct_usd, truncated)} / ask "
            f"{_depth(liq.global_depth_ask_2pct_usd, truncated)})",
        ),
        (
            "24h volume",
            f"home {fmt_usd(liq.home_volume_24h_usd)} · "
            f"global {fmt_usd(liq.global_volume_24h_usd)}",
        ),
        (
            "Home share",
            f"{fmt_pct(liq.home_share_depth)} of ±2% depth · "
            f"{fmt_pct(liq.home_share_volume)} of volume",
        ),
        ("Best home spread", fmt_bps(liq.home_spread_bps)),
        ("Home mid", fmt_price(liq.home_mid_usd)),
        ("Market cap", f"{fmt_usd(view.market_cap_usd)}{supply}"),
        ("Venues", ", ".join(liq.venues) or "none"),
        ("Home ±2% depth trend (daily average, UTC days)", trend_value(view)),
    ]


def mm_line(view: TokenView) -> str:
    return f"{MM_WORDS.get(view.mm_status, view.mm_status)} — {view.mm_summary}"


def scenario_lines(
    symbol: str, scenarios: Sequence[Contribution] | None, depth_2pct_usd: float | None
) -> list[str]:
    """What each pledge scenario (% of circulating supply) is worth next to the home ±2% depth
    (USD); shared by `/liquidity` and the "will contribute" modal."""
    if not scenarios:
        return [
            "Circulating supply unknown: import it (liqbot supply import) to see what 1–5% of "
            "supply is worth."
        ]
    depth = fmt_usd(depth_2pct_usd)
    lines = []
    for c in scenarios:
        value = f"≈ {fmt_usd(c.usd)}" if c.usd is not None else "(no home price)"
        compare = (
            f" = {fmt_ratio(c.depth_multiple)} today's home ±2% depth ({depth})"
            if c.depth_multiple is not None
            else ""
        )
        lines.append(
            f"{c.pct_of_supply:g}% of supply = {fmt_amount(c.tokens)} {symbol} {value}{compare}"
        )
    return lines


def contribution_lines(view: TokenView) -> list[str]:
    """What 1%, 3% and 5% of circulating supply are worth next to today's home ±2% depth."""
    return scenario_lines(view.symbol, view.contributions, view.liquidity.home_depth_2pct_usd)


def excluded_lines(view: TokenView) -> list[str]:
    return [f"{e.exchange} {e.symbol}: {e.reason}" for e in view.liquidity.excluded]


def unavailable_lines(view: TokenView) -> list[str]:
    """Each venue not read live: why, and when its rows shown instead were taken."""
    lines = []
    for venue in view.unavailable:
        line = f"{venue.exchange}: {clip(venue.reason, 200)}"
        if venue.snapshot_at is not None:
            age = _age(view.as_of - venue.snapshot_at)
            taken = team_time(venue.snapshot_at, view.timezone)
            line += f"; its rows are from the snapshot of {taken} ({age} old)"
        lines.append(line)
    return lines


def _age(elapsed: timedelta) -> str:
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    return f"{hours} h" if hours < 48 else f"{hours // 24} days"


def as_of_line(view: TokenView) -> str:
    how = "from the latest snapshot" if view.from_snapshot else "fetched live"
    only = f" · venue rows: {view.exchange_filter} only" if view.exchange_filter else ""
    return f"As of {team_time(view.as_of, view.timezone)}, {how} · source {view.source}{only}"


def liquidity_summary(view: TokenView) -> str:
    """One line: the notification text of the Slack answer."""
    liq = view.liquidity
    return (
        f"{view.symbol}: {risk_line(view)}, ±2% depth "
        f"{fmt_usd(liq.home_depth_2pct_usd)} on {liq.home_exchange}, "
        f"{fmt_usd(liq.global_depth_2pct_usd)} global, market maker {view.mm_status}"
    )


def liquidity_text(view: TokenView) -> str:
    """The whole answer as plain text for a terminal."""
    lines = [title(view)]
    lines += [f"  - {reason}" for reason in risk_reasons(view)]
    lines += [f"Market maker: {mm_line(view)}", f"Outreach: {view.outreach.text}", ""]
    lines += [f"{label}: {value}" for label, value in aggregate_pairs(view)]
    lines += ["", *venue_table(view), ""]
    lines += ["Contribution to the savings pools:", *(f"  {x}" for x in contribution_lines(view))]
    if view.liquidity.excluded:
        lines += [
            f"Left out of aggregates ({EXCLUDED_MARK}):",
            *(f"  {x}" for x in excluded_lines(view)),
        ]
    if view.unavailable:
        lines += ["Unavailable now:", *(f"  {x}" for x in unavailable_lines(view))]
    lines.append(as_of_line(view))
    return "\n".join(lines)
