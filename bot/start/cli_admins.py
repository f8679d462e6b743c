"""`campaign-bot admins list|add|remove`: the admins of a unit and its sub-units, as /quantri keeps them."""

from __future__ import annotations

import argparse
import sys

from bot.start.cli_office import _runtime

SUPER = 0  # appointed from the server's command line: no Telegram user did it


def cmd_list(args: argparse.Namespace) -> int:
    from bot.people import admins

    with _runtime() as rt, rt.db.session() as session:
        print("super-admins: BOT_ADMIN_IDS of the bot's settings; appointed admins (telegram id, unit):")
        for row in admins.appointments(session=session):
            print(f"{row.person_id:<16} {row.unit.code:<24} {row.unit.name}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from bot.people import admins
    from bot.people.units import unit_by_code

    with _runtime() as rt, rt.db.session() as session:
        unit = unit_by_code(args.unit, session=session)
        if unit is None:
            print(f"campaign-bot admins add: unknown unit '{args.unit}' (see `campaign-bot units list`)",
                  file=sys.stderr)
            return 2
        new = admins.appoint(args.user, unit, SUPER, rt.clock(), session=session)
        print(f"{args.user} {'now administers' if new else 'already administered'} {unit.code} and its sub-units")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from bot.people import admins
    from bot.people.units import unit_by_code

    with _runtime() as rt, rt.db.session() as session:
        unit = unit_by_code(args.unit, session=session) if args.unit else None
        if args.unit and unit is None:
            print(f"campaign-bot admins remove: unknown unit '{args.unit}'", file=sys.stderr)
            return 2
        count = admins.dismiss(args.user, unit, session=session)
        print(f"removed {count} appointment(s) of {args.user}")
    return 0 if count else 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("admins", help="admins of a unit and its sub-units (BOT_ADMIN_IDS are super-admins)")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="list super-admins and appointed admins").set_defaults(func=cmd_list)
    add = actions.add_parser("add", help="appoint an admin of a unit and its sub-units")
    add.add_argument("user", type=int, metavar="TELEGRAM_ID")
    add.add_argument("unit", help="unit code, e.g. huyen-bu-gia-map")
    add.set_defaults(func=cmd_add)
    remove = actions.add_parser("remove", help="dismiss an admin (of one unit, or of all)")
    remove.add_argument("user", type=int, metavar="TELEGRAM_ID")
    remove.add_argument("unit", nargs="?", help="unit code (default: every unit)")
    remove.set_defaults(func=cmd_remove)
