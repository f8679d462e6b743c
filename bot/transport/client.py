"""The bot's HTTP client for the Bot API: aiohttp behind PTB's `BaseRequest`, in place of httpx.

Chosen for CPU per message: httpcore polls and scans its pool on every request, which dominated a
fixed-reply bot's profile (bench/throughput.py prints today's figures against its fixed-reply baseline).
aiohttp is already the webhook's server.

Timeouts map onto aiohttp's: connect and pool → `connect` (waiting for a pooled connection and
opening one: the request was not sent), read → `sock_read`. aiohttp has no write timeout; PTB's
is ignored. Proxies come from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), as with httpx, read
once per host: aiohttp's own `trust_env` reads them, and ~/.netrc, on every request (0.5 ms each here).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
import urllib.request
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp
from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.core.metrics import DROPPED_UPDATES

log = logging.getLogger(__name__)

NOT_SENT = "Request was not sent to Telegram: no connection within the pool or connect timeout."
HOLD_PAUSE = 2.0  # seconds between polls while updates are held back


class AiohttpRequest(BaseRequest):
    def __init__(self, connection_pool_size: int = 8, *, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, media_timeout: float | None = 30.0) -> None:
        self._pool_size, self._read, self._connect = connection_pool_size, read_timeout, connect_timeout
        self._media_timeout = media_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: float | None = BaseRequest.DEFAULT_NONE,
                         write_timeout: float | None = BaseRequest.DEFAULT_NONE,
                         connect_timeout: float | None = BaseRequest.DEFAULT_NONE,
                         pool_timeout: float | None = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = self._timeout(request_data, read_timeout, connect_timeout, pool_timeout)
        try:
            body, headers = _body(request_data)
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout,
                                             proxy=self._proxy_for(url)) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut(NOT_SENT) from err
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err

    def _proxy_for(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            bypass = urllib.request.proxy_bypass(key[1])
            self._proxies[key] = None if bypass else urllib.request.getproxies().get(key[0])
        return self._proxies[key]

    def _timeout(self, request_data: RequestData | None, read: float | None, connect: float | None,
                 pool: float | None) -> aiohttp.ClientTimeout:
        read = self._read if read is BaseRequest.DEFAULT_NONE else read
        connect = self._connect if connect is BaseRequest.DEFAULT_NONE else connect
        if pool is not BaseRequest.DEFAULT_NONE and pool is not None and connect is not None:
            connect += pool
        uploading = request_data is not None and request_data.contains_files
        return aiohttp.ClientTimeout(total=self._media_timeout if uploading else None, connect=connect,
                                     sock_read=read)


JSON_BODY = {"Content-Type": "application/json"}


def _body(request_data: RequestData | None) -> tuple[bytes | aiohttp.FormData | None, dict[str, str] | None]:
    """The parameters as JSON, which the Bot API reads as it reads a form (url-encoding a long
    Vietnamese text byte by byte cost about 0.1 ms a reply: bench/webhook.py's canned-answer bot); with
    files, multipart."""
    if request_data is None:
        return None, None
    if not request_data.contains_files:
        return json.dumps(request_data.parameters, ensure_ascii=False).encode(), JSON_BODY
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form, None


class PollState:
    """When a getUpdates last came back confirmed (answered 200: the offset it carried is taken), for /healthz."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Not polling (any more)."""
        self.last_ok: float | None = None  # time.monotonic()
        self.last_wall: dt.datetime | None = None
        self.failing_since: float | None = None

    def confirmed(self) -> None:
        self.last_ok, self.last_wall, self.failing_since = time.monotonic(), dt.datetime.now(dt.UTC), None

    def failed(self) -> None:
        if self.failing_since is None:
            self.failing_since = time.monotonic()

    def state(self, late: float) -> str:
        """'off' (not polling), 'ok', or 'stalled': no confirmed poll for `late` seconds."""
        if self.last_ok is None and self.failing_since is None:
            return "off"
        since = self.last_ok if self.last_ok is not None else self.failing_since
        return "stalled" if time.monotonic() - since > late else "ok"

    def last_iso(self) -> str | None:
        return self.last_wall.isoformat() if self.last_wall else None


RecordIds = Callable[[dict[int, str | None]], Awaitable[set[int]]]  # id → JSON; the ids recorded now, not before
TellHeld = Callable[[list[int]], Awaitable[None]]  # the chats whose updates are held back, told once


class UpdatesRequest(AiohttpRequest):
    """The long poll's client: what it hands python-telegram-bot is readable, new and recorded.

    PTB parses a getUpdates batch as a whole: one update it cannot read (a chat_member update lacking a
    field PTB 22 requires, say) fails the batch, the offset never moves past it and the updater asks for
    the same batch again, for ever, logging the batch each time. Here each update is tried alone first;
    one that does not parse is logged once, with its id, and stands in the batch as an empty update of
    the same id, so the offset moves past it and the others are handled.

    With `record` (bot/start/application.py), the batch's ids are recorded as it arrives, as the webhook
    records each update before acknowledging it: one taken in before (Telegram repeats a batch whose offset
    was not confirmed when the bot stopped) stands as an empty update too. A batch that cannot be recorded
    (the database failing) is not handed over at all: PTB's offset stays, so Telegram keeps the updates and
    sends them again at the next poll, HOLD_PAUSE later, until they can be recorded; `tell` lets each chat
    know once that its message waits.

    `polls` tells when a poll last came back (its offset confirmed), for /healthz.
    """

    def __init__(self, connection_pool_size: int = 1, *, record: RecordIds | None = None,
                 tell: TellHeld | None = None, **kwargs) -> None:
        super().__init__(connection_pool_size, **kwargs)
        self.polls = PollState()
        self._record, self._tell = record, tell
        self._holding = False
        self._told: set[int] = set()  # ids held whose chat was told

    async def shutdown(self) -> None:
        await super().shutdown()
        self.polls.reset()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: float | None = BaseRequest.DEFAULT_NONE,
                         write_timeout: float | None = BaseRequest.DEFAULT_NONE,
                         connect_timeout: float | None = BaseRequest.DEFAULT_NONE,
                         pool_timeout: float | None = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        polling = url.endswith("/getUpdates")
        try:
            status, payload = await super().do_request(url, method, request_data, read_timeout, write_timeout,
                                                       connect_timeout, pool_timeout)
        except Exception:
            if polling:
                self.polls.failed()
            raise
        if not polling:
            return status, payload
        if status != 200:
            self.polls.failed()
            return status, payload
        answer = _batch(payload)  # parsed once, changed in place, written back only if changed
        changed = answer is not None and (readable(answer["result"]) | await self._taken_in(answer))
        if self._holding:
            self.polls.failed()  # nothing is confirmed while the batch is held back
        else:
            self.polls.confirmed()
        return status, json.dumps(answer).encode() if changed else payload

    async def _taken_in(self, answer: dict) -> bool:
        """Empties the updates of the batch taken in before, or the whole batch while it cannot be recorded;
        whether it changed anything."""
        batch = {i: json.dumps(u) if len(u) > 1 else None  # an unreadable one's stand-in: nothing to keep
                 for u in answer["result"] if (i := _id_of(u)) is not None}
        ids = list(batch)
        if self._record is None or not ids:
            return False
        try:
            fresh = await self._record(batch)
        except Exception as exc:  # the database failed: Telegram keeps the batch until it works again
            if not self._holding:
                log.warning("updates %s-%s: could not record their ids (%s); held back for Telegram to send "
                            "again", min(ids), max(ids), exc.__class__.__name__)
            self._holding = True
            await self._tell_held(answer["result"])
            await asyncio.sleep(HOLD_PAUSE)
            answer["result"] = []
            return True
        self._holding, self._told = False, set()
        if fresh.issuperset(ids):
            return False
        answer["result"] = [{"update_id": _id_of(u)} if _id_of(u) not in (None, *fresh) else u
                            for u in answer["result"]]
        log.info("updates %s were taken in before: skipped", sorted(set(ids) - fresh))
        return True

    async def _tell_held(self, updates: list) -> None:
        new = [u for u in updates if _id_of(u) not in (None, *self._told)]
        self._told.update(map(_id_of, new))
        chats = [c for c in dict.fromkeys(_chat_of(u) for u in new) if c is not None]
        if self._tell is not None and chats:
            try:
                await self._tell(chats)
            except Exception as exc:  # telling is a courtesy: the updates stay held whatever happens
                log.warning("could not tell %d chats their messages are held (%s)", len(chats),
                            exc.__class__.__name__)


def _chat_of(update: dict) -> int | None:
    try:
        chat = Update.de_json(update, None).effective_chat
    except Exception:  # unreadable: readable() logged it
        return None
    return chat.id if chat is not None else None


def _id_of(update: object) -> int | None:
    update_id = update.get("update_id") if isinstance(update, dict) else None
    return update_id if isinstance(update_id, int) else None


def _batch(payload: bytes) -> dict | None:
    """A getUpdates answer with its list of updates, or None (PTB reports an unreadable answer itself)."""
    try:
        answer = json.loads(payload)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) and isinstance(answer.get("result"), list) else None


def readable(updates: list) -> bool:
    """Replaces each update PTB cannot read by {"update_id": its id}; whether there was one."""
    changed = False
    for position, update in enumerate(updates):
        try:
            Update.de_json(update, None)
        except Exception as exc:  # whatever PTB raises on a shape it does not expect
            update_id = _id_of(update)
            if update_id is None:
                continue  # without an id the offset cannot move past it anyway; PTB will report it
            kinds = sorted(k for k in update if k != "update_id")
            log.error("update %s dropped: python-telegram-bot cannot read it (%s: %s; fields %s)", update_id,
                      exc.__class__.__name__, str(exc)[:200], ",".join(kinds)[:200])
            DROPPED_UPDATES.inc()
            updates[position] = {"update_id": update_id}
            changed = True
    return changed
