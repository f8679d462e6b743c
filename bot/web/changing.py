"""The forms that change something. Each one is checked by the guard (a session, an admin, the CSRF token),
calls one service, and is written to the audit log with who did it."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy.orm import Session

from bot.core.dates import parse_clock, parse_day
from bot.core.errors import UserMessageError
from bot.core.runtime import Runtime
from bot.people import audit, roster
from bot.plans import uploads
from bot.reminders.catalog import add_deadline, extend_plan, remove_deadline
from bot.reminders.nudges import nudge_now
from bot.reporting.periods import half_of, parse_period
from bot.web.auth import in_db
from bot.web.render import BOT_USERNAME, FORM, RUNTIME, SIGNED, notice, page, see_other

MAX_UPLOAD = 20 * 1024 * 1024


def _back(path: str, **query: Any) -> web.Response:
    return see_other(f"{path}?{urlencode(query)}" if query else path)


def _field(request: web.Request, name: str, limit: int = 300) -> str:
    value = request[FORM].get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def _file(request: web.Request, name: str) -> tuple[str, bytes] | None:
    field = request[FORM].get(name)
    if field is None or isinstance(field, str) or not field.filename:
        return None
    return field.filename, field.file.read(MAX_UPLOAD + 1)


def _audited(request: web.Request, action: str, detail: str, work: Any) -> Any:
    rt: Runtime = request.app[RUNTIME]
    person = request[SIGNED].person_id

    def run(session: Session) -> Any:
        result = work(session)
        audit.record(person, action, detail if isinstance(detail, str) else "", rt.clock(), session=session)
        return result

    return in_db(request, run)


async def nudge(request: web.Request) -> web.StreamResponse:
    rt = request.app[RUNTIME]
    span = parse_period(_field(request, "ky")) or half_of(rt.today())
    units = request[SIGNED].units
    new, before = await _audited(request, "nudge", span.code,
                                 lambda s: nudge_now(span, rt.clock(), rt.timezone, session=s, units=units))
    return _back("/chua-nop", ky=span.code, nhac=new, da_nhac=before)


def _deadline_at(request: web.Request, rt: Runtime) -> dt.datetime | None:
    day, time = parse_day(_field(request, "ngay", 20)), parse_clock(_field(request, "gio", 20) or "17:00")
    return None if day is None or time is None else dt.datetime.combine(day, time, rt.timezone)


async def add_deadline_form(request: web.Request) -> web.StreamResponse:
    rt = request.app[RUNTIME]
    title, at, plan_id = _field(request, "tieu_de"), _deadline_at(request, rt), _field(request, "ke_hoach") or None
    if not title or at is None or at <= rt.clock() or (plan_id and plan_id not in rt.kb.plans):
        return notice(request, "Chưa thêm hạn", "Cần tiêu đề, ngày sau hôm nay (ví dụ 15/12/2026) và giờ hợp lệ "
                      "(ví dụ 17:00). Bạn quay lại trang Hạn chót và điền lại.", status=400, action="/han-chot")
    detail = f"{title} {at:%Y-%m-%d %H:%M} {plan_id or 'mọi đơn vị'}"
    await _audited(request, "deadline add", detail, lambda s: add_deadline(
        title, at, plan_id=plan_id, unit_id=None, by=request[SIGNED].person_id, session=s))
    return _back("/han-chot", da_them=1)


async def remove_deadline_form(request: web.Request) -> web.StreamResponse:
    ident = request.match_info["ident"]
    rt = request.app[RUNTIME]
    removed = await _audited(request, "deadline remove", ident,
                             lambda s: remove_deadline(int(ident), rt.clock(), session=s) is not None)
    if not removed:
        return notice(request, "Không có hạn này", "Hạn này đã được xóa hoặc không có.", status=404,
                      action="/han-chot")
    return _back("/han-chot", da_xoa=1)


async def extend(request: web.Request) -> web.StreamResponse:
    rt = request.app[RUNTIME]
    plan = rt.kb.plans.get(_field(request, "ke_hoach"))
    until = parse_day(_field(request, "den_ngay", 20))
    if plan is None or until is None or until <= rt.today():
        return notice(request, "Chưa gia hạn", "Chọn kế hoạch và ghi một ngày sau hôm nay, ví dụ 31/12/2027.",
                      status=400, action="/ke-hoach")
    await _audited(request, "plan extend", f"{plan.id} {until}", lambda s: extend_plan(plan, until, session=s))
    return _back("/ke-hoach", da_gia_han=plan.id)


async def upload_plan(request: web.Request) -> web.StreamResponse:
    rt, sent = request.app[RUNTIME], _file(request, "tep")
    if sent is None:
        return notice(request, "Chưa có tệp", "Chọn tệp kế hoạch (.docx, .pdf hoặc ảnh) rồi bấm Xem trước.",
                      status=400, action="/ke-hoach")
    try:
        reply = await _audited(request, "plan upload", sent[0], lambda s: uploads.receive(
            sent[0], sent[1], request[SIGNED].person_id, rt.clock(), rt.today(), session=s))
    except UserMessageError as exc:
        return notice(request, "Chưa đọc được", exc.message, status=400, action="/ke-hoach")
    choices = [(b.label, b.data) for row in reply.buttons for b in row]
    return page(request, "plan_preview.html", title="Xem trước kế hoạch", text=reply.text, choices=choices)


async def decide_plan(request: web.Request) -> web.StreamResponse:
    data = _field(request, "chon", 40)
    if not data.startswith(uploads.PREFIX):
        return notice(request, "Không thực hiện", "Bạn tải kế hoạch lên lại nhé.", status=400, action="/ke-hoach")
    reply = await _audited(request, "plan decide", data, lambda s: uploads.decide(data, session=s))
    return notice(request, "Kế hoạch", reply.text, status=200, action="/ke-hoach")


def _rows_of(request: web.Request) -> list[list[str]] | str:
    """The file's rows, or the rows the preview carried back (checked again before anything is stored)."""
    carried = _field(request, "hang", 2_000_000)
    if carried:
        try:
            rows = json.loads(base64.b64decode(carried))
        except ValueError:
            return "Bản xem trước đã hỏng. Bạn tải tệp lên lại."
        return [[str(c) for c in row] for row in rows if isinstance(row, list)]
    sent = _file(request, "tep")
    if sent is None:
        return "Chọn tệp .xlsx hoặc .csv rồi bấm Xem trước."
    try:
        return roster.read_rows(*sent)
    except roster.FileUnreadable as exc:
        return str(exc)


