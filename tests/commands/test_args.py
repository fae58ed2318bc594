"""Argument parsing of the slash commands: pure functions, checked by value."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.errors import UserFacingError
from bot.presenters.blocks_common import ChartRequest
from commands.args import TEXT_LIMIT, words_of
from commands.atrisk import parse_atrisk_args
from commands.liquidity import LiquidityArgs, parse_liquidity_args
from commands.mm import parse_mm_args
from commands.outreach import OutreachQuery, parse_outreach_args
from commands.slash import command_line, origin_command, stamp_origin

EXCHANGES = ["binance", "okx", "bybit"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pepe", LiquidityArgs("PEPE")),
        ("  PEPE   OKX ", LiquidityArgs("PEPE", "okx")),
        ("pepe chart", LiquidityArgs("PEPE", chart=True)),
        ("pepe CHART bybit", LiquidityArgs("PEPE", "bybit", True)),
        ("1000sats binance chart", LiquidityArgs("1000SATS", "binance", True)),
        ("pepe history", LiquidityArgs("PEPE", history_days=30)),
        ("pepe HISTORY 90", LiquidityArgs("PEPE", history_days=90)),
        ("pepe history 30 okx", LiquidityArgs("PEPE", "okx", history_days=30)),
        ("pepe okx history", LiquidityArgs("PEPE", "okx", history_days=30)),
        ("", None),
        ("   ", None),
        ("help", None),
        ("HELP", None),
    ],
)
def test_liquidity_args(text: str, expected: LiquidityArgs | None) -> None:
    assert parse_liquidity_args(text, EXCHANGES) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "pepe kraken",
            "Unknown exchange `kraken`: use one of binance, okx, bybit, or `chart` or `history`.",
        ),
        ("pepe okx bybit", "Give one exchange and one of `chart` or `history` at most."),
        ("pepe chart chart", "Give one exchange and one of `chart` or `history` at most."),
        ("pepe chart history", "Give one exchange and one of `chart` or `history` at most."),
        ("pepe history 60", "`history` covers 30 or 90 days, not 60."),
        ("pepe 90", "Days go after `history`, e.g. `/liquidity PEPE history 90`."),
        ("pepe history 90 okx x", "Unexpected `x` after /liquidity."),
        ("pepe okx chart extra", "Unknown exchange `extra`: use one of binance, okx, bybit"),
        ("PEPE🐸", "`PEPE🐸` is not a token symbol: use 1–20 letters, digits, '.', '-' or '_'."),
        ("'; DROP TABLE outreach;--", "`';` is not a token symbol"),
        ('{"a":1}', '`{"A":1}` is not a token symbol'),
        ("<!channel>", "`!CHANNEL` is not a token symbol"),  # never echoed as a ping
        ("A" * 21, "is not a token symbol"),
        ("X" * 5000, "That is 5,000 characters: /liquidity takes a few short words."),
    ],
)
def test_liquidity_bad_args(text: str, message: str) -> None:
    with pytest.raises(UserFacingError) as raised:
        parse_liquidity_args(text, EXCHANGES)
    assert message in raised.value.message
    assert len(raised.value.message) < 200


def test_text_limit_is_checked_before_anything_is_quoted() -> None:
    assert words_of("a " * (TEXT_LIMIT // 2), "/mm") is not None
    with pytest.raises(UserFacingError, match="201 characters"):
        words_of("a" * (TEXT_LIMIT + 1), "/mm")


@pytest.mark.parametrize(
    "parse", [parse_mm_args, lambda text: (found := parse_outreach_args(text)) and found.symbol]
)
def test_one_token_commands(parse: Callable[[str], str | None]) -> None:
    assert parse(" pepe ") == "PEPE"
    assert parse("") is None and parse("help") is None
    with pytest.raises(UserFacingError, match="Unexpected `okx`"):
        parse("pepe okx")
    with pytest.raises(UserFacingError, match="is not a token symbol"):
        parse("pe!pe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (20, None)),
        ("5", (5, None)),
        ("high", (20, "high")),
        ("MEDIUM 7", (7, "medium")),
        ("100 high", (100, "high")),
        ("help", None),
    ],
)
def test_atrisk_args(text: str, expected: tuple[int, str | None] | None) -> None:
    assert parse_atrisk_args(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0", "Show between 1 and 100 tokens, not 0."),
        ("101", "Show between 1 and 100 tokens, not 101."),
        ("low", "Unexpected `low`"),
        ("5 high extra", "Unexpected `extra` after /atrisk."),
    ],
)
def test_atrisk_bad_args(text: str, message: str) -> None:
    with pytest.raises(UserFacingError, match=message.replace("(", r"\(")):
        parse_atrisk_args(text)


def test_the_command_line_rides_on_the_buttons_block_id() -> None:
    blocks = [
        {"type": "section", "block_id": "token:PEPE", "text": {"type": "mrkdwn", "text": "x"}},
        {"type": "actions", "block_id": "actions:PEPE", "elements": []},
    ]
    line = command_line("/liquidity", "  pepe   okx ")
    stamped = stamp_origin(blocks, line)

    assert line == "/liquidity pepe okx"
    assert [b["block_id"] for b in stamped] == ["token:PEPE", "actions:PEPE|/liquidity pepe okx"]
    assert origin_command(stamped[1]["block_id"]) == "/liquidity pepe okx"
    assert origin_command("actions:PEPE") is None
    # Past Slack's 255 characters the block_id stays as it was.
    assert stamp_origin(blocks, "/liquidity " + "x" * 250)[1]["block_id"] == "actions:PEPE"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pepe", OutreachQuery("case", "PEPE")),
        ("MINE", OutreachQuery("mine")),
        ("team", OutreachQuery("team")),
        ("overdue", OutreachQuery("overdue")),
        ("assign pepe", OutreachQuery("assign", "PEPE")),  # the picker
        # The manifest escapes mentions: Slack sends <@U123|name>.
        ("assign pepe <@U0BOB|bob>", OutreachQuery("assign", "PEPE", "U0BOB", "bob")),
        ("assign pepe <@W0BOB>", OutreachQuery("assign", "PEPE", "W0BOB", None)),
    ],
)
def test_outreach_args(text: str, expected: OutreachQuery) -> None:
    assert parse_outreach_args(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mine pepe", "Unexpected `pepe` after /outreach"),
        ("assign", "Give the token"),
        ("assign pepe @bob", "Name the new owner with a mention"),
        ("assign pepe <!channel>", "Name the new owner with a mention"),
    ],
)
def test_outreach_bad_args(text: str, message: str) -> None:
    with pytest.raises(UserFacingError, match=message):
        parse_outreach_args(text)


def test_the_chart_requested() -> None:
    assert LiquidityArgs("PEPE").chart_request is None
    assert LiquidityArgs("PEPE", chart=True).chart_request == ChartRequest("PEPE")
    assert LiquidityArgs("PEPE", history_days=90).chart_request == ChartRequest(
        "PEPE", "history", 90
    )
