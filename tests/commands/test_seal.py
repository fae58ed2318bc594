"""The private_metadata seal: which key, what it covers, and that nothing else verifies."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from commands.origin import Origin
from commands.seal import TamperedForm, seal, seal_key, unseal

FORM = "log_outreach_modal"


def settings(signing_secret: str | None = None, bot_token: str | None = None) -> Settings:
    return Settings(
        _env_file=None,
        slack_signing_secret=SecretStr(signing_secret) if signing_secret else None,
        slack_bot_token=SecretStr(bot_token) if bot_token else None,
    )


def test_the_key_comes_from_the_signing_secret_else_the_bot_token_else_this_process() -> None:
    signed = seal_key(settings("secret-1", "xoxb-1"))
    assert seal_key(settings("secret-1", "xoxb-2")) == signed  # every replica: the same key
    assert seal_key(settings("secret-2", "xoxb-1")) != signed
    assert signed not in (b"secret-1", b"secret-1".ljust(32, b"\0"))  # derived, not the secret
    socket_mode = seal_key(settings(bot_token="xoxb-1"))
    assert socket_mode == seal_key(settings(bot_token="xoxb-1")) != signed
    assert seal_key(settings()) == seal_key(settings())  # one random key per process
    assert seal_key(settings()) not in (signed, socket_mode)


def test_an_origin_round_trips_through_its_seal() -> None:
    key = seal_key(settings("secret-1"))
    origin = Origin("币安人生", channel="C1", ts="1700000000.000100")
    metadata = origin.sealed(FORM, key)

    assert Origin.unsealed(metadata, FORM, key) == origin
    assert set(json.loads(metadata)) == {"symbol", "channel", "ts", "mac"}
    assert len(metadata) < 3000


@pytest.mark.parametrize(
    "forge",
    [
        lambda fields: {**fields, "channel": "C2"},
        lambda fields: {**fields, "response_url": "https://attacker.example/hook"},
        lambda fields: {**fields, "symbol": "NOTLISTED"},
        lambda fields: {k: v for k, v in fields.items() if k != "mac"},
        lambda fields: {**fields, "mac": fields["mac"].upper()},
        lambda fields: {**fields, "mac": "é" * 64},
        lambda fields: ["not", "an", "object"],
    ],
    ids=["channel", "response_url", "symbol", "no mac", "mac case", "non-ascii mac", "list"],
)
def test_any_change_is_refused(forge: object) -> None:
    key = seal_key(settings("secret-1"))
    fields = json.loads(seal({"symbol": "PEPE", "channel": "C1", "ts": "1.2"}, FORM, key))
    crafted = json.dumps(forge(fields))  # type: ignore[operator]

    with pytest.raises(TamperedForm, match="could not be verified"):
        unseal(crafted, FORM, key)


def test_a_seal_holds_for_its_own_form_and_key_only() -> None:
    key = seal_key(settings("secret-1"))
    metadata = seal({"symbol": "PEPE", "home": True}, FORM, key)

    assert unseal(metadata, FORM, key) == {"symbol": "PEPE", "home": True}
    for form, other_key in [("snooze_modal", key), (FORM, seal_key(settings("secret-2")))]:
        with pytest.raises(TamperedForm):
            unseal(metadata, form, other_key)
    for junk in ("", "{", "null", '{"symbol": "PEPE"}'):
        with pytest.raises(TamperedForm):
            unseal(junk, FORM, key)
