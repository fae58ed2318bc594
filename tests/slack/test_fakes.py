"""The test doubles hold to Slack's contracts: if they drifted, every Slack test would lie."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import httpx
import pytest
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import Clock, SignatureVerifier

from bot.settings import Settings
from bot.slack.app import build_web_client
from tests.fakes.slack_api import RESPONSE_URL_USES, SlackApiStandIn
from tests.fakes.slack_fixtures import SIGNING_SECRET
from tests.fakes.slack_requests import SlackRequests, slack_signature

NOW = 1_760_000_000.0


def requests_at(now: float) -> SlackRequests:
    return SlackRequests(SIGNING_SECRET, lambda: "http://127.0.0.1:1/response/1", clock=lambda: now)


def test_signature_matches_slack_docs_example() -> None:
    # The worked example of Slack's "Verifying requests from Slack" page.
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    assert slack_signature("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


@pytest.mark.parametrize(
    ("forged", "stale", "valid"), [(False, False, True), (True, False, False), (False, True, False)]
)
def test_signed_requests_pass_or_fail_slack_sdks_own_verifier(
    forged: bool, stale: bool, valid: bool
) -> None:
    request = requests_at(NOW).slash_command("/liquidity", "PEPE", forged=forged, stale=stale)
    verifier = SignatureVerifier(SIGNING_SECRET, clock=_FixedClock(NOW))
    assert verifier.is_valid_request(request.body, request.headers) is valid


def test_stale_means_six_minutes_old_and_retries_carry_slacks_headers() -> None:
    request = requests_at(NOW).app_home_opened("U0VIEWER", stale=True, retry_num=2)
    assert request.headers["X-Slack-Request-Timestamp"] == str(int(NOW) - 360)
    assert request.headers["X-Slack-Retry-Num"] == "2"
    assert request.headers["X-Slack-Retry-Reason"] == "http_timeout"


def test_slash_command_is_a_form_body_with_slacks_fields() -> None:
    request = requests_at(NOW).slash_command("/liquidity", "PEPE binance", user_id="U0BOB")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert b"command=%2Fliquidity&text=PEPE+binance" in request.body
    fields = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    assert list(fields) == [
        "token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
        "command", "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id",
    ]  # fmt: skip
    assert fields["user_id"] == "U0BOB" and fields["text"] == "PEPE binance"


def test_interactive_payloads_are_one_url_encoded_json_field() -> None:
    slack = requests_at(NOW)
    click = slack.block_actions("reply_contribution", "PEPE")
    submit = slack.view_submission("reply_contribution", {}, private_metadata='{"token":"PEPE"}')
    for request, kind in ((click, "block_actions"), (submit, "view_submission")):
        (name, value), *rest = parse_qsl(request.body.decode())
        assert name == "payload" and rest == []
        assert json.loads(value)["type"] == kind
    click_payload = json.loads(click.payload["payload"])
    assert click_payload["actions"][0]["value"] == "PEPE"
    assert click_payload["response_url"].startswith("http://127.0.0.1:1/response/")
    assert json.loads(submit.payload["payload"])["view"]["private_metadata"] == '{"token":"PEPE"}'


class _FixedClock(Clock):
    def __init__(self, now: float) -> None:
        self.value = now

    def now(self) -> float:
        return self.value


# ---- the Web API stand-in -------------------------------------------------------------------


async def test_files_upload_v2_lands_in_the_stand_in(
    slack_settings: Settings, slack_api: SlackApiStandIn
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client = build_web_client(slack_settings)

    answer = await client.files_upload_v2(
        channel="C0RISKDESK", content=png, filename="pepe-depth.png", title="PEPE ±2% depth"
    )

    assert answer["ok"] is True
    (upload,) = slack_api.workspace.uploads.values()
    assert (upload.data, upload.filename, upload.title) == (png, "pepe-depth.png", "PEPE ±2% depth")
    assert upload.channel_id == "C0RISKDESK" and upload.completed
    methods = [c.method for c in slack_api.calls()]
    assert methods == ["files.getUploadURLExternal", "files.completeUploadExternal"]


async def test_a_wrong_bot_token_is_refused(slack_api: SlackApiStandIn) -> None:
    settings = Settings(
        _env_file=None,
        slack_bot_token=SecretStr("xoxb-not-the-token"),
        slack_api_url=slack_api.api_url,
    )
    with pytest.raises(SlackApiError) as raised:
        await build_web_client(settings).chat_postMessage(channel="C1", text="hi")
    assert raised.value.response["error"] == "invalid_auth"
    assert slack_api.workspace.messages == {}


async def test_blocks_slack_would_refuse_are_refused(
    slack_settings: Settings, slack_api: SlackApiStandIn
) -> None:
    client = build_web_client(slack_settings)
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]

    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="digest", blocks=too_long)

    assert raised.value.response["error"] == "invalid_blocks"
    assert raised.value.response["errors"] == [
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]
    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="d", blocks=[{"type": "divider"}] * 51)
    ok = await client.chat_postMessage(channel="C1", text="digest", blocks=[{"type": "divider"}])
    assert ok["ok"] is True


async def test_messages_update_in_place_and_read_back_newest_first(
    slack_settings: Settings, slack_api: SlackApiStandIn
) -> None:
    client = build_web_client(slack_settings)
    first = await client.chat_postMessage(channel="C0DIGEST", text="PEPE at risk")
    await client.chat_postMessage(channel="C0DIGEST", text="WIF at risk")

    await client.chat_update(channel="C0DIGEST", ts=first["ts"], text="Outreach logged by @alice")
    history = await client.conversations_history(channel="C0DIGEST")

    assert [m["text"] for m in history["messages"]] == ["WIF at risk", "Outreach logged by @alice"]
    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel="C0DIGEST", ts="1.000000", text="x")
    assert raised.value.response["error"] == "message_not_found"


async def test_history_pages_time_ranges_metadata_and_scopes_as_slack_answers_them(
    slack_settings: Settings, slack_api: SlackApiStandIn
) -> None:
    client = build_web_client(slack_settings)
    meta = {"event_type": "liqbot_followup", "event_payload": {"step": "remind"}}
    dm = await client.conversations_open(users="U0ALICE")
    posted = [
        await client.chat_postMessage(channel="U0ALICE", text=f"m{n}", metadata=meta)
        for n in range(5)
    ]
    await client.chat_postMessage(channel="U0ALICE", text="reply", thread_ts=posted[0]["ts"])
    channel = dm["channel"]["id"]
    assert posted[0]["channel"] == channel
    again = await client.conversations_open(users="U0ALICE")
    assert (again["already_open"], again["channel"]["id"]) == (True, channel)

    first = await client.conversations_history(
        channel=channel, oldest=posted[1]["ts"], limit=2, include_all_metadata=True
    )
    cursor = first["response_metadata"]["next_cursor"]
    rest = await client.conversations_history(
        channel=channel, oldest=posted[1]["ts"], limit=2, cursor=cursor
    )

    assert [m["text"] for m in first["messages"]] == ["m4", "m3"]  # newest first, no replies
    assert first["has_more"] is True and first["messages"][0]["metadata"] == meta
    assert [m["text"] for m in rest["messages"]] == ["m2"]  # ``oldest`` itself is left out
    assert rest["has_more"] is False and "metadata" not in rest["messages"][0]
    exact = await client.conversations_history(
        channel=channel, oldest=posted[1]["ts"], latest=posted[1]["ts"], inclusive=True
    )
    assert [m["text"] for m in exact["messages"]] == ["m1"]
    slack_api.workspace.scopes.discard("im:history")
    with pytest.raises(SlackApiError) as raised:
        await client.conversations_history(channel=channel)
    assert (raised.value.response["error"], raised.value.response["needed"]) == (
        "missing_scope",
        "im:history",
    )


async def test_users_groups_and_views(slack_settings: Settings, slack_api: SlackApiStandIn) -> None:
    slack_api.workspace.usergroups["S0LISTING"] = ["U0ALICE", "U0BOB"]
    client = build_web_client(slack_settings)

    members = await client.usergroups_users_list(usergroup="S0LISTING")
    user = await client.users_info(user="U0ALICE")
    modal = {
        "type": "modal",
        "callback_id": "log_outreach",
        "title": {"type": "plain_text", "text": "Log outreach"},
        "blocks": [],
    }
    opened = await client.views_open(trigger_id="1.2.3", view=modal)
    updated = await client.views_update(
        view_id=opened["view"]["id"], hash=opened["view"]["hash"], view=modal
    )

    assert members["users"] == ["U0ALICE", "U0BOB"]
    assert user["user"]["id"] == "U0ALICE"
    assert updated["view"]["id"] == opened["view"]["id"]
    with pytest.raises(SlackApiError) as raised:  # the hash of the first version is stale now
        await client.views_update(
            view_id=opened["view"]["id"], hash=opened["view"]["hash"], view=modal
        )
    assert raised.value.response["error"] == "hash_conflict"
    with pytest.raises(SlackApiError):  # Slack caps modal titles at 24 characters
        title = {"type": "plain_text", "text": "Reply: will contribute 3% of supply"}
        await client.views_open(trigger_id="1.2.4", view={**modal, "title": title})


def test_response_urls_work_from_sync_code_and_allow_five_posts(
    slack_api: SlackApiStandIn,
) -> None:
    url = slack_api.new_response_url()
    with httpx.Client() as http:
        statuses = [
            http.post(url, json={"text": f"answer {i}"}).status_code
            for i in range(RESPONSE_URL_USES + 1)
        ]
        empty = http.post(slack_api.new_response_url(), json={"response_type": "ephemeral"})

    slack_api.wait_for(lambda: len(slack_api.responses()) == RESPONSE_URL_USES + 2)
    assert statuses == [200] * RESPONSE_URL_USES + [404]
    assert empty.status_code == 400 and empty.text == "no_text"
    assert [r.payload["text"] for r in slack_api.responses(url)][:2] == ["answer 0", "answer 1"]
