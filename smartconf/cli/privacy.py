"""`smartconf privacy export|erase` (data protection) and `smartconf audit` (the trail)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from smartconf.cli.base import actor, open_db, print_json, subparsers, write_file
from smartconf.core.errors import SmartconfError
from smartconf.services.persons import get_person
from smartconf.services.privacy import (
    AuditRow,
    audit_trail,
    checkpoint_after_erasure,
    erase_person,
    subject_access_export,
    subject_access_pdf,
)
from smartconf.store.session import read_session, unit_of_work

REPORT_SUFFIXES = (".json", ".pdf")
CONFIRMATION = "erase"


def register(commands, common: argparse.ArgumentParser) -> None:
    privacy = commands.add_parser("privacy", parents=[common],
                                  help="data protection: subject access and erasure")
    actions = subparsers(privacy, "action")
    export = actions.add_parser(
        "export", parents=[common], help="everything held on one person (JSON or PDF)",
        description="Subject access: write everything smartconf holds on one person. The "
                    "export is recorded in the audit trail.")
    export.add_argument("person_id", type=int, metavar="PERSON_ID")
    export.add_argument("-o", "--output", required=True, type=_report_path,
                        metavar="FILE.json|FILE.pdf")
    export.set_defaults(handler=cmd_privacy_export)

    erase = actions.add_parser(
        "erase", parents=[common], help="anonymise one person for good",
        description="Erasure: remove the person's names, contact details and notes from the "
                    "whole database, keeping anonymous counts (participations, check-ins) "
                    "for statistics. Cannot be undone. Backups taken earlier still hold the "
                    "data until they are rotated out.")
    erase.add_argument("person_id", type=int, metavar="PERSON_ID")
    erase.add_argument("--reason", required=True, metavar="TEXT",
                       help="why (recorded in the audit trail, without personal data)")
    erase.add_argument("--yes", action="store_true",
                       help="do not ask for confirmation (needed when not on a terminal)")
    erase.set_defaults(handler=cmd_privacy_erase)

    audit = commands.add_parser(
        "audit", parents=[common], help="show the audit trail",
        description="Who did what to which record, newest first. With --user NAME, only what "
                    "NAME did (reading the trail needs no acting user).")
    audit.add_argument("--entity", metavar="TABLE", help="kind of record, e.g. person")
    audit.add_argument("--id", dest="entity_id", metavar="N", help="id of the record")
    audit.add_argument("--limit", type=int, default=500, metavar="N",
                       help="at most N events (default 500)")
    audit.add_argument("--json", action="store_true", help="print a JSON list")
    audit.set_defaults(handler=cmd_audit)


def _report_path(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise argparse.ArgumentTypeError(f"'{text}' must end in .json or .pdf")
    return path


def cmd_privacy_export(args: argparse.Namespace) -> int:
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        if args.output.suffix.lower() == ".pdf":
            data = subject_access_pdf(session, args.person_id, actor=who)
        else:
            report = subject_access_export(session, args.person_id, actor=who)
            data = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
        write_file(args.output, data)
    print(f"Everything held on person #{args.person_id} written to {args.output}")
    return 0


def _confirmed(args: argparse.Namespace, name: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise SmartconfError("Erasure cannot be undone and needs a confirmation.",
                             hint="Run it on a terminal, or add --yes.")
    answer = input(f"Erase {name} (person #{args.person_id}) for good? This cannot be undone. "
                   f"Type '{CONFIRMATION}' to go on: ")
    return answer.strip().lower() == CONFIRMATION


def cmd_privacy_erase(args: argparse.Namespace) -> int:
    who = actor(args)
    database = open_db(args)
    with read_session(database.sessions) as session:
        name = get_person(session, args.person_id).full_name
    if not _confirmed(args, name):
        print("Nothing erased.")
        return 1
    with unit_of_work(database.sessions, who) as session:
        erase_person(session, args.person_id, actor=who, reason=args.reason)
    checkpoint_after_erasure(database.engine)
    print(f"Person #{args.person_id} erased. Backups taken before now still hold the data "
          "until they are rotated out.")
    return 0


def describe_event(row: AuditRow) -> str:
    """One line for people: "2027-03-16 08:14 arta update person#12: position"."""
    target = f"{row.entity}#{row.entity_id}" if row.entity_id else row.entity
    detail = row.summary or ", ".join(sorted(row.changes or {}))
    return f"{row.occurred_at:%Y-%m-%d %H:%M} {row.actor} {row.action} {target}" + \
        (f": {detail}" if detail else "")


def cmd_audit(args: argparse.Namespace) -> int:
    with read_session(open_db(args).sessions) as session:
        rows = audit_trail(session, entity=args.entity, entity_id=args.entity_id,
                           actor=args.user, limit=args.limit)
    if args.json:
        print_json([row.as_json() for row in rows])
        return 0
    if not rows:
        print("No audit events match.")
    for row in rows:
        print(describe_event(row))
    return 0
