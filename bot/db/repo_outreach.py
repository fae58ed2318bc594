"""The outreach and reply log: outreach, replies, market-maker engagements, pledges, snoozes.

Writes are inserts only (SPEC 8: a correction is a new row). ``insert_outreach`` and
``insert_reply`` are idempotent on their ``idempotency_key``: ``INSERT … ON CONFLICT DO NOTHING``
on both SQLite and PostgreSQL, so a double click or a retried Slack submission stores one row and
the second writer learns it lost (``None``) without an aborted transaction. Under PostgreSQL the
loser's insert waits for the winner's commit and then does nothing; under SQLite writers queue on
the database lock. The caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, insert, select, update
from sqlalchemy.engine import RowMapping

from bot.db.dialect import Executor, upsert_insert
from bot.db.models import ContributionPledge, MarketMakerEngagement, Outreach, Reply
from bot.db.tables import SNOOZES
from bot.domain.outreach import (
    EngagementRecord,
    OutreachRecord,
    PledgeRecord,
    ReplyRecord,
    SnoozeRecord,
)
from bot.domain.vocabulary import ANSWER_KINDS

OUTREACH = cast(Table, Outreach.__table__)
REPLIES = cast(Table, Reply.__table__)
ENGAGEMENTS = cast(Table, MarketMakerEngagement.__table__)
PLEDGES = cast(Table, ContributionPledge.__table__)


async def _insert_once(session: Executor, table: Table, values: dict[str, Any]) -> int | None:
    stmt = (
        upsert_insert(session, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(table.c.id)
    )
    return cast(int | None, (await session.execute(stmt)).scalar_one_or_none())


async def insert_outreach(
    session: Executor,
    *,
    idempotency_key: str,
    symbol: str,
    channel: str,
    contact: str | None,
    notes: str | None,
    followup_on: date | None,
    logged_by: str,
    logged_at: datetime,
) -> int | None:
    """Store one outreach; its id, or None when ``idempotency_key`` is already stored."""
    return await _insert_once(
        session,
        OUTREACH,
        {
            "idempotency_key": idempotency_key,
            "symbol": symbol,
            "channel": channel,
            "contact": contact,
            "notes": notes,
            "followup_on": followup_on,
            "logged_by": logged_by,
            "logged_at": logged_at,
        },
    )


async def insert_reply(
    session: Executor,
    *,
    idempotency_key: str,
    symbol: str,
    outreach_id: int | None,
    kind: str,
    details: dict[str, Any],
    logged_by: str,
    logged_at: datetime,
) -> int | None:
    """Store one reply (``kind`` in has_mm / will_contribute / declined / snooze); its id, or None
    when ``idempotency_key`` is already stored."""
    return await _insert_once(
        session,
        REPLIES,
        {
            "idempotency_key": idempotency_key,
            "symbol": symbol,
            "outreach_id": outreach_id,
            "kind": kind,
            "details": details,
            "logged_by": logged_by,
            "logged_at": logged_at,
        },
    )


async def _insert(session: Executor, table: Table, values: dict[str, Any]) -> int:
    stmt = insert(table).values(**values).returning(table.c.id)
    return int((await session.execute(stmt)).scalar_one())


async def insert_engagement(
    session: Executor,
    *,
    symbol: str,
    status: str,
    source: str,
    logged_by: str,
    logged_at: datetime,
    mm_name: str | None = None,
    since: date | None = None,
    until: date | None = None,
    max_spread_bps: float | None = None,
    min_depth_usd: float | None = None,
    reply_id: int | None = None,
    uptime: float | None = None,
    supersedes_id: int | None = None,
) -> int:
    """Store a market maker on record (``status`` engaged) or a recorded "none"; its id.
    Obligations: ``max_spread_bps`` (bps), ``min_depth_usd`` (±2% USD per side), ``uptime``
    (share 0..1 of a day's snapshots); ``supersedes_id`` the record it corrects."""
    values = {
        "symbol": symbol,
        "status": status,
        "source": source,
        "logged_by": logged_by,
        "logged_at": logged_at,
        "mm_name": mm_name,
        "since": since,
        "until": until,
        "max_spread_bps": max_spread_bps,
        "min_depth_usd": min_depth_usd,
        "reply_id": reply_id,
        "uptime": uptime,
        "supersedes_id": supersedes_id,
    }
    return await _insert(session, ENGAGEMENTS, values)


async def insert_pledge(session: Executor, pledge: PledgeRecord) -> int:
    """Store a contribution pledge (``pledge.id`` is ignored); its id."""
    values = {
        "reply_id": pledge.reply_id,
        "symbol": pledge.symbol,
        "pct_of_supply": pledge.pct_of_supply,
        "tokens": pledge.tokens,
        "usd_value": pledge.usd_value,
        "price_usd": pledge.price_usd,
        "depth_2pct_usd": pledge.depth_2pct_usd,
        "pledged_at": pledge.pledged_at,
    }
    return await _insert(session, PLEDGES, values)


async def insert_snooze(
    session: Executor,
    *,
    symbol: str,
    until: datetime,
    logged_by: str,
    logged_at: datetime,
    reply_id: int | None,
) -> int:
    """Keep ``symbol`` out of the digest until ``until``; the snooze's id."""
    values = {
        "symbol": symbol,
        "until": until,
        "logged_by": logged_by,
        "logged_at": logged_at,
        "reply_id": reply_id,
    }
    return await _insert(session, SNOOZES, values)


async def mark_reminded(session: Executor, outreach_id: int, at: datetime) -> bool:
    """Set the outreach's ``reminded_at`` unless already set. True when this call set it, so two
    replicas racing to remind the same person agree on one winner."""
    result = await session.execute(
        update(OUTREACH)
        .where(OUTREACH.c.id == outreach_id, OUTREACH.c.reminded_at.is_(None))
        .values(reminded_at=at)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]  # a CursorResult


def _outreach(row: RowMapping) -> OutreachRecord:
    return OutreachRecord(
        id=row["id"],
        symbol=row["symbol"],
        channel=row["channel"],
        contact=row["contact"],
        notes=row["notes"],
        followup_on=row["followup_on"],
        logged_by=row["logged_by"],
        logged_at=row["logged_at"],
        reminded_at=row["reminded_at"],
    )


def _reply(row: RowMapping) -> ReplyRecord:
    return ReplyRecord(
        id=row["id"],
        symbol=row["symbol"],
        outreach_id=row["outreach_id"],
        kind=row["kind"],
        details=dict(row["details"] or {}),
        logged_by=row["logged_by"],
        logged_at=row["logged_at"],
    )


def _engagement(row: RowMapping) -> EngagementRecord:
    return EngagementRecord(
        id=row["id"],
        symbol=row["symbol"],
        status=row["status"],
        source=row["source"],
        mm_name=row["mm_name"],
        since=row["since"],
        until=row["until"],
        max_spread_bps=row["max_spread_bps"],
        min_depth_usd=row["min_depth_usd"],
        logged_by=row["logged_by"],
        logged_at=row["logged_at"],
        reply_id=row["reply_id"],
        uptime=row["uptime"],
        supersedes_id=row["supersedes_id"],
    )


def _pledge(row: RowMapping) -> PledgeRecord:
    return PledgeRecord(
        id=row["id"],
        reply_id=row["reply_id"],
        symbol=row["symbol"],
        pct_of_supply=row["pct_of_supply"],
        tokens=row["tokens"],
        usd_value=row["usd_value"],
        price_usd=row["price_usd"],
        depth_2pct_usd=row["depth_2pct_usd"],
        pledged_at=row["pledged_at"],
    )


async def outreach_by_key(session: Executor, idempotency_key: str) -> OutreachRecord | None:
    stmt = select(OUTREACH).where(OUTREACH.c.idempotency_key == idempotency_key)
    row = (await session.execute(stmt)).mappings().first()
    return _outreach(row) if row is not None else None


async def reply_by_key(session: Executor, idempotency_key: str) -> ReplyRecord | None:
    stmt = select(REPLIES).where(REPLIES.c.idempotency_key == idempotency_key)
    row = (await session.execute(stmt)).mappings().first()
    return _reply(row) if row is not None else None


async def outreach_by_id(session: Executor, outreach_id: int) -> OutreachRecord | None:
    stmt = select(OUTREACH).where(OUTREACH.c.id == outreach_id)
    row = (await session.execute(stmt)).mappings().first()
    return _outreach(row) if row is not None else None


async def outreach_log(
    session: Executor, symbols: Collection[str] | None = None
) -> list[OutreachRecord]:
    """Outreach of ``symbols`` (all when None), oldest first."""
    stmt = select(OUTREACH).order_by(OUTREACH.c.logged_at, OUTREACH.c.id)
    if symbols is not None:
        stmt = stmt.where(OUTREACH.c.symbol.in_(sorted(set(symbols))))
    return [_outreach(row) for row in (await session.execute(stmt)).mappings()]


async def replies(session: Executor, symbols: Collection[str] | None = None) -> list[ReplyRecord]:
    """Replies of ``symbols`` (all when None), oldest first."""
    stmt = select(REPLIES).order_by(REPLIES.c.logged_at, REPLIES.c.id)
    if symbols is not None:
        stmt = stmt.where(REPLIES.c.symbol.in_(sorted(set(symbols))))
    return [_reply(row) for row in (await session.execute(stmt)).mappings()]


async def engagements(
    session: Executor, symbols: Collection[str] | None = None
) -> list[EngagementRecord]:
    """Market-maker records of ``symbols`` (all when None), oldest first."""
    stmt = select(ENGAGEMENTS).order_by(ENGAGEMENTS.c.logged_at, ENGAGEMENTS.c.id)
    if symbols is not None:
        stmt = stmt.where(ENGAGEMENTS.c.symbol.in_(sorted(set(symbols))))
    return [_engagement(row) for row in (await session.execute(stmt)).mappings()]


async def engaged_firms(session: Executor) -> list[tuple[str, str]]:
    """Every (symbol, firm name) an engagement was ever recorded for, once each: where a firm's
    scorecard looks."""
    c = ENGAGEMENTS.c
    stmt = (
        select(c.symbol, c.mm_name)
        .where(c.status == "engaged", c.mm_name.is_not(None))
        .distinct()
        .order_by(c.symbol, c.mm_name)
    )
    return [(row.symbol, row.mm_name) for row in await session.execute(stmt)]


async def pledges(session: Executor, reply_ids: Sequence[int] | None = None) -> list[PledgeRecord]:
    """Contribution pledges (of the given replies; all when None), oldest first."""
    stmt = select(PLEDGES).order_by(PLEDGES.c.pledged_at, PLEDGES.c.id)
    if reply_ids is not None:
        stmt = stmt.where(PLEDGES.c.reply_id.in_(sorted(set(reply_ids))))
    return [_pledge(row) for row in (await session.execute(stmt)).mappings()]


async def snoozes(session: Executor, symbols: Collection[str] | None = None) -> list[SnoozeRecord]:
    """Snoozes of ``symbols`` (all when None), oldest first."""
    c = SNOOZES.c
    stmt = select(SNOOZES).order_by(c.logged_at, c.id)
    if symbols is not None:
        stmt = stmt.where(c.symbol.in_(sorted(set(symbols))))
    return [
        SnoozeRecord(
            id=row["id"],
            symbol=row["symbol"],
            until=row["until"],
            logged_by=row["logged_by"],
            logged_at=row["logged_at"],
            reply_id=row["reply_id"],
        )
        for row in (await session.execute(stmt)).mappings()
    ]


async def unanswered_outreach(
    session: Executor, logged_by: str | None = None, include_reminded: bool = False
) -> list[OutreachRecord]:
    """Outreach still waiting for the project's answer, oldest first: no has_mm /
    will_contribute / declined reply of the token logged after it, and no later outreach of the
    token (that one is the follow-up now). Optionally only ``logged_by``'s, and by default only
    those not reminded yet."""
    o, later = OUTREACH.c, OUTREACH.alias("later").c
    r = REPLIES.c
    answered = (
        select(r.id)
        .where(r.symbol == o.symbol, r.logged_at >= o.logged_at, r.kind.in_(ANSWER_KINDS))
        .exists()
    )
    superseded = (
        select(later.id)
        .where(
            later.symbol == o.symbol,
            (later.logged_at > o.logged_at) | and_(later.logged_at == o.logged_at, later.id > o.id),
        )
        .exists()
    )
    stmt = select(OUTREACH).where(~answered, ~superseded).order_by(o.logged_at, o.id)
    if logged_by is not None:
        stmt = stmt.where(o.logged_by == logged_by)
    if not include_reminded:
        stmt = stmt.where(o.reminded_at.is_(None))
    return [_outreach(row) for row in (await session.execute(stmt)).mappings()]
