"""The knowledge base every process answers from: built from the database's live plan versions, and built
again (off the event loop, from the shared on-disk cache when another process already built it) when
they change, so each replica answers from a new plan within a few seconds of its confirmation."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.core.db import Database
from bot.people.units import sync_plan_units
from bot.plans import store
from bot.reporting.indicators import sync_indicators
from knowledge.index import KnowledgeBase
from knowledge.parts import prepare

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


def prepare_soon(text: str, cache_dir: Path | None = None) -> threading.Thread:
    """The plan's share of the index and its passages' vectors made in the background while the admin reads
    its preview (seconds of CPU: it is embedded), so once confirmed each process only assembles the index.
    A cache warmed ahead, nothing more: lost in a restart, it is made at the rebuild instead."""
    worker = threading.Thread(target=_prepare, args=(text, cache_dir), name="plan-prepare", daemon=True)
    worker.start()
    return worker


def _prepare(text: str, cache_dir: Path | None) -> None:
    try:
        prepare(text, cache_dir)
    except Exception:  # the rebuild makes it then, or says why the plan cannot be read
        log.exception("preparing a plan's index ahead failed")
