"""SlackState: shared answers bounded in number, editor user groups cached for a minute."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.errors import UserFacingError
from commands.slack_state import ANSWER_SLOTS, USERGROUP_TTL_S, SlackState


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


class FakeClient:
    def __init__(self, groups: dict[str, list[str]]) -> None:
        self.groups = groups
        self.calls: list[str] = []

    async def usergroups_users_list(self, usergroup: str) -> dict[str, Any]:
        self.calls.append(usergroup)
        return {"ok": True, "users": self.groups[usergroup]}


@pytest.mark.parametrize("elapsed", [USERGROUP_TTL_S - 1, USERGROUP_TTL_S + 1])
async def test_usergroup_members_are_cached_for_a_minute(elapsed: float) -> None:
    now = [1000.0]
    state = SlackState(clock=lambda: now[0])
    client = FakeClient({"S1": ["U1"], "S2": ["U2", "U1"]})

    assert await state.usergroups_of(client, "U1", ["S1", "S2"]) == ("S1", "S2")  # type: ignore[arg-type]
    now[0] += elapsed
    assert await state.usergroups_of(client, "U2", ["S1", "S2"]) == ("S2",)  # type: ignore[arg-type]

    assert len(client.calls) == (2 if elapsed < USERGROUP_TTL_S else 4)
