"""liqbot's Slack surfaces, every one registered in ``register(app)`` below.

Slash commands are declared once each (``commands.slash.SLASH_COMMANDS``) and answer through one
dispatcher (``commands.slash``) that `liqbot ask` shares;
the outreach buttons open modals (``outreach_buttons``) whose submissions are stored and shown
in the originating message (``outreach_modals``, ``origin``); App Home is ``home``.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.presenters.actions import (
    LOG_OUTREACH,
    REPLY_CONTRIBUTE,
    REPLY_DECLINED,
    REPLY_HAS_MM,
    SNOOZE,
)
from bot.presenters.blocks_modals import CALLBACK_IDS
from commands.home import on_home_opened
from commands.outreach_buttons import on_outreach_button
from commands.outreach_modals import on_modal_submitted
from commands.slack_state import SlackState
from commands.slash import SLASH_COMMANDS, on_slash_command


def register(app: AsyncApp) -> None:
    """Every command, action, view and event liqbot answers."""
    app.use(SlackState().into_context)  # listeners may declare `slack_state`

    for command in SLASH_COMMANDS:  # declared in commands.liquidity, .mm, .atrisk, .outreach
        app.command(command.name)(on_slash_command)

    for action_id in (LOG_OUTREACH, REPLY_HAS_MM, REPLY_CONTRIBUTE, REPLY_DECLINED, SNOOZE):
        app.action(action_id)(on_outreach_button)  # the button opens its modal
        app.view(CALLBACK_IDS[action_id])(on_modal_submitted)  # the modal is submitted

    app.event("app_home_opened")(on_home_opened)
