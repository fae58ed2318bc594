"""Alert checks and episodes (SPEC 6 "Alerts"): read the open episodes, apply one scheduled
snapshot's steps (``bot.domain.alerts.EpisodeSteps``) in the caller's transaction, read back what
a snapshot opened and closed, and note the message an alert went out in.

``apply_check`` writes the snapshot's ``alert_checks`` row together with its episode changes: a
check is applied once (a second ``apply_check`` of the same scan fails on the primary key and
rolls back), and ``check_of`` tells a retried run it is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import RowMapping

from bot.db.dialect import Executor
from bot.db.tables import ALERT_CHECKS, ALERT_EPISODES
from bot.domain.alerts import AlertKind, EpisodeSteps, OpenEpisode


@dataclass(frozen=True)
class AlertCheckRecord:
    """A scheduled snapshot whose alerts were checked; ``taken_at`` is the snapshot's time."""

    scan_id: int
    taken_at: datetime
    baseline: bool


@dataclass(frozen=True)
class AlertEpisodeRecord:
    """A stored alert episode (see ``bot.db.models.alerts.AlertEpisode``)."""

    id: int
    symbol: str
    kind: AlertKind
    opened_scan_id: int
    opened_at: datetime
    facts: dict[str, Any]
    healthy_streak: int
    closed_scan_id: int | None
    closed_at: datetime | None
    closing_facts: dict[str, Any] | None
    post_channel: str | None
    post_ts: str | None

    def as_open(self) -> OpenEpisode:
        return OpenEpisode(self.id, self.symbol, self.kind, self.healthy_streak, self.facts)


def _episode(row: RowMapping) -> AlertEpisodeRecord:
    return AlertEpisodeRecord(
        id=row["id"],
        symbol=row["symbol"],
        kind=cast(AlertKind, row["kind"]),
        opened_scan_id=row["opened_scan_id"],
        opened_at=row["opened_at"],
        facts=dict(row["facts"] or {}),
        healthy_streak=row["healthy_streak"],
        closed_scan_id=row["closed_scan_id"],
        closed_at=row["closed_at"],
        closing_facts=row["closing_facts"],
        post_channel=row["post_channel"],
        post_ts=row["post_ts"],
    )


def _check(row: RowMapping | None) -> AlertCheckRecord | None:
    if row is None:
        return None
    return AlertCheckRecord(row["scan_id"], row["taken_at"], row["baseline"])


async def check_of(session: Executor, scan_id: int) -> AlertCheckRecord | None:
    """The check of scan ``scan_id``, if its alerts were checked."""
    stmt = select(ALERT_CHECKS).where(ALERT_CHECKS.c.scan_id == scan_id)
    return _check((await session.execute(stmt)).mappings().first())


async def previous_check(session: Executor, taken_before: datetime) -> AlertCheckRecord | None:
    """The latest checked snapshot taken before ``taken_before``."""
    c = ALERT_CHECKS.c
    stmt = select(ALERT_CHECKS).where(c.taken_at < taken_before).order_by(c.taken_at.desc())
    return _check((await session.execute(stmt.limit(1))).mappings().first())


async def open_episodes(session: Executor) -> list[AlertEpisodeRecord]:
    """Every episode not closed yet, by token and kind."""
    e = ALERT_EPISODES.c
    stmt = select(ALERT_EPISODES).where(e.closed_at.is_(None)).order_by(e.symbol, e.kind)
    return [_episode(row) for row in (await session.execute(stmt)).mappings()]


async def apply_check(
    session: Executor,
    scan_id: int,
    taken_at: datetime,
    checked_at: datetime,
    steps: EpisodeSteps,
    baseline: bool = False,
) -> None:
    """Store the check of scan ``scan_id`` (taken at ``taken_at``) and what it does to the
    episodes: new ones opened at ``taken_at`` (an event closed at once), counts of healthy
    snapshots, episodes closed. The caller commits."""
    await session.execute(
        insert(ALERT_CHECKS).values(
            scan_id=scan_id, checked_at=checked_at, taken_at=taken_at, baseline=baseline
        )
    )
    for opening in steps.openings:
        closed = opening.closes_at_once
        await session.execute(
            insert(ALERT_EPISODES).values(
                symbol=opening.symbol,
                kind=opening.kind,
                opened_scan_id=scan_id,
                opened_at=taken_at,
                facts=dict(opening.facts),
                healthy_streak=0,
                closed_scan_id=scan_id if closed else None,
                closed_at=taken_at if closed else None,
            )
        )
    e = ALERT_EPISODES.c
    for episode_id, streak in steps.streaks:
        await session.execute(
            update(ALERT_EPISODES).where(e.id == episode_id).values(healthy_streak=streak)
        )
    for closing in steps.closings:
        await session.execute(
            update(ALERT_EPISODES)
            .where(e.id == closing.episode_id, e.closed_at.is_(None))
            .values(
                healthy_streak=e.healthy_streak + 1,
                closed_scan_id=scan_id,
                closed_at=taken_at,
                closing_facts=dict(closing.facts),
            )
        )


async def episodes_of_scan(
    session: Executor, scan_id: int
) -> tuple[list[AlertEpisodeRecord], list[AlertEpisodeRecord]]:
    """(episodes scan ``scan_id`` opened, episodes opened earlier that it closed), each by token
    and kind."""
    e = ALERT_EPISODES.c
    stmt = (
        select(ALERT_EPISODES)
        .where(or_(e.opened_scan_id == scan_id, e.closed_scan_id == scan_id))
        .order_by(e.symbol, e.kind, e.id)
    )
    rows = [_episode(row) for row in (await session.execute(stmt)).mappings()]
    opened = [r for r in rows if r.opened_scan_id == scan_id]
    return opened, [r for r in rows if r.opened_scan_id != scan_id]


async def mark_posted(session: Executor, episode_ids: Sequence[int], channel: str, ts: str) -> None:
    """Note the alert message (channel, ts) the episodes went out in; their recovery replies in
    its thread."""
    if episode_ids:
        await session.execute(
            update(ALERT_EPISODES)
            .where(ALERT_EPISODES.c.id.in_(list(episode_ids)))
            .values(post_channel=channel, post_ts=ts)
        )


async def unannounced(
    session: Executor, opened_since: datetime, before_scan: int
) -> list[AlertEpisodeRecord]:
    """Open episodes never posted (their snapshot's post failed, or there was no channel),
    opened at ``opened_since`` or later by a check before scan ``before_scan`` that was not a
    baseline, by token and kind."""
    e, c = ALERT_EPISODES.c, ALERT_CHECKS.c
    stmt = (
        select(ALERT_EPISODES)
        .join(ALERT_CHECKS, c.scan_id == e.opened_scan_id)
        .where(
            e.closed_at.is_(None),
            e.post_ts.is_(None),
            e.opened_at >= opened_since,
            e.opened_scan_id != before_scan,
            c.baseline.is_(False),
        )
        .order_by(e.symbol, e.kind)
    )
    return [_episode(row) for row in (await session.execute(stmt)).mappings()]
