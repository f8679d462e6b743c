"""An admin nudges officers now (the web page's "Nhắc ngay"): one outbox row per officer still owing
figures, sent by the reminder sender within Telegram's limits. The row's key is the period and the day, so
pressing again, or two admins pressing at once, sends each officer one message a day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.models import Unit
from bot.reminders.planner import insert_new
from bot.reminders.subscriptions import owing_officers
from bot.reporting.periods import Span

KEY_PREFIX = "nhac-ngay:"


def nudge_now(span: Span, now: dt.datetime, tz: ZoneInfo, *, session: Session,
              units: frozenset[int] | None = None) -> tuple[int, int]:
    """(officers nudged now, officers already nudged today) for the period, of `units` only when given (an
    admin's scope); none once the period has ended."""
    today = now.astimezone(tz).date()
    if span.ends_on < today:
        return 0, 0
    scope = None if units is None else list(session.scalars(select(Unit).where(Unit.id.in_(units))))
    owing = owing_officers(scope, span.code, session=session)
    closes = dt.datetime.combine(span.ends_on, dt.time(23, 59), tz)
    base = {"deadline_key": f"{KEY_PREFIX}{span.code}", "offset_label": today.isoformat(), "occurrence": closes,
            "title": f"Văn phòng nhắc nộp số liệu {span.label}", "period": span.code, "due_at": now,
            "state": "pending", "reason": "", "finished_at": None, "attempts": 0, "created_at": now, "kind": "nudge"}
    new = insert_new([base | {"chat_id": chat, "unit_id": unit} for chat, unit in owing.items()], session=session)
    return new, len(owing) - new
