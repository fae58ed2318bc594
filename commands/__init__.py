"""liqbot's Slack surfaces, every one registered in ``register(app)`` below.

Slash commands are declared once each (``commands.slash.SLASH_COMMANDS``) and answer through one
dispatcher (``commands.slash``) that `liqbot ask` shares; each outreach form
(``bot.usecases.outreach.kinds``, ``.kinds_case``) has a button that opens its modal
(``outreach_buttons``) and a modal whose submission is stored and shown in the originating
message (``outreach_modals``, ``redraw``); a case's entries have a Correct / Retract menu and the
case an owner picker (``outreach_case``); the `/review` answer's buttons are ``review_buttons``;
App Home is ``home``.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.presenters.actions import ASSIGN_ACTION
from bot.presenters.blocks_review import DECISION_OF_ACTION, PACK_ACTION
from bot.usecases.outreach import ALL_FORMS
from bot.usecases.outreach.corrections import CORRECT_ACTION, RETRACT_ACTION
from commands.home import on_home_opened
from commands.outreach_buttons import on_outreach_button
from commands.outreach_case import ENTRY_MENU, entry_form_of, on_entry_menu, on_owner_picked
from commands.outreach_modals import on_outreach_submission, on_submission
from commands.review_buttons import on_review_decision, on_review_pack
from commands.slack_state import SlackState
from commands.slash import SLASH_COMMANDS, on_slash_command


def register(app: AsyncApp) -> None:
    """Every command, action, view and event liqbot answers."""
    app.use(SlackState().into_context)  # listeners may declare `slack_state`

    for command in SLASH_COMMANDS:  # commands.liquidity, .mm, .atrisk, .outreach, .watch, .review
        app.command(command.name)(on_slash_command)

    # Log outreach · the replies · Snooze · Agreed · Received · End engagement · End contribution
    # · Close: the button opens its modal, the modal is submitted.
    for form in ALL_FORMS:
        app.action(form.action_id)(on_outreach_button(form))
        app.view(form.callback_id)(on_outreach_submission(form))

    app.action(ENTRY_MENU)(on_entry_menu)  # an entry's Correct… / Retract…
    for mode, action_id in (("correct", CORRECT_ACTION), ("retract", RETRACT_ACTION)):
        app.view(f"{action_id}_modal")(on_submission(f"{action_id}_modal", entry_form_of(mode)))
    app.action(ASSIGN_ACTION)(on_owner_picked)  # a case's owner picker

    for action_id in DECISION_OF_ACTION:  # /review: Recommend tag · Not now · Clear
        app.action(action_id)(on_review_decision)
    app.action(PACK_ACTION)(on_review_pack)  # /review: Evidence pack

    app.event("app_home_opened")(on_home_opened)
