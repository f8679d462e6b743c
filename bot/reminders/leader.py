"""One planner and sender across replicas: a PostgreSQL advisory lock, held on its own connection while a
sender runs. A holder that dies loses its connection and with it the lock; the server notices a vanished
host within ~25 s (keepalives below) and the other replicas try again every tick, so one takes over
within 30 s. SQLite has one process: it always leads.
"""

from __future__ import annotations

import contextlib
import logging
import time

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)
LOCK_KEY = 0x52454D49  # "REMI"
SCHEMA = "hashtext(current_schema())"  # the lock's second key: deployments in other schemas do not contend
CHECK_EVERY = 5.0
KEEPALIVES = ("SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5", "SET tcp_keepalives_count = 3")


class Leadership:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._checked = 0.0

    @property
    def shared(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def acquire(self) -> bool:
        if not self.shared:
            return True
        conn = self.engine.connect()
        try:
            for statement in KEEPALIVES:
                conn.execute(text(statement))
            won = bool(conn.scalar(text(f"SELECT pg_try_advisory_lock(:key, {SCHEMA})"), {"key": LOCK_KEY}))
            conn.commit()
        except DBAPIError:
            conn.close()
            raise
        if not won:
            conn.close()
            return False
        self._conn, self._checked = conn, time.monotonic()
        return True

    def held(self) -> bool:
        """Whether the lock's connection is still alive (checked every few seconds, not on every call)."""
        if not self.shared:
            return True
        if self._conn is None:
            return False
        if time.monotonic() - self._checked < CHECK_EVERY:
            return True
        try:
            self._conn.execute(text("SELECT 1"))
            self._conn.commit()
        except DBAPIError:
            log.warning("lost the reminder sender lock's connection: stopping")
            self._conn.invalidate()
            self._drop()
            return False
        self._checked = time.monotonic()
        return True

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text(f"SELECT pg_advisory_unlock(:key, {SCHEMA})"), {"key": LOCK_KEY})
            self._conn.commit()
        except DBAPIError:
            pass  # the connection is gone, and the lock with it
        self._drop()

    def _drop(self) -> None:
        with contextlib.suppress(DBAPIError):
            self._conn.close()
        self._conn = None
