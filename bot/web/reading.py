"""The pages that only read: Tổng hợp, a unit, Chưa nộp, Hạn chót, Kế hoạch, Đơn vị và cán bộ, downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.models import Indicator
from bot.core.runtime import Runtime
from bot.people import admins, audit
from bot.people.units import list_units, unit_by_code
from bot.reminders import outbox
from bot.reminders.catalog import admin_deadlines, all_due, extensions
from bot.reporting import export, matrix, submissions
from bot.reporting.periods import Span, half, half_of, parse_period, year
from bot.web.auth import in_db
from bot.web.charts import chart
from bot.web.render import RUNTIME, SIGNED, notice, page

PAGE_ROWS = 100  # units a page of Tổng hợp shows; totals and charts count them all
SORTS = {"ten": "Tên đơn vị", "met": "Số chỉ tiêu đạt"}


def periods_offered(today: dt.date) -> list[Span]:
    """The periods the selectors offer: this year's and last year's halves and years, newest first."""
    return [s for y in (today.year, today.year - 1) for s in (half(y, 2), half(y, 1), year(y))
            if s.starts_on <= today]


def span_of(request: web.Request) -> Span:
    rt: Runtime = request.app[RUNTIME]
    return parse_period(request.query.get("ky", "")) or half_of(rt.today())


def _common(request: web.Request, span: Span) -> dict[str, Any]:
    return {"span": span, "periods": periods_offered(request.app[RUNTIME].today()), "query": request.query}


def _scope(request: web.Request) -> frozenset[int] | None:
    """The signed-in admin's units (None: every unit): what every page and download is limited to."""
    return request[SIGNED].units


def _standings(rt: Runtime, span: Span, plan_id: str, level: str, sort: str, number: int,
               session: Session, units: frozenset[int] | None) -> dict[str, Any]:
    tables = matrix.tables(span, session=session, level=level or None, units=units)
    plans = [t.plan_id for t in tables]
    busiest = max(tables, key=lambda t: len(t.rows), default=None)  # the plan most units follow, unless chosen
    chosen = next((t for t in tables if t.plan_id == plan_id), busiest)
    levels = sorted({u.level for u in list_units(session=session) if admins.allows(units, u)})
    if chosen is None:
        return {"table": None, "plans": plans, "levels": levels, "charts": [], "pages": 0}
    matrix.sort_rows(chosen, sort)
    charts = [chart(c, [r.cells[n] for r in chosen.rows]) for n, c in enumerate(chosen.columns)]
    pages = max(1, -(-len(chosen.rows) // PAGE_ROWS))
    number = min(max(1, number), pages)
    shown = chosen.rows[(number - 1) * PAGE_ROWS:number * PAGE_ROWS]
    return {"table": chosen, "shown": shown, "plans": plans, "levels": levels, "charts": charts, "pages": pages,
            "number": number, "names": {p: rt.kb.plans[p].title if p in rt.kb.plans else p for p in plans}}


async def standings(request: web.Request) -> web.Response:
    rt, span, q = request.app[RUNTIME], span_of(request), request.query
    number = int(q["trang"]) if q.get("trang", "").isdecimal() and len(q["trang"]) < 6 else 1
    return await in_db(request, lambda s: page(
        request, "standings.html", title="Tổng hợp", **_common(request, span), sorts=SORTS,
        **_standings(rt, span, q.get("ke_hoach", ""), q.get("cap", ""), q.get("sap", "ten"), number, s,
                     _scope(request))))


def _unit(code: str, session: Session, units: frozenset[int] | None) -> dict[str, Any] | None:
    unit = unit_by_code(code, session=session)
    if unit is None or not admins.allows(units, unit):  # another office's unit reads as no unit at all
        return None
    return {"unit": unit, "history": matrix.history(unit, session=session),
            "officers": submissions.officers_of([unit.id], session=session)}


def _unit_page(request: web.Request, session: Session) -> web.Response:
    found = _unit(request.match_info["code"], session, _scope(request))
    if found is None:
        return notice(request, "Không có đơn vị này", "Không tìm thấy đơn vị. Bạn chọn đơn vị từ trang Tổng hợp.",
                      status=404, action="/")
    return page(request, "unit.html", title=found["unit"].name, **found)


async def unit_page(request: web.Request) -> web.Response:
    return await in_db(request, lambda s: _unit_page(request, s))


def _missing(span: Span, session: Session, units: frozenset[int] | None) -> dict[str, Any]:
    owing = [(t, r) for t in matrix.tables(span, session=session, units=units) for r in t.rows
             if r.reported < len(r.cells)]
    officers: dict[int, list[str]] = {}
    for person in submissions.officers_of([r.unit.id for _, r in owing], session=session):
        officers.setdefault(person.unit_id, []).append(person.name or str(person.id))
    return {"owing": owing, "officers": officers}


async def missing(request: web.Request) -> web.Response:
    span = span_of(request)
    ended = span.ends_on < request.app[RUNTIME].today()
    return await in_db(request, lambda s: page(request, "missing.html", title="Chưa nộp", **_common(request, span),
                                               ended=ended, **_missing(span, s, _scope(request))))


def _deadlines(rt: Runtime, session: Session, units: frozenset[int] | None) -> dict[str, Any]:
    now = rt.clock()
    return {"upcoming": all_due(rt.kb, rt.timezone, now, session=session)[:30],
            "own": admin_deadlines(now, session=session),
            "past": outbox.counts(now - dt.timedelta(days=120), session=session, units=units),
            "plans": sorted(rt.kb.plans.values(), key=lambda p: p.issuer)}


async def deadlines(request: web.Request) -> web.Response:
    rt = request.app[RUNTIME]
    return await in_db(request, lambda s: page(request, "deadlines.html", title="Hạn chót và nhắc hạn",
                                               **_deadlines(rt, s, _scope(request))))


def _plans(rt: Runtime, session: Session) -> dict[str, Any]:
    targets: dict[str, list[Indicator]] = {}
    for indicator in session.scalars(select(Indicator).where(Indicator.active).order_by(Indicator.id)):
        targets.setdefault(indicator.plan_id, []).append(indicator)
    return {"plans": sorted(rt.kb.plans.values(), key=lambda p: p.id), "targets": targets,
            "until": extensions(session=session), "today": rt.today(),
            "deadlines": {p: rt.kb.facts_of(p, "deadline") for p in rt.kb.plans}}


async def plans(request: web.Request) -> web.Response:
    rt = request.app[RUNTIME]
    return await in_db(request, lambda s: page(request, "plans.html", title="Kế hoạch", **_plans(rt, s)))


async def roster(request: web.Request) -> web.Response:
    units = _scope(request)
    return await in_db(request, lambda s: page(request, "roster.html", title="Đơn vị và cán bộ",
                                               units=[u for u in list_units(session=s) if admins.allows(units, u)],
                                               log=audit.recent(30, session=s)))


async def download(request: web.Request) -> web.Response:
    rt, name = request.app[RUNTIME], request.match_info["name"]
    stem, _, suffix = name.rpartition(".")
    span = parse_period(stem)
    if span is None or suffix not in ("xlsx", "csv"):
        return notice(request, "Không có tệp này", "Chọn kỳ rồi bấm Tải Excel hoặc Tải CSV.", status=404, action="/")
    files = await in_db(request, lambda s: export.export_elsewhere(span, rt.timezone, rt.today(), session=s,
                                                                   kb=rt.kb, units=_scope(request)))
    filename, content = next((n, c) for n, c in files.items() if n.endswith(f".{suffix}"))
    kinds = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}
    return web.Response(body=content, content_type=kinds[suffix],
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})
