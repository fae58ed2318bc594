"""Which deliveries count as repeats, and for how long liqbot remembers them."""

from __future__ import annotations

from bot.slack.middleware import RetriedDeliveryFilter, delivery_key


def test_delivery_key_prefers_event_id_then_trigger_id() -> None:
    event = {"type": "event_callback", "event_id": "Ev1", "trigger_id": "ignored"}
    command = {"command": "/liquidity", "trigger_id": "7.42.ab"}
    assert delivery_key(event, "raw", None) == "event:Ev1"
    assert delivery_key(command, "raw", None) == "trigger:7.42.ab"


def test_requests_without_ids_are_keyed_by_body_only_when_slack_says_retry() -> None:
    options_lookup = {"type": "block_suggestion", "value": "PE"}
    assert delivery_key(options_lookup, "payload=...", None) is None
    first = delivery_key(options_lookup, "payload=...", "1")
    assert first is not None and first == delivery_key(options_lookup, "payload=...", "2")
    assert first != delivery_key(options_lookup, "payload=other", "1")


def test_a_key_is_a_repeat_until_the_ttl_passes() -> None:
    now = [0.0]
    seen = RetriedDeliveryFilter(ttl_seconds=900, clock=lambda: now[0])

    assert seen.first_delivery("event:Ev1") is True
    now[0] = 899.0
    assert seen.first_delivery("event:Ev1") is False
    now[0] = 900.0
    assert seen.first_delivery("event:Ev1") is True  # forgotten after 15 minutes


def test_memory_is_bounded_by_forgetting_the_oldest_keys() -> None:
    seen = RetriedDeliveryFilter(ttl_seconds=900, max_entries=3, clock=lambda: 0.0)
    for key in ("a", "b", "c", "d"):
        assert seen.first_delivery(key) is True

    assert [seen.first_delivery(key) for key in ("b", "c", "d")] == [False, False, False]
    assert seen.first_delivery("a") is True  # the oldest was dropped to make room for "d"
