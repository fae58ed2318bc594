"""Token supply and market cap (``liqbot supply import``, the CoinGecko refresh)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import func, select

from bot.db.dialect import Executor, upsert_insert
from bot.db.records import SupplyRow
from bot.db.tables import TOKENS


class SupplyLike(Protocol):
    """What an import yields: the domain's ``SupplyRecord`` or a ``SupplyRow``."""

    @property
    def symbol(self) -> str: ...
    @property
    def circulating_supply(self) -> float | None: ...
    @property
    def market_cap_usd(self) -> float | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def source(self) -> str: ...


async def upsert_supply(
    session: Executor, rows: Sequence[SupplyLike], updated_at: datetime | None = None
) -> int:
    """Insert or replace each token's circulating supply (tokens) and market cap (USD); a row
    without a name keeps the stored name. ``updated_at`` defaults to now (UTC). Returns the number
    of tokens written; the caller commits (an import is one transaction: a malformed file writes
    nothing)."""
    unique = {row.symbol: row for row in rows}  # the last row of a symbol wins
    if not unique:
        return 0
    stamp = updated_at if updated_at is not None else datetime.now(UTC)
    stmt = upsert_insert(session, TOKENS)
    stmt = stmt.on_conflict_do_update(
        index_elements=["symbol"],
        set_={
            "name": func.coalesce(stmt.excluded.name, TOKENS.c.name),
            "circulating_supply": stmt.excluded.circulating_supply,
            "market_cap_usd": stmt.excluded.market_cap_usd,
            "supply_source": stmt.excluded.supply_source,
            "updated_at": stmt.excluded.updated_at,
        },
    )
    await session.execute(
        stmt,
        [
            {
                "symbol": row.symbol,
                "name": row.name,
                "circulating_supply": row.circulating_supply,
                "market_cap_usd": row.market_cap_usd,
                "supply_source": row.source,
                "updated_at": stamp,
            }
            for row in unique.values()
        ],
    )
    return len(unique)


async def get_supply(session: Executor) -> dict[str, SupplyRow]:
    """Every token's stored supply, by symbol."""
    result = await session.execute(select(TOKENS).order_by(TOKENS.c.symbol))
    return {
        row["symbol"]: SupplyRow(
            symbol=row["symbol"],
            circulating_supply=row["circulating_supply"],
            market_cap_usd=row["market_cap_usd"],
            name=row["name"],
            source=row["supply_source"],
            updated_at=row["updated_at"],
        )
        for row in result.mappings()
    }
