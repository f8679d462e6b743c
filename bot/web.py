"""The bot's HTTP endpoints: the Telegram webhook, /healthz and /metrics. Wiring, like bot/app.py.

The server is aiohttp's, run inside the event loop PTB runs in (PTB's own `run_webhook` uses a
tornado server that serves the webhook path only; its "custom webhook bot" example uses
starlette + uvicorn, two packages where aiohttp is one, well kept, and already the test suite's).
Its AppRunner starts and stops as a plain coroutine and leaves signal handling to us.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.config import SettingsError
from bot.health import health
from bot.metrics import WEBHOOK_REQUESTS, exposition
from bot.runtime import Runtime
from bot.seen import first_delivery, forget_seen

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Recording an update id is a database round trip: off the event loop, apart from the answering threads.
RECORDING = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook")


class Webhook:
    """Takes Telegram's POSTs: checks the secret, records the update id, hands the update to PTB.

    The 200 that tells Telegram not to send the update again goes out only once the update is on
    the Application's queue; a duplicate id is acknowledged and dropped.
    """

    def __init__(self, app: Application, rt: Runtime, secret: str) -> None:
        self.app, self.rt, self._secret = app, rt, secret.encode()

    async def handle(self, request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(errors="replace"), self._secret):
            return _outcome("forbidden", 403)
        try:
            update = Update.de_json(await request.json(), self.app.bot)
        except (ValueError, TypeError, KeyError, AttributeError):  # not JSON, or not an Update
            return _outcome("malformed", 400)
        try:
            fresh = await asyncio.get_running_loop().run_in_executor(RECORDING, self._record, update.update_id)
        except SQLAlchemyError as exc:  # not acknowledged: Telegram sends it again later
            log.warning("webhook: update %s not recorded, the database failed: %s", update.update_id,
                        exc.__class__.__name__)
            return _outcome("unrecorded", 503)
        if not fresh:
            return _outcome("duplicate", 200)
        await self.app.update_queue.put(update)
        return _outcome("accepted", 200)

    def _record(self, update_id: int) -> bool:
        with self.rt.db.session() as session:
            return first_delivery(update_id, self.rt.clock(), session=session)


def _outcome(outcome: str, status: int) -> web.Response:
    WEBHOOK_REQUESTS.labels(outcome=outcome).inc()
    return web.Response(status=status)


def health_routes(rt: Runtime) -> list[web.RouteDef]:
    async def healthz(_request: web.Request) -> web.Response:
        status, body = await health(rt)
        return web.json_response(body, status=status)

    async def metrics(_request: web.Request) -> web.Response:
        body, content_type = exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    return [web.get("/healthz", healthz), web.get("/metrics", metrics)]


def webhook_routes(app: Application, rt: Runtime, path: str, secret: str) -> list[web.RouteDef]:
    return [web.post(path, Webhook(app, rt, secret).handle), *health_routes(rt)]


class HttpServer:
    def __init__(self, routes: Iterable[web.RouteDef], host: str, port: int) -> None:
        self.web_app = web.Application()
        self.web_app.add_routes(list(routes))
        self.host, self.port = host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Listens; returns the port (the one the system chose when `port` is 0)."""
        self._runner = web.AppRunner(self.web_app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        return self.port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def ensure_free(host: str, port: int, setting: str) -> None:
    """Stops start-up, naming the setting, if the address cannot be listened on.

    Checked before the event loop starts: PTB's run_polling swallows a SystemExit raised in post_init.
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SettingsError(f"{setting}: không mở được cổng / cannot listen on {host}:{port}: "
                                f"{exc.strerror or exc}") from None


def serve_health_alongside(app: Application, rt: Runtime, host: str, port: int) -> None:
    """Polling mode: /healthz and /metrics on a port of their own, for as long as the Application runs."""
    ensure_free(host, port, "HEALTH_PORT")
    server = HttpServer(health_routes(rt), host, port)
    init, stop = app.post_init, app.post_stop

    async def post_init(application: Application) -> None:
        await server.start()
        log.info("health and metrics on http://%s:%s/healthz and /metrics", host, server.port)
        if init:
            await init(application)

    async def post_stop(application: Application) -> None:
        await server.stop()
        if stop:
            await stop(application)

    app.post_init, app.post_stop = post_init, post_stop


async def forget_old_updates(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A job: seen_updates keeps only the ids Telegram might still redeliver."""
    rt: Runtime = context.bot_data["runtime"]

    def forget() -> int:
        with rt.db.session() as session:
            return forget_seen(rt.clock(), session=session)

    await asyncio.get_running_loop().run_in_executor(RECORDING, forget)
