"""The SQL a test's bot ran: what an update costs in statements."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL the bot's update threads ran meanwhile (the reminder loop's own ticks left out)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if threading.current_thread().name.startswith(("dialog", "updates")):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
