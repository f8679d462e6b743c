"""The web page as an aiohttp application: its own process (`campaign-bot web`), or beside the bot in the
bot's process (WEB_PORT). Both read and write the one database, so it serves beside any number of bots."""

from __future__ import annotations

from aiohttp import web

from bot.core.runtime import Runtime
from bot.web import auth, changing, reading
from bot.web.render import BOT_USERNAME, HERE, RUNTIME, SECURE

MAX_BODY = 25 * 1024 * 1024  # a scanned plan document, with the form around it


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")  # a sign-in link never leaks onward
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                "style-src 'self'; form-action 'self'; frame-ancestors 'none'")
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")


async def alive(_request: web.Request) -> web.Response:
    """For a load balancer's probe (and the bench's baseline): the process answers."""
    return web.Response(text="ok")


def make_app(rt: Runtime, *, secure: bool, bot_username: str = "") -> web.Application:
    """`secure`: the page is served over https (the cookie is then Secure)."""
    app = web.Application(middlewares=[auth.guard], client_max_size=MAX_BODY)
    app[RUNTIME], app[SECURE], app[BOT_USERNAME] = rt, secure, bot_username
    app.on_response_prepare.append(_headers)
    app.add_routes([
        web.get("/healthz", alive),
        web.get("/", reading.standings, name="tong_hop"),
        web.get("/don-vi/{code}", reading.unit_page, name="don_vi"),
        web.get("/chua-nop", reading.missing, name="chua_nop"),
        web.post("/chua-nop/nhac", changing.nudge),
        web.get("/han-chot", reading.deadlines, name="han_chot"),
        web.post("/han-chot/them", changing.add_deadline_form),
        web.post(r"/han-chot/xoa/{ident:\d{1,9}}", changing.remove_deadline_form),
        web.get("/ke-hoach", reading.plans, name="ke_hoach"),
        web.post("/ke-hoach/gia-han", changing.extend),
        web.post("/ke-hoach/tai-len", changing.upload_plan),
        web.post("/ke-hoach/quyet", changing.decide_plan),
        web.get("/can-bo", reading.roster, name="can_bo"),
        web.post("/can-bo/nhap", changing.import_units),
        web.post("/can-bo/moi", changing.bulk_invites),
        web.get("/tai-ve/{name}", reading.download),
        web.get("/dang-nhap/{token}", auth.sign_in_page),
        web.post("/dang-nhap/{token}", auth.sign_in),
        web.post("/dang-xuat", auth.sign_out),
        web.static("/static", HERE / "static", append_version=True),
    ])
    return app
