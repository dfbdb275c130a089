"""The outcome report of a conference as a PDF: OutcomeReportDocument in, PDF bytes out.

A4 portrait. A title page (conference, dates, venue, organiser and the research reports
presented), then one section per agenda session (time, room, moderators, speakers and
rapporteurs; the findings presented, "R2-F3" and their text; the outcomes grouped by the
finding they answer, those answering none under "Other outcomes"), then the commitments
table (text, committed by, owner, due date, status). Headings are in English (the donor's
language); content stays as written. DejaVu Sans is embedded, so names print in any script.
``exports.outcome_docx`` renders the same document as DOCX.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)
from reportlab.platypus.tables import TableStyle

from smartconf.core.enums import OutcomeKind, OutcomeStatus
from smartconf.exports.agenda_pdf import range_label
from smartconf.exports.fonts import register_fonts

OTHER_OUTCOMES = "Other outcomes"
NO_COMMITMENTS = "No commitments were recorded."
KIND_LABELS = {
    OutcomeKind.RECOMMENDATION: "Recommendation",
    OutcomeKind.COMMITMENT: "Commitment",
    OutcomeKind.ACTION: "Action",
    OutcomeKind.KEY_POINT: "Key point",
    OutcomeKind.DISAGREEMENT: "Disagreement",
}
STATUS_LABELS = {
    OutcomeStatus.OPEN: "Open",
    OutcomeStatus.IN_PROGRESS: "In progress",
    OutcomeStatus.DONE: "Done",
    OutcomeStatus.DROPPED: "Dropped",
}
COMMITMENT_HEADERS = ("Commitment", "Committed by", "Owner", "Due", "Status")


@dataclass(frozen=True, slots=True)
class FindingRef:
    label: str  # "R2-F3"
    text: str


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    kind: OutcomeKind
    text: str
    committed_by: str  # "Name (Organisation)", "" when nobody
    owner: str  # on the team
    due_on: date | None
    status: OutcomeStatus


@dataclass(frozen=True, slots=True)
class OutcomeGroup:
    """Outcomes answering one finding; ``finding`` None: "Other outcomes"."""

    finding: FindingRef | None
    outcomes: tuple[OutcomeLine, ...]


@dataclass(frozen=True, slots=True)
class ReportSession:
    """One agenda session; times are aware datetimes in the conference's time zone."""

    starts_at: datetime
    ends_at: datetime
    room: str
    title: str
    moderators: tuple[str, ...]
    speakers: tuple[str, ...]
    rapporteurs: tuple[str, ...]
    findings: tuple[FindingRef, ...]  # presented
    groups: tuple[OutcomeGroup, ...]


@dataclass(frozen=True, slots=True)
class Commitment:
    session: str  # the session's title
    line: OutcomeLine


@dataclass(frozen=True, slots=True)
class OutcomeReportDocument:
    code: str
    title: str
    starts_at: datetime  # in the conference's time zone
    ends_at: datetime
    timezone: str
    venue: str
    address: str
    organiser: str
    reports: tuple[str, ...]  # "R2 — Title"
    sessions: tuple[ReportSession, ...]
    commitments: tuple[Commitment, ...]
    generated_at: datetime  # in the conference's time zone


def dates_line(document: OutcomeReportDocument) -> str:
    """"16–17 March 2027 · Venue, Address"."""
    place = ", ".join(p for p in (document.venue, document.address) if p)
    when = range_label(document.starts_at.date(), document.ends_at.date(), "en")
    return " · ".join(p for p in (when, place) if p)


def session_time(item: ReportSession) -> str:
    """"Tue 16 Mar 2027, 09:30–11:00"."""
    return f"{item.starts_at:%a %d %b %Y, %H:%M}–{item.ends_at:%H:%M}"


def people_lines(item: ReportSession) -> list[tuple[str, str]]:
    """(label, names) for the moderators, speakers and rapporteurs there are."""
    groups = (("Moderator", item.moderators), ("Speakers", item.speakers),
              ("Rapporteur", item.rapporteurs))
    return [(label, "; ".join(names)) for label, names in groups if names]


def outcome_meta(line: OutcomeLine) -> str:
    """"Commitment · committed by X · owner Y · due 2027-09-30 · Open"."""
    parts = [KIND_LABELS[line.kind]]
    if line.committed_by:
        parts.append(f"committed by {line.committed_by}")
    if line.owner:
        parts.append(f"owner {line.owner}")
    if line.due_on:
        parts.append(f"due {line.due_on.isoformat()}")
    parts.append(STATUS_LABELS[line.status])
    return " · ".join(parts)


def commitment_cells(item: Commitment) -> tuple[str, str, str, str, str]:
    line = item.line
    return (line.text, line.committed_by, line.owner,
            line.due_on.isoformat() if line.due_on else "", STATUS_LABELS[line.status])


# --- PDF -------------------------------------------------------------------------------------

_INK = HexColor("#111111")
_MUTED_HEX = "#5A6570"
_MUTED = HexColor(_MUTED_HEX)
_HEADER = HexColor("#1F3A5F")
_RULE = HexColor("#C8CDD2")
_MARGIN = 18 * mm
_COMMITMENT_WIDTHS = (64 * mm, 38 * mm, 26 * mm, 20 * mm, 26 * mm)  # 174 mm


