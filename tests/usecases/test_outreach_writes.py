"""Writing to a case: one transaction with its audit row, idempotent per key, editors only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bot.db import repo_audit, repo_cases
from bot.settings import load_settings
from bot.usecases.deadline import WriteTooLate, write_deadline
from bot.usecases.outreach import (
    ALL_FORMS,
    Actor,
    FormValues,
    InvalidSubmission,
    NotAnEditor,
    OutreachForm,
    is_editor,
    log_outreach,
    log_reply_contribution,
    log_reply_declined,
    log_reply_has_mm,
    snooze,
)
from bot.usecases.services import Services
from tests.builders import ALICE, BOB, NOW, written_rows


async def _log(services: Services, key: str = "view-1", actor: Actor = ALICE) -> Any:
    return await log_outreach(
        services, actor, "zorb", "telegram", "@zorb_team", "asked about MM", "2026-12-01", key
    )


async def test_outreach_is_stored_with_its_audit_row(services: Services) -> None:
    result = await _log(services)

    assert (result.symbol, result.kind, result.duplicate) == ("ZORB", "contact", False)
    assert (result.logged_by, result.logged_at) == ("U_ALICE", NOW)
    assert result.description == (
        "Outreach by telegram to @zorb_team, follow-up 2026-12-01; notes: asked about MM"
    )
    async with services.session() as session:
        [stored] = await repo_cases.case_events(session)
        [audit] = await repo_audit.audit_rows(session)
    assert stored.id == result.record_id
    assert (stored.kind, stored.actor, stored.actor_name) == ("contact", "U_ALICE", "alice")
    assert stored.details == {
        "channel": "telegram",
        "contact": "@zorb_team",
        "notes": "asked about MM",
        "followup_on": "2026-12-01",
    }
    assert (audit.actor_user, audit.actor_team, audit.at) == ("U_ALICE", "T_TEAM", NOW)
    assert (audit.action, audit.entity, audit.entity_id) == ("log_outreach", "case_events", "1")
    assert audit.values == {
        "symbol": "ZORB",
        **stored.details,
        "refers_to": None,
        "user_name": "alice",
    }


async def test_the_same_key_twice_stores_one_record(services: Services) -> None:
    first = await _log(services)
    second = await _log(services, actor=BOB)  # a retried submission, even by someone else

    assert not first.duplicate and second.duplicate
    assert second.record_id == first.record_id and second.logged_by == "U_ALICE"
    assert (await written_rows(services))["case_events"] == 1
    assert (await written_rows(services))["audit_log"] == 1
    third = await _log(services, key="view-2")
    assert not third.duplicate and third.record_id != first.record_id


async def _two_replicas(make_services: Callable[..., Services]) -> tuple[Services, Services]:
    """Two Services = two engines and connection pools, like two replicas of the bot. Their
    connections are opened up front, so the race below is between the inserts: opening a SQLite
    connection while another commits can fail in engine.py's on-connect `PRAGMA journal_mode`
    (reported to the DB layer's owner), which is not what these tests are about."""
    replicas = make_services(), make_services()
    for services in replicas:
        async with services.engine.connect(), services.engine.connect():
            pass
    return replicas


async def test_concurrent_submissions_with_one_key_store_one_record(
    make_services: Callable[..., Services],
) -> None:
    one, two = await _two_replicas(make_services)
    results = await asyncio.gather(*(_log(s, key="double-click") for s in (one, two, one, two)))

    assert sorted(r.duplicate for r in results) == [False, True, True, True]
    assert len({r.record_id for r in results}) == 1
    rows = await written_rows(one)
    assert (rows["case_events"], rows["audit_log"]) == (1, 1)


async def test_concurrent_replies_with_one_key_store_one_reply(
    make_services: Callable[..., Services],
) -> None:
    one, two = await _two_replicas(make_services)
    results = await asyncio.gather(
        *(log_reply_contribution(s, ALICE, "ZORB", "3", "reply-key") for s in (one, two))
    )

    assert sorted(r.duplicate for r in results) == [False, True]
    rows = await written_rows(one)
    assert (rows["case_events"], rows["audit_log"]) == (1, 1)


async def test_a_failing_audit_write_leaves_nothing_behind(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object, **__: object) -> int:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(repo_audit, "append_audit", broken)
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        await _log(services)
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        await log_reply_has_mm(services, ALICE, "ZORB", "Wintermute", None, None, None, None, "k")
    assert set((await written_rows(services)).values()) == {0}


async def test_invalid_values_raise_field_errors_and_write_nothing(services: Services) -> None:
    with pytest.raises(InvalidSubmission) as caught:
        await log_outreach(services, ALICE, "ZORB", "fax", "x" * 256, None, "2026-11-24", "k1")
    assert set(caught.value.errors) == {"channel", "contact", "followup_on"}
    with pytest.raises(InvalidSubmission) as caught:
        await log_reply_contribution(services, ALICE, "ZORB", "0", "k2")
    assert set(caught.value.errors) == {"pct_of_supply"}
    with pytest.raises(InvalidSubmission):
        await log_reply_declined(services, ALICE, "ZORB", "   ", "k3")
    with pytest.raises(InvalidSubmission):
        await snooze(services, ALICE, "ZORB", "91", "k4")
    assert set((await written_rows(services)).values()) == {0}


async def test_non_editors_are_refused_and_nothing_is_written(
    make_services: Callable[..., Services],
) -> None:
    services = make_services(editor_user_ids="U_ALICE", editor_usergroup_ids="S_LISTING")
    with pytest.raises(NotAnEditor, match="editors"):
        await _log(services, actor=BOB)
    # Refused before validation: a non-editor learns nothing about the fields.
    with pytest.raises(NotAnEditor):
        await log_reply_contribution(services, BOB, "ZORB", "500", "k")
    with pytest.raises(NotAnEditor):
        await log_reply_has_mm(services, BOB, "ZORB", "GSR", None, None, None, None, "k2")
    with pytest.raises(NotAnEditor):
        await log_reply_declined(services, BOB, "ZORB", "no", "k3")
    with pytest.raises(NotAnEditor):
        await snooze(services, BOB, "ZORB", 7, "k4")
    assert set((await written_rows(services)).values()) == {0}

    assert not (await _log(services, "k5", ALICE)).duplicate  # listed user
    member = Actor("U_CAROL", "T_TEAM", "carol", usergroup_ids=("S_OTHER", "S_LISTING"))
    assert not (await _log(services, "k6", member)).duplicate  # member of an editor group
    assert (await written_rows(services))["case_events"] == 2


async def test_a_write_reaching_its_commit_past_the_deadline_rolls_back(services: Services) -> None:
    with write_deadline(0), pytest.raises(WriteTooLate):
        await _log(services)
    assert set((await written_rows(services)).values()) == {0}
    with write_deadline(30):
        assert not (await _log(services)).duplicate  # in time: stored
    assert (await _log(services)).duplicate  # no deadline outside the block


VALID_VALUES: dict[str, dict[str, Any]] = {
    "log_outreach": {"channel": "email", "followup_on": "2026-12-01"},
    "reply_has_mm": {"mm_name": "GSR", "max_spread_bps": "50"},
    "reply_contribute": {"pct_of_supply": "2.5"},
    "reply_declined": {"reason": "no budget", "questions": ["contribution", "market_maker"]},
    "snooze": {"days": "14"},
    "case_agreed": {"tokens": "30,000,000"},
    "case_received": {"tokens": "25000000", "lockup_until": "2027-03-01"},
    "case_end_engagement": {"mm_name": "Wintermute", "ended_on": "2026-12-10"},
    "case_end_contribution": {"reason": "lock-up over"},
    "case_close": {"reason": "project abandoned"},
}
"""Valid values of every form (a new form adds its own)."""
INVALID_VALUES: dict[str, dict[str, Any]] = {
    "case_end_contribution": {"ended_on": "2030-01-01"},
    "case_end_engagement": {"mm_name": "GSR"},  # not on record
}
"""Values refused; an empty form for the others."""


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda form: form.action_id)
async def test_every_form_checks_the_editor_then_its_fields_then_stores_once(
    make_services: Callable[..., Services], form: OutreachForm[Any]
) -> None:
    services = make_services(editor_user_ids="U_ALICE")
    if form.kind == "end_engagement":  # an engagement to end
        await log_reply_has_mm(services, ALICE, "ZORB", "Wintermute", None, None, None, None, "e")
    before = await written_rows(services)
    valid = FormValues(VALID_VALUES[form.action_id])
    with pytest.raises(NotAnEditor):  # before the fields: a non-editor learns nothing of them
        await form.submit(services, BOB, "zorb", FormValues(), "k")
    invalid = FormValues(INVALID_VALUES.get(form.action_id, {}))
    with pytest.raises(InvalidSubmission) as caught:
        await form.submit(services, ALICE, "zorb", invalid, "k")
    assert set(caught.value.errors) <= {field.name for field in form.inputs}
    assert await written_rows(services) == before

    stored = await form.submit(services, ALICE, "zorb", valid, "k")
    again = await form.submit(services, ALICE, "zorb", valid, "k")

    assert (stored.symbol, stored.kind, stored.duplicate, again.duplicate) == (
        "ZORB",
        form.kind,
        False,
        True,
    )
    assert again.record_id == stored.record_id
    assert (await written_rows(services))["audit_log"] == before["audit_log"] + 1


def test_is_editor_reads_both_lists_and_empty_means_everyone() -> None:
    everyone = load_settings(env_file=None)
    assert is_editor(everyone, "U_ANYONE", [])
    only = load_settings(env_file=None, editor_user_ids="U1,U2", editor_usergroup_ids="S9")
    assert is_editor(only, "U2", []) and is_editor(only, "U7", ["S1", "S9"])
    assert not is_editor(only, "U7", ["S1"]) and not is_editor(only, "U7", [])
    groups_only = load_settings(env_file=None, editor_usergroup_ids="S9")
    assert not is_editor(groups_only, "U1", []) and is_editor(groups_only, "U1", ["S9"])
