"""The one sender: drains due outbox rows within the flood windows, a few requests in flight at a time.

Order per row: wait for the windows, claim (committed), send, record. A crash between claim and record
leaves the row 'sending', which the next sender records as unknown: never sent twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.db import Database
from bot.core.models import Delivery, Person, Unit
from bot.core.replies import Button
from bot.people import joining
from bot.reminders import checkins, outbox, summaries
from bot.reminders.messages import render
from bot.reminders.outcomes import SendError, decide
from bot.reminders.subscriptions import deactivate, is_subscribed, migrate
from bot.reporting import submissions
from bot.reporting.indicators import indicators_for
from bot.reporting.periods import parse_period
from bot.transport.windows import FloodWindows, Sent

log = logging.getLogger(__name__)
# (chat id, text[, rows of buttons]) → message id, or raises SendError; buttons are passed only when a
# message has some (a check-in, a join request), so a plain text sender still serves every other reminder.
SendFn = Callable[..., Awaitable[int]]
BATCH = 200
IDLE = 0.05
SKIPPED = {summaries.TEXT: "summaries turned off", summaries.CHART: "summaries turned off",
           joining.KIND: "the join request was decided or erased"}
REPLAN = 5.0  # seconds: a reminder falling due during a long broadcast joins it at most this late


@dataclass(frozen=True)
class Prepared:
    row_id: int
    chat_id: int
    text: str
    attempts: int
    migrated: bool
    buttons: list[list[Button]] = field(default_factory=list)
    picture: bytes | None = None  # a summary's chart: sent as a photo, the text its caption


class Sender:
    def __init__(self, db: Database, clock: Callable[[], dt.datetime], tz: ZoneInfo, send: SendFn,
                 windows: FloodWindows, *, alive: Callable[[], bool], replan: Callable[[], int], concurrency: int = 8,
                 backoff_base: float = 1.0) -> None:
        self.db, self.clock, self.tz = db, clock, tz
        self.send, self.windows, self.alive, self.replan = send, windows, alive, replan
        self._next_plan = 0.0
        self.token = uuid.uuid4().hex
        self.backoff_base = backoff_base
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: dict[int, asyncio.Task] = {}
        self._not_before: dict[int, float] = {}  # retry pauses: row id → time.monotonic()

    def recover(self) -> int:
        """Run in a worker thread (bot/reminders/service.py)."""
        with self.db.session() as session:
            return outbox.recover(self.token, self.clock(), session=session)

    async def drain(self) -> None:
        """Sends until nothing is due (or the bot stops); waits for the requests in flight."""
        try:
            while self.alive():
                await self._plan_if_due()
                if not await self._pass():
                    break
        finally:
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    async def _plan_if_due(self) -> None:
        """Turns what came due into outbox rows (off the event loop: planning a broadcast inserts its rows)."""
        if time.monotonic() < self._next_plan:
            return
        self._next_plan = time.monotonic() + REPLAN
        if planned := await asyncio.to_thread(self.replan):
            log.info("planned %d reminder messages", planned)

    async def _pass(self) -> bool:
        """One look at the due rows (off the event loop, as every database call); False when there is nothing
        left to do."""
        in_flight = set(self._in_flight)  # as the query starts: a send ending meanwhile may put its row back
        due = await asyncio.to_thread(self._due, in_flight)
        if not due and not in_flight:
            return False
        now, chats, ready = time.monotonic(), set(), []
        for row_id, chat_id in due:
            if self._not_before.get(row_id, 0) <= now and chat_id not in chats and self.windows.chat_ready(chat_id):
                chats.add(chat_id)
                ready.append((row_id, chat_id))
        for row_id, chat_id in ready:
            if not self.alive():
                break
            await self._start(row_id, chat_id)
        if not ready:
            await asyncio.sleep(IDLE)
        return True

    async def _start(self, row_id: int, chat_id: int) -> None:
        await self._slots.acquire()
        await self.windows.ready(chat_id)  # wait before claiming: a claimed row should go out at once
        prepared = await asyncio.to_thread(self._prepare, row_id)
        if prepared is None:
            self._slots.release()
            return
        sent = await self.windows.acquire(chat_id)  # counted now, as the request leaves: the database work is behind it
        task = asyncio.create_task(self._send(prepared, sent))
        self._in_flight[row_id] = task
        task.add_done_callback(lambda _t: (self._in_flight.pop(row_id, None), self._slots.release()))

    def _due(self, in_flight: set[int]) -> list[tuple[int, int]]:
        with self.db.session() as session:
            return outbox.due_ids(self.clock(), BATCH, exclude=in_flight, session=session)

    def _prepare(self, row_id: int) -> Prepared | None:
        """Claims the row and writes its text, or ends it when it is no longer needed."""
        with self.db.session() as session:
            row = outbox.claim(row_id, self.token, session=session)
            if row is None:
                return None
            now = self.clock()
            if row.occurrence <= now:
                outbox.finish(row, "missed", now, reason="the deadline passed before it could be sent")
                return None
            if row.kind == "chat" and not is_subscribed(row.chat_id, session=session):
                outbox.finish(row, "skipped", now, reason="reminders turned off")
                return None
            if row.kind == "nudge" and (skipped := checkins.not_now(row, now, session=session)):
                outbox.finish(row, "skipped", now, reason=skipped)
                return None
            drawn = summaries.chart(row, session=session) if row.kind == summaries.CHART else None
            written = (drawn[0], []) if drawn else self._text(row, now, session=session)
            if written is None:
                outbox.finish(row, "skipped", now, reason=SKIPPED.get(row.kind, "the unit has reported every figure"))
                return None
            return Prepared(row.id, row.chat_id, written[0], row.attempts, row.migrated_from is not None, written[1],
                            drawn[1] if drawn else None)

    def _text(self, row: Delivery, now: dt.datetime, *, session: Session) -> tuple[str, list[list[Button]]] | None:
        """The text and buttons (a check-in's), or None when the message is no longer needed."""
        if row.kind == "notice":
            return row.title, []
        if row.kind == joining.KIND:
            return joining.question(row, session=session)
        if row.kind in (summaries.TEXT, summaries.CHART):
            written = summaries.text(row, session=session) if row.kind == summaries.TEXT else None
            return (written, []) if written is not None else None
        unit = session.get(Unit, row.unit_id) if row.unit_id is not None else None
        span = parse_period(row.period) if row.period else None
        if unit is None or span is None:
            return render(row, now, self.tz), []
        missing = submissions.missing(unit, span, session=session)
        if row.kind == "nudge" and not missing:
            return None
        person = session.get(Person, row.chat_id) if row.kind == "nudge" else None
        total = len(indicators_for(unit, session=session))
        text = render(row, now, self.tz, unit=unit, missing=missing, total=total, person=person)
        return text, checkins.buttons(row, missing) if row.kind == "nudge" else []

    async def _send(self, p: Prepared, sent: Sent) -> None:
        try:
            message_id = await self._request(p, sent)
        except SendError as error:
            await self._failed(p, error)
        except Exception as exc:  # a bug, not Telegram: whether it went out is unknown, so it is not resent
            log.exception("sending reminder %s failed", p.row_id)
            reason = repr(exc)
            await self._record(p.row_id, lambda row, now, _s: outbox.finish(row, "unknown", now, reason=reason))
        else:
            await self._record(p.row_id, lambda row, now, _s: outbox.finish(row, "sent", now, message_id=message_id))

    async def _request(self, p: Prepared, sent: Sent) -> int:
        try:
            if p.picture is not None:
                return await self.send(p.chat_id, p.text, picture=p.picture)
            return await (self.send(p.chat_id, p.text, p.buttons) if p.buttons else self.send(p.chat_id, p.text))
        finally:
            self.windows.answered(sent)

    async def _failed(self, p: Prepared, error: SendError) -> None:
        decision = decide(error, attempts=p.attempts, migrated_before=p.migrated, base=self.backoff_base)
        if decision.pause_all:
            self.windows.pause(decision.pause_all)
        if decision.retry_in:
            self._not_before[p.row_id] = time.monotonic() + decision.retry_in

        def record(row: Delivery, now: dt.datetime, session: Session) -> None:
            outbox.apply(row, decision, now)
            if decision.deactivate:
                deactivate(row.chat_id, error.description or "blocked", session=session)
            if decision.move_to is not None:
                old = row.chat_id
                migrate(old, decision.move_to, session=session)
                row.chat_id, row.migrated_from = decision.move_to, old

        await self._record(p.row_id, record)

    async def _record(self, row_id: int, change: Callable[[Delivery, dt.datetime, Session], None]) -> None:
        def write() -> None:
            with self.db.session() as session:
                change(session.get(Delivery, row_id), self.clock(), session)

        await asyncio.to_thread(write)  # the event loop keeps sending on time meanwhile
