"""The daily digest as Slack messages (Block Kit + text fallback), as a CSV, and as plain text.

Within Slack's limits at any list size: the main message holds at most ``MAX_MAIN_ROWS`` token
rows (a section + the outreach buttons each, 50 blocks in all); the other rows go in the thread,
``THREAD_ROWS_PER_MESSAGE`` per message, or, beyond ``CSV_AFTER_ROWS``, as one CSV file of the
whole list. Every section text stays under 3,000 characters, every message has a text fallback.
Each row is a section with block_id ``token_block_id(symbol)`` followed by
``outreach_buttons(symbol)``, so a modal submission can annotate the row in place.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from bot.domain.calendar import team_time
from bot.domain.units import fmt_bps, fmt_usd
from bot.domain.vocabulary import DEMO_BANNER
from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import (
    MESSAGE_BLOCK_LIMIT,
    chunk_lines,
    clip,
    context,
    escape,
    section,
    tier_icon,
)
from bot.presenters.digest_changes import change_text, watched_lines
from bot.usecases.digest import Digest, DigestRow
from bot.usecases.digest_changes import TokenChange

FIXED_BLOCKS = 6  # header, demo banner, counts, venues not scanned, divider, footer
MAX_MAIN_ROWS = (MESSAGE_BLOCK_LIMIT - FIXED_BLOCKS) // 2
THREAD_ROWS_PER_MESSAGE = 20
CSV_AFTER_ROWS = 60
LINE_LIMIT = 400  # one thread line; 20 lines stay far below a message's 40,000 characters
MARKER_PREFIX = "liqbot_digest:"
MM_LABEL = {"observed": "market-maker-like liquidity"}
CSV_COLUMNS = (
    "rank",
    "symbol",
    "tier",
    "score",
    "home_depth_2pct_usd",
    "home_spread_bps",
    "home_volume_24h_usd",
    "market_cap_usd",
    "mm_status",
    "outreach",
    "new_today",
    "reasons",
    "previous_tier",
    "previous_home_depth_2pct_usd",
    "depth_change_pct",
)
"""The change columns are against the previous digest (empty when there is none to compare with,
or the token was not assessed then)."""


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[dict[str, Any]]


def marker_block_id(day: str) -> str:
    """block_id of the digest header: finds the day's digest in the channel history."""
    return f"{MARKER_PREFIX}{day}"


def _depth(row: DigestRow) -> str:
    return ("≥" if row.depth_truncated else "") + fmt_usd(row.home_depth_2pct_usd)


def _mm(row: DigestRow) -> str:
    return MM_LABEL.get(row.mm_status, row.mm_status)


def figures_line(row: DigestRow) -> str:
    """``±2% depth $4.3k · spread 180 bps · 24h vol $12k · mkt cap $3.1M · MM none``"""
    return (
        f"±2% depth {_depth(row)} · spread {fmt_bps(row.home_spread_bps)} · "
        f"24h vol {fmt_usd(row.home_volume_24h_usd)} · mkt cap {fmt_usd(row.market_cap_usd)} · "
        f"MM {_mm(row)}"
    )


def _change(row: DigestRow) -> str | None:
    return change_text(row.change, shown_as_new=row.new_today)


def row_line(row: DigestRow) -> str:
    """One row on one line (thread, text fallback), plain text."""
    new = " · NEW" if row.new_today else ""
    watched = " · watched" if row.watched else ""
    change = _change(row)
    reasons = "; ".join(row.reasons) or "no reason recorded"
    return clip(
        f"{row.rank}. {row.symbol} · {row.tier} {row.score}{new}{watched} · {figures_line(row)}"
        + (f" · {change}" if change else "")
        + f" · outreach: {row.outreach} — {reasons}",
        LINE_LIMIT,
    )


def rowsection(row: DigestRow) -> dict[str, Any]:
    """A token's row in the main message (mrkdwn, under 3,000 characters)."""
    new = " · :new: new today" if row.new_today else ""
    watched = " · :eyes: watched" if row.watched else ""
    icon = tier_icon(row.tier)
    reasons = escape("; ".join(row.reasons)) or "no reason recorded"
    change = _change(row)
    text = (
        f"*{row.rank}. {escape(row.symbol)}* · {icon} {row.tier} · score {row.score}{new}"
        f"{watched}\n{escape(figures_line(row))}\n"
        + (f"{escape(change[0].upper() + change[1:])}\n" if change else "")
        + f"_{reasons}_\nOutreach: {escape(row.outreach)}"
    )
    return section(text, token_block_id(row.symbol))


