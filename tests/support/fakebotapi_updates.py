"""Helpers for fakebotapi.py: recorded-call types, request decoding, Bot API object builders.

The builders return plain JSON dicts shaped as the Bot API returns them, with the fields PTB 22
requires to parse them (test_fakebotapi.py parses them with ``de_json``). Entity offsets and
lengths are in UTF-16 code units, as Telegram counts them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import struct
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

JSON = dict[str, Any]

_COMMAND = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_MENTION = re.compile(r"(?<![^\s])@[A-Za-z][A-Za-z0-9_]{3,31}(?![A-Za-z0-9_])")
_URL = re.compile(r"(?<![^\s(])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Telegram's unit for entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


def detect_entities(text: str) -> list[JSON]:
    """Entities Telegram adds to a user's plain text: bot_command, mention and url."""
    found = []
    for kind, pattern in (("bot_command", _COMMAND), ("mention", _MENTION), ("url", _URL)):
        for m in pattern.finditer(text):
            found.append((m.start(), {"type": kind, "offset": utf16_len(text[: m.start()]),
                                      "length": utf16_len(m.group())}))
    return [entity for _, entity in sorted(found, key=lambda pair: pair[0])]


def user_dict(user_id: int, first_name: str = "Test", username: str | None = None, *,
              is_bot: bool = False, language_code: str | None = "vi") -> JSON:
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code and not is_bot:
        user["language_code"] = language_code
    return user


def bot_user_dict(bot_id: int, first_name: str, username: str) -> JSON:
    """What getMe returns: a User with the bot-only capability fields."""
    return {
        **user_dict(bot_id, first_name, username, is_bot=True),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def default_chat_type(chat_id: int) -> str:
    """Telegram's id ranges: users > 0, supergroups/channels -100…, basic groups other < 0."""
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


def chat_dict(chat_id: int, chat_type: str | None = None, *, title: str | None = None,
              first_name: str | None = None, username: str | None = None) -> JSON:
    chat_type = chat_type or default_chat_type(chat_id)
    chat: JSON = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = first_name or "Test"
        if username:
            chat["username"] = username
    else:
        chat["title"] = title or f"Chat {chat_id}"
    return chat


def chat_full_info(chat: JSON) -> JSON:
    """getChat's ChatFullInfo: the Chat plus the fields Bot API 9 made required."""
    gifts = dict.fromkeys(
        ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"),
        False)
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}


_ADMIN_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
                 "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
                 "can_edit_stories", "can_delete_stories", "can_pin_messages")
_RESTRICTIONS = ("can_change_info", "can_invite_users", "can_pin_messages", "can_send_messages",
                 "can_send_polls", "can_send_other_messages", "can_add_web_page_previews",
                 "can_manage_topics", "can_send_audios", "can_send_documents", "can_send_photos",
                 "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_edit_tag")


def chat_member_dict(status: str, user: JSON) -> JSON:
    """A ChatMember of the given status (creator, administrator, member, restricted, left, kicked)."""
    member: JSON = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(dict.fromkeys(_ADMIN_RIGHTS, True), can_be_edited=False, is_anonymous=False)
    elif status == "restricted":
        member.update(dict.fromkeys(_RESTRICTIONS, False), is_member=True, until_date=0, can_react_to_messages=False)
    elif status == "kicked":
        member["until_date"] = 0
    elif status not in ("member", "left"):
        raise ValueError(f"unknown chat member status {status!r}")
    return member


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (or a JPEG's first frame); (1, 1) when unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    i = 2
    while data[:2] == b"\xff\xd8" and i + 9 < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xC3:
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    return 1, 1


class EntityParseError(ValueError):
    """Raised for HTML Telegram would refuse ("Bad Request: can't parse entities: …")."""


_SIMPLE_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
                "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
                "tg-spoiler": "spoiler", "code": "code", "pre": "pre", "blockquote": "blockquote"}


class _TelegramHTML(HTMLParser):
    """Telegram's HTML parse mode: plain text + entities; unknown tags and stray '<' are errors."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source, self.text, self.entities = source, "", []
        self.open: list[tuple[str, JSON]] = []

    def _fail(self, why: str) -> None:
        raise EntityParseError(why)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "a":
            entity: JSON = {"type": "text_link", "url": attr.get("href") or ""}
        elif tag == "span" and attr.get("class") == "tg-spoiler":
            entity = {"type": "spoiler"}
        elif tag in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[tag]}
            if tag == "blockquote" and "expandable" in attr:
                entity["type"] = "expandable_blockquote"
            if tag == "code" and self.open and self.open[-1][0] == "pre" and attr.get("class"):
                self.open[-1][1]["language"] = attr["class"].removeprefix("language-")
                entity = {"type": "_nested_code"}
        else:
            self._fail(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}')
        entity["offset"] = utf16_len(self.text)
        self.open.append((tag, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1][0] != tag:
            self._fail(f'Unmatched end tag at byte offset {self._byte_offset()}, expected "</'
                       f'{self.open[-1][0] if self.open else ""}>", found "</{tag}>"')
        _, entity = self.open.pop()
        entity["length"] = utf16_len(self.text) - entity["offset"]
        if entity["length"] and entity["type"] != "_nested_code":
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self._fail(f"Unsupported start tag \"\" at byte offset {self._byte_offset()}")
        self.text += data

    def handle_entityref(self, name: str) -> None:
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
        if name not in named:
            self._fail(f'Unsupported HTML entity "&{name};"')
        self.text += named[name]

    def handle_charref(self, name: str) -> None:
        self.text += chr(int(name[1:], 16) if name[:1] in "xX" else int(name))

    def _byte_offset(self) -> int:
        line, col = self.getpos()
        prefix = "".join(self.source.splitlines(keepends=True)[: line - 1]) + self.source.splitlines()[line - 1][:col]
        return len(prefix.encode())


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Text and entities for ``parse_mode="HTML"``; raises EntityParseError like Telegram does."""
    parser = _TelegramHTML(source)
    parser.feed(source)
    parser.close()
    if parser.rawdata:
        parser.handle_data(parser.rawdata)
    if parser.open:
        parser._fail(f'Can\'t find end tag corresponding to start tag "{parser.open[-1][0]}"')
    return parser.text, sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


