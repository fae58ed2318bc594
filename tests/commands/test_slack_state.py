"""SlackState: shared answers bounded in number."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.errors import UserFacingError
from commands.slack_state import ANSWER_SLOTS, SlackState


async def test_identical_commands_in_flight_share_one_answer() -> None:
    state = SlackState()
    release = asyncio.Event()
    computed: list[str] = []

    def compute(key: str) -> Any:
        async def run() -> str:
            computed.append(key)
            await release.wait()
            return f"answer {key} #{len(computed)}"

        return run

    waiting = [asyncio.ensure_future(state.shared_answer(k, compute(k))) for k in "aaab"]
    await asyncio.sleep(0.01)
    release.set()
    answers = await asyncio.gather(*waiting)

    assert sorted(computed) == ["a", "b"]
    assert answers[0] == answers[1] == answers[2] != answers[3]
    # Once answered, the next identical command is computed afresh.
    assert await state.shared_answer("a", compute("a")) == "answer a #3"


async def test_a_shared_error_reaches_every_caller() -> None:
    state = SlackState()

    async def fail() -> str:
        await asyncio.sleep(0.01)
        raise UserFacingError("No market for NOPE")

    results = await asyncio.gather(
        *(state.shared_answer("nope", fail) for _ in range(3)), return_exceptions=True
    )
    assert [str(r) for r in results] == ["No market for NOPE"] * 3


async def test_at_most_answer_slots_computations_run_at_once() -> None:
    state = SlackState()
    running, peak = 0, 0

    async def compute() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    await asyncio.gather(*(state.shared_answer(f"k{i}", compute) for i in range(3 * ANSWER_SLOTS)))
    assert peak == ANSWER_SLOTS
