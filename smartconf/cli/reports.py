"""`smartconf report outcomes` (the outcome report, PDF or DOCX) and `smartconf export
attendees` (attendee lists, added to the `export` group of cli.exports)."""

from __future__ import annotations

import argparse
from pathlib import Path

from smartconf.cli.base import UsageError, actor, open_db, subparsers, write_file
from smartconf.core.enums import Language, ParticipantRole, ParticipantStatus
from smartconf.services.attendee_export import (
    COLUMNS,
    FORMATS,
    PRESETS,
    Purpose,
    attendee_options,
    export_attendees,
)
from smartconf.services.conferences import get_conference
from smartconf.store.session import unit_of_work


def register(commands, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser("report", parents=[common], help="reports for the donor")
    kinds = subparsers(report, "what")
    outcomes = kinds.add_parser(
        "outcomes", parents=[common], help="outcome report of a conference (PDF or DOCX)",
        description="Write the outcome report of a conference: per session the time, room, "
                    "moderator and speakers, the findings presented and the outcomes grouped "
                    "by finding, then the commitments with owners and due dates. PDF or DOCX "
                    "from the file name. The export is recorded in the audit trail.")
    outcomes.add_argument("--conference", required=True, metavar="CODE")
    outcomes.add_argument("-o", "--output", required=True, type=Path,
                          metavar="FILE.pdf|FILE.docx")
    outcomes.set_defaults(handler=cmd_report_outcomes)


def register_export(kinds, common: argparse.ArgumentParser) -> None:
    """`smartconf export attendees`, added to the `export` group of cli.exports."""
    attendees = kinds.add_parser(
        "attendees", parents=[common], help="attendee list (CSV, XLSX or PDF)",
        description="Write the participants of a conference, sorted by family then given name "
                    "in the collation of --language. --purpose decides who is on it: "
                    "participant_list (only persons who consented to being listed), donor "
                    "(only persons who consented to sharing with the donor) or internal (staff "
                    "use: everyone). Persons left out for lack of consent are counted. The "
                    "export is recorded in the audit trail with its purpose.")
    attendees.add_argument("--conference", required=True, metavar="CODE")
    attendees.add_argument("--list", choices=sorted(PRESETS), dest="preset",
                           help="press: accredited press with contacts; security: everyone "
                                "admissible with ID-relevant columns (both internal)")
    attendees.add_argument("--status", action="extend", nargs="+", default=[], metavar="S",
                           choices=[s.value for s in ParticipantStatus],
                           help="only these statuses (default: accepted, tentative, attended)")
    attendees.add_argument("--role", action="extend", nargs="+", default=[], metavar="R",
                           choices=[r.value for r in ParticipantRole],
                           help="only these roles (default: all)")
    attendees.add_argument("--purpose", choices=[p.value for p in Purpose],
                           help="participant_list (default), donor or internal")
    attendees.add_argument("--columns", metavar="C,C,...",
                           help=f"columns, of: {', '.join(COLUMNS)}")
    attendees.add_argument("--language", choices=[lang.value for lang in Language],
                           default="sq", help="sort order: sq, sr or en (default: sq)")
    attendees.add_argument("--format", choices=FORMATS,
                           help="csv, xlsx or pdf (default: from the file name)")
    attendees.add_argument("--delimiter", choices=(",", ";"), default=",",
                           help="CSV delimiter")
    attendees.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    attendees.set_defaults(handler=cmd_export_attendees)


def _format(args: argparse.Namespace, allowed: tuple[str, ...]) -> str:
    fmt = (getattr(args, "format", None) or args.output.suffix).lower().lstrip(".")
    if fmt not in allowed:
        raise UsageError(f"cannot tell the format from '{args.output.name}': say "
                         f"{' or '.join(allowed)}")
    return fmt


def cmd_report_outcomes(args: argparse.Namespace) -> int:
    from smartconf.services.outcome_report import FORMATS as REPORT_FORMATS
    from smartconf.services.outcome_report import export_outcome_report

    fmt = _format(args, REPORT_FORMATS)
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        conference = get_conference(session, args.conference)
        write_file(args.output, export_outcome_report(session, conference, fmt=fmt, actor=who))
    print(f"Outcome report written to {args.output}")
    return 0


def cmd_export_attendees(args: argparse.Namespace) -> int:
    fmt = _format(args, FORMATS)
    columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
    options = attendee_options(columns=columns, statuses=args.status, roles=args.role,
                               purpose=args.purpose, language=args.language,
                               preset=args.preset)
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        conference = get_conference(session, args.conference)
        result = export_attendees(session, conference, options, fmt=fmt, actor=who,
                                  delimiter=args.delimiter)
        write_file(args.output, result.data)
    print(f"{result.summary()} to {args.output} ({fmt.upper()}, purpose "
          f"{result.purpose.value}).")
    return 0
