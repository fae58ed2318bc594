"""Files for whoever asked (charts, evidence packs): into the channel the request came from when
liqbot is in it, else into the requester's direct messages with liqbot (SPEC 6).

Slack refuses a file for a channel the bot is not in (``not_in_channel``) or cannot see
(``channel_not_found``: a private channel, a DM between two people); both mean "send it to the
person instead". Any other refusal is an error for the app's one error handler.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.presenters.blocks_common import OutgoingFile

NOT_THERE = ("not_in_channel", "channel_not_found")


async def _upload(
    client: AsyncWebClient, channel: str, files: Sequence[OutgoingFile], comment: str | None
) -> None:
    await client.files_upload_v2(
        channel=channel,
        file_uploads=[{"file": f.content, "filename": f.filename, "title": f.title} for f in files],
        initial_comment=comment,
    )


async def upload_for(
    client: AsyncWebClient,
    channel_id: str | None,
    user_id: str,
    files: Sequence[OutgoingFile],
    comment: str | None = None,
) -> str:
    """Uploads ``files`` (one message) to ``channel_id``, or to ``user_id``'s DM when liqbot is
    not in that channel; returns the channel they went to."""
    if channel_id:
        try:
            await _upload(client, channel_id, files, comment)
            return channel_id
        except SlackApiError as error:
            if error.response.get("error") not in NOT_THERE:
                raise
    opened = await client.conversations_open(users=user_id)
    direct = str(opened["channel"]["id"])
    await _upload(client, direct, files, comment)
    return direct
