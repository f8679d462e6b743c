"""Telegram update ids already taken in: a redelivered update (webhook retry, second replica, a poll repeated
after a restart) runs once."""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import Connection, delete
from sqlalchemy.orm import Session

from bot.core.db import dialect_insert
from bot.core.models import SeenUpdate

# Telegram stops redelivering an update after about a day; keep ids a while longer.
KEEP = dt.timedelta(days=2)


def first_delivery(update_id: int, now: dt.datetime, *, connection: Connection) -> bool:
    """Records the id; False if it was recorded before, by this process or another.

    ON CONFLICT DO NOTHING rather than catching the unique violation: the caller's transaction
    stays usable, and on PostgreSQL a concurrent insert of the same id by another replica waits
    for that one to commit, then counts as a duplicate.
    """
    statement = _recording(connection.dialect.name)
    return connection.execute(statement, {"update_id": update_id, "seen_at": now}).scalar_one_or_none() is not None


@cache
def _recording(dialect: str):
    """Built once per dialect, run with the id as a parameter: every update pays for it."""
    insert = dialect_insert(dialect, SeenUpdate.__table__)
    return insert.on_conflict_do_nothing().returning(SeenUpdate.update_id)


def forget_seen(now: dt.datetime, *, session: Session) -> int:
    """Drops the ids older than KEEP; returns how many."""
    return session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < now - KEEP)).rowcount
