"""Errors that reach a liqbot user.

A use case or a Slack listener raises ``UserFacingError("Unknown token FOO. Try /liquidity help")``
when the user can do something about it: a bad argument, an unknown token, an exchange that is down.
The one Slack error handler (``bot.slack.errors``) shows ``.message`` as an ephemeral reply, and the
CLI prints it on stderr. Every other exception is a bug or an outage: the user sees only
"Something went wrong (ref …)" and the log carries the traceback under the same ref.

Any text built from a failure (a driver's message, an exchange's answer) goes through ``redact``
before it reaches a user, a terminal or a log line: the one place that knows what a secret looks
like.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# A URL's credentials end at the last '@' of the word: a password may hold ':', '@' or '/';
# greedy on purpose, hiding too much beats showing a piece.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][\w+.-]*://[^\s:/@]*:)\S*@")
_SLACK_TOKEN = re.compile(r"\b(xox[abposr]-|xapp-)[A-Za-z0-9-]+")
# Query parameters and header-like fragments that carry credentials on signed exchange requests.
_CREDENTIAL = re.compile(
    r"(?i)\b(signature|apikey|api_key|secret|passphrase|token|x-mbx-apikey|ok-access-[a-z]+)"
    r"([\"']?\s*[=:]\s*[\"']?)[^&\s,'\"}]+"
)


def redact(text: str, *secrets: str) -> str:
    """``text`` with every secret replaced by ``***``: the password of a URL
    (``postgresql://liq:***@db/x``), Slack tokens (``xoxb-***``), credential-looking parameters
    (``apikey=***``, ``signature: ***``) and each literal value in ``secrets``."""
    for secret in secrets:
        if secret:  # as given, and percent-encoded as URLs and drivers may spell it
            for spelling in (secret, quote(secret, safe="")):
                text = text.replace(spelling, "***")
    text = _URL_PASSWORD.sub(r"\1***@", text)
    text = _SLACK_TOKEN.sub(r"\1***", text)
    return _CREDENTIAL.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


class UserFacingError(Exception):
    """An error whose ``message`` is written for the analyst who typed the command.

    The message must be safe to show in Slack: no secrets, no stack traces, no internal ids.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(UserFacingError):
    """A command typed wrong (an unknown option, a value out of range): the CLI exits 2 (SPEC 2),
    Slack shows the message like any other ``UserFacingError``."""
