"""The outcome report as a Word document (python-docx): the same OutcomeReportDocument and
the same layout as the PDF (exports.outcome_report), editable by the team before it goes to
the donor. Text is Unicode throughout, so names stay as written in any script."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt, RGBColor

from smartconf.exports.outcome_report import (
    COMMITMENT_HEADERS,
    NO_COMMITMENTS,
    OTHER_OUTCOMES,
    OutcomeReportDocument,
    ReportSession,
    commitment_cells,
    dates_line,
    outcome_meta,
    people_lines,
    session_time,
)

_MUTED = RGBColor(0x5A, 0x65, 0x70)


def render_outcome_docx(document: OutcomeReportDocument) -> bytes:
    """The outcome report as DOCX bytes."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    doc.core_properties.title = f"{document.title} — Outcome report"
    doc.core_properties.author = document.organiser or "smartconf"
    doc.core_properties.subject = document.code
    doc.styles["Normal"].font.size = Pt(10)
    _title_page(doc, document)
    doc.add_heading("Sessions", level=1)
    for item in document.sessions:
        _session(doc, item)
    doc.add_heading("Commitments", level=1)
    _commitments(doc, document)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _muted(paragraph, text: str, size: float = 8.5) -> None:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.color.rgb = _MUTED


def _title_page(doc, document: OutcomeReportDocument) -> None:
    _muted(doc.add_paragraph(), "OUTCOME REPORT", 10)
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(dates_line(document))
    if document.organiser:
        doc.add_paragraph(f"Organised by {document.organiser}")
    if document.reports:
        doc.add_heading("Reports presented", level=3)
        for report in document.reports:
            doc.add_paragraph(report, style="List Bullet")
    last = doc.add_paragraph()
    _muted(last, f"Times in {document.timezone}. Generated "
                 f"{document.generated_at:%Y-%m-%d %H:%M} by smartconf.")
    last.add_run().add_break(WD_BREAK.PAGE)


def _session(doc, item: ReportSession) -> None:
    doc.add_heading(item.title, level=2)
    _muted(doc.add_paragraph(), " · ".join(p for p in (session_time(item), item.room) if p), 9)
    for label, names in people_lines(item):
        paragraph = doc.add_paragraph()
        _muted(paragraph, f"{label}: ", 10)
        paragraph.add_run(names)
    if item.findings:
        doc.add_heading("Findings presented", level=3)
        for finding in item.findings:
            paragraph = doc.add_paragraph(style="List Bullet")
            paragraph.add_run(finding.label).bold = True
            paragraph.add_run(f" {finding.text}")
    for group in item.groups:
        doc.add_heading(f"Outcomes on {group.finding.label}" if group.finding
                        else OTHER_OUTCOMES, level=3)
        for line in group.outcomes:
            paragraph = doc.add_paragraph(line.text, style="List Bullet")
            paragraph.add_run().add_break()
            _muted(paragraph, outcome_meta(line))


def _commitments(doc, document: OutcomeReportDocument) -> None:
    if not document.commitments:
        doc.add_paragraph(NO_COMMITMENTS)
        return
    table = doc.add_table(rows=1, cols=len(COMMITMENT_HEADERS))
    table.style = "Light Grid Accent 1"
    for cell, header in zip(table.rows[0].cells, COMMITMENT_HEADERS, strict=True):
        cell.text = header
    for item in document.commitments:
        cells = table.add_row().cells
        for cell, value in zip(cells, commitment_cells(item), strict=True):
            cell.text = value
        _muted(cells[0].add_paragraph(), item.session, 7.5)


__all__ = ["render_outcome_docx"]
