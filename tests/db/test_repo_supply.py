"""Supply import storage: insert, replace, keep the stored name when a row has none."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.records import SupplyRow
from bot.db.repo_supply import get_supply, upsert_supply
from bot.domain.models import SupplyRecord
from tests.builders import NOW


async def test_upsert_supply_inserts_then_replaces(session: AsyncSession) -> None:
    first = [
        SupplyRow("PEPE", 420_690_000_000_000.0, 4.2e9, "Pepe", "coingecko"),
        SupplyRow("ZORP", 1_000_000.0, None, None, "csv"),
    ]
    assert await upsert_supply(session, first, updated_at=NOW) == 2
    later = NOW + timedelta(days=1)
    second = [
        SupplyRow("PEPE", 420_000_000_000_000.0, None, None, "csv"),
        SupplyRow("ZORP", 2.0, None, "Zorp", "csv"),
        SupplyRow("ZORP", 2_000_000.0, None, "Zorp Token", "csv"),  # the last row wins
    ]
    assert await upsert_supply(session, second, updated_at=later) == 2
    await session.commit()

    assert await get_supply(session) == {
        "PEPE": SupplyRow("PEPE", 420_000_000_000_000.0, None, "Pepe", "csv", later),
        "ZORP": SupplyRow("ZORP", 2_000_000.0, None, "Zorp Token", "csv", later),
    }
    assert await upsert_supply(session, [], updated_at=later) == 0


async def test_domain_supply_records_are_accepted(session: AsyncSession) -> None:
    records = [SupplyRecord("WIF", 998_900_000.0, 1.9e9, "dogwifhat", "coingecko")]
    assert await upsert_supply(session, records, updated_at=NOW) == 1
    await session.commit()
    assert await get_supply(session) == {
        "WIF": SupplyRow("WIF", 998_900_000.0, 1.9e9, "dogwifhat", "coingecko", NOW)
    }
