"""Telegram update ids already taken in: a redelivered update (webhook retry, second replica, a poll repeated
after a restart) runs once.

Taking an update in is also the promise to handle it: Telegram will not send it again. So its copy is kept
with its id until it has been handled; one a process took in and never handled (killed in between) is
handled by whichever process looks next, two minutes later, once: a second kill on it is not tried again
(an update that kills its process must not kill them all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from functools import cache

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.orm import Session

from bot.core.db import dialect_insert
from bot.core.models import SeenUpdate

# Telegram stops redelivering an update after about a day; keep ids a while longer.
KEEP = dt.timedelta(days=2)
# An update taken in this long ago, not handled and not touched since, was left by a process that stopped: a live
# one touches those in its hands every 30 s (bot/start/taken.py), however long they wait for their chat's turn.
UNFINISHED_AFTER = dt.timedelta(minutes=2)
_seen = SeenUpdate.__table__


def first_delivery(update_id: int, now: dt.datetime, *, connection: Connection, payload: str | None = None) -> bool:
    """Records the id; False if it was recorded before, by this process or another.

    ON CONFLICT DO NOTHING rather than catching the unique violation: the caller's transaction
    stays usable, and on PostgreSQL a concurrent insert of the same id by another replica waits
    for that one to commit, then counts as a duplicate.
    """
    statement = _recording(connection.dialect.name)
    values = {"update_id": update_id, "seen_at": now, "payload": payload}
    return connection.execute(statement, values).scalar_one_or_none() is not None


@cache
def _recording(dialect: str):
    """Built once per dialect, run with the id as a parameter: every update pays for it."""
    insert = dialect_insert(dialect, SeenUpdate.__table__)
    return insert.on_conflict_do_nothing().returning(SeenUpdate.update_id)


def handled(update_ids: Collection[int], *, connection: Connection) -> None:
    """Their copies are no longer needed."""
    connection.execute(update(_seen).where(_seen.c.update_id.in_(update_ids), _seen.c.payload.is_not(None))
                       .values(payload=None))


def touch(update_ids: Collection[int], now: dt.datetime, *, connection: Connection) -> None:
    """Still in the caller's hands, being handled or waiting their turn: not for another process to take."""
    connection.execute(update(_seen).where(_seen.c.update_id.in_(update_ids), _seen.c.payload.is_not(None))
                       .values(seen_at=now))


def unfinished(now: dt.datetime, *, connection: Connection, exclude: frozenset[int] = frozenset(),
               limit: int = 100) -> list[tuple[int, str]]:
    """(id, JSON) of updates taken in over UNFINISHED_AFTER ago and never handled, but those of `exclude` (in
    the caller's hands), claimed for the caller: their copies are dropped as they are returned, so no other
    process takes them too."""
    left = _seen.c.payload.is_not(None) & (_seen.c.seen_at < now - UNFINISHED_AFTER)
    if exclude:
        left &= _seen.c.update_id.not_in(exclude)
    rows = connection.execute(select(_seen.c.update_id, _seen.c.payload).where(left)
                              .order_by(_seen.c.update_id).limit(limit)
                              .with_for_update(skip_locked=True)).all()
    if rows:
        handled([r.update_id for r in rows], connection=connection)
    return [(r.update_id, r.payload) for r in rows]


def forget_seen(now: dt.datetime, *, session: Session) -> int:
    """Drops the ids older than KEEP; returns how many."""
    return session.execute(delete(SeenUpdate).where(SeenUpdate.seen_at < now - KEEP)).rowcount
