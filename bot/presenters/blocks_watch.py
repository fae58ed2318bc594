"""The answers to `/watch TOKEN` and `/unwatch TOKEN`: what changed, and the watch list now."""

from __future__ import annotations

from dataclasses import replace

from bot.presenters.blocks_common import Reply, escape, mention, section
from bot.usecases.watch import WatchAnswer

LIST_LIMIT = 40


def _listed(answer: WatchAnswer) -> str:
    symbols = answer.watched
    if not symbols:
        return "Watched: none."
    shown = ", ".join(symbols[:LIST_LIMIT])
    more = f" and {len(symbols) - LIST_LIMIT} more" if len(symbols) > LIST_LIMIT else ""
    return f"Watched ({len(symbols)}): {shown}{more}."


def watch_line(answer: WatchAnswer, who: str) -> str:
    """What happened, with ``who`` for the person watching (text or a mention)."""
    symbol = answer.symbol
    if answer.watching and answer.changed:
        return f"Watching {symbol}: the daily digest shows it every day, at risk or not."
    if answer.watching:
        since = f" since {answer.since:%Y-%m-%d}" if answer.since else ""
        return f"{symbol} is already watched{since} (by {who})."
    if answer.changed:
        return f"Stopped watching {symbol}: the digest shows it only when it is at risk."
    return f"{symbol} was not watched: nothing changed."


def watch_text(answer: WatchAnswer) -> str:
    """The answer as plain text (`liqbot ask`)."""
    return f"{watch_line(answer, answer.watched_by or 'someone')}\n{_listed(answer)}"


def watch_reply(answer: WatchAnswer) -> Reply:
    """The answer as Slack shows it (mrkdwn, the watcher as a mention)."""
    safe = replace(answer, symbol=escape(answer.symbol))
    text = f"{watch_line(safe, mention(answer.watched_by))}\n{escape(_listed(answer))}"
    return Reply(
        text=watch_text(answer),
        blocks=[section(text)],
        summary=watch_line(answer, answer.watched_by or "someone"),
    )
