"""Supply files: CSV and CoinGecko JSON; a malformed file is rejected whole, naming the line."""

from __future__ import annotations

import json

import pytest

from bot.usecases.supply_file import SupplyFileError, parse_coingecko, parse_csv, parse_supply_file


def test_csv_with_header_and_optional_columns() -> None:
    text = (
        "symbol,circulating_supply,market_cap_usd,name\nzorb,1000000,,Zorble\nQUUX,2.5e9,7500000\n"
    )
    records = parse_csv(text)
    assert [(r.symbol, r.circulating_supply, r.market_cap_usd, r.name) for r in records] == [
        ("ZORB", 1_000_000.0, None, "Zorble"),
        ("QUUX", 2_500_000_000.0, 7_500_000.0, None),
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("ZORB,1000\nQUUX,lots\n", "line 2"),
        ("ZORB,1000\nZORB,2000\n", "line 2"),
        ("ZORB,-5\n", "line 1"),
        ("ZORB\n", "line 1"),
        ("ZORB,1,2,3,4\n", "line 1"),
        ("symbol,circulating_supply\n'; DROP TABLE tokens;--,1\n", "line 2"),
        ("ZORB,nan\n", "line 1"),
    ],
)
def test_csv_errors_name_the_line(text: str, where: str) -> None:
    with pytest.raises(SupplyFileError, match=where):
        parse_csv(text)


def test_coingecko_markets_array() -> None:
    payload = [
        {
            "id": "zorble",
            "symbol": "zorb",
            "name": "Zorble",
            "circulating_supply": 1e9,
            "market_cap": 4e6,
        },
        {
            "id": "zorb-2",
            "symbol": "zorb",
            "name": "Other",
            "circulating_supply": 5,
            "market_cap": 1,
        },
    ]
    records = parse_supply_file(json.dumps(payload), "coins.json")
    assert len(records) == 1  # collision: CoinGecko ranks by market cap, the first one wins
    assert (records[0].symbol, records[0].circulating_supply, records[0].market_cap_usd) == (
        "ZORB",
        1e9,
        4e6,
    )
    assert records[0].source == "coingecko"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("{}", "array"),
        ("[1]", "entry 0"),
        ('[{"symbol": "a", "circulating_supply": 1}, {"symbol": "b"}]', "entry 1"),
        ("[{", "not valid JSON"),
    ],
)
def test_coingecko_errors_name_the_entry(text: str, where: str) -> None:
    with pytest.raises(SupplyFileError, match=where):
        parse_coingecko(text)


def test_a_spreadsheet_bom_is_not_part_of_the_first_symbol(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.usecases.supply import read_supply_file

    path = tmp_path / "supply.csv"
    path.write_bytes("\ufeffsymbol,circulating_supply\nZORB,1000\n".encode())
    assert [r.symbol for r in read_supply_file(path)] == ["ZORB"]
