"""The digest's changes since the previous digest and its watched tokens, as text.

``change_text`` is one row's change (``±2% depth -88% ($5.9k → $695), tier low → high``);
``watched_lines`` the watched tokens the rows do not show, one line each.
"""

from __future__ import annotations

from bot.domain.units import fmt_usd
from bot.usecases.digest_changes import TokenChange, WatchedRow

WATCHED_TITLE = "Watched"


def _pct(value: float) -> str:
    return f"{value:+,.0f}%"


def change_text(change: TokenChange | None, shown_as_new: bool = False) -> str | None:
    """A token's change since the previous digest, or None when there is nothing to compare
    with. ``shown_as_new``: the row says NEW already."""
    if change is None or not change.compared:
        return None
    if change.previous_tier is None:
        return "not in the previous digest"
    parts: list[str] = []
    if change.recovered:
        parts.append(f"recovered (was {change.previous_tier})")
    elif change.is_new and not shown_as_new:
        parts.append(f"new at risk (was {change.previous_tier})")
    elif change.tier_moved:
        parts.append(f"tier {change.previous_tier} → {change.tier}")
    pct = change.depth_change_pct
    if pct is not None:
        depths = f"{fmt_usd(change.previous_depth_2pct_usd)} → {fmt_usd(change.depth_2pct_usd)}"
        parts.append(f"±2% depth {_pct(pct)} ({depths})")
    return "since the previous digest: " + (", ".join(parts) or "no change")


def watched_line(row: WatchedRow) -> str:
    """``ZORB · low 12 · ±2% depth $120k · since the previous digest: ±2% depth +5% (…)``"""
    if row.tier is None:
        state = "not in the latest scan"
    elif row.score is None:
        state = f"{row.tier} (data issue)"
    else:
        state = f"{row.tier} {row.score}"
    parts = [row.symbol, state]
    if row.snoozed:
        parts.append("snoozed")
    if row.tier is not None:
        parts.append(f"±2% depth {fmt_usd(row.home_depth_2pct_usd)}")
    change = change_text(row.change)
    if change:
        parts.append(change)
    return " · ".join(parts)


def watched_lines(rows: tuple[WatchedRow, ...]) -> list[str]:
    """The watched tokens not among the rows, under a title; empty when there are none."""
    if not rows:
        return []
    return [f"{WATCHED_TITLE} ({len(rows)}):", *(watched_line(r) for r in rows)]
