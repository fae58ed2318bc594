"""An outreach form (``bot.usecases.outreach.form``) as a Slack modal, and its values read back.

Every input's block_id and action_id is the field's name, so the field errors of the use case's
rules go straight under the right input (``response_action: errors``). The modal's callback_id is
the form's. A form with a preview shows "working out…" until the preview is given.
"""

from __future__ import annotations

from typing import Any

from bot.domain.calendar import team_time
from bot.presenters.blocks_common import Block, context, escape, section
from bot.presenters.text_liquidity import scenario_lines
from bot.usecases.outreach.figures import ContributionPreview
from bot.usecases.outreach.form import Field, FormDefaults, FormValues, OutreachForm

WORKING_OUT = "Working out what 1% of circulating supply is worth…"


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _options(field: Field) -> list[dict[str, Any]]:
    return [{"text": _plain(label), "value": value} for value, label in field.options]


def _initial(field: Field, value: str | tuple[str, ...]) -> dict[str, Any]:
    """The element's initial value: a date, a chosen option (or options), or text."""
    chosen = (value,) if isinstance(value, str) else value
    picked = [option for option in _options(field) if option["value"] in chosen]
    if field.kind == "date":
        return {"initial_date": value}
    if field.kind == "choice":
        return {"initial_option": picked[0]} if picked else {}
    if field.kind == "flags":
        return {"initial_options": picked} if picked else {}
    return {"initial_value": value if isinstance(value, str) else ", ".join(value)}


def _element(field: Field, defaults: FormDefaults) -> dict[str, Any]:
    """The Block Kit element of one field, with its initial value and placeholder."""
    kind = field.kind
    element: dict[str, Any]
    if kind in ("text", "paragraph"):
        element = {"type": "plain_text_input", "max_length": field.max_length}
        if kind == "paragraph":
            element["multiline"] = True
    elif kind in ("number", "whole_number"):
        element = {"type": "number_input", "is_decimal_allowed": kind == "number"}
    elif kind == "date":
        element = {"type": "datepicker"}
    elif kind == "choice":
        element = {"type": "static_select", "options": _options(field)}
    else:
        element = {"type": "checkboxes", "options": _options(field)}
    if field.initial is not None:
        element.update(_initial(field, field.initial(defaults)))
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder)
    return {**element, "action_id": field.name}


def _input(field: Field, defaults: FormDefaults) -> Block:
    return {
        "type": "input",
        "block_id": field.name,
        "label": _plain(field.label),
        "element": _element(field, defaults),
        "optional": field.optional,
    }


def preview_block(form: OutreachForm[Any], preview: ContributionPreview | None) -> list[Block]:
    """The preview line(s) of a form that has one: "working out…" until ``preview`` is known."""
    if form.preview is None:
        return []
    if preview is None:
        return [context(WORKING_OUT)]
    lines = scenario_lines(preview.symbol, preview.scenarios, preview.depth_2pct_usd)
    blocks = [section("\n".join(f"• {escape(line)}" for line in lines))]
    if preview.taken_at is not None:
        blocks.append(context(f"From the scan of {team_time(preview.taken_at, preview.timezone)}"))
    return blocks


def outreach_modal(
    form: OutreachForm[Any],
    symbol: str,
    private_metadata: str,
    defaults: FormDefaults,
    preview: ContributionPreview | None = None,
) -> dict[str, Any]:
    """The modal ``form``'s button opens for ``symbol``."""
    intro = form.intro.format(symbol=f"*{escape(symbol)}*")
    blocks: list[Block] = [section(intro), *preview_block(form, preview)]
    blocks += [_input(field, defaults) for field in form.inputs]
    return {
        "type": "modal",
        "callback_id": form.callback_id,
        "private_metadata": private_metadata,
        "title": _plain(form.title),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def submitted_values(view: dict[str, Any]) -> FormValues:
    """The values of a submitted modal: text and numbers as typed (str or None), dates as
    ``YYYY-MM-DD`` (or None), a select's chosen value, checkboxes as the chosen values."""
    values: dict[str, str | list[str] | None] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        for state in actions.values():
            kind = state.get("type")
            if kind == "datepicker":
                values[block_id] = state.get("selected_date")
            elif kind == "static_select":
                values[block_id] = (state.get("selected_option") or {}).get("value")
            elif kind == "checkboxes":
                values[block_id] = [o.get("value") for o in state.get("selected_options") or []]
            else:
                values[block_id] = state.get("value")
    return FormValues(values)
