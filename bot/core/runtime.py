"""What handlers and jobs share: the knowledge base, the database, the clock, time zone and admins."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.db import Database
from bot.core.schedule import Rules
from knowledge.index import KnowledgeBase


def settle() -> None:
    """What start-up built (the plans' index: millions of objects that live as long as the process) kept out
    of the cyclic garbage collector's walks: each full collection walked it all, and a page that reads
    30,000 figures allocates enough to trigger several (Tổng hợp's table took twice as long,
    `python -m bench.web_pages`). After a new index replaces the old one, the old is collected first."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Runtime:
    kb: KnowledgeBase
    db: Database
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    admin_ids: frozenset[int] = frozenset()
    clock: Callable[[], dt.datetime] = system_clock
    reminders: Rules = field(default_factory=Rules)
    retention: dt.timedelta | None = None  # personal data of people unseen this long is erased daily
    last_update_at: dt.datetime | None = None  # set by handlers/observe.py, shown by /healthz
    last_tick_at: dt.datetime | None = None  # the reminder scheduler's last tick: it is alive
    plans: tuple[tuple[str, int], ...] = ()  # which plan versions `kb` holds (bot/plans/store.py signature)
    polls: Any = None  # polling mode: the long poll's state (bot/transport/client.py PollState), for /healthz
    web_url: str = ""  # WEB_BASE_URL: where /web sign-in links point (empty: the web page is off)
    started_at: dt.datetime | None = None  # by the runtime's clock; /healthz: a tick is late from here too

    def __post_init__(self) -> None:
        if self.started_at is None:
            self.started_at = self.clock()

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def today(self) -> dt.date:
        return self.clock().astimezone(self.timezone).date()
