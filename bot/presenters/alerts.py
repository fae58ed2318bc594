"""Liquidity alerts as Slack messages and as text (SPEC 6 "Alerts").

One snapshot's new alerts are one message: a row per token (block_id ``token_block_id``, a line
per alert) with the digest's outreach buttons, at most ``MAX_ROWS`` rows (the others are named
in the thread); the details go in its thread. A recovery is a reply in the thread of the message
that announced its alert.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.units import fmt_bps, fmt_pct, fmt_usd
from bot.domain.vocabulary import DEMO_BANNER
from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import (
    MESSAGE_BLOCK_LIMIT,
    Block,
    chunk_lines,
    clip,
    context,
    escape,
    section,
)
from bot.presenters.digest import SlackMessage
from bot.usecases.alerts import AlertBatch, AlertEpisodeRecord

MARKER_PREFIX = "liqbot_alerts:"
FIXED_BLOCKS = 3  # header, demo banner, footer
MAX_ROWS = (MESSAGE_BLOCK_LIMIT - FIXED_BLOCKS) // 2
THREAD_LINES_PER_MESSAGE = 20
LINE_LIMIT = 600
KIND_NAMES = {
    "depth_collapse": "±2% depth collapse",
    "one_sided": "one-sided book",
    "mm_obligations": "market maker off its obligations",
    "new_listing": "new listing",
}


def alert_marker(period: str) -> str:
    """block_id of the alert message's header: finds the slot's message in the channel."""
    return f"{MARKER_PREFIX}{period}"


def _sides(facts: Mapping[str, Any], home: str) -> str:
    sides = list(facts.get("sides") or [])
    if len(sides) == 2:
        return f"book empty: no bids and no asks on {home}"
    if sides == ["ask"]:
        return f"book one-sided: no asks on {home}, nobody can buy"
    return f"book one-sided: no bids on {home}, nobody can sell"


def _obligation_figures(facts: Mapping[str, Any]) -> str:
    """``spread 180 bps (max 100 bps), thinner ±2% side $3.1k (min $10k)``"""
    return (
        f"spread {fmt_bps(facts.get('spread_bps'))} (max {fmt_bps(facts.get('max_spread_bps'))}), "
        f"thinner ±2% side "
        f"{fmt_usd(facts.get('depth_usd'))} (min {fmt_usd(facts.get('min_depth_usd'))})"
    )


def alert_line(episode: AlertEpisodeRecord, batch: AlertBatch) -> str:
    """One alert in a few words: ``±2% depth collapsed to $695 (floor $50k, 7-day median
    $6.1k)``."""
    facts, home = episode.facts, batch.home_exchange
    if episode.kind == "depth_collapse":
        return (
            f"±2% depth collapsed to {fmt_usd(facts.get('depth_usd'))} (floor "
            f"{fmt_usd(facts.get('floor_usd'))}, 7-day median {fmt_usd(facts.get('median_usd'))})"
        )
    if episode.kind == "one_sided":
        return _sides(facts, home)
    if episode.kind == "mm_obligations":
        firm = facts.get("market_maker") or "verified market maker"
        return f"{firm} missed its obligations on the last {facts.get('missed')} snapshots"
    return f"newly listed on {home}"


def detail_line(episode: AlertEpisodeRecord, batch: AlertBatch) -> str:
    """One alert with its figures and when it is over, for the thread; an alert an earlier
    snapshot opened says since when."""
    line = _detail(episode, batch)
    if episode.opened_scan_id != batch.scan_id:
        line += (
            f" Open since the snapshot of {episode.opened_at:%Y-%m-%d %H:%M} UTC (not announced "
            "then: its post did not go out)."
        )
    return line


def _detail(episode: AlertEpisodeRecord, batch: AlertBatch) -> str:
    rules, facts = batch.rules, episode.facts
    over = f"over after {rules.recovery_snapshots} healthy snapshots in a row"
    name = f"{episode.symbol} · {KIND_NAMES[episode.kind]}"
    if episode.kind == "depth_collapse":
        depth, median = facts.get("depth_usd"), facts.get("median_usd") or 0.0
        share = f" ({fmt_pct(depth / median, 0)} of it)" if depth is not None and median else ""
        return (
            f"{name}: home ±2% depth (the smaller side) {fmt_usd(depth)} is below the floor "
            f"{fmt_usd(facts.get('floor_usd'))} and at most "
            f"{fmt_pct(rules.depth_median_ratio, 0)} of its 7-day median {fmt_usd(median)}"
            f"{share}; {over} (back at the floor or above "
            f"{fmt_usd(rules.depth_median_ratio * median)})."
        )
    if episode.kind == "one_sided":
        return f"{name}: {_sides(facts, batch.home_exchange)} on every home pair; {over}."
    if episode.kind == "mm_obligations":
        return (
            f"{name}: {facts.get('market_maker') or 'the market maker'} missed its obligations "
            f"on the last {facts.get('missed')} snapshots in a row; now "
            f"{_obligation_figures(facts)}; {over} (met again)."
        )
    return (
        f"{name}: first listed on {batch.home_exchange} since the previous snapshot "
        f"(/liquidity {episode.symbol} shows its book)."
    )


def recovery_line(episode: AlertEpisodeRecord, batch: AlertBatch) -> str:
    """``ZIBBKA recovered from ±2% depth collapse: ±2% depth $48k (2 healthy snapshots; alerted
    2026-11-25 12:00 UTC)``"""
    facts = episode.closing_facts or {}
    now = {
        "depth_collapse": f"±2% depth {fmt_usd(facts.get('depth_usd'))}",
        "one_sided": "both sides quote again",
        "mm_obligations": "no engagement running any more"
        if facts.get("ended")
        else "obligations met again",
    }.get(episode.kind, "")
    return (
        f"{episode.symbol} recovered from {KIND_NAMES[episode.kind]}: {now} "
        f"({batch.rules.recovery_snapshots} healthy snapshots; alerted "
        f"{episode.opened_at:%Y-%m-%d %H:%M} UTC)"
    )


def _title(batch: AlertBatch) -> str:
    count = len(batch.symbols)
    return f"Liquidity alerts · {count} token{'' if count == 1 else 's'}"


def _token_text(symbol: str, batch: AlertBatch) -> str:
    return f"{symbol} · " + "; ".join(alert_line(e, batch) for e in batch.alerts_of(symbol))


def alert_message(batch: AlertBatch, period: str) -> SlackMessage:
    """The one message of a snapshot's new alerts, with the outreach buttons on each token."""
    blocks: list[Block] = [
        {
            "type": "header",
            "block_id": alert_marker(period),
            "text": {"type": "plain_text", "text": f":rotating_light: {_title(batch)}"},
        }
    ]
    if batch.demo:
        blocks.append(section(f":warning: *{escape(DEMO_BANNER)}*"))
    shown = batch.symbols[:MAX_ROWS]
    for symbol in shown:
        lines = "\n".join(f"• {escape(alert_line(e, batch))}" for e in batch.alerts_of(symbol))
        blocks += [section(f"*{escape(symbol)}*\n{lines}", token_block_id(symbol))]
        blocks.append(outreach_buttons(symbol))
    more = len(batch.symbols) - len(shown)
    footer = f"Snapshot of {batch.taken_at:%Y-%m-%d %H:%M} UTC · details in the thread"
    footer += f" · {more} more tokens in the thread" if more else ""
    blocks.append(context(escape(footer)))
    fallback = [DEMO_BANNER] if batch.demo else []
    fallback += [_title(batch), *(_token_text(s, batch) for s in shown)]
    return SlackMessage(escape(clip("\n".join(fallback), 3900)), blocks)


