"""What every slash command does with its text before any use case runs: length and word limits,
``help``, and the help reply. Pure functions; the per-command parsers build on them."""

from __future__ import annotations

from bot.errors import UsageError
from bot.presenters.blocks_common import Reply, section
from bot.usecases.args import parse_symbol, shown

TEXT_LIMIT = 200
"""Characters a command's text may have; longer text is refused before it is split or quoted."""
HELP_WORDS = frozenset({"help", "-h", "--help", "?"})


def words_of(text: str | None, command: str) -> list[str] | None:
    """The words of a command's text, or None when the user asked for ``help``.

    Raises ``UserFacingError`` for text over ``TEXT_LIMIT`` characters; the message never
    repeats the text.
    """
    raw = (text or "").strip()
    if len(raw) > TEXT_LIMIT:
        raise UsageError(
            f"That is {len(raw):,} characters: {command} takes a few short words. "
            f"Try `{command} help`."
        )
    words = raw.split()
    if len(words) == 1 and words[0].lower() in HELP_WORDS:
        return None
    return words


def no_more_words(words: list[str], count: int, command: str) -> None:
    """Refuses what follows the first ``count`` words (checked after those parsed, so the user
    hears first about the token symbol)."""
    if len(words) > count:
        extra = shown(" ".join(words[count:]))
        raise UsageError(f"Unexpected `{extra}` after {command}. Try `{command} help`.")


def help_reply(usage: str) -> Reply:
    """A command's usage as a reply (mrkdwn in Slack, the same text in a terminal)."""
    return Reply(text=usage, blocks=[section(usage)], summary=usage.splitlines()[0])


def token_argument(text: str | None, command: str) -> str | None:
    """The one TOKEN argument of ``/mm TOKEN`` or ``/outreach TOKEN``; None = show help."""
    words = words_of(text, command)
    if not words:
        return None
    symbol = parse_symbol(words[0])
    no_more_words(words, 1, command)
    return symbol
