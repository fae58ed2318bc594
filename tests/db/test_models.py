"""Model round trips on both databases: types, JSON, dates, and the constraints that keep the
team's record honest (one record per idempotency key, known kinds only, real foreign keys)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    ContributionPledge,
    JobRun,
    MarketMakerEngagement,
    Outreach,
    Post,
    Reply,
    Snooze,
)

LOGGED = datetime(2026, 11, 25, 14, 5, 30, 123456, tzinfo=UTC)


def _outreach(key: str = "V1-submit-1") -> Outreach:
    return Outreach(
        symbol="PEPE",
        channel="telegram",
        contact="@pepe_team",
        notes="asked about a market maker; ünïcode and 'quotes' kept",
        followup_on=date(2026, 12, 2),
        logged_by="U_ALICE",
        logged_at=LOGGED,
        idempotency_key=key,
    )


async def test_the_outreach_record_round_trips(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        outreach = _outreach()
        session.add(outreach)
        await session.flush()
        reply = Reply(
            symbol="PEPE",
            outreach_id=outreach.id,
            kind="will_contribute",
            details={"pct_of_supply": 3.0, "note": None, "sizes": [1, 2]},
            logged_by="U_BOB",
            logged_at=LOGGED,
            idempotency_key="V2-submit-1",
        )
        session.add(reply)
        await session.flush()
        session.add_all(
            [
                ContributionPledge(
                    reply_id=reply.id,
                    symbol="PEPE",
                    pct_of_supply=3.0,
                    tokens=12_600_000_000.0,
                    usd_value=151_200.0,
                    price_usd=0.000012,
                    depth_2pct_usd=4_300.0,
                    pledged_at=LOGGED,
                ),
                MarketMakerEngagement(
                    symbol="PEPE",
                    mm_name="Acme Liquidity",
                    since=date(2026, 1, 1),
                    until=None,
                    max_spread_bps=50.0,
                    min_depth_usd=25_000.0,
                    source="reply",
                    status="engaged",
                    logged_by="U_BOB",
                    logged_at=LOGGED,
                    reply_id=reply.id,
                ),
                Snooze(symbol="PEPE", until=LOGGED, logged_by="U_BOB", logged_at=LOGGED),
            ]
        )
        await session.commit()
    async with session_factory() as session:
        stored = (await session.execute(select(Outreach))).scalar_one()
        assert (stored.contact, stored.notes, stored.followup_on, stored.logged_at) == (
            "@pepe_team",
            "asked about a market maker; ünïcode and 'quotes' kept",
            date(2026, 12, 2),
            LOGGED,
        )
        assert stored.reminded_at is None
        stored_reply = (await session.execute(select(Reply))).scalar_one()
        assert stored_reply.details == {"pct_of_supply": 3.0, "note": None, "sizes": [1, 2]}
        pledge = (await session.execute(select(ContributionPledge))).scalar_one()
        assert (pledge.reply_id, pledge.tokens, pledge.price_usd) == (
            stored_reply.id,
            12_600_000_000.0,
            0.000012,
        )
        engagement = (await session.execute(select(MarketMakerEngagement))).scalar_one()
        assert (engagement.since, engagement.until, engagement.mm_name) == (
            date(2026, 1, 1),
            None,
            "Acme Liquidity",
        )


async def test_a_second_submission_with_the_same_key_is_refused(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        session.add(_outreach("same-key"))
        await session.commit()
    async with session_factory() as session:
        session.add(_outreach("same-key"))
        with pytest.raises(IntegrityError):
            await session.commit()
    async with session_factory() as session:
        assert len((await session.execute(select(Outreach))).scalars().all()) == 1


@pytest.mark.parametrize(
    "make_bad",
    [
        lambda: Reply(
            symbol="PEPE",
            kind="maybe",  # not a reply kind
            details={},
            logged_by="U",
            logged_at=LOGGED,
            idempotency_key="k1",
        ),
        lambda: Reply(
            symbol="PEPE",
            outreach_id=999,  # no such outreach
            kind="declined",
            details={},
            logged_by="U",
            logged_at=LOGGED,
            idempotency_key="k2",
        ),
        lambda: Outreach(
            symbol="PEPE",
            channel="carrier pigeon",
            logged_by="U",
            logged_at=LOGGED,
            idempotency_key="k3",
        ),
    ],
    ids=["unknown-kind", "missing-outreach", "unknown-channel"],
)
async def test_constraints_hold_on_both_databases(
    session: AsyncSession, make_bad: Callable[[], object]
) -> None:
    session.add(make_bad())
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_nullable_json_is_sql_null(session: AsyncSession) -> None:
    session.add(
        JobRun(
            job="digest",
            period="2026-11-25",
            status="claimed",
            claimed_by="w1",
            started_at=LOGGED,
            claimed_at=LOGGED,
            heartbeat_at=LOGGED,
            result=None,
        )
    )
    session.add(
        Post(
            job="digest",
            period="2026-11-25",
            kind="main",
            channel="C1",
            ts="1732543200.000100",
            posted_at=LOGGED,
            blocks=[{"type": "section"}],
        )
    )
    await session.flush()
    assert (
        await session.execute(select(JobRun.id).where(JobRun.result.is_(None)))
    ).scalar_one_or_none() is not None
    assert (await session.execute(select(Post.blocks))).scalar_one() == [{"type": "section"}]
