"""Use cases reading the outreach and reply log: each token's outreach state, `/outreach TOKEN`'s
timeline with the home ±2% depth before and after each reply, and the export
(`liqbot outreach export`).

The state of a token's case (``OutreachState``) is derived from its records by
``bot.domain.outreach.case_state``: ``not_contacted``, ``contacted``, ``has_mm``,
``will_contribute``, ``declined`` or ``snoozed``, with a running snooze reported beside any state.

Before/after a reply: "before" is the latest home sample (see ``bot.db.repo_quoting``) in the
7 days before the reply; "after" is the latest sample up to 7 days after it, so once a week has
passed the comparison stays fixed, and until then it is the latest sample so far.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_outreach, repo_quoting
from bot.db.repo_quoting import HomeBookSample
from bot.domain.outreach import (
    OutreachRecord,
    OutreachState,
    PledgeRecord,
    ReplyRecord,
    case_state,
)
from bot.usecases.args import parse_symbol
from bot.usecases.outreach.replies import reply_description
from bot.usecases.services import Services

__all__ = [
    "EXPORT_COLUMNS",
    "DepthCheck",
    "OutreachState",
    "OutreachTimeline",
    "TimelineEntry",
    "depth_check",
    "export_outreach",
    "outreach_state",
    "outreach_timeline",
]

DEPTH_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class DepthCheck:
    """The home ±2% depth (smaller side, USD) before and after a reply, with when each sample
    was taken; ``change`` = after / before − 1 (None when either is unknown or before is 0)."""

    before_usd: float | None
    before_at: datetime | None
    after_usd: float | None
    after_at: datetime | None

    @property
    def change(self) -> float | None:
        if self.before_usd is None or self.after_usd is None or self.before_usd <= 0:
            return None
        return self.after_usd / self.before_usd - 1


@dataclass(frozen=True)
class TimelineEntry:
    """One outreach or reply: ``kind`` is ``outreach`` or the reply kind (has_mm,
    will_contribute, declined, snooze); ``summary`` says what in one line; ``details`` the
    stored values; ``depth`` only for replies, ``pledge`` only for a contribution."""

    kind: str
    record_id: int
    at: datetime
    by: str
    summary: str
    details: dict[str, Any]
    depth: DepthCheck | None = None
    pledge: PledgeRecord | None = None


@dataclass(frozen=True)
class OutreachTimeline:
    """`/outreach TOKEN`: every outreach and reply, oldest first, and the current state."""

    symbol: str
    as_of: datetime
    home_exchange: str
    entries: tuple[TimelineEntry, ...]
    state: OutreachState


def _by_symbol(records: Iterable[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for record in records:
        grouped.setdefault(record.symbol, []).append(record)
    return grouped


async def states_in(
    session: AsyncSession, symbols: Iterable[str], now: datetime
) -> dict[str, OutreachState]:
    """The outreach state of each token in ``symbols``, read in the caller's transaction
    (three queries for all of them)."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    outreach = _by_symbol(await repo_outreach.outreach_log(session, wanted))
    replies = _by_symbol(await repo_outreach.replies(session, wanted))
    snoozes = _by_symbol(await repo_outreach.snoozes(session, wanted))
    return {
        symbol: case_state(
            symbol,
            outreach.get(symbol, []),
            replies.get(symbol, []),
            snoozes.get(symbol, []),
            now,
        )
        for symbol in wanted
    }


async def outreach_state(
    services: Services, symbols: Iterable[str], now: datetime | None = None
) -> dict[str, OutreachState]:
    """The outreach state of each token in ``symbols`` (one read transaction)."""
    wanted = set(symbols)
    if not wanted:
        return {}
    async with services.session() as session:
        return await states_in(session, wanted, now or services.clock())


def depth_check(samples: Sequence[HomeBookSample], at: datetime, now: datetime) -> DepthCheck:
    """Home ±2% depth before and after the moment ``at`` (samples oldest first)."""
    before = [s for s in samples if at - DEPTH_WINDOW <= s.taken_at < at]
    horizon = min(now, at + DEPTH_WINDOW)
    after = [s for s in samples if at < s.taken_at <= horizon]
    first = before[-1] if before else None
    last = after[-1] if after else None
    return DepthCheck(
        before_usd=first.depth_2pct_usd if first else None,
        before_at=first.taken_at if first else None,
        after_usd=last.depth_2pct_usd if last else None,
        after_at=last.taken_at if last else None,
    )


