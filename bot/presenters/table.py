"""Terminal presenters (rich) for the scan: the summary line per venue and the at-risk table."""

from __future__ import annotations

from rich.table import Table

from bot.domain.units import fmt_bps, fmt_usd
from bot.presenters.blocks_common import clip
from bot.usecases.scan import ScanResult, TokenReport

NOT_ASSESSED_SHOWN = 10


def exchange_lines(result: ScanResult) -> list[str]:
    lines = []
    for s in result.exchanges:
        line = (
            f"{s.exchange}: {s.markets} markets, {s.ok} ok, {s.errors} errors, "
            f"{s.requests} requests"
        )
        if s.error:
            line += f" — NOT SCANNED: {s.error}"
        lines.append(line)
    return lines


def at_risk_table(tokens: list[TokenReport] | tuple[TokenReport, ...], title: str) -> Table:
    """Ranked at-risk tokens with the figures a risk analyst reads first."""
    table = Table(title=title, title_justify="left", show_lines=False)
    for name, justify in (
        ("#", "right"),
        ("token", "left"),
        ("tier", "left"),
        ("score", "right"),
        ("±2% depth (home)", "right"),
        ("spread", "right"),
        ("24h vol (home)", "right"),
        ("mkt cap", "right"),
        ("MM", "left"),
        ("reasons", "left"),
    ):
        table.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=name != "reasons",
            overflow="fold",
        )
    for rank, t in enumerate(tokens, start=1):
        liq, risk = t.liquidity, t.risk
        depth = fmt_usd(liq.home_depth_2pct_usd)
        if liq.depth_truncated:
            depth = "≥" + depth
        table.add_row(
            str(rank),
            liq.symbol,
            risk.tier,
            str(risk.score),
            depth,
            fmt_bps(liq.home_spread_bps) if liq.home_spread_bps is not None else "n/a",
            fmt_usd(liq.home_volume_24h_usd),
            fmt_usd(liq.market_cap_usd),
            risk.mm_status,
            "; ".join(risk.reasons[:2])
            + (f" (+{len(risk.reasons) - 2})" if len(risk.reasons) > 2 else ""),
        )
    return table


def apart_lines(result: ScanResult) -> list[str]:
    """What the at-risk table leaves out, said apart: the unrated tokens (data issues, each with
    its first reason) and the tokens not listed on the home exchange (not assessed)."""
    lines = []
    if result.data_issues:
        lines.append(f"Data issues, not rated (no usable home book): {len(result.data_issues)}")
        for t in result.data_issues:
            reason = t.risk.reasons[0] if t.risk.reasons else "no reason recorded"
            lines.append(f"  {t.symbol}: {clip(reason, 160)}")
    if result.not_assessed:
        names = ", ".join(result.not_assessed[:NOT_ASSESSED_SHOWN])
        more = len(result.not_assessed) - NOT_ASSESSED_SHOWN
        names += f" and {more} more" if more > 0 else ""
        lines.append(
            f"Not listed on the home exchange, not assessed: {len(result.not_assessed)} ({names})"
        )
    return lines
