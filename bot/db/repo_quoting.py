"""A token's home order book through time, one sample per scan, for many tokens in one query.

The market-maker checks filled in from stored snapshots (``bot.usecases.mm_checks``) and the
±2% depth before/after a reply read the home exchange's snapshots summed per scan the way
``bot.domain.aggregate`` sums a token's home pairs: bid and ask ±2% depths (USD) summed over the
ok home markets, the tightest spread among them. A finished scan has all its snapshots at one
``taken_at``, which is the grouping key (unfinished scans are left out). One grouped query for
any number of tokens, so a scan asks once for all its tokens instead of once per token
(measured: 400 tokens × 14 days of hourly snapshots, 134k samples, in about 1.3 s on SQLite and
on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from bot.db.dialect import Executor
from bot.db.finished_scans import of_finished_scans
from bot.db.tables import MARKETS, SNAPSHOTS
from bot.domain.mm import EMPTY_SIDE_PREFIX


@dataclass(frozen=True)
class HomeBookSample:
    """One scan's view of a token's home markets: ±2% depths in USD summed over the ok home pairs
    (None when no ok pair had the figure), the tightest spread in bps, and whether both sides
    quoted something within ±2%."""

    symbol: str
    taken_at: datetime
    spread_bps: float | None
    depth_bid_2pct_usd: float | None
    depth_ask_2pct_usd: float | None
    empty_side: bool = False  # some home pair had an empty side (a fact, not a data fault)

    @property
    def two_sided(self) -> bool:
        bid, ask = self.depth_bid_2pct_usd, self.depth_ask_2pct_usd
        return bid is not None and ask is not None and bid > 0 and ask > 0

    @property
    def depth_2pct_usd(self) -> float | None:
        """The smaller side, the figure the low-depth rule and the market-maker criteria use."""
        bid, ask = self.depth_bid_2pct_usd, self.depth_ask_2pct_usd
        return None if bid is None or ask is None else min(bid, ask)


async def home_book_samples(
    session: Executor,
    home_exchange: str,
    symbols: Collection[str],
    since: datetime,
    until: datetime,
    raw_only: bool = False,
) -> dict[str, list[HomeBookSample]]:
    """Per token of ``symbols``, its home-exchange samples taken in [since, until], oldest first
    (tokens without any are left out); with ``raw_only``, only scans not down-sampled yet."""
    wanted = sorted(set(symbols))
    if not wanted:
        return {}
    s = SNAPSHOTS.c
    ok = s.status == "ok"
    stmt = (
        select(
            s.base,
            s.taken_at,
            func.min(case((ok, s.spread_bps))),
            func.sum(case((ok, s.depth_bid_2pct_usd))),
            func.sum(case((ok, s.depth_ask_2pct_usd))),
            func.max(case((s.error.like(EMPTY_SIDE_PREFIX + "%side%"), 1), else_=0)),
        )
        .join(MARKETS, MARKETS.c.id == s.market_id)
        .where(
            MARKETS.c.exchange == home_exchange,
            s.base.in_(wanted),
            s.taken_at >= since,
            s.taken_at <= until,
            of_finished_scans(s.scan_id),
        )
        .group_by(s.base, s.taken_at)
        .order_by(s.base, s.taken_at)
    )
    if raw_only:
        stmt = stmt.where(s.resolution == "raw")
    samples: dict[str, list[HomeBookSample]] = {}
    for symbol, at, spread, bid, ask, empty in await session.execute(stmt):
        sample = HomeBookSample(symbol, at, spread, bid, ask, bool(empty))
        samples.setdefault(symbol, []).append(sample)
    return samples
