"""The alert message stays within Block Kit's limits however many tokens alert at once; every
alert is in the thread; the recovery names the figure it recovered to."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.alerts import AlertRules
from bot.presenters.alerts import MAX_ROWS, alert_message, recovery_message, thread_messages
from bot.usecases.alerts import AlertBatch, AlertEpisodeRecord
from tests.builders import NOW
from tests.jobs.test_digest_presenter import assert_within_slack_limits


def episode(symbol: str, kind: str = "one_sided", **facts: object) -> AlertEpisodeRecord:
    return AlertEpisodeRecord(
        1, symbol, kind, 7, NOW, dict(facts) or {"sides": ["ask"]}, 0,  # type: ignore[arg-type]
        None, None, None, None, None,
    )  # fmt: skip


def batch(
    *opened: AlertEpisodeRecord, recovered: tuple[AlertEpisodeRecord, ...] = ()
) -> AlertBatch:
    return AlertBatch(7, NOW, "live", "binance", AlertRules(), False, opened, recovered)


def test_sixty_tokens_fit_one_message_and_the_thread_has_them_all() -> None:
    alerts = batch(*(episode(f"TOK{i:03d}") for i in range(60)))
    message = alert_message(alerts, "2026-11-25T12:00:00+00:00")
    assert_within_slack_limits(message.blocks, message.text)
    rows = [b for b in message.blocks if str(b.get("block_id", "")).startswith("token:")]
    assert len(rows) == MAX_ROWS == 23
    assert message.blocks[-1]["elements"][0]["text"].endswith("37 more tokens in the thread")
    replies = thread_messages(alerts)
    for reply in replies:
        assert_within_slack_limits(reply.blocks, reply.text)
    assert sum(r.text.count("one-sided book") for r in replies) == 60


def test_a_token_with_two_alerts_is_one_row() -> None:
    both = batch(
        episode("ZORB", "one_sided", sides=["bid", "ask"]),
        episode("ZORB", "new_listing"),
    )
    message = alert_message(both, "p")
    (row,) = [b for b in message.blocks if b.get("block_id") == "token:ZORB"]
    assert row["text"]["text"] == (
        "*ZORB*\n• book empty: no bids and no asks on binance\n• newly listed on binance"
    )


def test_the_recovery_reply() -> None:
    closed = episode("ZORB", "depth_collapse", depth_usd=20_000.0, median_usd=100_000.0)
    closed = AlertEpisodeRecord(
        **{
            **closed.__dict__,
            "closed_at": NOW + timedelta(hours=5),
            "closing_facts": {"depth_usd": 51_000.0},
        }
    )
    reply = recovery_message(closed, batch(recovered=(closed,)))
    assert reply.text == (
        "ZORB recovered from ±2% depth collapse: ±2% depth $51k (2 healthy snapshots; "
        "alerted 2026-11-25 12:00 UTC)"
    )
    assert reply.blocks[0]["text"]["text"].startswith(":white_check_mark: ZORB recovered")
