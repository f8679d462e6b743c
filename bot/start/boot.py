"""Start-up of every process: the database migrated, each plan's unit and indicators in it, the Runtime."""

from __future__ import annotations

from bot.core.config import LocalSettings
from bot.core.db import Database
from bot.core.runtime import Runtime
from bot.people.units import sync_plan_units
from bot.reporting.indicators import sync_indicators
from knowledge import KnowledgeBase, default_kb


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


def make_runtime(settings: LocalSettings, admin_ids: frozenset[int] = frozenset()) -> Runtime:
    return open_runtime(default_kb(), settings.database_url, timezone=settings.timezone, admin_ids=admin_ids,
                        upgrade=settings.db_auto_upgrade, reminders=settings.reminder_rules,
                        retention=settings.retention)
