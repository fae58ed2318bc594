"""The outreach modals (valid views, inputs named like the validators' fields, values read back),
the depth chart PNG, and `liqbot ask` running the Slack commands without Slack."""

from __future__ import annotations

import struct
from datetime import date

import pytest

from bot.cli.ask import ask, split_command_line
from bot.errors import UserFacingError
from bot.market.demo import DEMO_BANNER
from bot.presenters.actions import ACTION_IDS, LOG_OUTREACH, REPLY_CONTRIBUTE, REPLY_HAS_MM
from bot.presenters.blocks_modals import (
    ACTION_OF_CALLBACK,
    CALLBACK_IDS,
    WORKING_OUT,
    outreach_modal,
    submitted_values,
)
from bot.presenters.chart import depth_chart_png
from bot.usecases.depth_chart import DepthChart
from bot.usecases.outreach import (
    validate_contribution,
    validate_declined,
    validate_has_mm,
    validate_outreach,
    validate_snooze,
)
from bot.usecases.services import Services
from commands.outreach_modals import field_errors
from tests.commands.flow import checkboxes
from tests.conftest import sqlite_only
from tests.fakes.slack_blocks import view_errors
from tests.fakes.slack_requests import datepicker, number_input, plain_input, static_select

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("action_id", ACTION_IDS)
def test_every_modal_is_a_valid_view_whose_inputs_are_the_validators_fields(action_id: str) -> None:
    view = outreach_modal(action_id, "ZORB", '{"symbol":"ZORB"}', TODAY, followup_days=7)
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]

    assert view_errors(view) == []
    assert ACTION_OF_CALLBACK[view["callback_id"]] == action_id
    assert view["private_metadata"] == '{"symbol":"ZORB"}'
    assert all(b["element"]["action_id"] == b["block_id"] for b in view["blocks"] if "element" in b)
    # Every field a validator can complain about has an input of that name.
    empty = dict.fromkeys(inputs)
    assert set(field_errors(action_id, empty, TODAY)) <= set(inputs)


def test_validators_name_their_fields_like_the_inputs() -> None:
    assert set(validate_outreach(None, None, None, "2020-01-01", TODAY)) == {
        "channel",
        "followup_on",
    }
    assert set(validate_has_mm(None, "2027-01-01", None, "x", "0", TODAY)) == {
        "mm_name",
        "since",
        "max_spread_bps",
        "min_depth_usd",
    }
    assert set(validate_contribution("0")) == {"pct_of_supply"}
    assert set(validate_declined("")) == {"reason"}
    assert set(validate_snooze("91")) == {"days"}


def test_modal_details() -> None:
    outreach = outreach_modal(LOG_OUTREACH, "ZORB", "{}", TODAY, followup_days=7)
    followup = next(b for b in outreach["blocks"] if b.get("block_id") == "followup_on")
    assert followup["element"]["initial_date"] == "2026-12-02"  # today + FOLLOWUP_DAYS
    waiting = outreach_modal(REPLY_CONTRIBUTE, "ZORB", "{}", TODAY, 7)
    assert waiting["blocks"][1]["elements"][0]["text"] == WORKING_OUT
    priced = outreach_modal(REPLY_CONTRIBUTE, "ZORB", "{}", TODAY, 7, ["1% of supply = 10M ZORB"])
    assert priced["blocks"][1]["text"]["text"] == "• 1% of supply = 10M ZORB"
    assert set(CALLBACK_IDS.values()) == set(ACTION_OF_CALLBACK)


def test_submitted_values() -> None:
    state = {
        "mm_name": {"mm_name": plain_input("Acme")},
        "since": {"since": datepicker("2026-11-01")},
        "until": {"until": datepicker(None)},
        "max_spread_bps": {"max_spread_bps": number_input("12.5")},
        "channel": {"channel": static_select(None)},
        "no_market_maker": {"no_market_maker": checkboxes("no_market_maker")},
    }
    assert submitted_values({"state": {"values": state}}) == {
        "mm_name": "Acme",
        "since": "2026-11-01",
        "until": None,
        "max_spread_bps": "12.5",
        "channel": None,
        "no_market_maker": ["no_market_maker"],
    }
    assert field_errors(REPLY_HAS_MM, submitted_values({"state": {"values": state}}), TODAY) == {}


def test_depth_chart_png() -> None:
    chart = DepthChart(
        exchange="binance",
        symbol="ZORB/USDT",
        mid_usd=0.02,
        band_pct=5.0,
        bids=((0.0199, 1_000.0), (0.0195, 5_000.0), (0.019, 9_000.0)),
        asks=((0.0201, 2_000.0), (0.0205, 4_000.0)),
    )
    png = depth_chart_png(chart, watermark="DEMO DATA")

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert (width, height) == (880, 495)  # 8 × 4.5 inches at 110 dpi
    one_sided = DepthChart("binance", "ZORB/USDT", 0.02, 5.0, bids=(), asks=((0.0201, 10.0),))
    assert depth_chart_png(one_sided)[:8] == b"\x89PNG\r\n\x1a\n"


def test_split_command_line() -> None:
    assert split_command_line("  /Liquidity pepe okx ") == ("/liquidity", "pepe okx")
    assert split_command_line("mm PEPE") == ("/mm", "PEPE")
    with pytest.raises(UserFacingError, match="Give a command"):
        split_command_line("   ")


@sqlite_only
async def test_ask_runs_the_slack_commands_without_slack(services: Services) -> None:
    answer = await ask(services, "/liquidity zibbka chart")

    assert answer.text.startswith(f"{DEMO_BANNER}\nZIBBKA")
    assert "Contribution to the savings pools:" in answer.text
    assert answer.blocks[0]["elements"][0]["text"] == f":warning: *{DEMO_BANNER}*"
    assert answer.chart_filename == "ZIBBKA-USDT-binance-depth.png"
    assert answer.chart_png is not None and answer.chart_png[:4] == b"\x89PNG"
    help_answer = await ask(services, "atrisk help")
    assert help_answer.text.splitlines()[1].startswith("*/atrisk [N] [high|medium]*")
    with pytest.raises(UserFacingError, match="Unknown command `/foo`"):
        await ask(services, "/foo bar")
    with pytest.raises(UserFacingError, match="No market for NOPE"):
        await ask(services, "/liquidity NOPE")