def _names(symbols: tuple[str, ...], limit: int = 10) -> str:
    shown = ", ".join(symbols[:limit])
    return shown + (f" and {len(symbols) - limit} more" if len(symbols) > limit else "")


def counts_lines(digest: Digest) -> list[str]:
    """The counts as plain lines: scanned, at risk by tier, new today, recovered, snoozed, data
    issues."""
    risk = digest.at_risk
    as_of = f" (scan of {team_time(digest.as_of, digest.timezone)})" if digest.as_of else ""
    lines = [
        f"{digest.markets_scanned} markets scanned ({digest.markets_ok} ok), "
        f"{digest.tokens_assessed} tokens assessed{as_of}",
        f"{digest.at_risk_total} tokens at risk: "
        + ", ".join(f"{risk[tier]} {tier}" for tier in risk),
    ]
    if digest.compared_with is None:
        lines.append("No scan from before today to compare with yet.")
    else:
        lines.append(
            f"{len(digest.new_today)} new today, "
            f"{len(digest.recovered)} recovered since the previous digest"
            + (f" ({_names(digest.recovered)})" if digest.recovered else "")
        )
    if digest.snoozed:
        lines.append(f"{len(digest.snoozed)} snoozed, not listed: {_names(digest.snoozed)}")
    if digest.data_issues:
        count = len(digest.data_issues)
        lines.append(
            f"{count} data issue{'' if count == 1 else 's'}, not rated (no usable home book): "
            f"{_names(digest.data_issues)}"
        )
    return lines


def venue_lines(digest: Digest) -> list[str]:
    return [f"NOT SCANNED: {v.exchange} ({clip(v.error, 200)})" for v in digest.venues_not_scanned]


def status_line(digest: Digest) -> str | None:
    """All clear, nothing assessed, or None when there are rows to show."""
    if digest.tokens_assessed == 0:
        return "No token could be assessed: no market data. Check the venues below and the logs."
    if digest.all_clear:
        return "All clear: no token at risk today."
    if not digest.rows:
        return "Every at-risk token is snoozed."
    return None


def split_rows(digest: Digest) -> tuple[tuple[DigestRow, ...], tuple[DigestRow, ...]]:
    """(rows in the main message, rows for the thread). The watched tokens' section takes the
    room of one row."""
    limit = MAX_MAIN_ROWS - (1 if digest.watched else 0)
    return digest.top[:limit], (*digest.top[limit:], *digest.rest)


def watched_block(digest: Digest) -> dict[str, Any] | None:
    """The watched tokens the rows do not show, one section (its end cut when very long)."""
    lines = watched_lines(digest.watched)
    if not lines:
        return None
    first, *rest = chunk_lines([f"*{escape(lines[0])}*", *(escape(x) for x in lines[1:])], 2900)
    more = sum(text.count("\n") + 1 for text in rest)
    return section(first + (f"\n… and {more} more watched tokens" if more else ""))


def uses_csv(digest: Digest) -> bool:
    return len(split_rows(digest)[1]) > CSV_AFTER_ROWS


def _footer(digest: Digest, thread: int) -> str | None:
    if not thread:
        return None
    where = "in the attached CSV" if uses_csv(digest) else "in the thread"
    return f"{thread} more at-risk tokens {where}."


def digest_message(digest: Digest) -> SlackMessage:
    """The main digest message: counts, the top rows with their buttons, a pointer to the rest."""
    main, thread = split_rows(digest)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "block_id": marker_block_id(digest.day),
            "text": {"type": "plain_text", "text": f"Liquidity digest · {digest.day}"},
        }
    ]
    if digest.demo:
        blocks.append(section(f":warning: *{escape(DEMO_BANNER)}*"))
    blocks.append(section("\n".join(escape(line) for line in counts_lines(digest))))
    venues = venue_lines(digest)
    if venues:
        blocks.append(section(":warning: " + escape("\n".join(venues))))
    blocks.append({"type": "divider"})
    status = status_line(digest)
    if status is not None:
        blocks.append(section(escape(status)))
    for row in main:
        blocks += [rowsection(row), outreach_buttons(row.symbol)]
    watched = watched_block(digest)
    if watched is not None:
        blocks.append(watched)
    footer = _footer(digest, len(thread))
    if footer:
        blocks.append(context(footer))
    return SlackMessage(escape(fallback_text(digest)), blocks)


