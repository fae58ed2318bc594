"""The Block Kit limits Slack enforces, so the stand-in refuses what real Slack would refuse.

Only the limits liqbot can plausibly hit are checked (block counts, text lengths, modal titles,
duplicate ids); errors read like Slack's ``invalid_blocks`` errors, with a JSON pointer.
"""

from __future__ import annotations

from typing import Any

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MESSAGE_TEXT_LIMIT = 40_000

_BLOCK_TYPES = {
    "actions",
    "context",
    "divider",
    "file",
    "header",
    "image",
    "input",
    "markdown",
    "rich_text",
    "section",
    "table",
    "video",
}


def _text_errors(obj: Any, pointer: str, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return [f"must be a text object [json-pointer:{pointer}]"]
    if plain_only and obj["type"] != "plain_text":
        return [f"must be plain_text [json-pointer:{pointer}/type]"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"must be a non-empty string [json-pointer:{pointer}/text]"]
    if len(text) > limit:
        return [f"must be less than {limit + 1} characters [json-pointer:{pointer}/text]"]
    return []


def _block_errors(block: Any, pointer: str, action_ids: set[str]) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in _BLOCK_TYPES:
        return [f"unsupported block type [json-pointer:{pointer}/type]"]
    kind = block["type"]
    errors: list[str] = []
    if kind == "section":
        if "text" not in block and "fields" not in block:
            errors.append(f"must have text or fields [json-pointer:{pointer}]")
        if "text" in block:
            errors += _text_errors(block["text"], f"{pointer}/text", 3000)
        fields = block.get("fields", [])
        if len(fields) > 10:
            errors.append(f"must have at most 10 items [json-pointer:{pointer}/fields]")
        for i, field in enumerate(fields):
            errors += _text_errors(field, f"{pointer}/fields/{i}", 2000)
    elif kind == "header":
        errors += _text_errors(block.get("text"), f"{pointer}/text", 150, plain_only=True)
    elif kind in ("actions", "context"):
        elements = block.get("elements") or []
        limit = 25 if kind == "actions" else 10
        if not 1 <= len(elements) <= limit:
            errors.append(f"must have 1 to {limit} elements [json-pointer:{pointer}/elements]")
    elif kind == "input":
        errors += _text_errors(block.get("label"), f"{pointer}/label", 2000, plain_only=True)
        if not isinstance(block.get("element"), dict):
            errors.append(f"must have an element [json-pointer:{pointer}/element]")
    elements = [*(block.get("elements") or []), block.get("accessory"), block.get("element")]
    for element in elements:
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if action_id is None:
            continue
        if action_id in action_ids:
            errors.append(f"duplicate action_id {action_id!r} [json-pointer:{pointer}]")
        action_ids.add(action_id)
    return errors


def block_errors(blocks: Any, limit: int, pointer: str = "/blocks") -> list[str]:
    """Slack-style error strings for a ``blocks`` array; empty when Slack would accept it."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    if len(blocks) > limit:
        return [f"must have at most {limit} items [json-pointer:{pointer}]"]
    errors: list[str] = []
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        # action_id: "unique among all other action_ids in the containing block" (Block Kit
        # reference), so each block has its own set; digest rows repeat the same buttons.
        errors += _block_errors(block, f"{pointer}/{i}", set())
        block_id = block.get("block_id") if isinstance(block, dict) else None
        if block_id is not None:
            if block_id in block_ids:
                errors.append(f"duplicate block_id {block_id!r} [json-pointer:{pointer}/{i}]")
            block_ids.add(block_id)
    return errors


def view_errors(view: Any) -> list[str]:
    """Slack-style error strings for a modal or App Home view."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        return ["view type must be modal or home [json-pointer:/view/type]"]
    errors = block_errors(view.get("blocks"), VIEW_BLOCK_LIMIT, "/view/blocks")
    if view["type"] == "modal":
        errors += _text_errors(view.get("title"), "/view/title", 24, plain_only=True)
        for key in ("submit", "close"):
            if key in view:
                errors += _text_errors(view[key], f"/view/{key}", 24, plain_only=True)
    if len(view.get("private_metadata") or "") > 3000:
        errors.append("must be less than 3001 characters [json-pointer:/view/private_metadata]")
    if len(view.get("callback_id") or "") > 255:
        errors.append("must be less than 256 characters [json-pointer:/view/callback_id]")
    return errors


def message_errors(args: dict[str, Any]) -> tuple[str, list[str]] | None:
    """(error code, details) for a message payload Slack would refuse, else None."""
    text, blocks = args.get("text"), args.get("blocks")
    if not text and not blocks and not args.get("attachments"):
        return "no_text", []
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_LIMIT:
        return "msg_too_long", []
    if blocks is not None:
        errors = block_errors(blocks, MESSAGE_BLOCK_LIMIT)
        if errors:
            return "invalid_blocks", errors
    return None
