"""`smartconf duplicates list|merge`: persons recorded twice, and merging them into one.

``list`` shows groups of persons with the same or similar names (ignoring case, diacritics
and script), likely ones first: those sharing an organisation or a phone, or a pair where one
has no organisation. ``merge KEEP_ID MERGE_ID`` moves everything of MERGE_ID (e-mails,
phones, affiliations, history, participations, check-ins...) onto KEEP_ID and deletes
MERGE_ID; the audit trail records it. Exit status 0, or 1 with one line on stderr (unknown
id, same id twice).
"""

from __future__ import annotations

import argparse

from smartconf.cli.base import actor, open_db, print_json, subparsers
from smartconf.services.duplicates import find_duplicates, merge_persons
from smartconf.store.session import read_session, unit_of_work

DESCRIPTION = (
    "List persons recorded more than once (same or similar names, ignoring case, diacritics "
    "and script; likely ones first), and merge two records into one without losing any of "
    "their history.")


def register(commands, common: argparse.ArgumentParser) -> None:
    duplicates = commands.add_parser("duplicates", parents=[common],
                                     help="find and merge duplicate persons",
                                     description=DESCRIPTION)
    actions = subparsers(duplicates, "action")
    listing = actions.add_parser("list", parents=[common], help="list likely duplicates")
    listing.add_argument("--limit", type=int, metavar="N", help="at most N groups")
    listing.add_argument("--json", action="store_true", help="print a JSON list of groups")
    listing.set_defaults(handler=cmd_duplicates_list)
    merge = actions.add_parser("merge", parents=[common],
                               help="merge person MERGE_ID into person KEEP_ID")
    merge.add_argument("keep_id", type=int, metavar="KEEP_ID", help="the person who stays")
    merge.add_argument("merge_id", type=int, metavar="MERGE_ID",
                       help="the person merged into KEEP_ID and then deleted")
    merge.add_argument("--json", action="store_true", help="print what moved as JSON")
    merge.set_defaults(handler=cmd_duplicates_merge)


def cmd_duplicates_list(args: argparse.Namespace) -> int:
    database = open_db(args)
    try:
        with read_session(database.sessions) as session:
            groups = find_duplicates(session, limit=args.limit)
    finally:
        database.dispose()
    if args.json:
        print_json([g.as_json() for g in groups])
        return 0
    if not groups:
        print("No likely duplicates.")
    for group in groups:
        print(f"{group.confidence} ({', '.join(group.reasons)}):")
        for member in group.members:
            details = "; ".join(p for p in (", ".join(member.organisations),
                                            ", ".join(member.emails)) if p)
            print(f"  #{member.person_id} {member.name}" + (f"  ({details})" if details else ""))
    return 0


def cmd_duplicates_merge(args: argparse.Namespace) -> int:
    who = actor(args)
    database = open_db(args)
    try:
        with unit_of_work(database.sessions, who) as session:
            result = merge_persons(session, args.keep_id, args.merge_id, actor=who)
    finally:
        database.dispose()
    if args.json:
        print_json(result.as_json())
        return 0
    moved = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in result.moved.items() if n)
    print(f"Merged #{result.merged_id} {result.merged_name} into #{result.keep_id}"
          + (f": moved {moved}." if moved else "."))
    return 0
