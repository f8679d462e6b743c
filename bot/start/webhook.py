"""`campaign-bot run --webhook`: Telegram posts updates to WEBHOOK_URL; we serve it with /healthz and /metrics."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import Application

from bot.core.config import SettingsError, WebhookSettings, WebSettings, load_settings
from bot.core.metrics import DROPPED_UPDATES, WEBHOOK_REQUESTS
from bot.core.runtime import Runtime
from bot.core.seen import first_delivery
from bot.start.application import FORGET_EVERY, build_application, forget_old_updates
from bot.start.boot import make_runtime
from bot.start.http import HttpServer, ensure_free, health_routes
from bot.start.web import web_server
from bot.transport.errors import count_telegram_error

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
            payload = await request.text()
            body = json.loads(payload)
        except ValueError:  # undecodable bytes too (UnicodeDecodeError)
            return _outcome("malformed", 400)
        try:
            update = Update.de_json(body, self.app.bot)
        except Exception as exc:  # not an Update, or one python-telegram-bot cannot read
            update_id = body.get("update_id") if isinstance(body, dict) else None
            if not isinstance(update_id, int):
                return _outcome("malformed", 400)
            # acknowledged: refused, Telegram would send it again and again, holding up the updates after it
            log.error("update %s dropped: python-telegram-bot cannot read it (%s: %s)", update_id,
                      exc.__class__.__name__, str(exc)[:200])
            DROPPED_UPDATES.inc()
            return _outcome("unreadable", 200)
        try:
            fresh = await asyncio.get_running_loop().run_in_executor(RECORDING, self._record, update.update_id, payload)
        except SQLAlchemyError as exc:  # not acknowledged: Telegram sends it again later
            log.warning("webhook: update %s not recorded, the database failed: %s", update.update_id,
                        exc.__class__.__name__)
            return _outcome("unrecorded", 503)
        if not fresh:
            return _outcome("duplicate", 200)
        await self.app.update_queue.put(update)
        return _outcome("accepted", 200)

    def _record(self, update_id: int, payload: str) -> bool:
        with self.rt.db.connection() as connection:
            return first_delivery(update_id, self.rt.clock(), connection=connection, payload=payload)


def _outcome(outcome: str, status: int) -> web.Response:
    WEBHOOK_REQUESTS.labels(outcome=outcome).inc()
    return web.Response(status=status)


def webhook_routes(app: Application, rt: Runtime, path: str, secret: str) -> list[web.RouteDef]:
    return [web.post(path, Webhook(app, rt, secret).handle), *health_routes(rt)]




def run_webhook(settings: WebhookSettings) -> None:
    ensure_free(settings.webhook_listen, settings.webhook_port, "WEBHOOK_PORT")
    if settings.health_port:
        ensure_free(settings.health_listen, settings.health_port, "HEALTH_PORT")
    page = load_settings(WebSettings) if settings.web_port is not None else None  # WEB_BASE_URL then required
    if page is not None:
        ensure_free(page.web_listen, page.web_port, "WEB_PORT")
    rt = make_runtime(settings, frozenset(settings.bot_admin_ids))
    app = build_application(settings, rt, rate_limited=settings.telegram_rate_limit, updater=False)
    try:
        asyncio.run(_serve_until_stopped(settings, app, rt, page))
    except InvalidToken:
        raise SettingsError("TELEGRAM_BOT_TOKEN: Telegram từ chối token này / Telegram rejected this token") from None
    finally:
        rt.db.dispose()


async def _serve_until_stopped(settings: WebhookSettings, app: Application, rt: Runtime,
                               page: WebSettings | None = None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with serving(settings, app, rt, page) as port:
        log.info("webhook: %s on %s:%s", settings.webhook_path, settings.webhook_listen, port)
        await stop.wait()


@asynccontextmanager
async def serving(settings: WebhookSettings, app: Application, rt: Runtime,
                  page: WebSettings | None = None) -> AsyncIterator[int]:
    """The Application started and the webhook set and served (and the web page, with `page`'s settings);
    yields the webhook's port.

    On exit the server closes first, then the Application handles the updates already acknowledged.
    The webhook stays set: another replica may be serving it, and Telegram keeps updates until one does.
    """
    await _retrying(app.initialize, "reach the Bot API")
    try:
        if app.post_init:
            await app.post_init(app)
        await _set_webhook(settings, app)
        await app.start()
        app.job_queue.run_repeating(forget_old_updates, interval=FORGET_EVERY, first=60)
        servers = [HttpServer(webhook_routes(app, rt, settings.webhook_path, settings.secret),
                              settings.webhook_listen, settings.webhook_port)]
        if settings.health_port:  # a probe or scraper that should not reach the public port
            servers.append(HttpServer(health_routes(rt), settings.health_listen, settings.health_port))
        if page is not None:
            servers.append(web_server(rt, page))
        try:
            ports = [await server.start() for server in servers]
            yield ports[0]
        finally:
            for server in servers:
                await server.stop()
            await app.stop()
    finally:
        await app.shutdown()


async def _set_webhook(settings: WebhookSettings, app: Application) -> None:
    async def set_webhook() -> None:
        await app.bot.set_webhook(settings.webhook_url, secret_token=settings.secret,
                                  allowed_updates=Update.ALL_TYPES)
    try:
        await _retrying(set_webhook, "set the webhook")
    except BadRequest as exc:
        raise SettingsError(f"WEBHOOK_URL: Telegram không nhận địa chỉ này / Telegram refused it: {exc.message}") \
            from None


async def _retrying(call: Callable[[], Awaitable[None]], what: str) -> None:
    """Network failures at start-up are retried (the Bot API may come up after us); refusals are not."""
    delay = 1.0
    while True:
        try:
            await call()
            return
        except BadRequest as exc:
            count_telegram_error(exc)
            raise
        except NetworkError as exc:
            count_telegram_error(exc)
            log.warning("could not %s (%s); retrying in %.0f s", what, exc, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 30.0)