# ----- recorded calls and messages -----
class ApiError(Exception):
    """Raised inside a method handler to answer ``{"ok": false, ...}`` with that HTTP status."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def response(self) -> web.Response:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.code)


@dataclass
class UploadedFile:
    file_name: str
    data: bytes
    mime_type: str | None = None


@dataclass
class Call:
    """One request the bot made, recorded on arrival (``at`` is its time.monotonic()).

    ``answered`` turns True once the fake has answered; ``error_code`` is None if that answer was ok.
    """

    method: str
    params: JSON
    files: dict[str, UploadedFile] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    error_code: int | None = None
    answered: bool = False

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class SentMessage:
    """A message the bot sent, kept current through edits. ``message`` is the Bot API Message dict."""

    message: JSON
    reply_markup: JSON | None = None  # as sent: inline or reply keyboard, remove or force-reply
    file: UploadedFile | None = None
    deleted: bool = False
    edits: int = 0

    @property
    def chat_id(self) -> int:
        return self.message["chat"]["id"]

    @property
    def message_id(self) -> int:
        return self.message["message_id"]

    @property
    def text(self) -> str | None:
        """The text, or the caption of a document/photo."""
        return self.message.get("text", self.message.get("caption"))

    @property
    def buttons(self) -> list[list[str]]:
        """Button labels, row by row (inline or reply keyboard)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, str) else b["text"] for b in row] for row in rows]

    def callback_data(self, label: str) -> str:
        """The callback_data of the inline button labelled ``label``."""
        for row in (self.message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == label and "callback_data" in button:
                    return button["callback_data"]
        raise AssertionError(f"no inline button {label!r} in message {self.message_id}: {self.buttons}")


class Pulse:
    """A wake-up for waiters that synchronous code can fire."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), max(timeout, 0))


# ----- request decoding -----
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Form values that are plain strings, never JSON: a text "123" stays the string "123".
_STRING_PARAMS = {"text", "caption", "data", "callback_query_id", "query", "title", "description", "url",
                  "parse_mode", "file_id", "document", "photo", "inline_message_id", "secret_token", "action",
                  "language_code", "short_description", "name", "emoji", "command"}


def as_int(value: Any) -> Any:
    """A chat/message id as int when it is one ("@channel" stays a string)."""
    return int(value) if isinstance(value, str) and re.fullmatch(r"-?\d+", value) else value


def decode_param(key: str, value: Any) -> Any:
    """PTB form-encodes non-string values as JSON (objects, lists, numbers, booleans): decode them."""
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    if value[:1] in "[{" or value in ("true", "false", "null") or _NUMBER.fullmatch(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def read_params(request: web.Request) -> tuple[JSON, dict[str, UploadedFile]]:
    """Params from the query string and a JSON, urlencoded or multipart body; uploaded files apart."""
    params: JSON = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.content_type == "application/json":
        params.update(json.loads(await request.read() or b"{}"))
    elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = value
    return {key: decode_param(key, value) for key, value in params.items()}, files


# ----- what Telegram checks and stores for a sent text -----
_LIMITS = {"text": (4096, "message is too long"), "caption": (1024, "message caption is too long")}


def formatted(params: JSON, key: str, *, required: bool = False) -> JSON:
    """``{key: text, <entities key>: [...]}`` as Telegram stores a text/caption after parse_mode.

    Raises ApiError 400 for an empty required text, bad HTML, or a text over Telegram's limit.
    """
    text = params.get(key)
    text = "" if text is None else str(text)
    entities_key = "entities" if key == "text" else f"{key}_entities"
    entities = params.get(entities_key) or []
    if str(params.get("parse_mode") or "").lower() == "html":
        try:
            text, entities = parse_html(text)
        except EntityParseError as err:
            raise ApiError(400, f"Bad Request: can't parse entities: {err}") from None
    if required and not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    limit, complaint = _LIMITS[key]
    if len(text) > limit:
        raise ApiError(400, f"Bad Request: {complaint}")
    if not text:
        return {}
    return {key: text, entities_key: entities} if entities else {key: text}


def check_markup(markup: JSON | None) -> None:
    """Telegram refuses callback_data outside 1-64 bytes."""
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
