"""Use case: circulating supply / market cap import (file, demo file, CoinGecko refresh).

`liqbot supply import FILE` reads a regular file of at most ``MAX_SUPPLY_FILE_BYTES`` (and
``MAX_SUPPLY_ROWS`` tokens, see ``supply_file``). Anything else is refused in one line before the
database is touched: a FIFO (reading it would wait for a writer forever), a device such as
``/dev/zero`` (endless), a directory, a file over the limit. CSV is parsed as it is read, so a
large file is never held twice in memory; a CoinGecko JSON array is decoded whole (within the
limit).
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from bot.db import repo_supply
from bot.domain.models import SupplyRecord
from bot.market.demo import demo_supply_csv
from bot.settings import Settings
from bot.usecases.supply_file import SupplyFileError, parse_coingecko, parse_csv

MAX_SUPPLY_FILE_BYTES = 20 * 1024 * 1024
"""The largest supply file `liqbot supply import` reads: 20 MB (CoinGecko's whole
`/coins/markets` list is about 15 MB of JSON)."""

_KINDS = {
    stat.S_ISDIR: "a directory",
    stat.S_ISFIFO: "a FIFO (named pipe)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def _open_regular(path: Path) -> io.BufferedReader:
    """``path`` opened for reading if it is a regular file within the size limit."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SupplyFileError(f"cannot read {path}: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = next((name for test, name in _KINDS.items() if test(info.st_mode)), "not a file")
        raise SupplyFileError(f"{path} is {kind}, not a regular file: give a CSV or JSON file")
    if info.st_size > MAX_SUPPLY_FILE_BYTES:
        os.close(fd)
        raise SupplyFileError(_too_big(path, info.st_size))
    return os.fdopen(fd, "rb")


def _too_big(path: Path, size: int) -> str:
    return (
        f"{path} is {size / 1e6:,.1f} MB, over the {MAX_SUPPLY_FILE_BYTES // (1024 * 1024)} MB "
        "limit of a supply file; split it into several imports"
    )


def _decoded_lines(raw: io.BufferedReader, path: Path) -> Iterator[str]:
    """The lines of ``raw`` as text, one at a time; an error names the first line that is not
    UTF-8, or stops a file that grows past the size limit while it is read."""
    read = 0
    for number, line in enumerate(raw, start=1):
        read += len(line)
        if read > MAX_SUPPLY_FILE_BYTES:
            raise SupplyFileError(_too_big(path, read))
        try:
            # utf-8-sig on the first line only: a spreadsheet's BOM is not part of a symbol.
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise SupplyFileError(f"{path}: line {number} is not UTF-8 text") from None
        yield text


def read_supply_file(path: Path) -> list[SupplyRecord]:
    """The records of a supply file (CSV, or a CoinGecko JSON array: by the ``.json`` suffix or a
    leading ``[``); ``SupplyFileError`` in one line for anything else."""
    with _open_regular(path) as raw:
        start = raw.peek(4096)[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
        if not (path.name.lower().endswith(".json") or start.startswith(b"[")):
            return parse_csv(_decoded_lines(raw, path))
        data = raw.read(MAX_SUPPLY_FILE_BYTES + 1)
    if len(data) > MAX_SUPPLY_FILE_BYTES:
        raise SupplyFileError(_too_big(path, len(data)))
    try:
        return parse_coingecko(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SupplyFileError(f"{path} is not UTF-8 text (byte {exc.start:,})") from None


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
