"""Use cases: log a token project's reply (SPEC 6, issue 3 item 3).

Each reply is one transaction: the reply row (idempotent on its key, see
``bot.usecases.outreach``), the rows it implies, the audit row, and the token's re-assessment
(``bot.usecases.reassess``). What each kind writes:
- has market maker → a ``MarketMakerEngagement`` (source ``reply``, status ``engaged``): while
  the contract runs the token's market-maker status is ``claimed``, then ``verified`` or
  ``breached`` as the books are checked against its obligations;
- will contribute → a ``ContributionPledge``: tokens = % × circulating supply, USD at the home
  mid of the latest stored snapshot, and that snapshot's home ±2% depth (USD) to compare with;
- declined → with ``no_market_maker=True`` (the project said it has none) also a recorded "none"
  engagement, which makes the status ``none`` instead of guessing from the books; a plain
  decline says nothing about market makers and leaves the status alone;
- snooze → a ``Snooze`` until now + N days (the token stays out of the digest).
A reply is linked to the token's latest outreach, when there is one.

Each kind has a ``store_*`` that writes already validated fields (the caller checked the editor)
and a ``log_reply_*`` / ``snooze`` for any caller: the editor check, the field rules, the store.
Will contribute is in ``.pledges``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repo_outreach
from bot.db.records_outreach import PledgeRecord, ReplyRecord
from bot.domain.units import fmt_amount, fmt_ratio, fmt_usd
from bot.domain.vocabulary import ANSWER_KINDS
from bot.usecases.args import parse_symbol, team_today
from bot.usecases.outreach.common import Actor, LogResult, audit, authorize, check_key
from bot.usecases.outreach.forms import (
    DateInput,
    DeclinedFields,
    HasMMFields,
    NumberInput,
    clean_declined,
    clean_has_mm,
    clean_snooze,
)
from bot.usecases.reassess import reassess_token
from bot.usecases.services import Services


def pledge_description(pledge: PledgeRecord) -> str:
    """``"3% of circulating supply (30M tokens, $600k, 15× today's ±2% depth)"``."""
    figures = []
    if pledge.tokens is not None:
        figures.append(f"{fmt_amount(pledge.tokens)} tokens")
    if pledge.usd_value is not None:
        figures.append(fmt_usd(pledge.usd_value))
    if pledge.usd_value is not None and pledge.depth_2pct_usd:
        multiple = pledge.usd_value / pledge.depth_2pct_usd
        figures.append(f"{fmt_ratio(multiple)} today's ±2% depth")
    shown = f" ({', '.join(figures)})" if figures else " (circulating supply unknown)"
    return f"{pledge.pct_of_supply:g}% of circulating supply{shown}"


def reply_description(reply: ReplyRecord, pledge: PledgeRecord | None) -> str:
    """What a reply says, in one line."""
    d = reply.details
    if reply.kind == "has_mm":
        dates = ", ".join(f"{key} {d[key]}" for key in ("since", "until") if d.get(key))
        return f"Reply: has market maker {d.get('mm_name')}" + (f" ({dates})" if dates else "")
    if reply.kind == "will_contribute":
        what = pledge_description(pledge) if pledge else f"{d.get('pct_of_supply')}%"
        return f"Reply: will contribute {what}"
    if reply.kind == "declined":
        none = " (no market maker)" if d.get("no_market_maker") else ""
        return f"Reply: declined{none}: {d.get('reason')}"
    return f"Snoozed for {d.get('days')} days, until {str(d.get('until'))[:10]}"


ExtraRows = Callable[[AsyncSession, int], Awaitable[dict[str, Any]]]
"""Writes a reply's other rows given its id; returns their ids and figures for the audit row."""


async def store_reply(
    services: Services,
    actor: Actor,
    symbol: str,
    kind: str,
    details: dict[str, Any],
    idempotency_key: str,
    now: datetime,
    extra: ExtraRows,
) -> LogResult:
    """Insert the reply (once per key), then ``extra(session, reply_id)`` for its other rows,
    then the audit row, in one transaction; build the result from what is stored.
    ``symbol`` is already parsed (``parse_symbol``)."""
    check_key(idempotency_key)
    action = "snooze" if kind == "snooze" else f"reply_{kind}"
    async with services.session() as session:
        history = await repo_outreach.outreach_log(session, [symbol])
        new_id = await repo_outreach.insert_reply(
            session,
            idempotency_key=idempotency_key,
            symbol=symbol,
            outreach_id=history[-1].id if history else None,
            kind=kind,
            details=details,
            logged_by=actor.user_id,
            logged_at=now,
        )
        if new_id is not None:
            written = await extra(session, new_id)
            await audit(session, actor, now, action, "replies", new_id, {**details, **written})
            if kind in ANSWER_KINDS:  # a snooze is the team's own decision: no risk input moves
                await reassess_token(session, services, symbol, now)
        reply = await repo_outreach.reply_by_key(session, idempotency_key)
        if reply is None:  # pragma: no cover - inserted or found by its key above
            raise RuntimeError("reply vanished after insert")
        pledges = await repo_outreach.pledges(session, [reply.id])
    pledge = pledges[-1] if pledges else None
    until = reply.details.get("until") if reply.kind == "snooze" else None
    return LogResult(
        action=action,
        symbol=reply.symbol,
        entity="replies",
        record_id=reply.id,
        duplicate=new_id is None,
        logged_by=reply.logged_by,
        logged_at=reply.logged_at,
        description=reply_description(reply, pledge),
        pledge=pledge,
        snoozed_until=datetime.fromisoformat(until) if isinstance(until, str) else None,
    )


