"""Signed requests from Slack, byte for byte in Slack's wire formats, for liqbot's Request URL.

    slack = SlackRequests(signing_secret=SIGNING_SECRET, response_urls=slack_api.new_response_url)
    req = slack.slash_command("/liquidity", "PEPE")
    await client.post(url, content=req.body, headers=req.headers)

Formats: a slash command is a form body; ``block_actions`` and ``view_submission`` are a form
body with one field, ``payload=<url-encoded JSON>``; events (``app_home_opened``) and
``url_verification`` are JSON. Signature (Slack's v0 scheme): ``X-Slack-Signature:
v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}">`` and ``X-Slack-Request-Timestamp``.
Every builder takes ``forged=True`` (signed with another secret), ``stale=True`` (timestamp six
minutes old) and ``retry_num=N`` (adds ``X-Slack-Retry-Num``/``X-Slack-Retry-Reason``).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
STALE_AGE_S = 6 * 60


def slack_signature(signing_secret: str, timestamp: int | str, body: bytes) -> str:
    """Slack's v0 request signature of ``body`` sent at ``timestamp`` (Unix seconds; a string
    signs a malformed header as it is)."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedRequest:
    """A request as Slack sends it: post ``body`` with ``headers`` to ``/slack/events``."""

    body: bytes
    headers: dict[str, str]

    @property
    def payload(self) -> dict[str, Any]:
        """The JSON or form fields carried, for assertions on what was sent."""
        if self.headers["Content-Type"] == JSON:
            return dict(json.loads(self.body))
        return dict(parse_qsl(self.body.decode(), keep_blank_values=True))


# Form-field values: plain strings for inputs, typed dicts for the rest.
def plain_input(value: str | None) -> dict[str, Any]:
    """The state of a ``plain_text_input`` in a submitted modal."""
    return {"type": "plain_text_input", "value": value}


def number_input(value: str | None) -> dict[str, Any]:
    """The state of a ``number_input`` (Slack sends the number as typed, as a string)."""
    return {"type": "number_input", "value": value}


def static_select(value: str | None) -> dict[str, Any]:
    """The state of a ``static_select``; None when nothing was chosen."""
    option = (
        None if value is None else {"text": {"type": "plain_text", "text": value}, "value": value}
    )
    return {"type": "static_select", "selected_option": option}


def datepicker(date: str | None) -> dict[str, Any]:
    """The state of a ``datepicker`` (``YYYY-MM-DD``)."""
    return {"type": "datepicker", "selected_date": date}


