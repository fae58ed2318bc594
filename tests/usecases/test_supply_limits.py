"""Supply files: text the database cannot store and files that are not bounded, regular files are
refused up front, in one line naming the line, entry or file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.db.tables import TOKENS
from bot.usecases.supply import MAX_SUPPLY_FILE_BYTES, read_supply_file
from bot.usecases.supply_file import (
    MAX_SUPPLY_ROWS,
    NAME_MAX_CHARS,
    SupplyFileError,
    parse_coingecko,
    parse_csv,
)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Zor\x00ble", "line 3: name contains a NUL character"),
        ("Z" * (NAME_MAX_CHARS + 1), "line 3: name is 256 characters, longer than 255"),
    ],
)
def test_a_csv_name_the_database_cannot_store_names_its_line(name: str, reason: str) -> None:
    text = f"symbol,circulating_supply,market_cap_usd,name\nQUUX,5,,Quux\nZORB,1000,,{name}\n"
    with pytest.raises(SupplyFileError, match=reason):
        parse_csv(text)


def test_a_json_name_with_an_unpaired_surrogate_names_its_entry() -> None:
    text = '[{"symbol": "zorb", "circulating_supply": 1, "name": "Zor\\ud800ble"}]'
    with pytest.raises(SupplyFileError, match=r"entry 0 \(ZORB\): name contains an unpaired"):
        parse_coingecko(text)
    text = json.dumps([{"symbol": "zorb", "circulating_supply": 1, "name": "n\x00"}])
    with pytest.raises(SupplyFileError, match=r"entry 0 \(ZORB\): name contains a NUL"):
        parse_coingecko(text)


def test_names_up_to_the_column_length_are_kept() -> None:
    assert TOKENS.c.name.type.length == NAME_MAX_CHARS  # type: ignore[attr-defined]
    [record] = parse_csv(f"ZORB,1000,,{'Z' * NAME_MAX_CHARS}\n")
    assert record.name == "Z" * NAME_MAX_CHARS


def test_more_rows_than_the_limit_stop_at_the_first_one_over() -> None:
    def lines() -> Iterator[str]:
        yield "symbol,circulating_supply\n"
        for i in range(MAX_SUPPLY_ROWS + 10):
            yield f"T{i},1\n"

    with pytest.raises(SupplyFileError, match=f"line {MAX_SUPPLY_ROWS + 2}: more than 100,000"):
        parse_csv(lines())
    entries = [{"symbol": f"t{i}", "circulating_supply": 1} for i in range(MAX_SUPPLY_ROWS + 1)]
    with pytest.raises(SupplyFileError, match="more than 100,000 tokens"):
        parse_coingecko(json.dumps(entries))


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "supply.csv"
    with path.open("wb") as sparse:  # 21 MB that take no disk space
        sparse.truncate(MAX_SUPPLY_FILE_BYTES + 1024 * 1024)
    with pytest.raises(SupplyFileError, match=r"is 22\.0 MB, over the 20 MB limit"):
        read_supply_file(path)


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("fifo", "a FIFO (named pipe)"),
        ("device", "a character device"),
        ("directory", "a directory"),
    ],
)
def test_only_regular_files_are_read(tmp_path: Path, kind: str, shown: str) -> None:
    path = {"fifo": tmp_path / "pipe", "device": Path("/dev/zero"), "directory": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)  # reading it would wait for a writer forever
    with pytest.raises(SupplyFileError) as raised:
        read_supply_file(path)
    assert str(raised.value) == f"{path} is {shown}, not a regular file: give a CSV or JSON file"


def test_a_line_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "supply.csv"
    path.write_bytes(b"\xef\xbb\xbfsymbol,circulating_supply\nZORB,1\nQUUX,2 \xff\n")
    with pytest.raises(SupplyFileError, match="line 3 is not UTF-8 text"):
        read_supply_file(path)
    path.write_bytes(b"\xef\xbb\xbfsymbol,circulating_supply\nZORB,1\n")
    assert [r.symbol for r in read_supply_file(path)] == ["ZORB"]  # the BOM is no symbol
