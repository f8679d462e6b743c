"""`campaign-bot units add|list|import` and `campaign-bot export`: the compiling office's commands."""

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
        _unit_line("code", "plan", "level", "parent", "name")
        for unit in list_units(session=session):
            _unit_line(unit.code, unit.plan_id, unit.level, unit.parent.code if unit.parent else "", unit.name)
    return 0


def _unit_line(code: str, plan: str, level: str, parent: str, name: str) -> None:
    print(f"{code:<24} {plan:<22} {level:<7} {parent or '-':<24} {name}")


def cmd_units_import(args: argparse.Namespace) -> int:
    """`units import FILE [--yes]`: every row checked and shown, every error with its row; stored only with
    --yes and when no row has an error (the web page's import, bot/people/roster.py)."""
    from bot.people import roster

    try:
        rows = roster.read_rows(args.file.name, args.file.read_bytes())
    except OSError as exc:
        return _import_failed(f"cannot read {args.file}: {exc.strerror}")
    except roster.FileUnreadable as exc:
        return _import_failed(str(exc))
    with _runtime() as rt, rt.db.session() as session:
        preview = roster.check_units(rows, set(rt.kb.plans), session=session)
        if preview.errors:
            print(f"✘ {len(preview.errors)} lỗi, chưa lưu gì / {len(preview.errors)} errors, nothing stored:")
            print("\n".join(f"  {error}" for error in preview.errors))
            return _import_failed("sửa các dòng trên trong tệp rồi chạy lại / fix these rows and run again", 1)
        _unit_line("code", "plan", "level", "parent", "name")
        for row in preview.rows:
            _unit_line(row.code, row.plan_id, row.level, row.parent, row.name)
        if not args.yes:
            print(f"(chưa lưu {len(preview.rows)} đơn vị: chạy lại với --yes để lưu / not stored: add --yes to store "
                  "them)", file=sys.stderr)
            return 0
        stored = roster.store_units(preview, session=session)
    print(f"đã lưu {len(stored)} đơn vị / stored {len(stored)} units", file=sys.stderr)
    return 0


def _import_failed(message: str, code: int = 2) -> int:
    print(f"campaign-bot units import: {message}", file=sys.stderr)
    return code


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
    load = actions.add_parser("import", help="add units from a spreadsheet: every row checked first, stored with --yes")
    load.add_argument("file", type=Path, help=".xlsx or .csv with the columns code, name, plan, level, parent "
                                            "(Vietnamese headers too: mã, tên, kế hoạch, cấp, cấp trên)")
    load.add_argument("--yes", action="store_true", help="store the units once no row has an error")
    load.set_defaults(func=cmd_units_import)
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
