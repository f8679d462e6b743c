"""The audit log of the office's web page: who did what, and when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.models import AuditEntry


def record(person_id: int | None, action: str, detail: str, now: dt.datetime, *, session: Session) -> None:
    session.add(AuditEntry(person_id=person_id, action=action[:40], detail=detail[:2000], at=now))


def recent(limit: int = 50, *, session: Session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
