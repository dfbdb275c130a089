"""The desk's paper fallback: `smartconf export signin` and `smartconf checkin-paper`."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from smartconf.cli.base import UsageError, actor, open_db, print_json, write_file
from smartconf.cli.desk import describe_verdict
from smartconf.core.enums import ADMISSIBLE, Language
from smartconf.services.conferences import get_conference
from smartconf.store.session import unit_of_work


def register(commands, common: argparse.ArgumentParser) -> None:
    paper = commands.add_parser(
        "checkin-paper", parents=[common], help="enter the row codes of a signed sign-in sheet",
        description="Check in, with method 'paper', everyone whose row code is given (from the "
                    "sign-in sheet of `smartconf export signin`). Entering a sheet twice admits "
                    "nobody twice; a mistyped code is rejected with the reason. Exit code 0 "
                    "whenever every code got a verdict.")
    paper.add_argument("--conference", required=True, metavar="CODE")
    paper.add_argument("--desk", required=True, metavar="NAME",
                       help="recorded as the desk of these check-ins (e.g. 'paper, door B')")
    paper.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'",
                       help="when they signed, in the conference's time zone (default: now)")
    paper.add_argument("--json", action="store_true",
                       help="print one JSON object: admitted, already, rejected")
    paper.add_argument("codes", nargs="+", metavar="ROW-CODE")
    paper.set_defaults(handler=cmd_checkin_paper)


def register_export(kinds, common: argparse.ArgumentParser) -> None:
    """`smartconf export signin`, added to the `export` group of cli.exports."""
    signin = kinds.add_parser(
        "signin", parents=[common], help="sign-in sheet PDF for the desk's paper fallback",
        description="Write the sign-in sheet of a conference: row code, name, organisation, "
                    "role and a signature box per expected participant, sorted by family then "
                    "given name in the collation of --language, with empty rows for walk-ins. "
                    "No e-mail or phone is printed. The export is recorded in the audit trail.")
    signin.add_argument("--conference", required=True, metavar="CODE")
    signin.add_argument("--language", choices=[lang.value for lang in Language], default="sq",
                        help="headings and sort order: sq, sr or en (default: sq)")
    signin.add_argument("--status", action="extend", nargs="+", default=[], metavar="S",
                        choices=sorted(s.value for s in ADMISSIBLE),
                        help="only participants with these statuses (default: all that the "
                             "desk admits)")
    signin.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    signin.set_defaults(handler=cmd_export_signin)


def cmd_export_signin(args: argparse.Namespace) -> int:
    from smartconf.services.paper import signin_sheet_pdf  # ReportLab: load lazily

    who = actor(args)
    database = open_db(args)
    try:
        with unit_of_work(database.sessions, who) as session:
            conference = get_conference(session, args.conference)
            pdf = signin_sheet_pdf(session, conference, language=args.language,
                                   statuses=args.status, actor=who)
            write_file(args.output, pdf)
    finally:
        database.dispose()
    print(f"Sign-in sheet written to {args.output}")
    return 0


def cmd_checkin_paper(args: argparse.Namespace) -> int:
    from smartconf.services.paper import enter_paper_checkins

    who = actor(args)
    database = open_db(args)
    try:
        with unit_of_work(database.sessions, who) as session:
            conference = get_conference(session, args.conference)
            at = _signed_at(args.at, conference.timezone)
            report = enter_paper_checkins(session, conference, args.codes, desk=args.desk,
                                          actor=who, at=at)
            timezone = conference.timezone
    finally:
        database.dispose()
    if args.json:
        print_json(report.as_json())
        return 0
    for entry in [*report.admitted, *report.already]:
        print(f"{entry.code}  {describe_verdict(entry.result, timezone)}")
    for code, reason in report.rejected:
        print(f"{code}  REJECTED: {reason}")
    print(f"{len(report.admitted)} admitted, {len(report.already)} already checked in, "
          f"{len(report.rejected)} rejected")
    return 0


def _signed_at(text: str | None, timezone: str) -> datetime | None:
    """--at read as a wall-clock time in the conference's zone."""
    if text is None:
        return None
    try:
        local = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--at: '{text}' is not a date and time like '2027-03-16 09:30'") \
            from None
    return local if local.tzinfo else local.replace(tzinfo=ZoneInfo(timezone))