class _Styles:
    def __init__(self, regular: str, bold: str) -> None:
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5,
                                   textColor=_INK, spaceAfter=1.5 * mm)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10,
                                    textColor=_MUTED)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8, leading=10,
                                   spaceAfter=0)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=bold, textColor=white)
        self.cover = ParagraphStyle("cover", fontName=bold, fontSize=24, leading=30,
                                    textColor=_HEADER, spaceAfter=6 * mm)
        self.kicker = ParagraphStyle("kicker", parent=self.small, fontName=bold, fontSize=10,
                                     spaceAfter=4 * mm)
        self.h1 = ParagraphStyle("h1", fontName=bold, fontSize=15, leading=19,
                                 textColor=_HEADER, spaceBefore=2 * mm, spaceAfter=2 * mm)
        self.h2 = ParagraphStyle("h2", fontName=bold, fontSize=11.5, leading=14.5,
                                 textColor=_INK, spaceBefore=5 * mm, spaceAfter=1 * mm)
        self.h3 = ParagraphStyle("h3", fontName=bold, fontSize=9.5, leading=12,
                                 textColor=_HEADER, spaceBefore=2.5 * mm, spaceAfter=1 * mm)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=5 * mm,
                                     bulletIndent=1 * mm, bulletFontName=regular)


def render_outcome_report(document: OutcomeReportDocument) -> bytes:
    """The outcome report PDF (see the module doc)."""
    regular, bold = register_fonts()
    styles = _Styles(regular, bold)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=_MARGIN,
        bottomMargin=_MARGIN + 4 * mm, initialFontName=regular,
        title=f"{document.title} — Outcome report", author=document.organiser,
        subject=document.code, creator="smartconf")
    story = _title_page(document, styles)
    story += [Paragraph("Sessions", styles.h1)]
    for item in document.sessions:
        story += _session(item, styles)
    story += [CondPageBreak(40 * mm), Paragraph("Commitments", styles.h1),
              _commitments(document.commitments, styles)]
    footer = _Footer(document.code, regular)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _title_page(document: OutcomeReportDocument, styles: _Styles) -> list:
    story = [Spacer(1, 40 * mm), Paragraph("OUTCOME REPORT", styles.kicker),
             Paragraph(escape(document.title), styles.cover),
             Paragraph(escape(dates_line(document)), styles.body)]
    if document.organiser:
        story.append(Paragraph(f"Organised by {escape(document.organiser)}", styles.body))
    story.append(Spacer(1, 8 * mm))
    if document.reports:
        story.append(Paragraph("Reports presented", styles.h3))
        story += [Paragraph(escape(r), styles.bullet, bulletText="•") for r in document.reports]
    story += [Spacer(1, 8 * mm), Paragraph(
        escape(f"Times in {document.timezone}. Generated "
               f"{document.generated_at:%Y-%m-%d %H:%M} by smartconf."), styles.small),
        PageBreak()]
    return story


def _session(item: ReportSession, styles: _Styles) -> list:
    head = [Paragraph(escape(item.title), styles.h2),
            Paragraph(escape(" · ".join(p for p in (session_time(item), item.room) if p)),
                      styles.small)]
    head += [Paragraph(f'<font color="{_MUTED_HEX}">{escape(label)}:</font> {escape(names)}',
                       styles.body) for label, names in people_lines(item)]
    story = [KeepTogether(head)]
    if item.findings:
        story.append(Paragraph("Findings presented", styles.h3))
        story += [Paragraph(f"<b>{escape(f.label)}</b> {escape(f.text)}", styles.bullet,
                            bulletText="•") for f in item.findings]
    for group in item.groups:
        heading = (f"Outcomes on {group.finding.label}" if group.finding else OTHER_OUTCOMES)
        story.append(Paragraph(escape(heading), styles.h3))
        for line in group.outcomes:
            story.append(Paragraph(
                f"{escape(line.text)}<br/><font size='7.5' color='{_MUTED_HEX}'>"
                f"{escape(outcome_meta(line))}</font>", styles.bullet, bulletText="–"))
    return story


def _commitments(commitments: tuple[Commitment, ...], styles: _Styles):
    if not commitments:
        return Paragraph(NO_COMMITMENTS, styles.body)
    rows = [[Paragraph(h, styles.head) for h in COMMITMENT_HEADERS]]
    for item in commitments:
        text, *rest = commitment_cells(item)
        session = f"<br/><font color='{_MUTED_HEX}' size='7'>{escape(item.session)}</font>"
        rows.append([Paragraph(escape(text) + session, styles.cell),
                     *(Paragraph(escape(v), styles.cell) for v in rest)])
    table = Table(rows, colWidths=_COMMITMENT_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, _RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


class _Footer:
    def __init__(self, code: str, font: str) -> None:
        self.text = f"{code} · Outcome report · page"
        self.font = font

    def __call__(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 7)
        canvas.setFillColor(_MUTED)
        canvas.drawRightString(A4[0] - _MARGIN, _MARGIN, f"{self.text} {doc.page}")
        canvas.restoreState()


__all__ = ["COMMITMENT_HEADERS", "KIND_LABELS", "NO_COMMITMENTS", "OTHER_OUTCOMES",
           "STATUS_LABELS", "Commitment", "FindingRef", "OutcomeGroup", "OutcomeLine",
           "OutcomeReportDocument", "ReportSession", "commitment_cells", "dates_line",
           "outcome_meta", "people_lines", "render_outcome_report", "session_time"]
