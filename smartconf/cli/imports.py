"""`smartconf import contacts|participants FILE`: persons from a CSV, XLSX or vCard file.

The columns are recognised by their names (English, Albanian, Serbian; see
``services.import_mapping``). Every row is checked first. Rows with errors are reported and
never written; the valid rows are written only when no row has an error, unless
``--skip-invalid`` is given. A row that is probably someone already in the database (same
e-mail, or a similar name in the same organisation) is skipped and reported; for
participants, a person found by e-mail joins the conference as they are. ``--dry-run``
reports what would happen and writes nothing. Writing is all or nothing.

Exit status: 0 whenever the file could be read (the report says what was written, or why
nothing was); 1 with one line on stderr when the file cannot be read at all (missing, too big,
binary, not UTF-8/Windows-1250/Windows-1252 text, ragged rows, broken vCard, no name columns)
or the conference is unknown; 2 for wrong usage. ``--json`` prints the report object.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartconf.cli.base import actor, open_db, print_json, subparsers
from smartconf.core.progress import Progress
from smartconf.services.conferences import get_conference
from smartconf.services.contact_import import (
    ImportReport,
    import_contacts,
    import_participants,
    run_job,
)
from smartconf.services.import_mapping import FIELDS, ColumnMapping, suggest_mapping
from smartconf.services.import_readers import SourceTable, read_table
from smartconf.store.session import unit_of_work

DESCRIPTION = (
    "Import persons from a CSV (UTF-8, Windows-1250 or Windows-1252; comma, semicolon or tab), "
    "XLSX or vCard file; columns are recognised by their names in English, Albanian or "
    "Serbian. Rows with errors are reported and never written; the other rows are written "
    "only when no row has an error, unless --skip-invalid is given. Likely duplicates are "
    "skipped and reported. Exit status 0 when the file could be read (the report says what "
    "was written), 1 when it cannot be read at all.")
SHOWN = 20  # errors and duplicates listed in the text report (all of them in --json)
PROGRESS_FROM_ROWS = 1000
_HOW_SURE = {"certain": "certainly", "likely": "probably"}


def register(commands, common: argparse.ArgumentParser) -> None:
    importing = commands.add_parser(
        "import", parents=[common], help="import contacts or participants from a file",
        description=DESCRIPTION)
    actions = subparsers(importing, "what")
    contacts = actions.add_parser("contacts", parents=[common],
                                  help="persons into the stakeholder CRM")
    _file_options(contacts)
    contacts.set_defaults(handler=cmd_import_contacts)
    participants = actions.add_parser(
        "participants", parents=[common],
        help="persons into the CRM and onto a conference (columns role and status)")
    participants.add_argument("--conference", required=True, metavar="CODE")
    _file_options(participants)
    participants.set_defaults(handler=cmd_import_participants)


def _file_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE",
                        help="CSV (UTF-8, Windows-1250 or -1252; , ; or tab), XLSX or vCard")
    parser.add_argument("--dry-run", action="store_true",
                        help="check every row and report; write nothing")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="write the valid rows even when other rows have errors")
    parser.add_argument("--sheet", metavar="NAME", help="XLSX: the worksheet (default: first)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def cmd_import_contacts(args: argparse.Namespace) -> int:
    return _run(args, conference_code=None)


def cmd_import_participants(args: argparse.Namespace) -> int:
    return _run(args, conference_code=args.conference)


def _run(args: argparse.Namespace, conference_code: str | None) -> int:
    table = read_table(args.file, sheet=args.sheet)
    mapping = suggest_mapping(table.headers)
    mapping.check()
    show = _progress_printer(len(table.rows))
    database = open_db(args)
    try:
        report = _import(args, database, table, mapping, conference_code, show)
    finally:
        database.dispose()
        if show is not None:
            print(file=sys.stderr)
    if args.json:
        print_json({**report.as_json(), "mapping": mapping.columns})
    else:
        print("\n".join(describe_report(report, table, mapping)))
    return 0


def _import(args: argparse.Namespace, database, table: SourceTable, mapping: ColumnMapping,
            conference_code: str | None, show) -> ImportReport:
    who = actor(args)
    options = {"actor": who, "dry_run": args.dry_run, "skip_invalid": args.skip_invalid}
    with unit_of_work(database.sessions, who) as session:
        if conference_code is None:
            job = import_contacts(session, table, mapping, **options)
        else:
            conference = get_conference(session, conference_code)
            job = import_participants(session, table, mapping, conference, **options)
        return run_job(job, show)


def _progress_printer(rows: int):
    """A progress line on stderr for big files, when stderr is a terminal."""
    if rows < PROGRESS_FROM_ROWS or not sys.stderr.isatty():
        return None

    def show(progress: Progress) -> None:
        print(f"\r{progress.message}: {progress.done:,}/{progress.total:,}  ", end="",
              file=sys.stderr, flush=True)

    return show


def describe_report(report: ImportReport, table: SourceTable,
                    mapping: ColumnMapping) -> list[str]:
    """The report for people, one line each."""
    used = [f"{h} -> {FIELDS[f]}" for h, f in mapping.columns.items() if f]
    ignored = [h for h, f in mapping.columns.items() if not f]
    lines = [f"{table.description}: {report.rows} rows.", "Columns: " + "; ".join(used)
             + (f" (ignored: {', '.join(ignored)})" if ignored else "")]
    skipped = (f"{report.skipped} ({report.invalid} with errors, {len(report.duplicates)} "
               "duplicates)")
    if report.written:
        lines.append(f"Created {report.created}, updated {report.updated}, kept "
                     f"{report.linked} as they are, skipped {skipped}.")
    else:
        lines.append(f"Would create {report.created}, update {report.updated}, keep "
                     f"{report.linked} as they are, skip {skipped}.")
    if report.conference:
        lines.append(f"{report.conference}: {report.participants_added} participants added, "
                     f"{report.participants_updated} updated, {report.badges_issued} badge "
                     "codes issued.")
    for org in report.organisations_created:
        lines.append(f"New organisation: {org['name']} ({org['kind']}, {org['country']}).")
    lines += _listed("Errors", [str(e) for e in report.errors])
    lines += _listed("Duplicates", [
        f"row {d['row']}: {d['name']} is {_HOW_SURE[d['confidence']]} {d['target']} "
        f"({d['reason']}): {d['decision']}" for d in report.duplicates])
    lines.append(_outcome(report))
    return lines


def _listed(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    more = [f"  ... and {len(items) - SHOWN} more (see --json)"] if len(items) > SHOWN else []
    return [f"{title}:", *(f"  {item}" for item in items[:SHOWN]), *more]


def _outcome(report: ImportReport) -> str:
    if report.written:
        return "Written."
    if report.not_written_because == "invalid_rows":
        return (f"Nothing was written: {report.invalid} row(s) have errors. Fix them, or use "
                "--skip-invalid to import the valid rows.")
    if report.not_written_because == "write_error":
        return "Nothing was written: a row was refused while writing (see Errors)."
    return "Dry run: nothing was written."
