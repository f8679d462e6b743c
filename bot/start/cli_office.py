"""`campaign-bot units add|list` and `campaign-bot export`: the compiling office's commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `campaign-bot --help` loads no database, plans or models
    from bot.core.runtime import Runtime
    from bot.reporting.periods import Span

LEVELS = ("tỉnh", "sở", "huyện", "xã", "phòng", "đơn vị")


@contextmanager
def _runtime() -> Iterator[Runtime]:
    from bot.core.config import LocalSettings, load_settings
    from bot.start.boot import make_runtime

    rt = make_runtime(load_settings(LocalSettings))
    try:
        yield rt
    finally:
        rt.db.dispose()


def cmd_units_list(args: argparse.Namespace) -> int:
    from bot.people.units import list_units

    with _runtime() as rt, rt.db.session() as session:
        print(f"{'code':<24} {'plan':<22} {'level':<7} {'parent':<24} name")
        for unit in list_units(session=session):
            parent = unit.parent.code if unit.parent else "-"
            print(f"{unit.code:<24} {unit.plan_id:<22} {unit.level:<7} {parent:<24} {unit.name}")
    return 0


def cmd_units_add(args: argparse.Namespace) -> int:
    from bot.people.units import UnitRejected, add_unit

    with _runtime() as rt:
        try:
            with rt.db.session() as session:
                unit = add_unit(args.code, args.name, plan_id=args.plan, level=args.level, parent_code=args.parent,
                                plans=set(rt.kb.plans), session=session)
                print(f"added {unit.code} ({unit.name}) to plan {unit.plan_id}")
        except UnitRejected as rejected:
            print(f"campaign-bot units add: {rejected}", file=sys.stderr)
            return 2
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.reporting.export import export

    with _runtime() as rt, rt.db.session() as session:
        files = export(args.period, rt.timezone, rt.today(), session=session, kb=rt.kb)
    wanted = next(content for name, content in files.items() if name.endswith(f".{args.format}"))
    if args.out == "-":
        sys.stdout.buffer.write(wanted)
    else:
        Path(args.out).write_bytes(wanted)
        print(f"wrote {args.out} ({len(wanted)} bytes, period {args.period.code})", file=sys.stderr)
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from bot.core.config import LocalSettings, load_settings
    from bot.people.privacy import erase_expired, erase_person

    retention = load_settings(LocalSettings).retention
    with _runtime() as rt, rt.db.session() as session:
        if args.user is not None:
            found = erase_person(args.user, session=session)
            print(f"erased user {args.user}" if found else f"nothing held about user {args.user}")
        elif retention is None:
            print("PERSONAL_DATA_RETENTION_DAYS is 0: personal data is kept until erased on request")
        else:
            count = erase_expired(retention, rt.clock(), session=session)
            print(f"erased {count} people not seen for {retention.days} days")
    return 0


def _period(text: str) -> Span:
    from bot.reporting.periods import parse_period

    span = parse_period(text)
    if span is None:
        raise argparse.ArgumentTypeError(f"unreadable period '{text}': use 2026-H1, 2026-H2 or 2026")
    return span


def add_parsers(sub: argparse._SubParsersAction) -> None:
    units = sub.add_parser("units", help="the units that report (offices, communes…)")
    actions = units.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="list the units").set_defaults(func=cmd_units_list)
    add = actions.add_parser("add", help="add a unit that follows a plan")
    add.add_argument("code", help="short code, e.g. xa-phu-nghia (letters, digits, '-')")
    add.add_argument("--name", required=True, help="full Vietnamese name, e.g. 'UBND xã Phú Nghĩa'")
    add.add_argument("--plan", required=True, help="the plan id the unit follows (see `campaign-bot plans`)")
    add.add_argument("--level", default="xã", choices=LEVELS, help="administrative level (default xã)")
    add.add_argument("--parent", help="code of the parent unit, e.g. huyen-bu-gia-map")
    add.set_defaults(func=cmd_units_add)
    export = sub.add_parser("export", help="the submitted figures of a period, as Excel or CSV")
    export.add_argument("--period", required=True, type=_period, help="2026-H1, 2026-H2 (half-years) or 2026 (a year)")
    export.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    export.add_argument("--out", required=True, help="output file ('-': standard output)")
    export.set_defaults(func=cmd_export)
    erase = sub.add_parser("erase", help="erase personal data: one person on request, or all past retention")
    which = erase.add_mutually_exclusive_group(required=True)
    which.add_argument("--user", type=int, metavar="TELEGRAM_ID", help="the person who asked")
    which.add_argument("--expired", action="store_true", help="people not seen for PERSONAL_DATA_RETENTION_DAYS")
    erase.set_defaults(func=cmd_erase)
