"""`smartconf conferences list`."""

from __future__ import annotations

import argparse

from smartconf.cli.base import open_db, print_json, subparsers
from smartconf.services.conferences import list_conferences
from smartconf.store.session import read_session


def register(commands, common: argparse.ArgumentParser) -> None:
    conferences = commands.add_parser("conferences", parents=[common], help="conferences")
    actions = subparsers(conferences, "action")
    listing = actions.add_parser("list", parents=[common], help="list the conferences")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=cmd_conferences_list)


def cmd_conferences_list(args: argparse.Namespace) -> int:
    with read_session(open_db(args).sessions) as session:
        rows = list_conferences(session)
    if args.json:
        print_json([row.as_json() for row in rows])
        return 0
    if not rows:
        print("No conferences yet (try `smartconf demo`).")
    for row in rows:
        print(f"{row.code:<14} {row.starts_at:%Y-%m-%d}  {row.title}  ({row.venue}; "
              f"{row.participants} participants)")
    return 0
