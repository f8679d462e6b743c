"""What handlers and jobs share: the knowledge base, the database, the clock, time zone and admins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.flood import FloodGuard
from bot.reminders.rules import Rules
from bot.submissions import sync_indicators
from bot.units import sync_plan_units
from knowledge.index import KnowledgeBase


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Runtime:
    kb: KnowledgeBase
    db: Database
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    admin_ids: frozenset[int] = frozenset()
    clock: Callable[[], dt.datetime] = system_clock
    flood: FloodGuard = field(default_factory=FloodGuard)
    reminders: Rules = field(default_factory=Rules)
    retention: dt.timedelta | None = None  # personal data of people unseen this long is erased daily
    last_update_at: dt.datetime | None = None  # set by handlers/observe.py, shown by /healthz
    last_tick_at: dt.datetime | None = None  # the reminder scheduler's last tick: it is alive

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def today(self) -> dt.date:
        return self.clock().astimezone(self.timezone).date()


def open_runtime(kb: KnowledgeBase, database_url: str, *, upgrade: bool = True, **options: object) -> Runtime:
    """The database migrated to the latest schema, with a unit for each plan of the knowledge base.

    upgrade=False (DB_AUTO_UPGRADE=false): the schema must already be the latest, else start-up stops.
    """
    db = Database(database_url)
    with db.exclusive():
        if upgrade:
            db.upgrade()
        else:
            db.require_latest()
        with db.session() as session:
            sync_plan_units(list(kb.plans.values()), session=session)
            sync_indicators(kb, session=session)
    return Runtime(kb=kb, db=db, **options)
