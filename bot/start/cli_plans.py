"""`campaign-bot plans [list|add|show|retire|extend]`: the plans of the database DATABASE_URL names, which
every process of the deployment answers from (within a few seconds of a change, without a restart)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `campaign-bot --help` loads no database or plans
    from bot.core.db import Database
    from knowledge import KnowledgeBase


@contextmanager
def _database() -> Iterator[Database]:
    from bot.core.config import LocalSettings, load_settings
    from bot.core.db import Database
    from bot.plans import store

    db = Database(load_settings(LocalSettings).database_url)
    try:
        with db.exclusive():
            db.upgrade()
            with db.session() as session:
                store.seed(session=session)
        yield db
    finally:
        db.dispose()


def live_kb() -> KnowledgeBase:
    """The knowledge base of the database's live plans (the packaged ones on a new database)."""
    from bot.plans import live

    with _database() as db:
        return live.load(db).kb


def _fail(what: str, message: str, code: int = 2) -> int:
    print(f"campaign-bot plans {what}: {message}", file=sys.stderr)
    return code


def cmd_list(args: argparse.Namespace) -> int:
    from bot.plans import store
    from knowledge.documents import parse_plan

    with _database() as db, db.session() as session:
        rows = store.history(session=session)
    print(f"{'plan id':<24} {'v':>2} {'state':<10} {'level':<5} {'province':<11} {'period':<9} {'until':<10} issuer")
    for row in rows:
        plan = parse_plan(row.text)
        print(f"{row.plan_id:<24} {row.version:>2} {row.state:<10} {plan.level:<5} {plan.province:<11} "
              f"{plan.period:<9} {plan.valid_until:%Y-%m-%d} {plan.issuer}")
    return 0


def plan_preview(path: Path, plan_id: str | None = None, today: dt.date | None = None,
                 known: list[str] = (), adopt: Callable[[object], object] | None = None) -> tuple[object, dict]:
    """The document read (an IngestedPlan) and the preview an admin sees before it goes live; `adopt` may give
    it the id of the plan it is another version of (without --id)."""
    from bot.reporting.indicators import indicators_from
    from knowledge.ingest import read_document
    from knowledge.ingest.preview import preview

    ingested = read_document(path, plan_id)
    if adopt is not None and plan_id is None:
        adopt(ingested)
    return ingested, preview(ingested, known_ids=known, today=today, reportable=indicators_from)


def cmd_add(args: argparse.Namespace) -> int:
    """`plans add FILE [--id ID] [--json] [--yes]`: the preview; with --yes, the plan goes live."""
    from bot.core.errors import UserMessageError
    from bot.plans import store
    from knowledge.ingest import IngestError
    from knowledge.ingest.preview import preview_lines
    from knowledge.parts import prepare

    if not args.plan:
        return _fail("add", "give a FILE (.docx, .pdf, an image, .txt or .md)")
    with _database() as db:
        try:
            with db.session() as session:
                known = [plan_id for plan_id, _ in store.signature(session=session)]
                ingested, shown = plan_preview(Path(args.plan), args.id, known=known,
                                               adopt=lambda found: store.adopt(found, session=session))
        except IngestError as exc:
            return _fail("add", str(exc), 1)
        print(json.dumps(shown, ensure_ascii=False) if args.json else "\n".join(preview_lines(shown)))
        if not args.yes:
            print("(chưa lưu: thêm --yes để đưa vào sử dụng / not stored: add --yes to put it live)", file=sys.stderr)
            return 0
        text = ingested.markdown()
        prepare(text)  # so that every bot process only assembles the index once it is live
        try:
            with db.session() as session:
                row, plan = store.add(text, source=Path(args.plan).name, by=None,
                                      now=dt.datetime.now(dt.UTC), session=session)
                version = row.version
        except UserMessageError as refused:
            return _fail("add", refused.message, 1)
    print(f"{plan.id}: version {version} is live; every bot process answers from it within seconds", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from bot.plans import store

    with _database() as db, db.session() as session:
        rows = [r for r in store.history(session=session) if r.plan_id == args.plan]
    if not rows:
        return _fail("show", f"unknown plan '{args.plan}' (see `campaign-bot plans`)")
    for row in rows:
        print(f"# {row.plan_id} v{row.version} {row.state}, {row.created_at:%Y-%m-%d %H:%M} UTC, from {row.source}")
    print(rows[-1].text)
    return 0


def cmd_retire(args: argparse.Namespace) -> int:
    from bot.core.errors import UserMessageError
    from bot.plans import store

    with _database() as db:
        try:
            with db.session() as session:
                store.retire(args.plan or "", session=session)
        except UserMessageError as refused:
            return _fail("retire", refused.message)
    print(f"{args.plan}: retired; no longer answered from or reminded of", file=sys.stderr)
    return 0


def cmd_extend(args: argparse.Namespace) -> int:
    """`plans extend ID --until DATE`: the plan's recurring deadlines (and reminders) run on to DATE."""
    from bot.plans import store
    from bot.reminders.catalog import extend_plan
    from knowledge.documents import parse_plan

    if not args.plan or args.until is None:
        return _fail("extend", "give a plan ID and --until YYYY-MM-DD")
    with _database() as db, db.session() as session:
        texts = {parse_plan(t).id: t for t in store.live_texts(session=session)}
        if args.plan not in texts:
            return _fail("extend", f"unknown plan '{args.plan}' (known: {', '.join(sorted(texts))})")
        plan = parse_plan(texts[args.plan])
        extended = extend_plan(plan, args.until, session=session)
    print(f"{plan.id}: runs until {extended.valid_until:%Y-%m-%d} (the plan says {plan.valid_until:%Y-%m-%d})")
    return 0


ACTIONS = {"list": cmd_list, "add": cmd_add, "show": cmd_show, "retire": cmd_retire, "extend": cmd_extend}


def cmd_plans(args: argparse.Namespace) -> int:
    return ACTIONS[args.action or "list"](args)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: '{value}'") from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    plans = sub.add_parser("plans", help="the plans: list, add FILE [--yes], show ID, retire ID, "
                                         "extend ID --until DATE")
    plans.add_argument("action", nargs="?", choices=list(ACTIONS))
    plans.add_argument("plan", nargs="?", help="the plan id; for add, the FILE to read")
    plans.add_argument("--until", type=_date, help="extend: the plan's new last day, YYYY-MM-DD")
    plans.add_argument("--id", help="add: the plan id to give it (default: from its issuer)")
    plans.add_argument("--json", action="store_true", help="add: print the preview as one JSON object")
    plans.add_argument("--yes", action="store_true", help="add: put the plan live after the preview")
    plans.set_defaults(func=cmd_plans)
