"""Start-up of every process: the database migrated, the plans in it, each plan's unit and indicators, the
Runtime."""

from __future__ import annotations

import logging

from bot.core.config import LocalSettings
from bot.core.db import Database
from bot.core.runtime import Runtime, settle
from bot.plans import live
from bot.reminders.catalog import extensions, running_plans
from knowledge import KnowledgeBase

log = logging.getLogger(__name__)


def open_runtime(kb: KnowledgeBase | None, database_url: str, *, upgrade: bool = True, **options: object) -> Runtime:
    """The database migrated to the latest schema, with the packaged plans among its plans, and a unit
    for each plan. `kb` None: the knowledge base of the database's live plans (what every process of a
    deployment answers from); a given `kb` (tests, benchmarks) is used as it is.

    upgrade=False (DB_AUTO_UPGRADE=false): the schema must already be the latest, else start-up stops.
    """
    db = Database(database_url)
    with db.exclusive():
        if upgrade:
            db.upgrade()
        else:
            db.require_latest()
        plans = live.load(db)
        kb = kb or plans.kb
        with db.session() as session:
            live.sync(kb, session=session)
    return Runtime(kb=kb, db=db, plans=plans.signature, **options)


def make_runtime(settings: LocalSettings, admin_ids: frozenset[int] = frozenset()) -> Runtime:
    rt = open_runtime(None, settings.database_url, timezone=settings.timezone, admin_ids=admin_ids,
                      upgrade=settings.db_auto_upgrade, reminders=settings.reminder_rules,
                      retention=settings.retention, web_url=settings.web_base_url or "")
    with rt.db.session() as session:
        running = running_plans(rt.kb, extensions(session=session), rt.today())
    if not running:
        log.warning("every plan has expired: no reminder will go out. Add a plan (`campaign-bot plans add FILE "
                    "--yes`, or an admin sends its document to the bot) or extend one (`campaign-bot plans extend "
                    "ID --until YYYY-MM-DD`)")
    settle()
    return rt
