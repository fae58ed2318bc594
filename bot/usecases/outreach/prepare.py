"""What each kind of event works out in its write's transaction (``.events.Draft``), before it
is appended:

- has market maker → the engagement row the market-maker status reads (source ``reply``,
  status ``engaged``); declining the market-maker question → a recorded "none" row. A
  correction writes no row: engagement corrections are the market-maker records' own
  (``bot.db.repo_outreach``); the event names the row (``engagement_id``).
- end engagement → the firm on record it ends (blank: the only one running), and a record
  superseding its engagement with the end date, so the market-maker status stops judging it.
- pledge → tokens = % × circulating supply, valued on the latest scan (USD at its home mid, its
  ±2% depth, when it was taken); an agreement → the tokens valued on the latest scan; a receipt
  → valued on the day the tokens arrived. A correction keeps the figures of the day it fixes
  (a receipt's day may change, so a receipt is valued again).
- snooze → until now + the days.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.db import repo_outreach
from bot.domain.engagements import firm_key, market_maker_on_record
from bot.domain.timeline import day_of, declines, number_of
from bot.usecases.outreach.events import Draft
from bot.usecases.outreach.figures import TokenFigures, end_of_day, figures_as_of
from bot.usecases.outreach.forms import InvalidSubmission

FIGURES = ("price_usd", "depth_2pct_usd", "figures_at")


async def engagement_row(draft: Draft) -> None:
    """Record the market maker the project named (not for a correction)."""
    if draft.correcting:
        return
    v = draft.values
    draft.values["engagement_id"] = await repo_outreach.insert_engagement(
        draft.session,
        symbol=draft.case.symbol,
        status="engaged",
        source="reply",
        logged_by=draft.actor.user_id,
        logged_at=draft.now,
        mm_name=v["mm_name"],
        since=day_of(v.get("since")),
        until=day_of(v.get("until")),
        max_spread_bps=number_of(v.get("max_spread_bps")),
        min_depth_usd=number_of(v.get("min_depth_usd")),
    )


async def none_row(draft: Draft) -> None:
    """Record "no market maker" when the market-maker question was declined."""
    if draft.correcting or not declines(draft.values, "market_maker"):
        return
    draft.values["engagement_id"] = await repo_outreach.insert_engagement(
        draft.session,
        symbol=draft.case.symbol,
        status="none",
        source="reply",
        logged_by=draft.actor.user_id,
        logged_at=draft.now,
    )


async def engagement_ended(draft: Draft) -> None:
    """The firm whose engagement ended: the one named (any case), else the only one running."""
    running = [e for e in draft.case.market_maker.engagements if e.ended_on is None]
    name = str(draft.values.get("mm_name") or "")
    if name:
        firms = draft.case.market_maker.engagements
        found = [e for e in firms if e.mm_name.casefold() == name.casefold()]
    else:
        found = running if len(running) == 1 else []
    if not found:
        on_record = ", ".join(e.mm_name for e in running) or "no market maker"
        message = f"On record: {on_record}." if name or not running else "Name the market maker."
        raise InvalidSubmission({"mm_name": message})
    draft.values["mm_name"] = found[0].mm_name
    if not draft.correcting:
        await _end_on_record(draft, found[0].mm_name, day_of(draft.values.get("ended_on")))


async def _end_on_record(draft: Draft, firm: str, ended_on: date | None) -> None:
    """End the firm's engagement where the market-maker status reads it: a record superseding
    the running one with the end date (its start and obligations carry over)."""
    records = await repo_outreach.engagements(draft.session, [draft.case.symbol])
    on_record = market_maker_on_record(records, draft.services.settings.timezone)
    running = [e for e in on_record.engagements if firm_key(e.mm_name) == firm_key(firm)]
    if not running or ended_on is None:
        return
    latest = running[-1]
    draft.values["engagement_id"] = await repo_outreach.insert_engagement(
        draft.session,
        symbol=draft.case.symbol,
        status="engaged",
        source=latest.record.source,
        logged_by=draft.actor.user_id,
        logged_at=draft.now,
        mm_name=latest.mm_name,
        since=latest.start,
        until=ended_on if latest.end is None else min(latest.end, ended_on),
        max_spread_bps=latest.max_spread_bps,
        min_depth_usd=latest.min_depth_usd,
        uptime=latest.uptime,
        supersedes_id=latest.record.id,
    )


async def _latest(draft: Draft) -> TokenFigures:
    return await figures_as_of(draft.session, draft.services, draft.case.symbol, draft.now)


def _keep_figures(draft: Draft) -> bool:
    """Copy the corrected entry's dated figures as they were; True when there were any."""
    if draft.target is None or draft.target.values.get("figures_at") is None:
        return False
    for key in (*FIGURES, "circulating_supply"):
        if key in draft.target.values:
            draft.values.setdefault(key, draft.target.values[key])
    return True


async def pledge_figures(draft: Draft) -> None:
    """Tokens and dated figures of "will contribute X% of circulating supply"."""
    pct = float(draft.values["pct_of_supply"])
    if _keep_figures(draft):
        supply = number_of(draft.values.get("circulating_supply"))
        draft.values["tokens"] = supply * pct / 100 if supply else None
        return
    found = await _latest(draft)
    supply = found.circulating_supply
    tokens = supply * pct / 100 if supply and supply > 0 else None
    draft.values.update(circulating_supply=supply, **found.valued(tokens))


async def agreed_figures(draft: Draft) -> None:
    """The agreed tokens valued on the latest scan (a correction keeps its day's figures)."""
    if _keep_figures(draft):
        return
    found = await _latest(draft)
    draft.values.update(found.valued(float(draft.values["tokens"])))
    draft.values["circulating_supply"] = found.circulating_supply


async def received_figures(draft: Draft) -> None:
    """The received tokens valued on the last scan of the day they arrived."""
    day = day_of(draft.values.get("received_on"))
    assert day is not None  # the form's rules default it to today
    until = end_of_day(day, draft.now, draft.services.settings.timezone)
    found = await figures_as_of(draft.session, draft.services, draft.case.symbol, until)
    draft.values.update(found.valued(float(draft.values["tokens"])))
    draft.values["circulating_supply"] = found.circulating_supply


async def snooze_until(draft: Draft) -> None:
    """A snooze runs for its days from now."""
    days = int(draft.values["days"])
    draft.values["until"] = (draft.now + timedelta(days=days)).isoformat()
