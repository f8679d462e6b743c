"""`campaign-bot` command line. Its commands and output formats are stable: other tools rely on them."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot.start import cli_admins, cli_office, cli_plans

FACT_KINDS = ("target", "deadline", "award", "responsibility", "legal_basis", "document")


def _kb(plan_id: str | None = None):
    """The knowledge base of the live plans of the database DATABASE_URL names (what the bot answers from);
    stops, naming the known ids, when `plan_id` is none of them."""
    kb = cli_plans.live_kb()
    if plan_id is not None and plan_id not in kb.plans:
        print(f"campaign-bot: unknown plan '{plan_id}' (known: {', '.join(sorted(kb.plans))})", file=sys.stderr)
        raise SystemExit(2)
    return kb


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: '{value}'") from None


def cmd_ask(args: argparse.Namespace) -> int:
    from knowledge import answer

    if args.batch:
        with _open_in(args.batch) as fh:
            for line in answer_batch(fh):
                print(line, flush=False)
        return 0
    if not args.question:
        print("campaign-bot ask: give a QUESTION or --batch FILE.jsonl", file=sys.stderr)
        return 2
    result = answer(_kb(args.plan), " ".join(args.question), args.plan)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(result.text)
        for suggestion in result.suggestions:
            print(f"  • {suggestion}")
    return 0


def _open_in(path: str) -> TextIO:
    return sys.stdin if path == "-" else open(path, encoding="utf-8")


def answer_batch(lines: Iterable[str]) -> Iterator[str]:
    """One JSON answer per JSON input line; a malformed line is answered, never fatal."""
    from knowledge import answer

    kb = _kb()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question, plan = str(item.get("question", "")), item.get("plan") or None
            ident = item.get("id", number)
        except (json.JSONDecodeError, AttributeError):
            yield json.dumps({"id": None, "found": False, "answer": f"line {number}: not a JSON object",
                              "plan": None, "sources": [], "confidence": 0.0, "latency_ms": 0.0})
            continue
        result = answer(kb, question, plan if plan in kb.plans else None).as_json()
        yield json.dumps({"id": ident, **result}, ensure_ascii=False)


def fact_lines(kb, plan_id: str | None = None, kind: str | None = None) -> Iterator[str]:
    """`facts --json`: one JSON object a line, the plans' facts then (kind document) their own metadata."""
    from knowledge.facts import document_facts
    from knowledge.ingest.preview import fact_json

    for fact in kb.facts_of(plan_id, kind):
        yield json.dumps(fact_json(fact, kb.passage(fact.plan_id, fact.passage).section), ensure_ascii=False)
    if kind in (None, "document"):
        for plan in kb.plans.values():
            if plan_id in (None, plan.id):
                for fact in document_facts(plan):
                    yield json.dumps(fact_json(fact, "Thông tin văn bản"), ensure_ascii=False)