async def import_units(request: web.Request) -> web.StreamResponse:
    rt, rows = request.app[RUNTIME], _rows_of(request)
    if isinstance(rows, str):
        return notice(request, "Chưa nhập", rows, status=400, action="/can-bo")
    plans, store = set(rt.kb.plans), _field(request, "luu") == "1"

    def work(session: Session) -> tuple[roster.Preview, int]:
        preview = roster.check_units(rows, plans, session=session)
        return preview, len(roster.store_units(preview, session=session)) if store and preview.ok else 0

    preview, stored = await (_audited(request, "units import", f"{len(rows) - 1} rows", work) if store
                             else in_db(request, work))
    carried = base64.b64encode(json.dumps(rows, ensure_ascii=False).encode()).decode()
    return page(request, "import_preview.html", title="Nhập đơn vị", preview=preview, stored=stored,
                carried=carried, status=200 if preview.ok else 422)


async def bulk_invites(request: web.Request) -> web.StreamResponse:
    rt, rows, username = request.app[RUNTIME], _rows_of(request), request.app[BOT_USERNAME]
    if not username:
        return notice(request, "Chưa mời được", "Người cài đặt cần đặt BOT_USERNAME (tên @ của bot) cho trang web.",
                      status=400, action="/can-bo")
    if isinstance(rows, str):
        return notice(request, "Chưa mời được", rows, status=400, action="/can-bo")
    person = request[SIGNED].person_id

    def work(session: Session) -> tuple[roster.Preview, list[roster.Issued]]:
        preview = roster.check_invitees(rows, session=session, units=request[SIGNED].units)
        issued = roster.issue_invites(preview, person, username, rt.clock(), session=session) if preview.ok else []
        return preview, issued

    preview, issued = await _audited(request, "invites", f"{len(rows) - 1} rows", work)
    if not preview.ok:
        return page(request, "import_preview.html", title="Mời cán bộ", preview=preview, stored=0, carried="",
                    invites=True, status=422)
    workbook = base64.b64encode(roster.invites_workbook(issued, rt.timezone)).decode()
    cards = [(row, roster.qr_svg(row.link)) for row in issued]
    return page(request, "invites.html", title="Liên kết mời", cards=cards, workbook=workbook)