def thread_messages(batch: AlertBatch) -> list[SlackMessage]:
    """The details of every new alert, ``THREAD_LINES_PER_MESSAGE`` per reply."""
    lines = [clip(detail_line(e, batch), LINE_LIMIT) for e in batch.opened]
    messages = []
    for start in range(0, len(lines), THREAD_LINES_PER_MESSAGE):
        chunk = lines[start : start + THREAD_LINES_PER_MESSAGE]
        blocks = [section(text) for text in chunk_lines(escape(line) for line in chunk)]
        messages.append(SlackMessage(escape("\n".join(chunk)), blocks))
    return messages


def recovery_message(episode: AlertEpisodeRecord, batch: AlertBatch) -> SlackMessage:
    """The thread reply saying an alert is over."""
    text = recovery_line(episode, batch)
    return SlackMessage(escape(text), [section(f":white_check_mark: {escape(text)}")])


def render_alerts_text(batch: AlertBatch) -> str:
    """The snapshot's alerts as plain text: the message, its thread, then the recoveries."""
    lines = [DEMO_BANNER] if batch.demo else []
    if batch.opened:
        lines += [
            f"{_title(batch)} · snapshot of {batch.taken_at:%Y-%m-%d %H:%M} UTC",
            *(f"  {_token_text(s, batch)}" for s in batch.symbols),
            "  in the thread:",
            *(f"    {detail_line(e, batch)}" for e in batch.opened),
        ]
    lines += [f"Recovered: {recovery_line(e, batch)}" for e in batch.recovered]
    return "\n".join(lines)