def fallback_text(digest: Digest) -> str:
    """The main message as plain lines (notifications, screen readers, clients without blocks)."""
    main, thread = split_rows(digest)
    lines = [f"Liquidity digest {digest.day}"]
    if digest.demo:
        lines.insert(0, DEMO_BANNER)
    lines += counts_lines(digest) + venue_lines(digest)
    status = status_line(digest)
    if status is not None:
        lines.append(status)
    lines += [row_line(row) for row in main]
    lines += watched_lines(digest.watched)
    footer = _footer(digest, len(thread))
    return "\n".join([*lines, footer] if footer else lines)


def thread_messages(digest: Digest) -> list[SlackMessage]:
    """The rows after the main message, ``THREAD_ROWS_PER_MESSAGE`` per reply (empty when the
    rest goes out as a CSV file)."""
    _, rest = split_rows(digest)
    if not rest or uses_csv(digest):
        return []
    messages = []
    for start in range(0, len(rest), THREAD_ROWS_PER_MESSAGE):
        chunk = rest[start : start + THREAD_ROWS_PER_MESSAGE]
        title = f"At-risk tokens {chunk[0].rank}–{chunk[-1].rank}"
        lines = [row_line(row) for row in chunk]
        blocks = [section(text) for text in chunk_lines(escape(x) for x in lines)]
        text = escape("\n".join([title, *lines]))
        messages.append(SlackMessage(text, [section(f"*{title}*"), *blocks]))
    return messages


def digest_csv(digest: Digest) -> str:
    """Every listed at-risk token as CSV (USD, bps; reasons joined with "; "; the change since
    the previous digest in %)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in digest.rows:
        writer.writerow(
            [
                r.rank,
                r.symbol,
                r.tier,
                r.score,
                _num(r.home_depth_2pct_usd),
                _num(r.home_spread_bps),
                _num(r.home_volume_24h_usd),
                _num(r.market_cap_usd),
                r.mm_status,
                r.outreach,
                "yes" if r.new_today else "no",
                "; ".join(r.reasons),
                *_change_cells(r.change),
            ]
        )
    return buffer.getvalue()


def _change_cells(change: TokenChange | None) -> tuple[str, str, str]:
    if change is None or not change.compared:
        return "", "", ""
    pct = change.depth_change_pct
    return (
        change.previous_tier or "",
        _num(change.previous_depth_2pct_usd),
        "" if pct is None else f"{pct:.1f}",
    )


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"


def render_digest_text(digest: Digest) -> str:
    """The digest as it would be posted, as plain text (`liqbot digest --dry-run`, `make demo`):
    the main message, then what goes in the thread (or the CSV)."""
    main, rest = split_rows(digest)
    lines = [DEMO_BANNER] if digest.demo else []
    lines += [f"Liquidity digest · {digest.day}", *counts_lines(digest), *venue_lines(digest)]
    status = status_line(digest)
    if status is not None:
        lines.append(status)
    for row in main:
        new = "  NEW" if row.new_today else ""
        watched = "  watched" if row.watched else ""
        change = _change(row)
        lines += [
            "",
            f"{row.rank}. {row.symbol}  {row.tier} {row.score}{new}{watched}",
            f"   {figures_line(row)}",
            *([f"   {change}"] if change else []),
            f"   reasons: {'; '.join(row.reasons) or 'none recorded'}",
            f"   outreach: {row.outreach}",
        ]
    if digest.watched:
        lines += ["", *watched_lines(digest.watched)]
    if rest:
        where = "CSV file in the thread" if uses_csv(digest) else "thread"
        lines += ["", f"In the {where}: {len(rest)} more at-risk tokens"]
        lines += [row_line(row) for row in rest]
    return "\n".join(lines)