async def store_has_mm(
    services: Services, actor: Actor, symbol: str, fields: HasMMFields, idempotency_key: str
) -> LogResult:
    """Store a validated "has market maker" reply and its engagement (status ``engaged``)."""
    symbol = parse_symbol(symbol)
    now = services.clock()
    details = {
        "mm_name": fields.mm_name,
        "since": fields.since.isoformat() if fields.since else None,
        "until": fields.until.isoformat() if fields.until else None,
        "max_spread_bps": fields.max_spread_bps,
        "min_depth_usd": fields.min_depth_usd,
    }

    async def engagement(session: AsyncSession, reply_id: int) -> dict[str, Any]:
        engagement_id = await repo_outreach.insert_engagement(
            session,
            symbol=symbol,
            status="engaged",
            source="reply",
            logged_by=actor.user_id,
            logged_at=now,
            mm_name=fields.mm_name,
            since=fields.since,
            until=fields.until,
            max_spread_bps=fields.max_spread_bps,
            min_depth_usd=fields.min_depth_usd,
            reply_id=reply_id,
        )
        return {"engagement_id": engagement_id}

    return await store_reply(
        services, actor, symbol, "has_mm", details, idempotency_key, now, engagement
    )


async def log_reply_has_mm(
    services: Services,
    actor: Actor,
    symbol: str,
    mm_name: str | None,
    since: DateInput,
    until: DateInput,
    max_spread_bps: NumberInput,
    min_depth_usd: NumberInput,
    idempotency_key: str,
) -> LogResult:
    """The project has a market maker: name, contract since/until, optional obligations (max
    spread in bps, min ±2% depth in USD). Records the engagement, so the status is confirmed."""
    authorize(services, actor)
    today = team_today(services.settings, services.clock())
    fields = clean_has_mm(mm_name, since, until, max_spread_bps, min_depth_usd, today)
    return await store_has_mm(services, actor, symbol, fields, idempotency_key)


async def store_declined(
    services: Services, actor: Actor, symbol: str, fields: DeclinedFields, idempotency_key: str
) -> LogResult:
    """Store a validated "declined" reply; with ``no_market_maker`` also a "none" engagement."""
    symbol = parse_symbol(symbol)
    now = services.clock()

    async def none_record(session: AsyncSession, reply_id: int) -> dict[str, Any]:
        if not fields.no_market_maker:
            return {}
        engagement_id = await repo_outreach.insert_engagement(
            session,
            symbol=symbol,
            status="none",
            source="reply",
            logged_by=actor.user_id,
            logged_at=now,
            reply_id=reply_id,
        )
        return {"engagement_id": engagement_id}

    details = {"reason": fields.reason, "no_market_maker": fields.no_market_maker}
    return await store_reply(
        services, actor, symbol, "declined", details, idempotency_key, now, none_record
    )


async def log_reply_declined(
    services: Services,
    actor: Actor,
    symbol: str,
    reason: str | None,
    idempotency_key: str,
    no_market_maker: bool = False,
) -> LogResult:
    """The project declined, with its reason. ``no_market_maker=True`` when it also said it has
    no market maker: that is recorded, and the market-maker status becomes ``none``."""
    authorize(services, actor)
    fields = clean_declined(reason, no_market_maker)
    return await store_declined(services, actor, symbol, fields, idempotency_key)


async def store_snooze(
    services: Services, actor: Actor, symbol: str, days: int, idempotency_key: str
) -> LogResult:
    """Store a validated snooze of ``days`` whole days from now."""
    symbol = parse_symbol(symbol)
    now = services.clock()
    until = now + timedelta(days=days)

    async def snooze_row(session: AsyncSession, reply_id: int) -> dict[str, Any]:
        snooze_id = await repo_outreach.insert_snooze(
            session,
            symbol=symbol,
            until=until,
            logged_by=actor.user_id,
            logged_at=now,
            reply_id=reply_id,
        )
        return {"snooze_id": snooze_id}

    details = {"days": days, "until": until.isoformat()}
    return await store_reply(
        services, actor, symbol, "snooze", details, idempotency_key, now, snooze_row
    )


async def snooze(
    services: Services,
    actor: Actor,
    symbol: str,
    days: NumberInput,
    idempotency_key: str,
) -> LogResult:
    """Keep the token out of the digest for ``days`` (1–90) days from now."""
    authorize(services, actor)
    return await store_snooze(services, actor, symbol, clean_snooze(days), idempotency_key)
