"""`campaign-bot web`: the office's web page in its own process, or beside the bot when WEB_PORT is set;
`campaign-bot web --login-link` prints a sign-in link for the first admin (BOT_ADMIN_IDS)."""

from __future__ import annotations

import logging

from aiohttp import web
from telegram.ext import Application

from bot.core.config import SettingsError, WebSettings
from bot.core.runtime import Runtime
from bot.people import signin
from bot.start.boot import make_runtime
from bot.start.http import HttpServer, ensure_free, serve_alongside
from bot.web.app import make_app

log = logging.getLogger(__name__)


def login_link(settings: WebSettings) -> str:
    if not settings.bot_admin_ids:
        raise SettingsError("BOT_ADMIN_IDS: thiếu / missing — đặt mã Telegram của quản trị viên, ví dụ 123456789")
    rt = make_runtime(settings, frozenset(settings.bot_admin_ids))
    with rt.db.session() as session:
        link = signin.new_link(settings.bot_admin_ids[0], settings.web_base_url, rt.clock(), session=session)
    rt.db.dispose()
    return link


def run_web(settings: WebSettings) -> None:
    ensure_free(settings.web_listen, settings.web_port, "WEB_PORT")
    rt = make_runtime(settings, frozenset(settings.bot_admin_ids))
    app = make_app(rt, secure=settings.secure_cookies, bot_username=settings.bot_username)
    log.warning("web page on http://%s:%s/ (reached at %s)", settings.web_listen, settings.web_port,
                settings.web_base_url)
    web.run_app(app, host=settings.web_listen, port=settings.web_port, access_log=None, print=None)
    rt.db.dispose()


def web_server(rt: Runtime, settings: WebSettings) -> HttpServer:
    """The web page on WEB_PORT, in a process that also runs the bot (polling or webhook)."""
    ensure_free(settings.web_listen, settings.web_port, "WEB_PORT")
    server = HttpServer([], settings.web_listen, settings.web_port)
    server.web_app = make_app(rt, secure=settings.secure_cookies, bot_username=settings.bot_username)
    return server


def serve_web_alongside(app: Application, rt: Runtime, settings: WebSettings) -> None:
    """Polling mode: the web page in the bot's own event loop, for as long as the bot runs."""
    serve_alongside(app, web_server(rt, settings), "web page")
