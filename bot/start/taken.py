"""Updates taken in, kept until handled: the handled ones written back once a second (and at shut-down), and
those a stopped process left unhandled handled here (bot/core/seen.py says why and how)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.core.runtime import Runtime
from bot.core.seen import handled, touch, unfinished

log = logging.getLogger(__name__)
WRITE_EVERY = 1.0  # seconds: the handled ids of a second in one statement, not one per update
LOOK_EVERY = dt.timedelta(seconds=30)
WRITING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handled")


class Handled:
    """The updates in this process's hands: from the moment they reach the update processor until they are
    written back as handled. A process killed before writing leaves at most a second of handled updates to be
    handled again: an answer sent twice, a figure still stored once (its update id is unique)."""

    def __init__(self, rt: Runtime) -> None:
        self.rt, self._ids, self.busy = rt, [], set()

    def start(self, update_id: int) -> None:
        self.busy.add(update_id)

    def add(self, update_id: int) -> None:
        self._ids.append(update_id)

    async def write(self) -> None:
        ids, self._ids = self._ids, []
        if not ids:
            return
        try:
            await asyncio.get_running_loop().run_in_executor(WRITING, self._write, ids)
        except SQLAlchemyError as exc:  # kept for the next write; this process does not claim them meanwhile
            self._ids[:0] = ids
            log.warning("could not mark %d updates handled (%s)", len(ids), exc.__class__.__name__)
            return
        self.busy.difference_update(ids)

    def _write(self, ids: list[int]) -> None:
        with self.rt.db.connection() as connection:
            handled(ids, connection=connection)

    async def job(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.write()

    async def unfinished_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The updates a stopped process took in and never handled, handled here."""
        await self.write()  # what is left busy is in this process's hands still: touched, not claimed
        busy = frozenset(self.busy)

        def claim() -> list[tuple[int, str]]:
            with self.rt.db.connection() as connection:
                if busy:
                    touch(busy, self.rt.clock(), connection=connection)
                return unfinished(self.rt.clock(), connection=connection, exclude=busy)

        for update_id, payload in await asyncio.get_running_loop().run_in_executor(WRITING, claim):
            try:
                update = Update.de_json(json.loads(payload), context.bot)
            except Exception as exc:  # kept by an older version, unreadable now: dropped, and said
                log.error("update %s left unhandled could not be read again: %s", update_id,
                          exc.__class__.__name__)
                continue
            log.warning("update %s was taken in by a process that stopped before handling it: handled now",
                        update_id)
            await context.application.update_queue.put(update)


def keep_handled(app: Application, handled_ids: Handled) -> None:
    app.job_queue.run_repeating(handled_ids.job, interval=WRITE_EVERY, first=WRITE_EVERY, name="handled")
    app.job_queue.run_repeating(handled_ids.unfinished_job, interval=LOOK_EVERY, first=5, name="unfinished")