def cmd_facts(args: argparse.Namespace) -> int:
    kb = _kb(args.plan)
    if args.json:
        for line in fact_lines(kb, args.plan, args.kind):
            print(line)
        return 0
    for fact in kb.facts_of(args.plan, args.kind):
        section = kb.passage(fact.plan_id, fact.passage).section or "-"
        detail = " ".join(x for x in (fact.comparator, fact.value, fact.recurrence, fact.event, fact.actor) if x)
        print(f"{fact.plan_id:<22} {fact.kind:<14} {section:<8} {detail:<28} {fact.text[:110]}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from knowledge import answer
    from knowledge.evaluation import evaluate, load_cases

    kb = _kb()
    report = evaluate(load_cases(Path(args.file)), lambda q, p: answer(kb, q, p))
    print("\n".join(report.lines()))
    if report.wrong:
        print(f"\nwrong ({len(report.wrong)}):")
    for case, result in report.wrong:
        expected = "decline" if case.style == "out_of_scope" else ", ".join(case.expect_all + case.expect_any)
        got = result.text.replace("\n", " ")[:160] if result.found else "(not found)"
        print(f"- {case.id} [{case.style}] {case.question}\n    expected: {expected}\n    got: {got}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.core import logs
    from bot.core.config import Settings, WebhookSettings, load_settings
    from bot.start.polling import run_polling
    from bot.start.webhook import run_webhook

    settings = load_settings(WebhookSettings if args.webhook else Settings)
    logs.configure(*settings.secrets, json_lines=settings.log_format == "json")
    if isinstance(settings, WebhookSettings):
        run_webhook(settings)
    else:
        run_polling(settings)
    return 0


def _database():
    from bot.core.config import LocalSettings, load_settings
    from bot.core.db import Database

    return Database(load_settings(LocalSettings).database_url)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.core.db import current_revision

    db = _database()
    before = current_revision(db.engine)
    with db.exclusive():
        db.upgrade()
    print(f"database: revision {before or '(empty)'} -> {current_revision(db.engine)}")
    db.dispose()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    import datetime as dt

    from bot.core.backup import backup

    db = _database()
    counts = backup(db.engine, Path(args.out), dt.datetime.now(dt.UTC))
    db.dispose()
    print(f"backup: {sum(counts.values())} rows of {len(counts)} tables -> {args.out}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.core.backup import restore

    db = _database()
    counts = restore(db.engine, Path(args.file))
    db.dispose()
    print(f"restore: {sum(counts.values())} rows -> " + ", ".join(f"{name} {n}" for name, n in counts.items()))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.core.config import LocalSettings, load_settings
    from bot.start.boot import make_runtime
    from bot.start.terminal import run

    settings = load_settings(LocalSettings)
    rt = make_runtime(settings, frozenset({0}) if args.admin else frozenset())
    run(rt, sys.stdin, sys.stdout, admin=args.admin, unit=args.unit)
    rt.db.dispose()
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    from bot.core import logs
    from bot.core.config import WebSettings, load_settings
    from bot.start.web import login_link, run_web

    settings = load_settings(WebSettings)
    if args.login_link:
        print(login_link(settings))
        return 0
    logs.configure(json_lines=settings.log_format == "json")
    run_web(settings)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="campaign-bot", description="Trợ lý thi đua chuyển đổi số")
    sub = root.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question from the plans")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--plan", help="the asker's plan id")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--batch", metavar="FILE.jsonl", help="answer each JSON line of FILE ('-': stdin)")
    ask.set_defaults(func=cmd_ask)
    cli_plans.add_parser(sub)
    facts = sub.add_parser("facts", help="list the facts extracted from the plans")
    facts.add_argument("--plan")
    facts.add_argument("--kind", choices=FACT_KINDS)
    facts.add_argument("--json", action="store_true", help="one JSON object a line: plan, kind, text, section, "
                                                           "value, unit, comparator, date, recurrence")
    facts.set_defaults(func=cmd_facts)
    ev = sub.add_parser("eval", help="accuracy on a question set (YAML)")
    ev.add_argument("file")
    ev.set_defaults(func=cmd_eval)
    run = sub.add_parser("run", help="run the Telegram bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="serve WEBHOOK_URL instead of polling")
    run.set_defaults(func=cmd_run)
    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply the database migrations").set_defaults(func=cmd_db_upgrade)
    dump = sub.add_parser("backup", help="write every table to a file (JSON lines; .gz to compress)")
    dump.add_argument("--out", required=True, metavar="FILE")
    dump.set_defaults(func=cmd_backup)
    load = sub.add_parser("restore", help="load a backup into an empty database")
    load.add_argument("file", metavar="FILE")
    load.set_defaults(func=cmd_restore)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal (no Telegram token needed)")
    chat.add_argument("--admin", action="store_true", help="act as an admin of the bot")
    chat.add_argument("--unit", metavar="CODE", help="act as an officer of this unit")
    chat.set_defaults(func=cmd_chat)
    site = sub.add_parser("web", help="serve the office's web page (WEB_BASE_URL, WEB_LISTEN, WEB_PORT)")
    site.add_argument("--login-link", action="store_true",
                      help="print a one-time sign-in link (10 minutes) for the first of BOT_ADMIN_IDS, and exit")
    site.set_defaults(func=cmd_web)
    cli_office.add_parsers(sub)
    cli_admins.add_parsers(sub)
    return root


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
