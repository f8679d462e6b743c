"""The knowledge base every process answers from: built from the database's live plan versions, and built
again (off the event loop, from the shared on-disk cache when another process already built it) when
they change, so each replica answers from a new plan within a few seconds of its confirmation."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.db import Database
from bot.people.units import sync_plan_units
from bot.plans import store
from bot.reporting.indicators import sync_indicators
from knowledge.index import KnowledgeBase

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LivePlans:
    signature: tuple[tuple[str, int], ...]
    kb: KnowledgeBase


def load(db: Database) -> LivePlans:
    with db.session() as session:
        store.seed(session=session)
    with db.session() as session:
        return LivePlans(store.signature(session=session), KnowledgeBase.of_texts(store.live_texts(session=session)))


def changed(db: Database, current: tuple[tuple[str, int], ...]) -> LivePlans | None:
    """The live plans when they differ from `current` (one small query), with their units and indicators
    in the database; else None."""
    with db.session() as session:
        now = store.signature(session=session)
        if now == current:
            return None
        texts = store.live_texts(session=session)
    log.info("plans changed: %s", ", ".join(f"{plan} v{version}" for plan, version in now))
    found = LivePlans(now, KnowledgeBase.of_texts(texts))
    with db.session() as session:
        sync(found.kb, session=session)
    return found


def sync(kb: KnowledgeBase, *, session: Session) -> None:
    """Each plan's issuing unit, and its targets as indicators (those of a plan no longer live stay, inactive
    only when the plan's new version drops them)."""
    sync_plan_units(list(kb.plans.values()), session=session)
    sync_indicators(kb, session=session)