class SlackRequests:
    """Builds signed requests for one fictional workspace (ids match ``SlackWorkspace``)."""

    def __init__(
        self,
        signing_secret: str,
        response_urls: Callable[[], str],
        team_id: str = "T0LIQBOT",
        team_domain: str = "liqbot-test",
        api_app_id: str = "A0LIQBOT",
        bot_user_id: str = "U0LIQBOT",
        clock: Callable[[], float] = time.time,
        trigger_ids: Callable[[], str] | None = None,
    ) -> None:
        self.signing_secret = signing_secret
        self.response_urls = response_urls
        self.team_id = team_id
        self.team_domain = team_domain
        self.api_app_id = api_app_id
        self.bot_user_id = bot_user_id
        self.clock = clock
        self.trigger_ids = trigger_ids
        self._n = itertools.count(1)

    def new_trigger_id(self) -> str:
        """From ``trigger_ids`` when given (the stand-in's expire like Slack's), else made up."""
        if self.trigger_ids is not None:
            return self.trigger_ids()
        n = next(self._n)
        return f"{7_000_000_000 + n}.{4_242_424_242}.{n:032x}"

    def _sign(
        self,
        body: str,
        content_type: str,
        forged: bool = False,
        stale: bool = False,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> SignedRequest:
        raw = body.encode()
        timestamp = int(self.clock()) - (STALE_AGE_S if stale else 0)
        secret = "not-" + self.signing_secret if forged else self.signing_secret
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": slack_signature(secret, timestamp, raw),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason
        return SignedRequest(raw, headers)

    def raw(
        self, body: bytes, content_type: str | None = FORM, timestamp: str | None = None
    ) -> SignedRequest:
        """Any bytes, correctly signed (with ``timestamp`` as given, when given): for bodies Slack
        never sends and for malformed timestamps. ``content_type=None`` sends none."""
        stamp = str(int(self.clock())) if timestamp is None else timestamp
        headers = {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": slack_signature(self.signing_secret, stamp, body),
        }
        if content_type is not None:
            headers["Content-Type"] = content_type
        return SignedRequest(body, headers)

    def _user(self, user_id: str, user_name: str) -> dict[str, Any]:
        return {"id": user_id, "username": user_name, "name": user_name, "team_id": self.team_id}

    def slash_command(
        self,
        command: str,
        text: str = "",
        *,
        user_id: str = "U0ANALYST",
        user_name: str = "alice",
        channel_id: str = "C0RISKDESK",
        channel_name: str = "risk-desk",
        response_url: str | None = None,
        trigger_id: str | None = None,
        **sign: Any,
    ) -> SignedRequest:
        """A slash command (``/liquidity PEPE``) as Slack POSTs it: a form body."""
        fields = [
            ("token", "legacy-verification-token"),
            ("team_id", self.team_id),
            ("team_domain", self.team_domain),
            ("channel_id", channel_id),
            ("channel_name", channel_name),
            ("user_id", user_id),
            ("user_name", user_name),
            ("command", command),
            ("text", text),
            ("api_app_id", self.api_app_id),
            ("is_enterprise_install", "false"),
            ("response_url", response_url or self.response_urls()),
            ("trigger_id", trigger_id or self.new_trigger_id()),
        ]
        return self._sign(urlencode(fields), FORM, **sign)

    def _interactive(self, payload: dict[str, Any], sign: dict[str, Any]) -> SignedRequest:
        body = urlencode({"payload": json.dumps(payload, separators=(",", ":"))})
        return self._sign(body, FORM, **sign)

    def block_actions(
        self,
        action_id: str,
        value: str = "",
        *,
        block_id: str = "liqbot_actions",
        user_id: str = "U0ANALYST",
        user_name: str = "alice",
        channel_id: str = "C0RISKDESK",
        message: dict[str, Any] | None = None,
        view: dict[str, Any] | None = None,
        response_url: str | None = None,
        trigger_id: str | None = None,
        **sign: Any,
    ) -> SignedRequest:
        """A button click: on a message (default) or, with ``view``, in the App Home or a modal."""
        now = self.clock()
        action = {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id,
            "text": {"type": "plain_text", "text": action_id, "emoji": True},
            "value": value,
            "action_ts": f"{now:.6f}",
        }
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user_id, user_name),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": trigger_id or self.new_trigger_id(),
            "team": {"id": self.team_id, "domain": self.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
            "state": {"values": {}},
            "actions": [action],
        }
        if view is not None:
            container = {"type": "view", "view_id": view.get("id", "V00000001")}
            payload.update(container=container, view=view)
        else:
            msg = message or {
                "type": "message",
                "ts": "1700000000.000001",
                "text": "",
                "blocks": [],
            }
            payload.update(
                container={
                    "type": "message",
                    "message_ts": msg["ts"],
                    "channel_id": channel_id,
                    "is_ephemeral": False,
                },
                channel={"id": channel_id, "name": "risk-desk"},
                message=msg,
                response_url=response_url or self.response_urls(),
            )
        return self._interactive(payload, sign)

    def view_submission(
        self,
        callback_id: str,
        values: dict[str, dict[str, dict[str, Any]]],
        *,
        private_metadata: str = "",
        view_id: str = "V00000001",
        view_hash: str = "1700000001.h0001",
        user_id: str = "U0ANALYST",
        user_name: str = "alice",
        trigger_id: str | None = None,
        **sign: Any,
    ) -> SignedRequest:
        """A modal submitted; ``values`` is ``{block_id: {action_id: element state}}``."""
        view: dict[str, Any] = {
            "id": view_id,
            "team_id": self.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": view_hash,
            "title": {"type": "plain_text", "text": "liqbot"},
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": self.api_app_id,
            "bot_id": "B0LIQBOT",
        }
        payload = {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": self.team_domain},
            "user": self._user(user_id, user_name),
            "api_app_id": self.api_app_id,
            "token": "legacy-verification-token",
            "trigger_id": trigger_id or self.new_trigger_id(),
            "view": view,
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self._interactive(payload, sign)

    def app_home_opened(
        self, user_id: str = "U0ANALYST", *, event_id: str | None = None, **sign: Any
    ) -> SignedRequest:
        """The ``app_home_opened`` event (Events API ``event_callback`` JSON)."""
        now = self.clock()
        body = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": "D" + user_id[1:],
                "tab": "home",
                "event_ts": f"{now:.6f}",
            },
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._n):08d}",
            "event_time": int(now),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        return self._sign(json.dumps(body), JSON, **sign)

    def url_verification(self, challenge: str, **sign: Any) -> SignedRequest:
        """Slack's handshake when a Request URL is saved: the answer must echo ``challenge``."""
        body = {
            "token": "legacy-verification-token",
            "challenge": challenge,
            "type": "url_verification",
        }
        return self._sign(json.dumps(body), JSON, **sign)


def socket_envelope(
    request: SignedRequest, envelope_id: str, retry_attempt: int = 0
) -> dict[str, Any]:
    """The same delivery as Slack sends it over Socket Mode: an envelope, no signature.

    A slash command's form fields become ``slash_commands``, a ``payload=`` form becomes
    ``interactive`` and an event JSON becomes ``events_api`` (with its retry counters).
    """
    fields = request.payload
    if "command" in fields:
        return {
            "envelope_id": envelope_id,
            "type": "slash_commands",
            "payload": fields,
            "accepts_response_payload": True,
        }
    if "payload" in fields:
        return {
            "envelope_id": envelope_id,
            "type": "interactive",
            "payload": json.loads(fields["payload"]),
            "accepts_response_payload": True,
        }
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "payload": fields,
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }
