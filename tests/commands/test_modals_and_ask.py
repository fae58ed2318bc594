"""The outreach forms as modals (valid views, inputs named like the forms' fields, values read
back), the depth chart PNG, and `liqbot ask` running the Slack commands without Slack."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.cli.ask import ask, split_command_line
from bot.domain.contribution import contribution
from bot.domain.outreach import derive_case
from bot.domain.timeline import CaseEvent
from bot.errors import UserFacingError
from bot.market.demo import DEMO_BANNER
from bot.presenters.blocks_modals import WORKING_OUT, outreach_modal, submitted_values
from bot.presenters.chart import depth_chart_png
from bot.usecases.depth_chart import DepthChart
from bot.usecases.outreach import (
    ALL_FORMS,
    OUTREACH_FORMS,
    ContributionPreview,
    FormValues,
    InvalidSubmission,
    OutreachForm,
)
from bot.usecases.outreach.corrections import correction_form
from bot.usecases.outreach.form import FormDefaults
from bot.usecases.outreach.kinds import LOG_OUTREACH, REPLY_CONTRIBUTE, REPLY_HAS_MM
from bot.usecases.services import Services
from tests.commands.flow import checkboxes
from tests.conftest import sqlite_only
from tests.fakes.slack_blocks import view_errors
from tests.fakes.slack_requests import datepicker, number_input, plain_input, static_select

TODAY = date(2026, 11, 25)
DEFAULTS = FormDefaults(TODAY, followup_days=7)


def read_errors(form: OutreachForm[Any], values: dict[str, Any]) -> dict[str, str]:
    """The field errors of ``form`` for submitted ``values`` (empty when they are valid)."""
    try:
        form.read(FormValues(values), TODAY)
    except InvalidSubmission as invalid:
        return invalid.errors
    return {}


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda form: form.action_id)
def test_every_modal_is_a_valid_view_whose_inputs_are_the_forms_fields(
    form: OutreachForm[Any],
) -> None:
    view = outreach_modal(form, "ZORB", '{"symbol":"ZORB"}', DEFAULTS)
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]

    assert view_errors(view) == []
    assert view["callback_id"] == form.callback_id == f"{form.action_id}_modal"
    assert view["private_metadata"] == '{"symbol":"ZORB"}'
    assert all(b["element"]["action_id"] == b["block_id"] for b in view["blocks"] if "element" in b)
    assert inputs == [field.name for field in form.inputs]
    assert inputs[-1:] == (["confirm"] if form.confirmable else inputs[-1:])
    # Every field the rules can complain about has an input of that name.
    assert set(read_errors(form, dict.fromkeys(inputs))) <= set(inputs)


def test_every_form_has_its_own_button_and_modal() -> None:
    assert len({f.action_id for f in ALL_FORMS}) == len(ALL_FORMS)
    assert len({f.callback_id for f in ALL_FORMS}) == len(ALL_FORMS)
    assert [f.action_id for f in OUTREACH_FORMS] == [
        "log_outreach",
        "reply_has_mm",
        "reply_contribute",
        "reply_declined",
        "snooze",
    ]  # the contract with every message already posted


def test_modal_details() -> None:
    outreach = outreach_modal(LOG_OUTREACH, "ZORB", "{}", DEFAULTS)
    assert outreach["blocks"][0]["text"]["text"] == (
        "Log that the team contacted the *ZORB* project: it asks both questions (market "
        "maker, contribution). The first to contact a project owns its case."
    )
    followup = next(b for b in outreach["blocks"] if b.get("block_id") == "followup_on")
    assert followup["element"]["initial_date"] == "2026-12-02"  # today + FOLLOWUP_DAYS
    waiting = outreach_modal(REPLY_CONTRIBUTE, "ZORB", "{}", DEFAULTS)
    assert waiting["blocks"][1]["elements"][0]["text"] == WORKING_OUT
    scenario = contribution(1, 1e9, None, None)
    taken = datetime(2026, 11, 25, 11, tzinfo=UTC)
    preview = ContributionPreview("ZORB", 1e9, None, None, (scenario,), taken, "Europe/Berlin")
    priced = outreach_modal(REPLY_CONTRIBUTE, "ZORB", "{}", DEFAULTS, preview)
    assert priced["blocks"][1]["text"]["text"] == "• 1% of supply = 10M ZORB (no home price)"
    assert priced["blocks"][2]["elements"][0]["text"] == "From the scan of 2026-11-25 12:00 CET"


def test_a_correction_opens_with_the_values_it_fixes() -> None:
    event = CaseEvent(
        7, "ZORB", "declined", datetime(2026, 11, 25, tzinfo=UTC), "U1", "alice",
        {"reason": "no budget", "questions": ["contribution", "market_maker"]},
    )  # fmt: skip
    [entry] = derive_case("ZORB", [event], datetime(2026, 11, 26, tzinfo=UTC)).entries
    form = correction_form(entry)
    view = outreach_modal(form, "ZORB", "{}", DEFAULTS)
    assert view_errors(view) == [] and view["callback_id"] == "case_correct_modal"
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == ["questions", "reason", "note", "confirm"]
    assert [o["value"] for o in inputs["questions"]["initial_options"]] == [
        "contribution",
        "market_maker",
    ]
    assert inputs["reason"]["initial_value"] == "no budget"
    assert "initial_value" not in inputs["note"]
    agreed = CaseEvent(8, "ZORB", "agreed", event.at, "U1", "alice", {"tokens": 7985768.7816})
    [entry] = derive_case("ZORB", [agreed], datetime(2026, 11, 26, tzinfo=UTC)).entries
    tokens = outreach_modal(correction_form(entry), "ZORB", "{}", DEFAULTS)["blocks"][1]
    assert tokens["element"]["initial_value"] == "7985768.7816"  # in full, never 7.99e+06


def test_submitted_values() -> None:
    state = {
        "mm_name": {"mm_name": plain_input("Acme")},
        "since": {"since": datepicker("2026-11-01")},
        "until": {"until": datepicker(None)},
        "max_spread_bps": {"max_spread_bps": number_input("12.5")},
        "channel": {"channel": static_select(None)},
        "questions": {"questions": checkboxes("market_maker")},
    }
    values = submitted_values({"state": {"values": state}})
    assert values == FormValues(
        {
            "mm_name": "Acme",
            "since": "2026-11-01",
            "until": None,
            "max_spread_bps": "12.5",
            "channel": None,
            "questions": ["market_maker"],
        }
    )
    assert values.chosen("questions") == ("market_maker",)
    assert values.text("questions") is None and values.chosen("mm_name") == ()
    assert read_errors(REPLY_HAS_MM, dict(values.values)) == {}


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
