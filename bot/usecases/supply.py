"""Use case: circulating supply / market cap import (file, demo file, CoinGecko refresh)."""

from __future__ import annotations

from pathlib import Path

from bot.db import repo_supply
from bot.domain.models import SupplyRecord
from bot.market.demo import demo_supply_csv
from bot.settings import Settings
from bot.usecases.supply_file import SupplyFileError, parse_csv, parse_supply_file


def read_supply_file(path: Path) -> list[SupplyRecord]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's BOM is not a symbol
    except OSError as exc:
        raise SupplyFileError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SupplyFileError(f"{path} is not UTF-8 text") from None
    return parse_supply_file(text, path.name)


def read_demo_supply() -> list[SupplyRecord]:
    return parse_csv(demo_supply_csv(), source="demo")


async def import_supply(settings: Settings, records: list[SupplyRecord]) -> int:
    """Store all records in one transaction; returns how many tokens were written."""
    from bot.db.engine import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            return await repo_supply.upsert_supply(session, records)
    finally:
        await engine.dispose()
