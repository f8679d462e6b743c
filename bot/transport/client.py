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

import datetime as dt
import json
import logging
import time
import urllib.request
from urllib.parse import urlsplit

import aiohttp
from telegram import Update
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.core.metrics import DROPPED_UPDATES

log = logging.getLogger(__name__)

NOT_SENT = "Request was not sent to Telegram: no connection within the pool or connect timeout."


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
    Vietnamese text byte by byte was a tenth of a reply's own CPU); with files, multipart."""
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


class UpdatesRequest(AiohttpRequest):
    """The long poll's client: an update python-telegram-bot cannot read is dropped from its batch.

    PTB parses a getUpdates batch as a whole: one update it cannot read (a chat_member update lacking a
    field PTB 22 requires, say) fails the batch, the offset never moves past it and the updater asks for
    the same batch again, for ever, logging the batch each time. Here each update is tried alone first;
    one that does not parse is logged once, with its id, and stands in the batch as an empty update of
    the same id, so the offset moves past it and the others are handled.

    `polls` tells when a poll last came back (its offset confirmed), for /healthz.
    """

    def __init__(self, connection_pool_size: int = 1, **kwargs) -> None:
        super().__init__(connection_pool_size, **kwargs)
        self.polls = PollState()

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
        self.polls.confirmed()
        return status, readable_updates(payload)


def readable_updates(payload: bytes) -> bytes:
    """A getUpdates answer with each update PTB cannot read replaced by {"update_id": its id}."""
    try:
        answer = json.loads(payload)
        updates = answer["result"]
    except (ValueError, KeyError, TypeError):
        return payload  # PTB reports an unreadable answer itself
    if not isinstance(updates, list):
        return payload
    changed = False
    for position, update in enumerate(updates):
        try:
            Update.de_json(update, None)
        except Exception as exc:  # whatever PTB raises on a shape it does not expect
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if not isinstance(update_id, int):
                continue  # without an id the offset cannot move past it anyway; PTB will report it
            kinds = sorted(k for k in update if k != "update_id")
            log.error("update %s dropped: python-telegram-bot cannot read it (%s: %s; fields %s)", update_id,
                      exc.__class__.__name__, str(exc)[:200], ",".join(kinds)[:200])
            DROPPED_UPDATES.inc()
            updates[position] = {"update_id": update_id}
            changed = True
    return json.dumps(answer).encode() if changed else payload
