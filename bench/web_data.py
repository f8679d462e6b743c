"""A database for the web page's bench and screenshots: many units of one plan, each with figures for
the current half-year (some met, some not, some missing), and a signed-in admin."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import insert, select, update

from bot.core.models import Delivery, Indicator, Person, Submission, Unit
from bot.core.runtime import Runtime
from bot.people import signin
from bot.reminders.catalog import add_deadline
from bot.reporting import periods
from bot.start.boot import open_runtime
from knowledge import KnowledgeBase

ADMIN = 900
PLAN = "xa-cat-ne"
PLACES = ("Phú Nghĩa", "Đức Hạnh", "Bình Sơn", "Tân Lập", "An Khương", "Thanh Lương", "Minh Hưng", "Lộc Ninh",
          "Đồng Nơ", "Tân Hòa", "Phước An", "Long Hà", "Bù Nho", "Thọ Sơn", "Đa Kia", "Bình Minh")


def build(folder: Path, kb: KnowledgeBase | None, units: int, indicators: int, now: dt.datetime,
          seed: int = 7) -> tuple[Runtime, str]:
    """The runtime on a fresh SQLite file, and the cookie of a signed-in admin."""
    rt = open_runtime(kb, f"sqlite:///{folder / 'web.db'}", admin_ids=frozenset({ADMIN}), clock=lambda: now)
    rng = random.Random(seed)
    span = periods.half_of(rt.today())
    with rt.db.session() as session:
        rows = _indicators(session, indicators)
        parent = session.scalar(select(Unit).where(Unit.code == PLAN))
        made = [{"code": f"xa-{n:04d}", "name": f"UBND xã {PLACES[n % len(PLACES)]} {n // len(PLACES) + 1}",
                 "plan_id": PLAN, "level": "xã", "parent_id": parent.id, "created_at": now} for n in range(units)]
        session.execute(insert(Unit), made)
        ids = list(session.scalars(select(Unit.id).where(Unit.code.like("xa-0%"))))
        period = periods.stored(span, session=session)
        session.execute(insert(Submission), [_figure(rng, unit, i, period.id, now) for unit in ids for i in rows
                                             if rng.random() < 0.85])
        session.add(Person(id=ADMIN, name="Nguyễn Thị Hằng", role="staff"))
        for n, unit in enumerate(ids[:units]):
            session.add(Person(id=10_000 + n, name=f"Cán bộ {n + 1}", unit_id=unit, role="officer"))
        add_deadline("Nộp báo cáo kết quả chuyển đổi số 6 tháng cuối năm", now + dt.timedelta(days=18), plan_id=PLAN,
                     unit_id=None, by=ADMIN, session=session)
        session.execute(insert(Delivery), [
            {"deadline_key": "admin:0", "offset_label": "7d", "occurrence": now - dt.timedelta(days=3),
             "chat_id": 10_000 + n, "kind": "nudge", "title": "Nộp báo cáo tháng 11",
             "due_at": now - dt.timedelta(days=10),
             "state": "sent" if n % 9 else "failed", "attempts": 1, "created_at": now, "reason": ""}
            for n in range(min(units, 40))])
        started = signin.start(ADMIN, now, session=session)
    return rt, started.cookie


def _indicators(session, count: int) -> list[Indicator]:
    """The plan's own indicators, and more like them up to `count` (a plan of 30 figures)."""
    own = list(session.scalars(select(Indicator).where(Indicator.plan_id == PLAN, Indicator.active)))
    extra = [Indicator(plan_id=PLAN, code=f"B-{n}", name=f"Tỷ lệ hồ sơ số hóa nhóm {n}", target=80.0, kind="percent",
                       comparator=">=", section="B", full_name=f"Tỷ lệ hồ sơ được số hóa của nhóm thủ tục {n}")
             for n in range(1, max(0, count - len(own)) + 1)]
    session.add_all(extra)
    session.flush()
    if len(own) > count:
        session.execute(update(Indicator).where(Indicator.id.in_([i.id for i in own[count:]])).values(active=False))
    return [*own[:count], *extra]


def _figure(rng: random.Random, unit: int, indicator: Indicator, period: int, now: dt.datetime) -> dict:
    if indicator.kind == "yesno":
        yes = rng.random() < 0.7
        return {"indicator_id": indicator.id, "unit_id": unit, "period_id": period, "yes": yes,
                "shown": "có" if yes else "chưa", "met": yes, "submitted_at": now, "person_name": "Cán bộ",
                "note": ""}
    value = round(rng.uniform(40, 100), 1) if indicator.kind == "percent" else float(rng.randint(0, 20))
    met = value >= indicator.target
    shown = f"{value:g}%".replace(".", ",") if indicator.kind == "percent" else f"{value:g}"
    return {"indicator_id": indicator.id, "unit_id": unit, "period_id": period, "value": value, "shown": shown,
            "met": met, "submitted_at": now, "person_name": "Cán bộ", "note": ""}
