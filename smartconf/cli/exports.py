"""`smartconf export contacts`: the contact list as CSV or XLSX (audited); `export signin`
comes from cli.paper, `export attendees` from cli.reports, `export donor` from cli.donor."""

from __future__ import annotations

import argparse
from pathlib import Path

from smartconf.cli import donor, paper, reports
from smartconf.cli.base import UsageError, actor, open_db, subparsers, write_file
from smartconf.core.enums import Language, OrganisationKind
from smartconf.services.contact_export import FORMATS, export_contacts
from smartconf.services.person_search import PersonFilter
from smartconf.store.session import unit_of_work


def register(commands, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser("export", parents=[common], help="spreadsheets of the data")
    kinds = subparsers(export, "what")
    contacts = kinds.add_parser(
        "contacts", parents=[common], help="contact list (CSV or XLSX)",
        description="Write the persons matching the filters as a spreadsheet, sorted by "
                    "family then given name in the collation of --language. Values that a "
                    "spreadsheet would run as formulas are neutralised. The export is "
                    "recorded in the audit trail.")
    contacts.add_argument("--search", default="", metavar="TEXT",
                          help="words that must occur (names, position, organisation, "
                               "e-mail; case, accents and script do not matter)")
    contacts.add_argument("--kind", action="append", default=[], metavar="KIND",
                          choices=[k.value for k in OrganisationKind],
                          help="organisation kind (repeatable)")
    contacts.add_argument("--country", action="append", default=[], metavar="CC",
                          help="country of the organisation, ISO code such as XK (repeatable)")
    contacts.add_argument("--tag", action="append", default=[], metavar="TAG",
                          help="person tag (repeatable)")
    contacts.add_argument("--sector", action="append", default=[], metavar="SECTOR",
                          help="sector of the organisation (repeatable)")
    contacts.add_argument("--conference", metavar="CODE", help="takes part in this conference")
    contacts.add_argument("--format", choices=FORMATS,
                          help="csv or xlsx (default: from the file name)")
    contacts.add_argument("--delimiter", choices=(",", ";"), default=",",
                          help="CSV delimiter (';' for spreadsheets set to a comma decimal)")
    contacts.add_argument("--language", choices=[lang.value for lang in Language],
                          default="sq", help="sort order: sq, sr or en (default: sq)")
    contacts.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    contacts.set_defaults(handler=cmd_export_contacts)
    paper.register_export(kinds, common)
    reports.register_export(kinds, common)
    donor.register_export(kinds, common)


def output_format(args: argparse.Namespace) -> str:
    """--format, or the file name's extension."""
    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"say --format csv or --format xlsx (cannot tell from "
                         f"'{args.output.name}')")
    return fmt


def cmd_export_contacts(args: argparse.Namespace) -> int:
    fmt = output_format(args)
    criteria = PersonFilter(text=args.search, organisation_kinds=tuple(args.kind),
                            countries=tuple(args.country), tags=tuple(args.tag),
                            sectors=tuple(args.sector), conference=args.conference)
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        data = export_contacts(session, criteria, fmt=fmt, actor=who, language=args.language,
                               delimiter=args.delimiter)
        write_file(args.output, data)
    print(f"Contacts written to {args.output} ({fmt.upper()}).")
    return 0
