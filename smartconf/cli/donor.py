"""`smartconf export donor`: donor statistics as an XLSX workbook (and PNG charts), small
counts suppressed; added to the `export` group of cli.exports."""

from __future__ import annotations

import argparse
from pathlib import Path

from smartconf.cli.base import UsageError, actor, open_db, write_file
from smartconf.core.errors import SmartconfError
from smartconf.store.session import unit_of_work


def register_export(kinds, common: argparse.ArgumentParser) -> None:
    """`smartconf export donor`, added to the `export` group of cli.exports."""
    donor = kinds.add_parser(
        "donor", parents=[common], help="donor statistics workbook (XLSX) and charts (PNG)",
        description="Write the donor statistics of one conference or of all: participants and "
                    "unique individuals, by gender, organisation kind, sector, country and "
                    "role, women among speakers and the attendance rate. Counts of 1 or 2 are "
                    "shown as <3, and further cells are hidden ([c]) so that none can be "
                    "worked out from a total; the Notes sheet gives the definitions. The "
                    "export is recorded in the audit trail.")
    donor.add_argument("--conference", required=True, metavar="CODE|all")
    donor.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx")
    donor.add_argument("--charts", type=Path, metavar="DIR",
                       help="also write one PNG bar chart (1600x900) per breakdown here")
    donor.set_defaults(handler=cmd_export_donor)


def cmd_export_donor(args: argparse.Namespace) -> int:
    from smartconf.services.donor_stats import export_donor  # openpyxl, Pillow: load lazily

    if args.output.suffix.lower() != ".xlsx":
        raise UsageError(f"the donor workbook is an .xlsx file, not '{args.output.name}'")
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        export = export_donor(session, args.conference, actor=who,
                              charts=args.charts is not None)
        write_file(args.output, export.workbook)
        if args.charts is not None:
            _write_charts(args.charts, export.charts)
    print(f"Donor workbook written to {args.output}")
    for line in _summary_lines(export.report):
        print(line)
    if args.charts is not None:
        print(f"{len(export.charts)} charts written to {args.charts}")
    return 0


def _write_charts(folder: Path, charts: dict[str, bytes]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SmartconfError(f"Cannot create {folder} ({exc.strerror or exc}).") from exc
    for name, png in charts.items():
        write_file(folder / name, png)


def _summary_lines(report) -> list[str]:
    """The headline figures as published (suppressed), one line per conference column."""
    summary = report.summary
    participants, unique = summary.rows
    lines = [f"  {column}: {p} participant(s)" for column, p in
             zip(summary.columns, participants.counts, strict=True)]
    lines.append(f"  unique individuals: {unique.counts[-1]}")
    speakers = report.table("speakers")
    female = speakers.rows[0]
    share = female.shares[-1]
    shown = f"{share:.0%}" if isinstance(share, float) else (share or "-")
    lines.append(f"  women among speakers: {female.counts[-1]} of "
                 f"{speakers.total.counts[-1]} ({shown})")
    return lines
