"""Templates (bot/web/templates, compiled once, autoescaped) and the pages every route shares."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.core.schedule import spoken

HERE = Path(__file__).parent
ENV = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True, auto_reload=False)
RUNTIME = web.AppKey("runtime", object)  # the bot's Runtime: its database, plans, clock and admins
SECURE = web.AppKey("secure", bool)  # served over https: the session cookie is Secure
BOT_USERNAME = web.AppKey("bot_username", str)  # bulk invites link to t.me/<it>
SIGNED = web.RequestKey("signed", object)  # auth.Signed, set by the guard
FORM = web.RequestKey("form", object)  # the posted form, read once by the guard (its CSRF token checked)
NAV = (("tong_hop", "Tổng hợp"), ("chua_nop", "Chưa nộp"), ("han_chot", "Hạn chót"), ("ke_hoach", "Kế hoạch"),
       ("can_bo", "Đơn vị và cán bộ"))


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def _when(moment: dt.datetime | None, tz: Any) -> str:
    return f"{moment.astimezone(tz):%d/%m/%Y %H:%M}" if moment else ""


ENV.filters["number"] = _number
ENV.filters["when"] = _when
ENV.filters["spoken"] = spoken


def page(request: web.Request, template: str, *, status: int = 200, **context: Any) -> web.Response:
    """A page of the site: the navigation, the signed-in admin and the CSRF token come from the request."""
    signed = request.get(SIGNED)
    html = ENV.get_template(template).render(nav=NAV, here=request.match_info.route.name, signed=signed,
                                             csrf=signed.csrf if signed else "", tz=request.app[RUNTIME].timezone,
                                             **context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def notice(request: web.Request, title: str, message: str, *, status: int, action: str = "") -> web.Response:
    """A refusal or an error, in words: what happened and what to do next."""
    return page(request, "notice.html", status=status, title=title, message=message, action=action)


def see_other(location: str) -> web.Response:
    """After a form: the browser goes to `location` with a GET (reloading it posts nothing twice)."""
    return web.Response(status=303, headers={"Location": location})
