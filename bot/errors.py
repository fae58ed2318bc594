"""Errors that reach a liqbot user.

A use case or a Slack listener raises ``UserFacingError("Unknown token FOO. Try /liquidity help")``
when the user can do something about it: a bad argument, an unknown token, an exchange that is down.
The one Slack error handler (``bot.slack.errors``) shows ``.message`` as an ephemeral reply, and the
CLI prints it on stderr. Every other exception is a bug or an outage: the user sees only
"Something went wrong (ref …)" and the log carries the traceback under the same ref.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose ``message`` is written for the analyst who typed the command.

    The message must be safe to show in Slack: no secrets, no stack traces, no internal ids.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
