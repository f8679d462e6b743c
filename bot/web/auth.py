"""Who is signed in: a one-time link from /web starts a session (an HttpOnly, SameSite cookie, Secure over
https); every request finds it, and every form that changes something carries its CSRF token back.

Opening a link shows a button rather than signing in at once, so a link preview (Telegram fetches the
page to draw one) cannot spend it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy.orm import Session

from bot.core.models import Person, WebSession, WebSignIn
from bot.core.runtime import Runtime
from bot.people import admins, audit, signin
from bot.web.render import FORM, RUNTIME, SECURE, SIGNED, notice, page, see_other

COOKIE = "cds_phien"
PUBLIC = ("/dang-nhap/", "/static/", "/healthz")
T = TypeVar("T")
NOT_SIGNED_IN = ("Bạn chưa đăng nhập, hoặc phiên đã hết hạn sau một giờ không dùng. Gửi /web cho bot trên "
                 "Telegram để nhận liên kết đăng nhập.")
NOT_ADMIN = ("Trang này chỉ dành cho quản trị viên của bot. Nếu bạn cần xem số liệu, hãy nhờ quản trị viên "
             "của đơn vị.")
BAD_FORM = ("Biểu mẫu đã cũ hoặc không gửi từ trang này nên không thực hiện. Bạn tải lại trang rồi thử lại.")
# Changes for every unit at once (deadlines, plans, the unit list): the super-admins' (BOT_ADMIN_IDS) alone
OFFICE_WIDE = ("/han-chot/", "/ke-hoach/", "/can-bo/nhap")
NOT_OFFICE = ("Việc này áp dụng cho mọi đơn vị nên chỉ quản trị viên chung của bot làm được. Bạn vẫn xem số liệu, "
              "nhắc nộp và mời cán bộ cho các đơn vị mình quản lý.")


def may_enter(rt: Runtime, person_id: int, *, session: Session) -> bool:
    """Who may use the web page: the bot's admins, a unit admin within their units (bot/people/admins.py)."""
    return admins.scope(person_id, rt.admin_ids, session=session) != admins.NOBODY


@dataclass(frozen=True)
class Signed:
    person_id: int
    name: str
    csrf: str
    units: frozenset[int] | None = None  # the units they administer; None: every unit (a super-admin)

    @property
    def office_wide(self) -> bool:
        return self.units is None


async def in_db(request: web.Request, work: Callable[[Session], T]) -> T:
    """`work` in one unit of work, on a thread: the event loop (maybe the bot's) keeps serving."""
    rt: Runtime = request.app[RUNTIME]

    def run() -> T:
        with rt.db.session() as session:
            return work(session)

    return await asyncio.to_thread(run)


def _signed(rt: Runtime, cookie: str | None, session: Session) -> Signed | None:
    row: WebSession | None = signin.current(cookie, rt.clock(), session=session)
    if row is None:
        return None
    person = session.get(Person, row.person_id)
    return Signed(row.person_id, person.name if person and person.name else str(row.person_id), row.csrf,
                  admins.scope(row.person_id, rt.admin_ids, session=session))


@web.middleware
async def guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> Any:
    if request.path.startswith(PUBLIC):
        return await handler(request)
    rt: Runtime = request.app[RUNTIME]
    signed = await in_db(request, lambda s: _signed(rt, request.cookies.get(COOKIE), s))
    if signed is None:
        return notice(request, "Chưa đăng nhập", NOT_SIGNED_IN, status=401)
    if signed.units == admins.NOBODY:  # no longer an admin since signing in: refused at once
        return notice(request, "Không có quyền", NOT_ADMIN, status=403)
    request[SIGNED] = signed
    if request.method == "POST" and request.path.startswith(OFFICE_WIDE) and not signed.office_wide:
        return notice(request, "Không có quyền", NOT_OFFICE, status=403, action="/")
    if request.method == "POST":
        form = await request.post()
        if form.get("csrf") != signed.csrf:
            return notice(request, "Không thực hiện", BAD_FORM, status=403, action="/")
        request[FORM] = form
    return await handler(request)


def _link_state(token: str, rt: Runtime, session: Session) -> str:
    """'' when the link would sign in now; otherwise why not (without spending it)."""
    row = session.get(WebSignIn, signin.token_hash(token)) if len(token) < 100 else None
    if row is None:
        return signin.UNKNOWN
    if row.used_at is not None:
        return signin.USED
    return signin.EXPIRED if rt.clock() >= row.expires_at else ""


async def sign_in_page(request: web.Request) -> web.Response:
    token, rt = request.match_info["token"], request.app[RUNTIME]
    refused = await in_db(request, lambda s: _link_state(token, rt, s))
    if refused:
        return notice(request, "Không đăng nhập được", refused, status=403)
    return page(request, "sign_in.html", title="Đăng nhập", token=token)


def _sign_in(token: str, rt: Runtime, session: Session) -> signin.Started | str:
    try:
        person_id = signin.redeem(token, rt.clock(), session=session)
    except signin.SignInRefused as refused:
        return refused.message
    if not may_enter(rt, person_id, session=session):
        audit.record(person_id, "sign-in refused", "not an admin", rt.clock(), session=session)
        return NOT_ADMIN
    audit.record(person_id, "sign-in", "", rt.clock(), session=session)
    return signin.start(person_id, rt.clock(), session=session)


async def sign_in(request: web.Request) -> web.StreamResponse:
    token, rt = request.match_info["token"], request.app[RUNTIME]
    started = await in_db(request, lambda s: _sign_in(token, rt, s))
    if isinstance(started, str):
        return notice(request, "Không đăng nhập được", started, status=403)
    response = see_other("/")
    response.set_cookie(COOKIE, started.cookie, httponly=True, samesite="Lax", secure=request.app[SECURE],
                        path="/", max_age=int(signin.IDLE_TIMEOUT.total_seconds()) * 8)
    return response


async def sign_out(request: web.Request) -> web.StreamResponse:
    rt, signed = request.app[RUNTIME], request[SIGNED]

    def work(session: Session) -> None:
        signin.end(request.cookies.get(COOKIE), rt.clock(), session=session)
        audit.record(signed.person_id, "sign-out", "", rt.clock(), session=session)

    await in_db(request, work)
    request[SIGNED] = None
    response = notice(request, "Đã đăng xuất", "Bạn đã đăng xuất. Gửi /web cho bot khi cần đăng nhập lại.",
                      status=200)
    response.del_cookie(COOKIE, path="/")
    return response
