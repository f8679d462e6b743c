"""A fake Telegram Bot API server for end-to-end tests of PTB bots (listens on 127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.support import fakebotapi_updates as tg
from tests.support.fakebotapi_flood import FloodRules
from tests.support.fakebotapi_updates import JSON, ApiError, Call, Pulse, SentMessage, UploadedFile, as_int

__all__ = ["Call", "FakeBotApi", "SentMessage", "UploadedFile"]

_ERRORS = {403: "Forbidden: bot was blocked by the user", 400: "Bad Request: chat not found",
           500: "Internal Server Error", 502: "Bad Gateway", 504: "Gateway Timeout"}
_MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
_NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                 "exactly the same as a current content and reply markup of the message")


@dataclass
class _Fault:
    method: str
    error: int | str
    times: int
    chat_id: Any
    retry_after: int
    description: str | None
    migrate_to_chat_id: int | None
    delay: float


@dataclass
class _Pending:
    update: JSON
    redelivery: bool  # pushed with an already confirmed id: survives offsets until delivered once
    delivered: bool = False


class FakeBotApi:
    """In-process fake of the Telegram Bot API for PTB tests, an aiohttp server in the test's loop.

    Usage::

        async with FakeBotApi() as fake:      # or the ``fake_api`` fixture of fake_fixtures.py
            app = (ApplicationBuilder().token(fake.token).base_url(fake.base_url)
                   .base_file_url(fake.base_file_url).build())
            app.add_handler(...)
            async with app:
                await app.start()
                await app.updater.start_polling(poll_interval=0)
                fake.push_message("/start", chat_id=42)       # user 42 writes to the bot
                reply = await fake.next_message(42)           # SentMessage: .text, .buttons, .file
                ...
                await app.updater.stop()
                await app.stop()

    Users act through ``push_message``/``push_callback``/``push_update``. The bot's requests are in
    ``calls`` (``wait_for``, ``mark``) and its messages in ``sent()`` (``next_message``, ``no_message``).
    Faults: ``fail()``, ``block()``, ``migrate_chat()``, ``flood_rules()``. Unimplemented methods answer 404 and are
    listed in ``unexpected``, which the ``fake_api`` fixture turns into a test failure.
    Like Telegram: HTML parse mode becomes text + entities (bad HTML -> 400 "can't parse
    entities"); texts > 4096 and captions > 1024 chars, callback_data > 64 bytes, edits that change
    nothing, and replies to unknown messages are 400s; editMessageText without reply_markup drops
    the inline keyboard. Markdown is not parsed: such text is stored as sent.
    """

    def __init__(self, token: str = "123456789:TEST-fake-token", *, bot_username: str = "thidua_bot",
                 bot_first_name: str = "Thi đua") -> None:
        self.token = token
        bot_id = int(token.split(":")[0]) if token.split(":")[0].isdigit() else 123456789
        self.bot_user = tg.bot_user_dict(bot_id, bot_first_name, bot_username)
        self.calls: list[Call] = []
        self.unexpected: list[Call] = []
        self.crashes: list[str] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.menu_buttons: dict[Any, JSON] = {}
        self.members: dict[tuple[int, int], str] = {}
        self.blocked: set[int] = set()
        self.migrated: dict[int, int] = {}
        self.webhook_url = ""
        self.port = 0
        self._sent: list[SentMessage] = []
        self._messages: dict[tuple[int, int], JSON] = {}  # every message: users' and the bot's
        self._chats: dict[int, JSON] = {}
        self._users: dict[int, JSON] = {}
        self._files: dict[str, UploadedFile] = {}
        self._faults: list[_Fault] = []
        self.flood: FloodRules | None = None
        self._pending: list[_Pending] = []
        self._confirmed_below = 0
        self._delivered_below = 0  # a re-pushed id below this one is a redelivery, confirmed yet or not
        self._max_update_id = 0
        self._last_message_id: dict[int, int] = {}
        self._consumed: dict[int, int] = {}
        self._callback_ids: set[str] = set()
        self._updates_pulse, self._calls_pulse = Pulse(), Pulse()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._methods = {name[3:].lower(): getattr(self, name) for name in dir(self) if name.startswith("_m_")}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ----- lifecycle and HTTP -----
    async def start(self) -> FakeBotApi:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Releases waiting long polls and delayed answers at once, then closes the server."""
        self._closing.set()
        self._updates_pulse.fire()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        if path.startswith("file/bot"):
            return self._download(path.removeprefix("file/bot"))
        token, _, method = path.removeprefix("bot").partition("/")
        if not path.startswith("bot") or token != self.token:
            return ApiError(401, "Unauthorized").response()
        params, files = await tg.read_params(request)
        handler = self._methods.get(method.lower())
        call = Call(handler.__name__[3:] if handler else method, params, files)
        self.calls.append(call)
        try:
            if handler is None:
                self.unexpected.append(call)
                raise ApiError(404, f"Not Found: method {method}")
            delay = await self._apply_faults(call)
            if self.flood is not None:
                self.flood.check(call.method, as_int(call.chat_id))
            response = web.json_response({"ok": True, "result": await handler(call)})
        except ApiError as err:
            call.error_code, delay, response = err.code, 0.0, err.response()
        except Exception as exc:  # a bug in the fake, or params it cannot read: fail the test loudly
            self.crashes.append(f"{call.method}({call.params}): {exc!r}")
            call.error_code, delay, response = 500, 0.0, ApiError(500, f"FakeBotApi crashed: {exc!r}").response()
        call.answered = True  # a "slow" answer is late, but its effects are visible already
        self._calls_pulse.fire()
        await self._sleep(delay)
        return response

    def _download(self, path: str) -> web.Response:
        token, _, file_path = path.partition("/")
        uploaded = self._files.get(file_path.rsplit("/", 1)[-1].split(".")[0])
        if token != self.token or uploaded is None:
            return ApiError(404, "Not Found").response()
        return web.Response(body=uploaded.data, content_type=uploaded.mime_type or "application/octet-stream")

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), seconds)

    # ----- fault injection -----
    def fail(self, method: str, *, error: int | str = 500, times: int = 1, chat_id: Any = None,
             retry_after: int = 1, description: str | None = None, migrate_to_chat_id: int | None = None,
             delay: float = 0.0) -> None:
        """Make the next ``times`` calls of ``method`` (to ``chat_id``, if given) fail.

        error: 429 (with ``retry_after``), 403, 400 (with ``migrate_to_chat_id``: the group became a
        supergroup), 500, 502; "slow": handled and recorded as usual, but answered after ``delay``
        (default 1 s) so the client times out after the message was sent; "timeout": NOT handled,
        answered 504 after ``delay`` (default 1 s): the client times out and nothing was sent.
        """
        if method.lower() not in self._methods:
            raise ValueError(f"FakeBotApi does not implement {method!r}")
        if error in ("slow", "timeout") and not delay:
            delay = 1.0
        method = self._methods[method.lower()].__name__[3:]
        self._faults.append(_Fault(method, error, times, chat_id, retry_after, description,
                                   migrate_to_chat_id, delay))

    def flood_rules(self, **limits: float) -> FloodRules:
        """From now on, answer 429 like Telegram to a bot that sends too fast (tests/fakebotapi_flood.py)."""
        self.flood = FloodRules(**limits)
        return self.flood

    def block(self, chat_id: int) -> None:
        """Every send/edit to ``chat_id`` answers 403 until ``unblock``."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> None:
        """Every call naming ``chat_id`` answers 400 with ``migrate_to_chat_id=new_chat_id``."""
        self.migrated[chat_id] = new_chat_id

    async def _apply_faults(self, call: Call) -> float:
        """Raises the ApiError of an active fault; returns the delay to add to a normal answer."""
        chat_id = as_int(call.chat_id)
        if chat_id in self.migrated:
            raise ApiError(400, _MIGRATED, {"migrate_to_chat_id": self.migrated[chat_id]})
        if chat_id in self.blocked and call.method.startswith(("send", "edit", "copy", "forward")):
            private = self._chat(chat_id)["type"] == "private"
            raise ApiError(403, _ERRORS[403] if private else "Forbidden: bot was kicked from the group chat")
        fault = next((f for f in self._faults if f.method == call.method
                      and (f.chat_id is None or as_int(f.chat_id) == chat_id)), None)
        if fault is None:
            return 0.0
        fault.times -= 1
        if fault.times <= 0:
            self._faults.remove(fault)
        if fault.error == "slow":
            return fault.delay
        if fault.error == "timeout":
            await self._sleep(fault.delay)
            raise ApiError(504, fault.description or _ERRORS[504])
        if fault.error == 429:
            raise ApiError(429, fault.description or f"Too Many Requests: retry after {fault.retry_after}",
                           {"retry_after": fault.retry_after})
        if fault.migrate_to_chat_id is not None:
            raise ApiError(400, fault.description or _MIGRATED, {"migrate_to_chat_id": fault.migrate_to_chat_id})
        code = int(fault.error)
        raise ApiError(code, fault.description or _ERRORS.get(code, _ERRORS[500]))

    # ----- simulated users -----
    def push_update(self, update: JSON) -> int:
        """Queue a raw Update; its update_id is assigned if missing. Re-pushing an old id redelivers it."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._max_update_id + 1
        self._max_update_id = max(self._max_update_id, update["update_id"])
        if msg := update.get("message"):
            self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        redelivery = update["update_id"] < max(self._confirmed_below, self._delivered_below)
        self._pending.append(_Pending(update, redelivery=redelivery))
        self._updates_pulse.fire()
        return update["update_id"]

    def take_updates(self) -> list[JSON]:
        """Removes and returns the queued updates, oldest first: what Telegram posts to a webhook."""
        taken, self._pending = self._pending, []
        return [entry.update for entry in taken]

    def push_message(self, text: str, *, chat_id: int, user_id: int | None = None, chat_type: str | None = None,
                     title: str | None = None, first_name: str = "Test", username: str | None = None,
                     reply_to: JSON | SentMessage | int | None = None, update_id: int | None = None,
                     document: tuple[str, bytes] | None = None) -> int:
        """A user writes ``text`` (the caption, with ``document=(file_name, data)``); returns the update_id.

        chat_type defaults from the id (> 0 private, -100… supergroup, else group); in a private
        chat user_id defaults to chat_id. Commands, @mentions and URLs get their entities.
        """
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1001)
        user = self._users[user_id] = tg.user_dict(user_id, first_name, username)
        if chat_type or title or chat_id not in self._chats:
            self._chats[chat_id] = tg.chat_dict(chat_id, chat_type, title=title, first_name=first_name,
                                                username=username)
        message: JSON = {"message_id": self._next_message_id(chat_id), "from": user,
                         "chat": self._chats[chat_id], "date": int(time.time())}
        if document:
            message["document"] = self._store_file("document", UploadedFile(*document))
        if text or not document:
            message["caption" if document else "text"] = text
            if entities := tg.detect_entities(text):
                message["caption_entities" if document else "entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = copy.deepcopy(self._resolve(chat_id, reply_to))
        return self.push_update({"message": message} | ({"update_id": update_id} if update_id else {}))

    def push_callback(self, message: JSON | SentMessage, data: str, *, user_id: int,
                      first_name: str = "Test", stale: bool = False) -> int:
        """The user presses the inline button carrying ``data`` under a bot message (as it is now; with
        ``stale``, as another device still shows it: a button the bot has since removed).

        Returns the update_id, which is also the callback query id (see ``callback_answer``).
        """
        current = copy.deepcopy(self._resolve(None, message))
        keyboard = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        if not stale and data not in [button.get("callback_data") for row in keyboard for button in row]:
            raise AssertionError(f"message {current['message_id']} has no button with callback_data {data!r}")
        user = self._users.setdefault(user_id, tg.user_dict(user_id, first_name))
        update_id = self._max_update_id + 1
        self._callback_ids.add(str(update_id))
        query = {"id": str(update_id), "from": user, "message": current, "data": data,
                 "chat_instance": str(abs(current["chat"]["id"]))}
        return self.push_update({"update_id": update_id, "callback_query": query})

    def push_bot_member(self, chat_id: int, status: str, *, by: int, title: str, chat_type: str = "channel",
                        first_name: str = "Test") -> int:
        """User ``by`` makes the bot ``status`` (administrator, left…) of a chat: a my_chat_member update."""
        user = self._users.setdefault(by, tg.user_dict(by, first_name))
        chat = self._chats[chat_id] = tg.chat_dict(chat_id, chat_type, title=title)
        change = {"chat": chat, "from": user, "date": int(time.time()),
                  "old_chat_member": tg.chat_member_dict("left", self.bot_user),
                  "new_chat_member": tg.chat_member_dict(status, self.bot_user)}
        return self.push_update({"my_chat_member": change})

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """getChatMember's status: creator, administrator, member (default), restricted, left, kicked."""
        tg.chat_member_dict(status, {})  # validates the status
        self.members[(chat_id, user_id)] = status

    def add_file(self, data: bytes, file_name: str) -> str:
        """Store a file the bot can fetch with getFile + download; returns its file_id."""
        return self._store_file("document", UploadedFile(file_name, data))["file_id"]

    # ----- inspection and waiting -----
    def sent(self, chat_id: int | None = None, *, include_deleted: bool = False) -> list[SentMessage]:
        """Messages the bot sent (to ``chat_id``), oldest first, as they are now."""
        return [m for m in self._sent
                if (chat_id is None or m.chat_id == chat_id) and (include_deleted or not m.deleted)]

    def mark(self) -> int:
        """A position in ``calls``: pass it as ``wait_for(..., after=mark)``."""
        return len(self.calls)

    async def next_message(self, chat_id: int, timeout: float = 5) -> SentMessage:
        """The next message the bot sent to ``chat_id`` that next_message has not returned yet."""
        def find() -> SentMessage | None:
            mine, index = self.sent(chat_id, include_deleted=True), self._consumed.get(chat_id, 0)
            if index >= len(mine):
                return None
            self._consumed[chat_id] = index + 1
            return mine[index]
        return await self._until(find, timeout, f"no new message to chat {chat_id}")

    async def wait_for(self, method: str, predicate: Callable[[Call], bool] | None = None, timeout: float = 5,
                       *, after: int = 0) -> Call:
        """The first answered call of ``method`` (at or after position ``after``) satisfying ``predicate``."""
        def find() -> Call | None:
            return next((c for c in self.calls[after:]
                         if c.method == method and c.answered and (predicate is None or predicate(c))), None)
        return await self._until(find, timeout, f"no matching {method} call")

    async def callback_answer(self, update_id: int, timeout: float = 5) -> Call:
        """The answerCallbackQuery call for the callback pushed as ``update_id``."""
        return await self.wait_for("answerCallbackQuery", lambda c: str(c.params.get("callback_query_id"))
                                   == str(update_id), timeout=timeout)

    async def no_message(self, chat_id: int, within: float = 0.5) -> None:
        """Asserts the bot sends nothing to ``chat_id`` during the next ``within`` seconds."""
        before = len(self.sent(chat_id, include_deleted=True))
        await asyncio.sleep(within)
        extra = self.sent(chat_id, include_deleted=True)[before:]
        assert not extra, f"the bot sent to chat {chat_id}: {[m.text for m in extra]}"

    def assert_all_expected(self) -> None:
        """Fails if the bot called methods this fake does not implement (answered 404) or that crashed it."""
        methods = sorted({call.method for call in self.unexpected})
        assert not methods, f"the bot called Bot API methods FakeBotApi does not implement: {', '.join(methods)}"
        assert not self.crashes, "FakeBotApi failed to handle:\n" + "\n".join(self.crashes)

    def describe(self) -> str:
        """The bot's calls, one line each, for assertion messages."""
        return "\n".join(f"  {c.method} chat={c.chat_id} {c.error_code or ('ok' if c.answered else 'pending')} "
                         f"{str(c.params.get('text') or c.params.get('caption') or '')[:80]!r}"
                         for c in self.calls) or "  (no calls)"

    async def _until(self, find: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        while (found := find()) is None:
            if (remaining := deadline - time.monotonic()) <= 0:
                raise AssertionError(f"{what} within {timeout}s; the bot's calls:\n{self.describe()}")
            await self._calls_pulse.wait(remaining)
        return found

    # ----- state helpers -----
    def _chat(self, chat_id: Any) -> JSON:
        chat_id = as_int(chat_id)
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        return self._chats.setdefault(chat_id, tg.chat_dict(chat_id))

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _resolve(self, chat_id: int | None, ref: JSON | SentMessage | int) -> JSON:
        """The stored (current) message for a message dict, SentMessage or message id."""
        ref = ref.message if isinstance(ref, SentMessage) else ref
        key = (chat_id, ref) if isinstance(ref, int) else (ref["chat"]["id"], ref["message_id"])
        if key not in self._messages:
            raise AssertionError(f"no message {key[1]} in chat {key[0]}")
        return self._messages[key]

    def _store_file(self, kind: str, uploaded: UploadedFile) -> JSON:
        file_id = f"{kind}{len(self._files) + 1:04d}"
        uploaded.mime_type = uploaded.mime_type or mimetypes.guess_type(uploaded.file_name)[0]
        self._files[file_id] = uploaded
        info: JSON = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(uploaded.data)}
        if kind == "photo":
            info["width"], info["height"] = tg.image_size(uploaded.data)
            return info
        return info | {"file_name": uploaded.file_name, "mime_type": uploaded.mime_type or "application/octet-stream"}

    # ----- Bot API methods: _m_<name> answers <name> (Telegram matches method names case-insensitively) -----
    async def _m_getMe(self, call: Call) -> JSON:
        return self.bot_user

    async def _m_logOut(self, call: Call) -> bool:
        return True

    async def _m_close(self, call: Call) -> bool:
        return True

    async def _m_getUpdates(self, call: Call) -> list[JSON]:
        """Confirms updates below ``offset``; long-polls up to ``timeout`` s while nothing is pending."""
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        self._confirm(int(call.params.get("offset") or 0))
        deadline = time.monotonic() + float(call.params.get("timeout") or 0)
        while not self._pending and not self._closing.is_set() and time.monotonic() < deadline:
            await self._updates_pulse.wait(deadline - time.monotonic())
        batch = self._pending[: int(call.params.get("limit") or 100)]
        for entry in batch:
            entry.delivered = True
            self._delivered_below = max(self._delivered_below, entry.update["update_id"] + 1)
        return [entry.update for entry in batch]

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            self._pending = self._pending[offset:]
        elif offset > 0:
            self._confirmed_below = max(self._confirmed_below, offset)
            self._pending = [e for e in self._pending
                             if e.update["update_id"] >= offset or (e.redelivery and not e.delivered)]

    async def _m_deleteWebhook(self, call: Call) -> bool:
        self.webhook_url = ""
        if call.params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_setWebhook(self, call: Call) -> bool:
        self.webhook_url = str(call.params.get("url") or "")
        return True

    async def _m_getWebhookInfo(self, call: Call) -> JSON:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": len(self._pending)}

    async def _m_sendMessage(self, call: Call) -> JSON:
        return self._send(call, tg.formatted(call.params, "text", required=True))

    async def _m_sendDocument(self, call: Call) -> JSON:
        uploaded = self._input_file(call, "document")
        return self._send(call, {"document": self._store_file("document", uploaded),
                                 **tg.formatted(call.params, "caption")}, uploaded)

    async def _m_sendPhoto(self, call: Call) -> JSON:
        uploaded = self._input_file(call, "photo")
        return self._send(call, {"photo": [self._store_file("photo", uploaded)],
                                 **tg.formatted(call.params, "caption")}, uploaded)

    async def _m_sendChatAction(self, call: Call) -> bool:
        self._chat(call.chat_id)
        return True

    async def _m_editMessageText(self, call: Call) -> JSON:
        sent = self._editable(call.params)
        if "text" not in sent.message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        return self._edit(sent, tg.formatted(call.params, "text", required=True), call.params.get("reply_markup"))

    async def _m_editMessageCaption(self, call: Call) -> JSON:
        sent = self._editable(call.params)
        return self._edit(sent, tg.formatted(call.params, "caption"), call.params.get("reply_markup"))

    async def _m_editMessageReplyMarkup(self, call: Call) -> JSON:
        sent = self._editable(call.params)
        content = {k: v for k, v in sent.message.items() if k in ("text", "entities", "caption", "caption_entities")}
        return self._edit(sent, content, call.params.get("reply_markup"))

    async def _m_deleteMessage(self, call: Call) -> bool:
        key = (as_int(self._chat(call.chat_id)["id"]), as_int(call.params.get("message_id")))
        if self._messages.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        for sent in self._sent:
            sent.deleted = sent.deleted or (sent.chat_id, sent.message_id) == key
        return True

    async def _m_answerCallbackQuery(self, call: Call) -> bool:
        if str(call.params.get("callback_query_id")) not in self._callback_ids:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    def _commands_key(self, params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _m_setMyCommands(self, call: Call) -> bool:
        self.commands[self._commands_key(call.params)] = list(call.params.get("commands") or [])
        return True

    async def _m_getMyCommands(self, call: Call) -> list[JSON]:
        return self.commands.get(self._commands_key(call.params), [])

    async def _m_deleteMyCommands(self, call: Call) -> bool:
        self.commands.pop(self._commands_key(call.params), None)
        return True

    async def _m_setChatMenuButton(self, call: Call) -> bool:
        self.menu_buttons[as_int(call.chat_id)] = call.params.get("menu_button") or {"type": "default"}
        return True

    async def _m_getChatMenuButton(self, call: Call) -> JSON:
        return self.menu_buttons.get(as_int(call.chat_id), {"type": "default"})

    async def _m_getChat(self, call: Call) -> JSON:
        return tg.chat_full_info(self._chat(call.chat_id))

    async def _m_getChatMember(self, call: Call) -> JSON:
        chat_id, user_id = self._chat(call.chat_id)["id"], as_int(call.params.get("user_id"))
        user = self.bot_user if user_id == self.bot_user["id"] else self._users.get(user_id, tg.user_dict(user_id))
        return tg.chat_member_dict(self.members.get((chat_id, user_id), "member"), user)

    async def _m_getFile(self, call: Call) -> JSON:
        file_id = str(call.params.get("file_id"))
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        uploaded = self._files[file_id]
        suffix = "." + uploaded.file_name.rsplit(".", 1)[-1] if "." in uploaded.file_name else ""
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(uploaded.data),
                "file_path": f"documents/{file_id}{suffix}"}

    # ----- sending and editing -----
    def _send(self, call: Call, content: JSON, uploaded: UploadedFile | None = None) -> JSON:
        chat = self._chat(call.chat_id)
        markup = call.params.get("reply_markup")
        tg.check_markup(markup)
        message = {"message_id": 0, "from": self.bot_user, "chat": chat, "date": int(time.time()), **content}
        if (reply := self._reply_target(chat["id"], call.params)) is not None:
            message["reply_to_message"] = copy.deepcopy({k: v for k, v in reply.items() if k != "reply_to_message"})
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        message["message_id"] = self._next_message_id(chat["id"])
        self._messages[(chat["id"], message["message_id"])] = message
        self._sent.append(SentMessage(message, markup, uploaded))
        return message

    def _reply_target(self, chat_id: int, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") or params.get("reply_to_message_id")
        if not message_id:
            return None
        target = self._messages.get((as_int(reply.get("chat_id", chat_id)), as_int(message_id)))
        if target is None and not (reply.get("allow_sending_without_reply")
                                   or params.get("allow_sending_without_reply")):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return target

    def _editable(self, params: JSON) -> SentMessage:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by FakeBotApi")
        key = (as_int(self._chat(params.get("chat_id"))["id"]), as_int(params.get("message_id")))
        found = [m for m in self._sent if (m.chat_id, m.message_id) == key and not m.deleted]
        if not found:
            why = "message can't be edited" if key in self._messages else "message to edit not found"
            raise ApiError(400, f"Bad Request: {why}")
        return found[0]

    def _edit(self, sent: SentMessage, content: JSON, markup: JSON | None) -> JSON:
        """Replaces text/caption (and their entities) and the inline keyboard: absent markup removes it."""
        tg.check_markup(markup)
        kept = {k: v for k, v in sent.message.items()
                if k not in ("text", "entities", "caption", "caption_entities", "reply_markup", "edit_date")}
        new = kept | content | ({"reply_markup": markup} if markup and "inline_keyboard" in markup else {})
        if {k: v for k, v in new.items() if k != "edit_date"} == \
                {k: v for k, v in sent.message.items() if k != "edit_date"}:
            raise ApiError(400, _NOT_MODIFIED)
        sent.message.clear()
        sent.message.update(new, edit_date=int(time.time()))
        sent.reply_markup, sent.edits = markup, sent.edits + 1
        return sent.message

    def _input_file(self, call: Call, key: str) -> UploadedFile:
        """The uploaded part, a known file_id, or a URL (stored with empty content)."""
        if key in call.files:
            return call.files[key]
        ref = call.params.get(key)
        if not ref:
            raise ApiError(400, f"Bad Request: there is no {key} in the request")
        if str(ref) in self._files:
            return self._files[str(ref)]
        return UploadedFile(str(ref).rsplit("/", 1)[-1], b"")
