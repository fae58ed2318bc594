"""Parsing of supply files for `liqbot supply import`: CSV or a CoinGecko `/coins/markets` array.

A malformed file is rejected whole: the parser returns every record or raises SupplyFileError naming
the first bad line (CSV) or entry (JSON), so nothing half-imported ever reaches the database. That
includes text the database cannot store (a NUL, an unpaired surrogate, a name longer than the
column): refused here, naming the line, rather than failing the import's transaction. CSV is read
line by line; at most ``MAX_SUPPLY_ROWS`` records are taken from one file.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable
from typing import Any

from bot.domain.models import SupplyRecord
from bot.domain.text_safety import unstorable_reason
from bot.usecases.args import normalize_symbol

CSV_COLUMNS = ("symbol", "circulating_supply", "market_cap_usd", "name")
MAX_SUPPLY_ROWS = 100_000
"""Tokens one supply file may hold (CoinGecko lists about 17,000 coins)."""
NAME_MAX_CHARS = 255
"""Characters of a token's name the database keeps (``tokens.name`` is VARCHAR(255))."""


class SupplyFileError(ValueError):
    """The file is not a valid supply file; the message names the line or entry."""


def _number(raw: Any, what: str, where: str, optional: bool = False) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if optional:
            return None
        raise SupplyFileError(f"{where}: {what} is missing")
    if isinstance(raw, bool):
        raise SupplyFileError(f"{where}: {what} must be a number, got {raw!r}")
    try:
        value = float(raw.strip().replace("_", "") if isinstance(raw, str) else raw)
    except (TypeError, ValueError, OverflowError):
        raise SupplyFileError(f"{where}: {what} must be a number, got {str(raw)[:40]!r}") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not optional):
        raise SupplyFileError(f"{where}: {what} must be a positive number, got {str(raw)[:40]!r}")
    return value


def _symbol(raw: Any, where: str) -> str:
    symbol = normalize_symbol(str(raw or ""))
    if symbol is None:
        raise SupplyFileError(f"{where}: symbol {str(raw)[:40]!r} is not a token symbol")
    return symbol


def _name(raw: Any, where: str) -> str | None:
    """A token's display name, or None when absent; text the database cannot store is refused."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    name = raw.strip()
    if (reason := unstorable_reason(name)) is not None:
        raise SupplyFileError(f"{where}: name {reason}")
    if len(name) > NAME_MAX_CHARS:
        raise SupplyFileError(
            f"{where}: name is {len(name):,} characters, longer than {NAME_MAX_CHARS}"
        )
    return name


def _too_many(where: str) -> SupplyFileError:
    return SupplyFileError(
        f"{where}: more than {MAX_SUPPLY_ROWS:,} tokens in one file; split it into several imports"
    )


def parse_csv(text: str | Iterable[str], source: str = "csv") -> list[SupplyRecord]:
    """`symbol,circulating_supply[,market_cap_usd,name]`, with or without a header line; ``text``
    is the whole file or its lines (read as they come)."""
    reader = csv.reader(io.StringIO(text) if isinstance(text, str) else text)
    records: dict[str, SupplyRecord] = {}
    try:
        for row in reader:
            number = reader.line_num
            if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            if number == 1 and row[0].strip().lower() == "symbol":
                continue
            where = f"line {number}"
            if len(records) == MAX_SUPPLY_ROWS:
                raise _too_many(where)
            if not 2 <= len(row) <= 4:
                raise SupplyFileError(f"{where}: expected 2 to 4 columns ({','.join(CSV_COLUMNS)})")
            symbol = _symbol(row[0], where)
            if symbol in records:
                raise SupplyFileError(f"{where}: {symbol} appears twice")
            supply = _number(row[1], "circulating_supply", where)
            cap = _number(row[2], "market_cap_usd", where, optional=True) if len(row) > 2 else None
            name = _name(row[3], where) if len(row) > 3 else None
            records[symbol] = SupplyRecord(symbol, supply or 0.0, cap, name, source)
    except csv.Error as exc:
        raise SupplyFileError(f"line {reader.line_num}: {exc}") from None
    if not records:
        raise SupplyFileError("no supply rows found")
    return list(records.values())


def parse_coingecko(text: str, source: str = "coingecko") -> list[SupplyRecord]:
    """A CoinGecko `/coins/markets` JSON array (symbol, name, circulating_supply, market_cap)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SupplyFileError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, list):
        raise SupplyFileError("expected a JSON array of coins (CoinGecko /coins/markets)")
    if len(data) > MAX_SUPPLY_ROWS:
        raise _too_many(f"entry {MAX_SUPPLY_ROWS}")
    records: dict[str, SupplyRecord] = {}
    for index, entry in enumerate(data):
        where = f"entry {index}"
        if not isinstance(entry, dict):
            raise SupplyFileError(f"{where}: expected an object")
        symbol = _symbol(entry.get("symbol"), where)
        where = f"entry {index} ({symbol})"
        supply = _number(entry.get("circulating_supply"), "circulating_supply", where)
        cap = _number(entry.get("market_cap"), "market_cap", where, optional=True)
        name = _name(entry.get("name"), where)
        # CoinGecko ranks by market cap: on a symbol collision keep the larger (first) one.
        records.setdefault(symbol, SupplyRecord(symbol, supply or 0.0, cap, name, source))
    if not records:
        raise SupplyFileError("no coins in the JSON array")
    return list(records.values())


def parse_supply_file(text: str, filename: str = "") -> list[SupplyRecord]:
    """Pick the format from the content: a JSON array, otherwise CSV."""
    if filename.lower().endswith(".json") or text.lstrip().startswith("["):
        return parse_coingecko(text)
    return parse_csv(text)
