"""Cassette matching and the aiohttp-shaped replay session, without ccxt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.market.errors import MarketDataError, NotRecorded
from bot.market.replay import (
    RecordedExchange,
    ReplaySession,
    load_cassette_file,
    parse_cassette_lines,
    request_key,
)


def test_query_order_and_signing_parameters_are_ignored() -> None:
    recorded = request_key("get", "https://api.x.com/v1/depth?symbol=AB&limit=100")
    assert request_key("GET", "https://api.x.com/v1/depth?limit=100&symbol=AB") == recorded
    signed = "https://api.x.com/v1/depth?limit=100&timestamp=1&symbol=AB&recvWindow=5&signature=f"
    assert request_key("GET", signed) == recorded
    assert request_key("GET", "https://api.x.com/v1/depth?symbol=AB&limit=50") != recorded
    assert request_key("POST", "https://api.x.com/v1/depth?symbol=AB&limit=100") != recorded
    assert request_key("GET", "https://api.x.com/v1/book?symbol=AB&limit=100") != recorded


async def test_repeated_recordings_play_in_order_then_the_last_repeats() -> None:
    url = "https://api.x.com/v1/ping?a=1"
    session = ReplaySession(
        "x",
        [
            RecordedExchange("GET", url, 429, {"Retry-After": "1"}, "slow down"),
            RecordedExchange("GET", url, 200, {"content-type": "application/json"}, "{}"),
        ],
    )
    statuses = []
    for _ in range(3):
        async with session.get(url) as response:
            statuses.append((response.status, await response.text()))
    assert statuses == [(429, "slow down"), (200, "{}"), (200, "{}")]
    assert response.headers["Content-Type"] == "application/json"  # case-insensitive
    assert response.reason == "OK" and session.served == 3


async def test_unrecorded_request_names_the_url() -> None:
    session = ReplaySession("okx", [])
    url = "https://www.okx.com/api/v5/market/books?instId=NOPE-USDT&sz=100"
    with pytest.raises(NotRecorded) as caught:
        async with session.get(url):
            pass
    assert isinstance(caught.value, MarketDataError)
    assert caught.value.exchange == "okx" and url in str(caught.value)


async def test_timeout_fault_raises_what_aiohttp_would() -> None:
    url = "https://api.x.com/v1/ping"
    session = ReplaySession("x", [RecordedExchange("GET", url, fault="timeout")])
    with pytest.raises(TimeoutError):
        async with session.get(url):
            pass


def test_cassette_lines_round_trip_and_bad_lines_are_named(tmp_path: Path) -> None:
    entry = RecordedExchange("GET", "https://a.b/c?d=1", 503, {"Retry-After": "2"}, "down", None)
    assert parse_cassette_lines([entry.to_json(), ""]) == [entry]
    path = tmp_path / "x.jsonl"
    path.write_text(entry.to_json() + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl line 2"):
        load_cassette_file(path)
    bad_fault = json.dumps({"url": "https://a.b/", "fault": "meteor"})
    with pytest.raises(ValueError, match="unknown fault 'meteor'"):
        parse_cassette_lines([bad_fault])
    assert load_cassette_file(tmp_path / "missing.jsonl") == []


async def test_a_file_backed_session_reads_each_body_when_it_is_served(tmp_path: Path) -> None:
    first = RecordedExchange("GET", "https://a.b/c?d=1", 200, {}, '{"n": "ünï"}')
    again = RecordedExchange("GET", "https://a.b/c?d=1", 200, {}, '{"n": 2}')
    other = RecordedExchange("GET", "https://a.b/e", 429, {"Retry-After": "1"}, "{}")
    path = tmp_path / "x.jsonl"
    path.write_text("\n".join(e.to_json() for e in (first, other, again)) + "\n", "utf-8")
    session = ReplaySession.from_file("x", path)
    bodies = []
    for url in ("https://a.b/c?d=1", "https://a.b/c?d=1", "https://a.b/c?d=1", "https://a.b/e"):
        async with session.get(url) as response:
            bodies.append((response.status, await response.text()))
    assert bodies == [(200, '{"n": "ünï"}'), (200, '{"n": 2}'), (200, '{"n": 2}'), (429, "{}")]
    path.write_text(first.to_json() + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl line 2"):
        ReplaySession.from_file("x", path)
    assert ReplaySession.from_file("x", tmp_path / "missing.jsonl").served == 0
