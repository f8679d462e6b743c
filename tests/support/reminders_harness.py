"""The bot under test with reminders: an admin, short timeouts and backoff, and helpers to move the clock,
run the reminder service at once, read the outbox and set people up without a conversation.

    async def test_x(reminders):                      # fixture below: import it in the test module
        lan = await reminders.subscriber(501, "Lan", "so-xd-kien-giang")
        await reminders.at(2026, 11, 23, 8, 0)         # the clock moves, the service runs
        assert "còn 7 ngày" in (await lan.next()).text
"""

from __future__ import annotations

import datetime as dt

import pytest_asyncio
from sqlalchemy import select

from bot.core.models import Chat, Delivery, Person, Subscription
from bot.people.units import unit_by_code
from bot.reminders.catalog import extend_plan
from bot.reporting import periods, submissions
from bot.reporting.submissions import Figure
from bot.reporting.values import Value
from handlers.delivery import run_now
from tests.conftest import VIETNAM
from tests.support.harness import BotUnderTest, running
from tests.support.proxies import bypass_proxies

ADMIN = 900


class ReminderBot(BotUnderTest):
    ticking = False  # the job queue's own ticks off: the test says when the service runs

    async def start(self) -> None:
        await super().start()
        self.rt.admin_ids = frozenset({ADMIN})
        self.app.bot_data.update(read_timeout=0.5, backoff_base=0.05)
        for job in self.app.job_queue.get_jobs_by_name("reminders"):
            job.enabled = self.ticking

    async def deliver(self) -> None:
        await run_now(self.app)

    async def at(self, *when: int) -> None:
        """Moves the clock to a Vietnam time and lets the reminder service run."""
        self.clock.now = dt.datetime(*when, tzinfo=VIETNAM)
        await self.deliver()

    def extend(self, plan_id: str, until: dt.date) -> None:
        with self.rt.db.session() as session:
            extend_plan(self.kb.plans[plan_id], until, session=session)

    async def subscriber(self, user_id: int, name: str, unit_code: str):
        """A person who chose the unit and turned reminders on, in conversation."""
        person = self.user(user_id, name)
        await person.say(f"/start {unit_code}")
        assert "Đã bật nhắc hạn" in (await person.say("/nhacnho bat")).text
        return person

    def quiet_subscribers(self, chat_ids: list[int], unit_code: str) -> None:
        """Many subscribed private chats at once, straight into the database."""
        with self.rt.db.session() as session:
            unit = unit_by_code(unit_code, session=session)
            for chat_id in chat_ids:
                session.add(Person(id=chat_id, name=f"Cán bộ {chat_id}", unit_id=unit.id))
                session.add(Chat(id=chat_id, kind="private"))
                session.add(Subscription(chat_id=chat_id, kind="private"))

    def officer(self, user_id: int, name: str, unit_code: str) -> None:
        with self.rt.db.session() as session:
            unit = unit_by_code(unit_code, session=session)
            session.add(Person(id=user_id, name=name, unit_id=unit.id, role="officer"))

    def report_all(self, unit_code: str, period: str, but: int = 0) -> None:
        """The unit submits a figure for every indicator of the period (but the last `but`)."""
        with self.rt.db.session() as session:
            unit = unit_by_code(unit_code, session=session)
            span = periods.parse_period(period)
            todo = submissions.missing(unit, span, session=session)
            for indicator in todo[:len(todo) - but]:
                figure = Figure(unit.id, indicator, span, Value(100.0, shown="100%"), met=True)
                submissions.submit(figure, None, update_id=None, now=self.clock(), session=session)

    def rows(self, **where: object) -> list[Delivery]:
        with self.rt.db.session() as session:
            query = select(Delivery).filter_by(**where).order_by(Delivery.id)
            return list(session.scalars(query))

    def states(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for row in self.rows():
            found[row.state] = found.get(row.state, 0) + 1
        return found


@pytest_asyncio.fixture
async def reminders(kb, database_url, clock, monkeypatch):
    bypass_proxies(monkeypatch)
    async with running(ReminderBot, kb, database_url, clock) as bot:
        yield bot
