"""The bot's HTTP server, with /healthz and /metrics (the webhook adds its route: bot/start/webhook.py).

The server is aiohttp's, run inside the event loop PTB runs in (PTB's own `run_webhook` uses a
tornado server that serves the webhook path only; its "custom webhook bot" example uses
starlette + uvicorn, two packages where aiohttp is one, well kept, and already the test suite's).
Its AppRunner starts and stops as a plain coroutine and leaves signal handling to us.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterable

from aiohttp import web
from telegram.ext import Application

from bot.core.config import SettingsError
from bot.core.metrics import exposition
from bot.core.runtime import Runtime
from bot.start.health import health

log = logging.getLogger(__name__)
def health_routes(rt: Runtime) -> list[web.RouteDef]:
    async def healthz(_request: web.Request) -> web.Response:
        status, body = await health(rt)
        return web.json_response(body, status=status)

    async def metrics(_request: web.Request) -> web.Response:
        body, content_type = exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    return [web.get("/healthz", healthz), web.get("/metrics", metrics)]


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
    serve_alongside(app, HttpServer(health_routes(rt), host, port), "health and metrics (/healthz, /metrics)")


def serve_alongside(app: Application, server: HttpServer, what: str) -> None:
    """`server` listens from the Application's start to its stop, in its event loop."""
    init, stop = app.post_init, app.post_stop

    async def post_init(application: Application) -> None:
        await server.start()
        log.info("%s on http://%s:%s/", what, server.host, server.port)
        if init:
            await init(application)

    async def post_stop(application: Application) -> None:
        await server.stop()
        if stop:
            await stop(application)

    app.post_init, app.post_stop = post_init, post_stop
