"""The state behind the Slack Web API stand-in: one fictional workspace and its Web API methods.

Each method takes the parsed arguments and answers the JSON real Slack would answer, including
its usual errors (``channel_not_found``, ``no_text``, ``invalid_blocks``, ``message_not_found``,
``hash_conflict``…). Tests read and seed the state directly: ``users``, ``usergroups``,
``messages`` (per channel, oldest first), ``ephemerals``, ``views``, ``home_views``, ``uploads``,
``channels_without_bot``, ``scopes`` (what the bot token was granted: the manifest's by default;
the history methods answer ``missing_scope`` without the one the conversation needs) and
``clock`` (seconds since the epoch that message ts follow; by default they start in 2023).
Not thread-safe by itself: ``SlackApiStandIn`` calls it under its lock.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.slack.manifest import BOT_SCOPES
from tests.fakes.slack_blocks import message_errors, view_errors

Answer = dict[str, Any]
# The scope the history methods need, by the first letter of a conversation id.
HISTORY_SCOPES = {"C": "channels:history", "G": "groups:history", "D": "im:history"}


@dataclass
class FileUpload:
    """One file sent through files_upload_v2: the bytes, then where it was shared."""

    file_id: str
    filename: str
    length: int
    data: bytes | None = None
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    completed: bool = False


def _error(code: str, **extra: Any) -> Answer:
    return {"ok": False, "error": code, **extra}


def _flag(value: Any) -> bool:
    """A boolean Web API argument: JSON true, or "1"/"true" in a form or query string."""
    return value is True or str(value).lower() in ("1", "true")


def _ts_key(ts: Any) -> tuple[int, int]:
    seconds, _, fraction = str(ts).partition(".")
    return int(seconds or 0), int((fraction + "000000")[:6])


@dataclass
class SlackWorkspace:
    """A fictional workspace; ids are deterministic so failures are easy to read."""

    team_id: str = "T0LIQBOT"
    bot_user_id: str = "U0LIQBOT"
    bot_id: str = "B0LIQBOT"
    upload_base_url: str = "http://127.0.0.1/upload/"
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploads: dict[str, FileUpload] = field(default_factory=dict)
    channels_without_bot: set[str] = field(default_factory=set)
    """Channels liqbot is not a member of: Slack refuses files there (``not_in_channel``)."""
    scopes: set[str] = field(default_factory=lambda: set(BOT_SCOPES))
    clock: Callable[[], float] | None = None
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _next(self) -> int:
        return next(self._counter)

    def _ts(self) -> str:
        seconds = 1700000000 if self.clock is None else int(self.clock())
        return f"{seconds}.{self._next():06d}"

    def _missing_scope(self, channel: str) -> Answer | None:
        needed = HISTORY_SCOPES.get(channel[:1])
        if needed is None or needed in self.scopes:
            return None
        return _error("missing_scope", needed=needed, provided=",".join(sorted(self.scopes)))

    def handler(self, method: str) -> Callable[[dict[str, Any]], Answer] | None:
        """The implementation of Web API ``method`` (e.g. ``chat.postMessage``), or None."""
        return getattr(self, "m_" + method.replace(".", "_"), None)

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The current version of a posted message (after any chat.update)."""
        return next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)

    def _channel(self, channel: str) -> str:
        # Posting to a user id posts in the bot's direct-message channel with that user.
        return "D" + channel[1:] if channel[:1] in ("U", "W") else channel

    # ---- auth / users ------------------------------------------------------------------------
    def m_auth_test(self, args: dict[str, Any]) -> Answer:
        return {
            "ok": True,
            "url": "https://liqbot-test.slack.com/",
            "team": "liqbot test",
            "user": "liqbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def m_users_info(self, args: dict[str, Any]) -> Answer:
        user_id = str(args.get("user") or "")
        if user_id in self.users:
            return {"ok": True, "user": self.users[user_id]}
        if user_id[:1] not in ("U", "W"):
            return _error("user_not_found")
        name = user_id.lower()
        profile = {"real_name": name, "display_name": name}
        user = {"id": user_id, "team_id": self.team_id, "name": name, "real_name": name}
        return {"ok": True, "user": {**user, "tz": "UTC", "is_bot": False, "profile": profile}}

    def m_usergroups_users_list(self, args: dict[str, Any]) -> Answer:
        group = str(args.get("usergroup") or "")
        if group not in self.usergroups:
            return _error("no_such_subteam")
        return {"ok": True, "users": list(self.usergroups[group])}

    # ---- messages ----------------------------------------------------------------------------
    def m_chat_postMessage(self, args: dict[str, Any]) -> Answer:
        if not args.get("channel"):
            return _error("channel_not_found")
        refused = message_errors(args)
        if refused:
            return _error(refused[0], errors=refused[1])
        channel = self._channel(str(args["channel"]))
        message = {
            "type": "message",
            "ts": self._ts(),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "text": args.get("text") or "",
            "blocks": args.get("blocks") or [],
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if isinstance(args.get("metadata"), dict):  # returned with include_all_metadata
            message["metadata"] = args["metadata"]
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def m_chat_update(self, args: dict[str, Any]) -> Answer:
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        message = self.message(channel, ts)
        if message is None:
            return _error("message_not_found")
        refused = message_errors({**message, **args})
        if refused:
            return _error(refused[0], errors=refused[1])
        for key in ("text", "blocks"):
            if key in args:
                message[key] = args[key]
        message["edited"] = {"user": self.bot_user_id, "ts": self._ts()}
        return {
            "ok": True,
            "channel": channel,
            "ts": ts,
            "text": message["text"],
            "message": message,
        }

    def m_chat_postEphemeral(self, args: dict[str, Any]) -> Answer:
        if not args.get("channel"):
            return _error("channel_not_found")
        if not args.get("user"):
            return _error("user_not_in_channel")
        refused = message_errors(args)
        if refused:
            return _error(refused[0], errors=refused[1])
        ts = self._ts()
        self.ephemerals.append({**args, "message_ts": ts})
        return {"ok": True, "message_ts": ts}

    def _in_range(self, message: dict[str, Any], args: dict[str, Any]) -> bool:
        """``oldest`` < ts < ``latest`` (each end included with ``inclusive``)."""
        key, inclusive = _ts_key(message["ts"]), _flag(args.get("inclusive"))
        oldest, latest = args.get("oldest"), args.get("latest")
        if oldest not in (None, "") and (
            key < _ts_key(oldest) or (key == _ts_key(oldest) and not inclusive)
        ):
            return False
        return (
            latest in (None, "") or key < _ts_key(latest) or (key == _ts_key(latest) and inclusive)
        )

    @staticmethod
    def _shown(message: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
        """A message as the history methods return it: its metadata only when asked for."""
        if "metadata" in message and not _flag(args.get("include_all_metadata")):
            return {k: v for k, v in message.items() if k != "metadata"}
        return message

    def m_conversations_history(self, args: dict[str, Any]) -> Answer:
        """The conversation's messages between ``oldest`` and ``latest``, newest first, thread
        replies left out (they are in ``conversations.replies``), a page of ``limit`` at a time
        from ``cursor``; ``response_metadata.next_cursor`` names the next page."""
        channel = str(args.get("channel") or "")
        refused = self._missing_scope(channel)
        if refused is not None:
            return refused
        if channel not in self.messages:
            return _error("channel_not_found")
        limit = int(args.get("limit") or 100)
        newest_first = [
            self._shown(m, args)
            for m in reversed(self.messages[channel])
            if m.get("thread_ts") in (None, m["ts"]) and self._in_range(m, args)
        ]
        if args.get("cursor"):  # Slack's cursor: base64 of "next_ts:<ts of the page's first>"
            try:
                below = _ts_key(base64.b64decode(str(args["cursor"])).decode().split(":")[1])
            except (ValueError, IndexError):
                return _error("invalid_cursor")
            newest_first = [m for m in newest_first if _ts_key(m["ts"]) <= below]
        page, rest = newest_first[:limit], newest_first[limit:]
        answer: Answer = {"ok": True, "messages": page, "has_more": bool(rest), "pin_count": 0}
        if rest:
            cursor = base64.b64encode(f"next_ts:{rest[0]['ts']}".encode()).decode()
            answer["response_metadata"] = {"next_cursor": cursor}
        return answer

    def m_conversations_replies(self, args: dict[str, Any]) -> Answer:
        """The thread of ``ts``: the parent first, then its replies, oldest first."""
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        refused = self._missing_scope(channel)
        if refused is not None:
            return refused
        if channel not in self.messages:
            return _error("channel_not_found")
        thread = [
            self._shown(m, args)
            for m in self.messages[channel]
            if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        if not thread:
            return _error("thread_not_found")
        limit = int(args.get("limit") or 1000)
        return {"ok": True, "messages": thread[:limit], "has_more": len(thread) > limit}

    def m_conversations_open(self, args: dict[str, Any]) -> Answer:
        """liqbot's DM with ``users`` (``im:write``), opened by the first call (an empty
        history from then on); later calls say ``already_open``."""
        users = str(args.get("users") or "")
        if not users:
            return _error("users_list_not_supplied")
        if "im:write" not in self.scopes:
            return _error(
                "missing_scope", needed="im:write", provided=",".join(sorted(self.scopes))
            )
        channel = self._channel(users.split(",")[0])
        if channel in self.messages:
            return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": channel}}
        self.messages[channel] = []
        return {"ok": True, "channel": {"id": channel}}

    # ---- views -------------------------------------------------------------------------------
    def _store_view(self, view: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        n = self._next()
        stored = {
            **view,
            "id": view_id or f"V{n:08d}",
            "hash": f"{1700000000 + n}.h{n:04d}",
            "team_id": self.team_id,
            "state": {"values": {}},
            "app_id": "A0LIQBOT",
            "bot_id": self.bot_id,
        }
        self.views[stored["id"]] = stored
        return stored

    def m_views_open(self, args: dict[str, Any]) -> Answer:
        if not args.get("trigger_id"):
            return _error("invalid_arguments")
        errors = view_errors(args.get("view"))
        if errors:
            return _error("invalid_arguments", response_metadata={"messages": errors})
        return {"ok": True, "view": self._store_view(args["view"])}

    m_views_push = m_views_open

    def m_views_update(self, args: dict[str, Any]) -> Answer:
        view_id = str(args.get("view_id") or "")
        if view_id not in self.views:
            return _error("not_found")
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            return _error("hash_conflict")
        errors = view_errors(args.get("view"))
        if errors:
            return _error("invalid_arguments", response_metadata={"messages": errors})
        return {"ok": True, "view": self._store_view(args["view"], view_id)}

    def m_views_publish(self, args: dict[str, Any]) -> Answer:
        user_id = str(args.get("user_id") or "")
        if not user_id:
            return _error("invalid_arguments")
        view = args.get("view")
        errors = view_errors(view)
        if errors or not isinstance(view, dict) or view.get("type") != "home":
            return _error("invalid_arguments", response_metadata={"messages": errors})
        stored = self._store_view(view)
        self.home_views[user_id] = stored
        return {"ok": True, "view": stored}

    # ---- files (what slack_sdk's files_upload_v2 calls) --------------------------------------
    def m_files_getUploadURLExternal(self, args: dict[str, Any]) -> Answer:
        if not args.get("filename") or not str(args.get("length") or "").isdigit():
            return _error("invalid_arguments")
        file_id = f"F{self._next():08d}"
        self.uploads[file_id] = FileUpload(file_id, str(args["filename"]), int(args["length"]))
        return {"ok": True, "upload_url": self.upload_base_url + file_id, "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        """Stores the bytes POSTed to an upload URL; False for an unknown file id."""
        upload = self.uploads.get(file_id)
        if upload is None:
            return False
        upload.data = data
        return True

    def m_files_completeUploadExternal(self, args: dict[str, Any]) -> Answer:
        files = args.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        if not isinstance(files, list) or not files:
            return _error("invalid_arguments")
        if args.get("channel_id") in self.channels_without_bot:
            return _error("not_in_channel")
        done = []
        for entry in files:
            upload = self.uploads.get(str(entry.get("id")))
            if upload is None or upload.data is None:
                return _error("file_not_found")
            upload.title = entry.get("title") or upload.filename
            upload.channel_id = args.get("channel_id")
            upload.initial_comment = args.get("initial_comment")
            upload.completed = True
            done.append({"id": upload.file_id, "name": upload.filename, "title": upload.title})
        channel = args.get("channel_id")
        if channel:  # the share shows in the channel (in the thread of ``thread_ts``)
            share: dict[str, Any] = {
                "type": "message",
                "ts": self._ts(),
                "user": self.bot_user_id,
                "text": args.get("initial_comment") or "",
                "files": done,
            }
            if args.get("thread_ts"):
                share["thread_ts"] = args["thread_ts"]
            self.messages.setdefault(self._channel(str(channel)), []).append(share)
        return {"ok": True, "files": done}
