"""The donor workbook (XLSX): statistics whose small counts are already suppressed.

DTO in, bytes out. ``services.donor_stats.donor_report`` builds the ``DonorReport``; every
count in it is either a number (0 or at least 3) or a marker string ("<3" for a count of 1 or
2, "[c]" for a count hidden so that a "<3" cannot be worked out from a total). Nothing here
sees an exact small count, so nothing here can leak one.

Sheets: "Summary" (the conferences and the headline figures), one sheet per breakdown (counts,
then the same table as shares of the column total) and "Notes" (definitions, date, the
suppression rule). Every text is a string cell, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from smartconf.exports.spreadsheet import ooxml_escape, string_cell

Count = int | str  # a count, or a suppression marker ("<3", "[c]")
Share = float | str | None  # a fraction 0..1, a marker, or None (nothing to divide by)
WORKBOOK_VERSION = "donor/1"
_SHARE_FORMAT = "0.0%"
_LABEL_WIDTH = 34
_VALUE_WIDTH = 16


@dataclass(frozen=True, slots=True)
class DonorRow:
    """One category of a breakdown: its counts per column and their shares."""

    label: str
    counts: tuple[Count, ...]
    shares: tuple[Share, ...] = ()


@dataclass(frozen=True, slots=True)
class DonorTable:
    """A breakdown: categories (rows) by conference (columns, last one the total)."""

    key: str  # "gender", "organisation_kind", ...
    title: str
    counted: str  # whom it counts, one sentence
    columns: tuple[str, ...]
    rows: tuple[DonorRow, ...]
    total: DonorRow | None  # None when the rows do not add up (sectors)
    share_of: str = "the column total"

    def column(self, index: int = -1) -> list[tuple[str, Count]]:
        """(label, count) of every row in column ``index`` (default: the last, the total)."""
        return [(row.label, row.counts[index]) for row in self.rows]


@dataclass(frozen=True, slots=True)
class DonorConference:
    code: str
    title: str
    dates: str
    status: str
    counted_as: str  # "attended" or "accepted, tentative or attended"


@dataclass(frozen=True, slots=True)
class DonorReport:
    """Everything the donor gets, suppressed: summary, breakdowns and notes."""

    title: str
    scope: str  # a conference code, or "all"
    generated_at: datetime  # local wall-clock time, naive
    conferences: tuple[DonorConference, ...]
    summary: DonorTable
    tables: tuple[DonorTable, ...]
    notes: tuple[str, ...]

    def table(self, key: str) -> DonorTable:
        return next(t for t in (self.summary, *self.tables) if t.key == key)


def _text(sheet, text: str, font: Font | None = None) -> WriteOnlyCell:
    return string_cell(sheet, ooxml_escape(text), font)


def _value(sheet, value: Count | Share, *, share: bool = False):
    if value is None:
        return None
    if isinstance(value, str):
        return _text(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    if share:
        cell.number_format = _SHARE_FORMAT
    return cell


def _table_rows(sheet, table: DonorTable, bold: Font, *, shares: bool) -> None:
    sheet.append([_text(sheet, table.title if not shares else
                        f"{table.title}: share of {table.share_of}", bold)])
    sheet.append([_text(sheet, "Category", bold), *(_text(sheet, c, bold)
                                                     for c in table.columns)])
    rows = [*table.rows, *([table.total] if table.total and not shares else [])]
    for row in rows:
        values = row.shares if shares else row.counts
        font = bold if row is table.total else None
        sheet.append([_text(sheet, row.label, font),
                      *(_value(sheet, v, share=shares) for v in values)])


def _breakdown_sheet(workbook: Workbook, table: DonorTable, bold: Font) -> None:
    sheet = workbook.create_sheet(title=table.title[:31])
    _size(sheet, len(table.columns))
    _table_rows(sheet, table, bold, shares=False)
    sheet.append([_text(sheet, table.counted)])
    if any(row.shares for row in table.rows):
        sheet.append([])
        _table_rows(sheet, table, bold, shares=True)


def _size(sheet, columns: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.column_dimensions["A"].width = _LABEL_WIDTH
    for index in range(2, columns + 2):
        sheet.column_dimensions[get_column_letter(index)].width = _VALUE_WIDTH


def _summary_sheet(workbook: Workbook, report: DonorReport, bold: Font) -> None:
    sheet = workbook.create_sheet(title="Summary")
    _size(sheet, max(4, len(report.summary.columns)))
    sheet.append([_text(sheet, report.title, Font(bold=True, size=14))])
    sheet.append([_text(sheet, f"Generated {report.generated_at:%Y-%m-%d %H:%M}; counts "
                               "under 3 are shown as <3 (see Notes).")])
    sheet.append([])
    sheet.append([_text(sheet, h, bold) for h in ("Code", "Conference", "Dates", "Status",
                                                   "Participants are")])
    for c in report.conferences:
        sheet.append([_text(sheet, v) for v in (c.code, c.title, c.dates, c.status,
                                                c.counted_as)])
    sheet.append([])
    _table_rows(sheet, report.summary, bold, shares=False)


def _notes_sheet(workbook: Workbook, report: DonorReport, bold: Font) -> None:
    sheet = workbook.create_sheet(title="Notes")
    sheet.column_dimensions["A"].width = 120
    sheet.append([_text(sheet, "Notes: definitions and suppression", bold)])
    sheet.append([_text(sheet, f"Generated: {report.generated_at:%Y-%m-%d %H:%M} "
                               f"(figures as of that moment)")])
    for note in report.notes:
        sheet.append([_text(sheet, note)])


def write_donor_workbook(report: DonorReport) -> bytes:
    """The report as an XLSX workbook: Summary, one sheet per breakdown, Notes."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = report.title
    workbook.properties.creator = "smartconf"
    workbook.properties.identifier = WORKBOOK_VERSION
    bold = Font(bold=True)
    _summary_sheet(workbook, report, bold)
    for table in report.tables:
        _breakdown_sheet(workbook, table, bold)
    _notes_sheet(workbook, report, bold)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_titles(report: DonorReport) -> Sequence[str]:
    """The sheet names the workbook of ``report`` has, in order."""
    return ["Summary", *(t.title[:31] for t in report.tables), "Notes"]
