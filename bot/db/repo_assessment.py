"""Risk assessments: one batch per scan, read back as the current list and yesterday's.

A batch is every assessment stored by one ``store_assessments`` call (one scan, one time).
"Latest" means the batch of the most recent assessment, so a token that dropped out of the scan
drops out of the list too.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import RowMapping

from bot.db.batches import batches
from bot.db.dialect import Executor
from bot.db.records import AssessedDepth, AssessmentRecord, AtRiskSpell
from bot.db.tables import ASSESSMENTS
from bot.domain.models import RiskAssessment, TokenLiquidity
from bot.domain.vocabulary import mm_status_of


async def store_assessments(
    session: Executor,
    scan_id: int,
    assessed_at: datetime,
    items: Sequence[tuple[TokenLiquidity, RiskAssessment]],
) -> int:
    """Store each token's assessment with the liquidity figures it was based on (pairs of
    liquidity, risk); returns the number of rows. The caller commits."""
    for batch in batches(items):
        rows = [
            {"scan_id": scan_id, "assessed_at": assessed_at, **_figures(liquidity, risk)}
            for liquidity, risk in batch
        ]
        await session.execute(insert(ASSESSMENTS), rows)
    return len(items)


def _figures(liquidity: TokenLiquidity, risk: RiskAssessment) -> dict[str, Any]:
    return {
        "symbol": risk.symbol,
        "score": risk.score,
        "tier": risk.tier,
        "reasons": list(risk.reasons),
        "rules": list(risk.rules),
        "mm_status": risk.mm_status,
        "home_depth_2pct_usd": liquidity.home_depth_2pct_usd,
        "global_depth_2pct_usd": liquidity.global_depth_2pct_usd,
        "home_volume_24h_usd": liquidity.home_volume_24h_usd,
        "global_volume_24h_usd": liquidity.global_volume_24h_usd,
        "market_cap_usd": liquidity.market_cap_usd,
        "mid_usd": liquidity.home_mid_usd,
    }


async def revise_latest(session: Executor, liquidity: TokenLiquidity, risk: RiskAssessment) -> bool:
    """Replace the token's assessment in the newest batch with a re-assessment (after a reply
    or a correction, from the same snapshot), so every list agrees at once. False when the token
    is not in the newest batch. The caller commits."""
    a = ASSESSMENTS.c
    newest = select(a.scan_id, a.assessed_at).order_by(a.assessed_at.desc(), a.id.desc()).limit(1)
    batch = (await session.execute(newest)).first()
    if batch is None:
        return False
    result = await session.execute(
        update(ASSESSMENTS)
        .where(
            a.scan_id == batch.scan_id,
            a.assessed_at == batch.assessed_at,
            a.symbol == risk.symbol,
        )
        .values(_figures(liquidity, risk))
    )
    return int(result.rowcount) > 0  # type: ignore[attr-defined]  # a CursorResult


def _record(row: RowMapping) -> AssessmentRecord:
    return AssessmentRecord(
        scan_id=row["scan_id"],
        symbol=row["symbol"],
        assessed_at=row["assessed_at"],
        score=row["score"],
        tier=row["tier"],
        reasons=tuple(row["reasons"]),
        rules=tuple(row["rules"]),
        mm_status=mm_status_of(row["mm_status"]),
        home_depth_2pct_usd=row["home_depth_2pct_usd"],
        global_depth_2pct_usd=row["global_depth_2pct_usd"],
        home_volume_24h_usd=row["home_volume_24h_usd"],
        global_volume_24h_usd=row["global_volume_24h_usd"],
        market_cap_usd=row["market_cap_usd"],
        mid_usd=row["mid_usd"],
    )


async def _batch_before(session: Executor, before: datetime | None) -> list[AssessmentRecord]:
    a = ASSESSMENTS.c
    newest = select(a.scan_id, a.assessed_at).order_by(a.assessed_at.desc(), a.id.desc()).limit(1)
    if before is not None:
        newest = newest.where(a.assessed_at < before)
    batch = (await session.execute(newest)).first()
    if batch is None:
        return []
    stmt = (
        select(ASSESSMENTS)
        .where(a.scan_id == batch.scan_id, a.assessed_at == batch.assessed_at)
        .order_by(a.score.desc().nulls_last(), a.symbol)
    )
    return [_record(row) for row in (await session.execute(stmt)).mappings()]


async def latest_assessments(session: Executor) -> list[AssessmentRecord]:
    """The newest batch, riskiest first (score descending, then symbol; unrated ones last)."""
    return await _batch_before(session, None)


async def previous_day_assessments(
    session: Executor, day_start: datetime
) -> list[AssessmentRecord]:
    """The newest batch assessed before ``day_start`` (the start of today in the team's zone):
    what "new today" and "recovered since the previous digest" compare against."""
    return await _batch_before(session, day_start)


async def token_assessments(
    session: Executor, symbol: str, since: datetime
) -> list[AssessmentRecord]:
    """One token's assessments since ``since``, oldest first (its score and tier trend)."""
    a = ASSESSMENTS.c
    stmt = (
        select(ASSESSMENTS)
        .where(a.symbol == symbol, a.assessed_at >= since)
        .order_by(a.assessed_at, a.id)
    )
    return [_record(row) for row in (await session.execute(stmt)).mappings()]


async def assessments_of_scan(session: Executor, scan_id: int) -> list[AssessmentRecord]:
    """The batch scan ``scan_id`` stored, riskiest first (unrated last)."""
    a = ASSESSMENTS.c
    stmt = (
        select(ASSESSMENTS)
        .where(a.scan_id == scan_id)
        .order_by(a.score.desc().nulls_last(), a.symbol)
    )
    return [_record(row) for row in (await session.execute(stmt)).mappings()]


async def home_depths(
    session: Executor, symbols: Iterable[str], since: datetime, until: datetime
) -> dict[str, list[float]]:
    """Each token's home ±2% depths (USD, the smaller side sum) assessed in [since, until),
    oldest first; unrated assessments (no depth) are left out."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    a = ASSESSMENTS.c
    stmt = (
        select(a.symbol, a.home_depth_2pct_usd)
        .where(
            a.symbol.in_(wanted),
            a.assessed_at >= since,
            a.assessed_at < until,
            a.home_depth_2pct_usd.is_not(None),
        )
        .order_by(a.symbol, a.assessed_at, a.id)
    )
    depths: dict[str, list[float]] = {}
    for symbol, depth in await session.execute(stmt):
        depths.setdefault(symbol, []).append(float(depth))
    return depths


async def depth_history(
    session: Executor, symbols: Collection[str], since: datetime, until: datetime
) -> dict[str, list[AssessedDepth]]:
    """Per token of ``symbols``, its home and global ±2% depth at every scan assessed in
    [since, until], oldest first (tokens without any are left out). The (symbol, assessed_at)
    index serves it."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    a = ASSESSMENTS.c
    stmt = (
        select(a.symbol, a.assessed_at, a.home_depth_2pct_usd, a.global_depth_2pct_usd)
        .where(a.symbol.in_(wanted), a.assessed_at >= since, a.assessed_at <= until)
        .order_by(a.symbol, a.assessed_at, a.id)
    )
    history: dict[str, list[AssessedDepth]] = {}
    for symbol, at, home, global_ in await session.execute(stmt):
        history.setdefault(symbol, []).append(AssessedDepth(symbol, at, home, global_))
    return history


async def at_risk_between(
    session: Executor, since: datetime, until: datetime, tiers: Sequence[str]
) -> list[AtRiskSpell]:
    """Every token assessed in one of ``tiers`` in [since, until): per token and tier, how many
    scans and the highest score; ordered by symbol, then tier."""
    a = ASSESSMENTS.c
    stmt = (
        select(a.symbol, a.tier, func.count(), func.max(a.score))
        .where(a.assessed_at >= since, a.assessed_at < until, a.tier.in_(list(tiers)))
        .group_by(a.symbol, a.tier)
        .order_by(a.symbol, a.tier)
    )
    return [
        AtRiskSpell(symbol, tier, int(count), None if score is None else int(score))
        for symbol, tier, count, score in await session.execute(stmt)
    ]
