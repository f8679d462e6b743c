"""The SQL a test's bot ran: what an update costs in statements."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def statements(engine: Engine, threads: tuple[str, ...] | None = ("dialog", "updates")) -> Iterator[list[str]]:
    """The SQL the bot's update threads ran meanwhile (the reminder loop's own ticks left out); any thread's
    with `threads` None."""
    seen: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if threads is None or threading.current_thread().name.startswith(threads):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