async def outreach_timeline(services: Services, symbol: str) -> OutreachTimeline:
    """`/outreach TOKEN`: outreach and replies in time order with who and when, each reply with
    the home ±2% depth before and after it, and the token's outreach state."""
    symbol = parse_symbol(symbol)
    now = services.clock()
    home = services.settings.home_exchange
    async with services.session() as session:
        outreach = await repo_outreach.outreach_log(session, [symbol])
        replies = await repo_outreach.replies(session, [symbol])
        snoozes = await repo_outreach.snoozes(session, [symbol])
        pledges = {
            p.reply_id: p for p in await repo_outreach.pledges(session, [r.id for r in replies])
        }
        samples: list[HomeBookSample] = []
        if replies:
            since = replies[0].logged_at - DEPTH_WINDOW
            found = await repo_quoting.home_book_samples(session, home, [symbol], since, now)
            samples = found.get(symbol, [])
    entries = [
        TimelineEntry(
            kind="outreach",
            record_id=o.id,
            at=o.logged_at,
            by=o.logged_by,
            summary=f"Outreach by {o.channel}" + (f" to {o.contact}" if o.contact else ""),
            details={
                "channel": o.channel,
                "contact": o.contact,
                "notes": o.notes,
                "followup_on": o.followup_on.isoformat() if o.followup_on else None,
            },
        )
        for o in outreach
    ]
    entries += [
        TimelineEntry(
            kind=r.kind,
            record_id=r.id,
            at=r.logged_at,
            by=r.logged_by,
            summary=reply_description(r, pledges.get(r.id)),
            details=dict(r.details),
            depth=depth_check(samples, r.logged_at, now),
            pledge=pledges.get(r.id),
        )
        for r in replies
    ]
    # Outreach before replies logged at the same moment: the reply answers it.
    entries.sort(key=lambda e: (e.at, e.kind != "outreach", e.record_id))
    return OutreachTimeline(
        symbol=symbol,
        as_of=now,
        home_exchange=home,
        entries=tuple(entries),
        state=case_state(symbol, outreach, replies, snoozes, now),
    )


EXPORT_COLUMNS: tuple[str, ...] = (
    "record",
    "id",
    "symbol",
    "logged_at",
    "logged_by",
    "kind",
    "outreach_id",
    "channel",
    "contact",
    "notes",
    "followup_on",
    "reminded_at",
    "mm_name",
    "mm_since",
    "mm_until",
    "max_spread_bps",
    "min_depth_usd",
    "pct_of_supply",
    "tokens",
    "usd_value",
    "price_usd",
    "depth_2pct_usd",
    "reason",
    "no_market_maker",
    "snooze_days",
    "snoozed_until",
)
"""Column order of `liqbot outreach export` (CSV header, JSON keys): fixed, new ones go last."""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _outreach_row(o: OutreachRecord) -> dict[str, Any]:
    return {
        "record": "outreach",
        "id": o.id,
        "symbol": o.symbol,
        "logged_at": _iso(o.logged_at),
        "logged_by": o.logged_by,
        "kind": "outreach",
        "channel": o.channel,
        "contact": o.contact,
        "notes": o.notes,
        "followup_on": o.followup_on.isoformat() if o.followup_on else None,
        "reminded_at": _iso(o.reminded_at),
    }


def _reply_row(r: ReplyRecord, pledge: PledgeRecord | None) -> dict[str, Any]:
    d = r.details
    row: dict[str, Any] = {
        "record": "reply",
        "id": r.id,
        "symbol": r.symbol,
        "logged_at": _iso(r.logged_at),
        "logged_by": r.logged_by,
        "kind": r.kind,
        "outreach_id": r.outreach_id,
        "mm_name": d.get("mm_name"),
        "mm_since": d.get("since") if r.kind == "has_mm" else None,
        "mm_until": d.get("until") if r.kind == "has_mm" else None,
        "max_spread_bps": d.get("max_spread_bps"),
        "min_depth_usd": d.get("min_depth_usd"),
        "pct_of_supply": d.get("pct_of_supply"),
        "reason": d.get("reason"),
        "no_market_maker": d.get("no_market_maker"),
        "snooze_days": d.get("days"),
        "snoozed_until": d.get("until") if r.kind == "snooze" else None,
    }
    if pledge is not None:
        row.update(
            tokens=pledge.tokens,
            usd_value=pledge.usd_value,
            price_usd=pledge.price_usd,
            depth_2pct_usd=pledge.depth_2pct_usd,
        )
    return row


async def export_outreach(services: Services) -> list[dict[str, Any]]:
    """Every outreach and reply, oldest first, flattened to ``EXPORT_COLUMNS`` (every row has
    every column; None where it does not apply). Timestamps ISO 8601 UTC, dates YYYY-MM-DD."""
    async with services.session() as session:
        outreach = await repo_outreach.outreach_log(session)
        replies = await repo_outreach.replies(session)
        pledges = {p.reply_id: p for p in await repo_outreach.pledges(session)}
    rows = [(o.logged_at, 0, o.id, _outreach_row(o)) for o in outreach]
    rows += [(r.logged_at, 1, r.id, _reply_row(r, pledges.get(r.id))) for r in replies]
    rows.sort(key=lambda item: item[:3])
    return [{column: row.get(column) for column in EXPORT_COLUMNS} for *_, row in rows]
