"""Buttons → modals → stored replies through the real app: digest-style channel messages updated
with chat.update, field errors in the modal, editors only, one record per submission."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from bot.db import repo_cases, repo_outreach
from bot.db.models import MarketMakerEngagement
from bot.domain.units import fmt_amount
from bot.presenters.actions import token_block_id
from bot.presenters.blocks_common import notes_block_id
from bot.usecases.outreach.kinds import (
    LOG_OUTREACH,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    REPLY_HAS_MM,
    SNOOZE,
)
from bot.usecases.services import Services
from bot.usecases.supply import read_demo_supply
from tests.builders import NOTHING_WRITTEN, written_rows
from tests.commands.flow import (
    DIGEST_CHANNEL,
    SYMBOL,
    checkboxes,
    metadata,
    open_modal,
    post_digest,
    submission,
)
from tests.fakes.slack_api import SlackApiStandIn
from tests.fakes.slack_fixtures import ServedBot
from tests.fakes.slack_requests import (
    SlackRequests,
    datepicker,
    number_input,
    plain_input,
    static_select,
)

Start = Callable[[Services], Awaitable[ServedBot]]
Store = Callable[[Services], Awaitable[None]]


async def test_contribution_from_a_digest_row_is_priced_stored_and_noted_in_place(
    start_liqbot: Start,
    services: Services,
    store_demo_scan: Store,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    await store_demo_scan(services)
    bot = await start_liqbot(services)
    digest = post_digest(slack_api)

    view = await open_modal(bot, slack_api, slack_requests, REPLY_CONTRIBUTE, message=digest)
    assert metadata(view) == {
        "symbol": SYMBOL,
        "channel": DIGEST_CHANNEL,
        "ts": digest["ts"],
    }
    # The modal is then filled in with what 1% of circulating supply is, in tokens and USD.
    assert len(slack_api.ok_calls("views.update")) == 1
    supply = next(r.circulating_supply for r in read_demo_supply() if r.symbol == SYMBOL)
    preview = json.dumps(view["blocks"], ensure_ascii=False)
    assert f"1% of supply = {fmt_amount(supply / 100)} {SYMBOL} ≈ $" in preview
    assert "today's home ±2% depth" in preview

    response = await bot.post(
        submission(slack_requests, view, {"pct_of_supply": number_input("3")})
    )
    assert response.status_code == 200 and response.text == ""

    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.update")) == 1)
    updated = slack_api.workspace.message(DIGEST_CHANNEL, digest["ts"])
    assert updated is not None
    ids = [b.get("block_id") for b in updated["blocks"]]
    assert ids[: ids.index(notes_block_id(SYMBOL)) + 1] == [
        token_block_id(SYMBOL),
        notes_block_id(SYMBOL),
    ]
    # The row shows the state as it is now, the note what was logged, dated, and by whom.
    row = updated["blocks"][0]["text"]["text"]
    assert row == f"*{SYMBOL}* · high\nOutreach: in talks · pledged 3% · owner <@U0ANALYST>"
    note = updated["blocks"][1]["elements"][0]["text"]
    assert note.startswith(
        f":memo: Will contribute 3% of circulating supply: {fmt_amount(supply * 0.03)} tokens = $"
    )
    assert " at the mid of 2026-11-25 12:00 UTC" in note and note.endswith("<@U0ANALYST> (#1)")
    rows = await written_rows(services)
    assert (rows["case_events"], rows["audit_log"]) == (1, 1)
    async with services.session() as session:
        [pledge] = await repo_cases.case_events(session)
    assert pledge.details["pct_of_supply"] == 3 and pledge.details["tokens"] == supply * 0.03

    # A second note keeps the first one (the message is read from the click, then updated).
    view = await open_modal(bot, slack_api, slack_requests, SNOOZE, message=updated)
    await bot.post(submission(slack_requests, view, {"days": number_input("14")}))
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.update")) == 2)
    final = slack_api.workspace.message(DIGEST_CHANNEL, digest["ts"])
    assert final is not None
    notes = next(b for b in final["blocks"] if b.get("block_id") == notes_block_id(SYMBOL))
    what = [e["text"].removeprefix(":memo: ") for e in notes["elements"]]
    assert what[0].startswith("Will contribute 3%")
    assert what[1] == (
        "Snoozed for 14 days, until 2026-12-09 12:00 UTC — logged by <@U0ANALYST> (#2)"
    )
    assert final["blocks"][0]["text"]["text"].endswith(
        "Outreach: in talks · pledged 3% · snoozed until 2026-12-09 · owner <@U0ANALYST>"
    )


async def test_field_errors_show_in_the_modal_and_nothing_is_written(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    view = await open_modal(bot, slack_api, slack_requests, REPLY_HAS_MM)
    values = {
        "mm_name": plain_input("  "),
        "since": datepicker("2026-11-20"),
        "until": datepicker("2026-11-10"),
        "max_spread_bps": number_input("-5"),
    }
    response = await bot.post(submission(slack_requests, view, values))

    assert response.status_code == 200
    assert response.json() == {
        "response_action": "errors",
        "errors": {
            "mm_name": "Required.",
            "until": "The contract end must be after the start date.",
            "max_spread_bps": "The maximum spread must be above 0 bps.",
        },
    }
    view = await open_modal(bot, slack_api, slack_requests, REPLY_CONTRIBUTE)
    response = await bot.post(
        submission(slack_requests, view, {"pct_of_supply": number_input("150")})
    )
    assert response.json()["errors"] == {
        "pct_of_supply": "The contribution must be more than 0% and at most 100%."
    }
    assert await written_rows(services) == NOTHING_WRITTEN


async def test_text_the_database_cannot_store_is_refused_in_the_modal(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    longest = MarketMakerEngagement.__table__.c.mm_name.type.length  # type: ignore[attr-defined]
    cases = [
        (
            LOG_OUTREACH,
            {
                "channel": static_select("email"),
                "contact": plain_input("pepe\x00team"),  # PostgreSQL text holds no NUL
                "notes": plain_input("half an emoji \ud83d"),  # no driver encodes it
            },
            {
                "contact": "Cannot be saved: it contains a NUL character.",
                "notes": "Cannot be saved: it contains an unpaired surrogate (U+D83D), not "
                "valid Unicode.",
            },
        ),
        (
            REPLY_HAS_MM,
            {"mm_name": plain_input("M" * (longest + 1))},
            {"mm_name": f"At most {longest} characters ({longest + 1} given)."},
        ),
        (
            REPLY_DECLINED,
            {"reason": plain_input("no\x00budget"), "questions": checkboxes("contribution")},
            {"reason": "Cannot be saved: it contains a NUL character."},
        ),
    ]
    for form, values, errors in cases:
        view = await open_modal(bot, slack_api, slack_requests, form)
        response = await bot.post(submission(slack_requests, view, values))
        assert response.status_code == 200
        assert response.json() == {"response_action": "errors", "errors": errors}, form.title

    assert await written_rows(services) == NOTHING_WRITTEN
    # Each input says how much it takes: its column's length where it has one.
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["reason"]["max_length"] == 3000
    view = await open_modal(bot, slack_api, slack_requests, REPLY_HAS_MM)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["mm_name"]["max_length"] == longest


async def test_replies_are_stored_and_feed_the_market_maker_status(
    start_liqbot: Start,
    services: Services,
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    bot = await start_liqbot(services)
    view = await open_modal(bot, slack_api, slack_requests, REPLY_HAS_MM)
    values = {
        "mm_name": plain_input("Acme Liquidity"),
        "since": datepicker("2026-11-01"),
        "min_depth_usd": number_input("25000"),
    }
    await bot.post(submission(slack_requests, view, values))
    # The clicked message is unknown here (no blocks in it, no channel history): the note comes
    # to the user as an ephemeral message instead.
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.postEphemeral")) == 1)
    [ephemeral] = slack_api.workspace.ephemerals
    assert ephemeral["text"] == (
        ":memo: Has market maker Acme Liquidity (since 2026-11-01; min ±2% depth $25k) — logged "
        "by <@U0ANALYST> (#1)"
    )
    async with services.session() as session:
        [engagement] = await repo_outreach.engagements(session, [SYMBOL])
    assert (engagement.mm_name, engagement.status, engagement.min_depth_usd) == (
        "Acme Liquidity",
        "engaged",
        25000,
    )

    # "No market maker" contradicts Acme on record: the modal asks to confirm, then stores.
    view = await open_modal(bot, slack_api, slack_requests, REPLY_DECLINED)
    values = {"reason": plain_input("no budget"), "questions": checkboxes("market_maker")}
    refused = await bot.post(submission(slack_requests, view, values))
    assert refused.json() == {
        "response_action": "errors",
        "errors": {
            "confirm": "Acme Liquidity is on record as their market maker. Tick the box to "
            "record that they now say they have none."
        },
    }
    assert (await written_rows(services))["case_events"] == 1
    confirmed = {**values, "confirm": checkboxes("yes")}
    assert (await bot.post(submission(slack_requests, view, confirmed))).text == ""
    await slack_api.async_wait_for(lambda: len(slack_api.ok_calls("chat.postEphemeral")) == 2)
    async with services.session() as session:
        engagements = await repo_outreach.engagements(session, [SYMBOL])
    assert [e.status for e in engagements] == ["engaged", "none"]
    rows = await written_rows(services)
    assert (rows["case_events"], rows["mm_engagements"], rows["audit_log"]) == (2, 2, 2)


async def test_non_editors_are_refused_at_the_button_and_at_submission(
    start_liqbot: Start,
    make_services: Callable[..., Services],
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    services = make_services(editor_user_ids="U0EDITOR")
    bot = await start_liqbot(services)
    click = slack_requests.block_actions(
        LOG_OUTREACH.action_id, SYMBOL, block_id=f"actions:{SYMBOL}"
    )
    assert (await bot.post(click)).status_code == 200
    url = json.loads(click.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)
    [refusal] = slack_api.responses(url)
    assert refusal.payload["response_type"] == "ephemeral"
    assert refusal.payload["text"].startswith("Only the listing and risk editors can log")
    assert slack_api.calls("views.open") == []

    # A submission of a modal opened by someone else (or replayed) is refused before it closes.
    view = await open_modal(bot, slack_api, slack_requests, LOG_OUTREACH, user_id="U0EDITOR")
    values = {"channel": static_select("email")}
    response = await bot.post(submission(slack_requests, view, values, user_id="U0ANALYST"))
    assert response.status_code == 200
    assert response.json()["response_action"] == "push"
    assert "Only the listing and risk editors" in json.dumps(response.json()["view"])
    assert await written_rows(services) == NOTHING_WRITTEN


async def test_editor_user_groups_are_resolved_through_slack_and_cached(
    start_liqbot: Start,
    make_services: Callable[..., Services],
    slack_api: SlackApiStandIn,
    slack_requests: SlackRequests,
) -> None:
    slack_api.workspace.usergroups["S0LISTING"] = ["U0ANALYST"]
    services = make_services(editor_usergroup_ids="S0LISTING")
    bot = await start_liqbot(services)

    await open_modal(bot, slack_api, slack_requests, LOG_OUTREACH)
    await open_modal(bot, slack_api, slack_requests, SNOOZE)
    outsider = slack_requests.block_actions(SNOOZE.action_id, SYMBOL, user_id="U0OUTSIDER")
    await bot.post(outsider)
    url = json.loads(outsider.payload["payload"])["response_url"]
    await slack_api.async_wait_for(lambda: len(slack_api.responses(url)) == 1)

    assert "Only the listing and risk editors" in slack_api.responses(url)[0].payload["text"]
    assert len(slack_api.ok_calls("views.open")) == 2
    assert len(slack_api.calls("usergroups.users.list")) == 1  # members cached for a minute
