"""The App Home tab: the at-risk pipeline (counts by tier and by outreach state) and the viewer's
own follow-ups that are due, each with the outreach buttons."""

from __future__ import annotations

from typing import Any

from bot.domain.outreach import CASE_STATES
from bot.domain.vocabulary import DEMO_BANNER
from bot.presenters.actions import outreach_buttons, token_block_id
from bot.presenters.blocks_common import (
    VIEW_BLOCK_LIMIT,
    Block,
    banner,
    context,
    divider,
    escape,
    fields,
    fit_blocks,
    header,
    section,
)
from bot.usecases.home import HomeSummary
from bot.usecases.outreach.followups import FollowUp

STATE_LABELS: dict[str, str] = {
    "not_contacted": "Not contacted",
    "contacted": "Contacted, waiting",
    "has_mm": "Has market maker",
    "will_contribute": "Will contribute",
    "declined": "Declined",
    "snoozed": "Snoozed",
}
FOLLOWUPS_WITH_BUTTONS = 40  # 2 blocks each, within the App Home's 100


def followup_row(followup: FollowUp) -> Block:
    contact = f" to {followup.contact}" if followup.contact else ""
    waited = "today" if followup.days_waiting <= 0 else f"{followup.days_waiting} days ago"
    text = (
        f"*{escape(followup.symbol)}* · {escape(followup.channel)}{escape(contact)} · "
        f"logged {followup.logged_at:%Y-%m-%d} ({waited}) · due {followup.due_on.isoformat()}"
    )
    return section(text, block_id=token_block_id(followup.symbol))


def home_view(summary: HomeSummary, demo: bool) -> dict[str, Any]:
    """The ``home`` view published for ``summary.user_id``."""
    blocks: list[Block] = [header("liqbot · at-risk pipeline")]
    if demo:
        blocks.append(banner(DEMO_BANNER))
    if not summary.scanned:
        blocks.append(section("No scan yet: run `liqbot scan`, or wait for the next snapshot."))
    else:
        tiers = [(f"Tier {tier}", str(n)) for tier, n in summary.by_tier.items()]
        blocks.append(section(f"*{summary.at_risk} tokens at risk* in the latest scan"))
        blocks.append(fields(tiers))
        states = [(STATE_LABELS.get(s, s), str(summary.by_state.get(s, 0))) for s in CASE_STATES]
        blocks.append(fields(states))
    blocks += [divider(), header("Your follow-ups due")]
    followups: list[FollowUp] = []
    for followup in summary.followups:  # one row per token: its block_id must be unique
        if all(f.symbol != followup.symbol for f in followups):
            followups.append(followup)
    if not followups:
        blocks.append(section("Nothing due: no outreach of yours is waiting for an answer."))
    for followup in followups[:FOLLOWUPS_WITH_BUTTONS]:
        blocks += [followup_row(followup), outreach_buttons(followup.symbol)]
    if len(followups) > FOLLOWUPS_WITH_BUTTONS:
        more = len(followups) - FOLLOWUPS_WITH_BUTTONS
        blocks.append(context(f"… and {more} more: `/outreach TOKEN` shows each one."))
    blocks.append(context(f"Updated {summary.as_of:%Y-%m-%d %H:%M} UTC"))
    return {"type": "home", "blocks": fit_blocks(blocks, VIEW_BLOCK_LIMIT)}
