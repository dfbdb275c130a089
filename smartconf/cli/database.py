"""`smartconf db upgrade|status|backup` and `smartconf demo`."""

from __future__ import annotations

import argparse

from smartconf.cli.base import actor, open_db, print_json, subparsers
from smartconf.store.session import unit_of_work


def register(commands, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser("demo", parents=[common], help="fill the database with demo data")
    demo_mode = demo.add_mutually_exclusive_group()
    demo_mode.add_argument("--reset", action="store_true", help="replace all existing data")
    demo_mode.add_argument("--if-empty", action="store_true",
                           help="load only into an empty database, else do nothing")
    demo.set_defaults(handler=cmd_demo)

    db = commands.add_parser("db", parents=[common], help="database maintenance")
    actions = subparsers(db, "action")
    for name, handler, text in (
            ("upgrade", cmd_db_upgrade, "migrate to this version (backs SQLite up first)"),
            ("status", cmd_db_status, "show the database and its migration state"),
            ("backup", cmd_db_backup, "online backup of the SQLite database")):
        action = actions.add_parser(name, parents=[common], help=text)
        action.add_argument("--json", action="store_true", help="print JSON")
        action.set_defaults(handler=handler)


def cmd_demo(args: argparse.Namespace) -> int:
    from smartconf.services.demo import has_data, load_demo

    database = open_db(args)
    with unit_of_work(database.sessions, actor(args)) as session:
        if args.if_empty and has_data(session):
            print(f"{database.description} already holds data; left as it is.")
            return 0
        summary = load_demo(session, actor=actor(args), reset=args.reset)
    print(f"Demo data loaded into {database.description}: {summary.conferences} conferences, "
          f"{summary.organisations} organisations, {summary.persons} persons, "
          f"{summary.participants} participants.")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    database = open_db(args, upgrade=False)
    ran = database.upgrade()
    status = database.status()
    if args.json:
        print_json({"database": status.description, "revision": status.current,
                    "upgraded": ran})
    else:
        print(f"{status.description} is at revision {status.current}"
              f"{' (upgraded)' if ran else ' (already up to date)'}.")
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    status = open_db(args, upgrade=False).status()
    if args.json:
        print_json({"database": status.description, "revision": status.current,
                    "head": status.head, "up_to_date": status.up_to_date})
    else:
        state = "up to date" if status.up_to_date else (
            "empty, not created yet" if status.current is None else "needs `smartconf db upgrade`")
        print(f"{status.description}: revision {status.current or '-'} "
              f"(this smartconf: {status.head}), {state}.")
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    target = open_db(args).backup()
    if args.json:
        print_json({"backup": str(target)})
    else:
        print(f"Backup written to {target}")
    return 0
