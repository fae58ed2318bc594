"""EditorGroups: members kept and re-read in the background, every check within its budget, a
transient failure never kept as "no members" (on a hand-driven clock and a scripted client)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from commands.editor_groups import (
    LOOKUP_BUDGET_S,
    REFRESH_AFTER_S,
    SERVE_LIMIT_S,
    EditorGroups,
    Membership,
)


def _slack_error(status: int, error: str) -> SlackApiError:
    response = AsyncSlackResponse(
        client=None,  # type: ignore[arg-type]
        http_verb="POST",
        api_url="https://slack.test/api/usergroups.users.list",
        req_args={},
        data={"ok": False, "error": error},
        headers={},
        status_code=status,
    )
    return SlackApiError("failed", response)


class ScriptedClient:
    """``usergroups.users.list`` answering each group from ``members``, or raising what
    ``failures`` holds for it; ``gate`` (when set) holds every answer until it is opened."""

    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members = members
        self.failures: dict[str, Exception] = {}
        self.gate: asyncio.Event | None = None
        self.calls: list[str] = []

    async def usergroups_users_list(self, usergroup: str) -> dict[str, Any]:
        self.calls.append(usergroup)
        if self.gate is not None:
            await self.gate.wait()
        failure = self.failures.pop(usergroup, None)
        if failure is not None:
            raise failure
        return {"ok": True, "users": self.members[usergroup]}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def check(groups: EditorGroups, client: ScriptedClient, user: str) -> Membership:
    return await groups.membership(client, user, ["S1", "S2"])  # type: ignore[arg-type]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_members_are_kept_and_read_again_in_the_background_before_they_expire() -> None:
    clock, client = Clock(), ScriptedClient({"S1": ["U1"], "S2": ["U2", "U1"]})
    groups = EditorGroups(clock)

    assert (await check(groups, client, "U1")).groups == ("S1", "S2")
    clock.now += REFRESH_AFTER_S - 1
    assert (await check(groups, client, "U2")).groups == ("S2",)
    assert len(client.calls) == 2  # kept

    # Past REFRESH_AFTER_S: the kept members answer at once, a read runs in the background.
    client.members["S2"] = ["U1"]
    client.gate = asyncio.Event()
    clock.now += 2
    started = time.monotonic()
    assert (await check(groups, client, "U2")).groups == ("S2",)
    assert time.monotonic() - started < 0.1
    clock.now = 1000.0 + SERVE_LIMIT_S - 1  # still answered, stale, while the read runs
    assert (await check(groups, client, "U2")).groups == ("S2",)
    client.gate.set()
    await settle()
    assert (await check(groups, client, "U2")) == Membership()
    assert len(client.calls) == 4


async def test_a_check_waits_at_most_its_budget_then_fails_closed() -> None:
    clock, client = Clock(), ScriptedClient({"S1": ["U1"], "S2": []})
    client.gate = asyncio.Event()
    groups = EditorGroups(clock)

    started = time.monotonic()
    found = await check(groups, client, "U1")

    assert LOOKUP_BUDGET_S <= time.monotonic() - started < LOOKUP_BUDGET_S + 0.2
    assert found == Membership(unchecked=("S1", "S2"))
    client.gate.set()  # the read goes on and answers the next check
    await settle()
    assert await check(groups, client, "U1") == Membership(groups=("S1",))
    assert client.calls == ["S1", "S2"]


@pytest.mark.parametrize(
    "failure",
    [_slack_error(503, "fatal_error"), _slack_error(429, "ratelimited"), TimeoutError()],
)
async def test_a_transient_failure_is_not_kept(failure: Exception) -> None:
    clock, client = Clock(), ScriptedClient({"S1": ["U1"], "S2": []})
    client.failures["S1"] = failure
    groups = EditorGroups(clock)

    assert await check(groups, client, "U1") == Membership(unchecked=("S1",))
    assert await check(groups, client, "U1") == Membership(unchecked=("S1",))  # retried soon
    clock.now += 5
    assert await check(groups, client, "U1") == Membership(groups=("S1",))
    assert client.calls == ["S1", "S2", "S1"]


async def test_slacks_definitive_answer_is_kept_and_named() -> None:
    clock, client = Clock(), ScriptedClient({"S2": []})
    client.failures["S1"] = _slack_error(200, "no_such_subteam")
    groups = EditorGroups(clock)

    expected = Membership(unusable=("S1 (no_such_subteam)",))
    assert await check(groups, client, "U1") == expected
    clock.now += 5
    assert await check(groups, client, "U1") == expected
    assert client.calls == ["S1", "S2"]
