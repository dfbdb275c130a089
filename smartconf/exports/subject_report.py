"""The subject access report: everything held on one person as a readable PDF.

Data in (the JSON-ready dict of ``services.privacy.subject_access_export``), PDF bytes out.
The person's details come first, then one section per list, each record as a small two-column
table; texts wrap, never clip. DejaVu Sans is embedded, so names in Albanian, Serbian Latin and
Serbian Cyrillic (and anything else DejaVu covers) render as written.
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from smartconf.exports.fonts import register_fonts

_META = ("format_version", "generated_at", "generated_by", "notice", "person")
_LABEL_WIDTH = 45 * mm
_MARGIN = 18 * mm
_GRID = colors.HexColor("#c8cdd3")
_LABEL_BACKGROUND = colors.HexColor("#f1f3f5")
_NONE = "—"
_LABELS = {"emails": "E-mails", "given_name_latin": "Given name (Latin)",
           "family_name_latin": "Family name (Latin)", "is_primary": "Primary", "id": "Record",
           "check_ins": "Check-ins"}
_UTC_INSTANT = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?\+00:00")


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20,
                                spaceAfter=4),
        "meta": ParagraphStyle("meta", fontName=regular, fontSize=8.5, leading=11,
                               textColor=colors.HexColor("#555555")),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=12, leading=15,
                                  spaceBefore=10, spaceAfter=4),
        "label": ParagraphStyle("label", fontName=bold, fontSize=8.5, leading=11),
        "value": ParagraphStyle("value", fontName=regular, fontSize=8.5, leading=11),
        "empty": ParagraphStyle("empty", fontName=regular, fontSize=8.5, leading=11,
                                textColor=colors.HexColor("#777777")),
    }


def label(key: str) -> str:
    """"outcomes_committed" -> "Outcomes committed"."""
    return _LABELS.get(key) or key.replace("_", " ").capitalize()


def _readable(text: str) -> str:
    """UTC instants as "2027-03-16 08:14 UTC"; other texts as they are."""
    instant = _UTC_INSTANT.fullmatch(text)
    return f"{instant.group(1)} {instant.group(2)} UTC" if instant else text


def _text(value: Any) -> str:
    """A value as one readable text (lists joined, changes as "field: old → new")."""
    if value is None or value == "" or value == []:
        return _NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_change(v)}" for k, v in value.items())
    return _readable(value) if isinstance(value, str) else str(value)


def _change(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{_text(value[0])} → {_text(value[1])}"
    return _text(value)


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _record_table(record: dict[str, Any], styles, width: float) -> Table:
    rows = [[_paragraph(label(k), styles["label"]), _paragraph(_text(v), styles["value"])]
            for k, v in record.items()]
    table = Table(rows, colWidths=[_LABEL_WIDTH, width - _LABEL_WIDTH])
    table.setStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles["value"].fontName),  # not Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
        ("BACKGROUND", (0, 0), (0, -1), _LABEL_BACKGROUND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ])
    return table


def _section(key: str, records: list[dict], styles, width: float) -> list:
    heading = _paragraph(f"{label(key)} ({len(records)})", styles["heading"])
    if not records:
        return [heading, _paragraph("None held.", styles["empty"])]
    flowables: list = [KeepTogether([heading, _record_table(records[0], styles, width)])]
    for record in records[1:]:
        flowables += [Spacer(1, 2 * mm), _record_table(record, styles, width)]
    return flowables


def _footer(canvas, document) -> None:
    regular, _ = register_fonts()
    canvas.saveState()
    canvas.setFont(regular, 7.5)
    canvas.setFillColor(colors.HexColor("#777777"))
    canvas.drawRightString(A4[0] - _MARGIN, 10 * mm,
                           f"{document.title} · page {canvas.getPageNumber()}")
    canvas.restoreState()


def render_subject_report(data: dict[str, Any]) -> bytes:
    """The subject access report of ``data`` as PDF bytes (A4, DejaVu Sans embedded)."""
    styles = _styles()
    regular, _ = register_fonts()
    person = data["person"]
    name = " ".join(p for p in (person.get("given_name"), person.get("family_name")) if p)
    title = f"Personal data held about {name}"
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN,
                                 topMargin=_MARGIN, bottomMargin=_MARGIN, title=title,
                                 author="smartconf", subject="Subject access report",
                                 initialFontName=regular, pageCompression=1)  # no Helvetica
    width = A4[0] - 2 * _MARGIN
    story: list = [
        _paragraph(title, styles["title"]),
        _paragraph(f"Generated {_readable(data.get('generated_at', ''))} by "
                   f"{data.get('generated_by', '')} (subject access report, format "
                   f"{data.get('format_version', '')}). {data.get('notice', '')}",
                   styles["meta"]),
        _paragraph(label("person"), styles["heading"]),
        _record_table(person, styles, width),
    ]
    for key, value in data.items():
        if key not in _META and isinstance(value, list):
            story += _section(key, value, styles, width)
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
