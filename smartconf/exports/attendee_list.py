"""An attendee list as a PDF: AttendeeListDocument in, PDF bytes out.

A4 landscape: a title block (conference, list title, purpose), then one table whose header
row repeats on every page; the rows are printed in the order given (the service sorts them
by the reader's collation). Column widths follow the headers and the longest values; long
values wrap inside their cell. DejaVu Sans is embedded, so names print in any script. The
footer names the list, its purpose, when it was printed and the page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus.tables import TableStyle

from smartconf.core.tabular import Cell
from smartconf.core.tabular import Table as DataTable
from smartconf.exports.fonts import register_fonts

PAGE = landscape(A4)
MARGIN = 12 * mm
_WIDTH = PAGE[0] - 2 * MARGIN
_SAMPLE = 300  # rows read to size the columns
_MAX_CHARS = 60
_NO_WRAP = 16  # shorter values (phones, times) never wrap
_INK = HexColor("#111111")
_MUTED = HexColor("#5A6570")
_HEADER = HexColor("#1F3A5F")
_ZEBRA = HexColor("#F3F5F7")
_RULE = HexColor("#C8CDD2")
PURPOSE_NOTES = {
    "participant_list": "Participant list: only persons who consented to being listed",
    "donor": "For the donor: only persons who consented to sharing with the donor",
    "internal": "Internal: for staff use at the venue, not for publication",
}


@dataclass(frozen=True, slots=True)
class AttendeeListDocument:
    """What the list shows; ``table`` holds the rows in print order."""

    code: str
    conference: str  # the conference's title
    title: str  # "Attendee list", "Security pre-registration"...
    starts_at: datetime  # in the conference's time zone
    venue: str
    organiser: str
    purpose: str  # participant_list, donor, internal
    printed_at: datetime  # in the conference's time zone
    table: DataTable


def cell_text(value: Cell) -> str:
    """A table value as printed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def column_widths(table: DataTable, font: str, bold: str, size: float) -> list[float]:
    """Widths in points: every column gets at least its longest word (header in ``bold``),
    the rest of the page width goes to the columns whose sampled values are longer."""
    pad = 7  # left and right cell padding
    least = [stringWidth(h, bold, size) + pad for h in table.columns]
    wanted = list(least)
    for row in islice(table.rows, _SAMPLE):
        for index, value in enumerate(row):
            text = cell_text(value)[:_MAX_CHARS]
            words = [text] if len(text) <= _NO_WRAP else text.split() or [""]
            least[index] = max(least[index], max(stringWidth(w, font, size) for w in words) + pad)
            wanted[index] = max(wanted[index], stringWidth(text, font, size) + pad)
    least = [min(w, _WIDTH / 8) for w in least]  # a long unbroken word wraps inside its cell
    spare = _WIDTH - sum(least)
    extra = [max(0.0, w - m) for w, m in zip(wanted, least, strict=True)]
    if spare <= 0 or not sum(extra):
        return [w * _WIDTH / sum(least) for w in least]
    share = min(1.0, spare / sum(extra))
    widths = [m + e * share for m, e in zip(least, extra, strict=True)]
    return [w * _WIDTH / sum(widths) for w in widths]


def render_attendee_list(document: AttendeeListDocument) -> bytes:
    """The attendee list PDF (see the module doc)."""
    regular, bold = register_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=8, leading=9.8, textColor=_INK)
    head = ParagraphStyle("head", parent=body, fontName=bold, textColor=white)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, initialFontName=regular,
        title=f"{document.title} — {document.conference}", author=document.organiser,
        subject=document.code, creator="smartconf")
    story = [*_title_block(document, regular, bold), _table(document.table, body, head)]
    footer = _Footer(document, regular)
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _title_block(document: AttendeeListDocument, regular: str, bold: str) -> list:
    title = ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, textColor=_INK)
    meta = ParagraphStyle("meta", fontName=regular, fontSize=9, leading=12, textColor=_MUTED)
    where = " · ".join(p for p in (document.code, f"{document.starts_at:%d.%m.%Y}",
                                   document.venue) if p)
    count = len(document.table.rows)
    note = PURPOSE_NOTES.get(document.purpose, document.purpose)
    return [Paragraph(escape(f"{document.title}: {document.conference}"), title),
            Paragraph(escape(where), meta),
            Paragraph(escape(f"{note} · {count} {'person' if count == 1 else 'persons'}"),
                      meta),
            Spacer(1, 4 * mm)]


def _table(data: DataTable, body: ParagraphStyle, head: ParagraphStyle) -> Table:
    rows = [[Paragraph(escape(h), head) for h in data.columns]]
    rows += [[Paragraph(escape(cell_text(v)), body) for v in row] for row in data.rows]
    widths = column_widths(data, body.fontName, head.fontName, body.fontSize)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), body.fontName),  # never ReportLab's Helvetica
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, _ZEBRA]),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, _RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


class _Footer:
    """"CODE · title · purpose · printed … · page N" at the foot of each page."""

    def __init__(self, document: AttendeeListDocument, font: str) -> None:
        self.text = (f"{document.code} · {document.title} · {document.purpose} · printed "
                     f"{document.printed_at:%Y-%m-%d %H:%M} · page")
        self.font = font

    def __call__(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 7)
        canvas.setFillColor(_MUTED)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN, f"{self.text} {doc.page}")
        canvas.restoreState()


__all__ = ["PURPOSE_NOTES", "AttendeeListDocument", "cell_text", "column_widths",
           "render_attendee_list"]
