"""The sign-in sheet of a conference as a PDF: SignInDocument in, PDF bytes out.

The desk's paper fallback. A4 portrait; every page repeats the header (organiser, conference
title, dates and venue, "Sign-in sheet" in the chosen language followed by the other two, a
one-line instruction) and the column heads in the three languages. Numbered rows follow:
row code, name as written (its Latin form under it when the two differ), organisation, role
and a tall empty signature box, sorted by family then given name in the chosen language's
collation (core.collation), then empty rows for walk-ins, at least ``blank_rows`` and up to the
end of the last page. The footer says when it was printed, that it is an internal record, and
"page X of Y".

Rows have one fixed height, so the number of pages is known before anything is drawn; every
text is fitted into its cell by exports.textfit (shrink, then wrap) and never leaves it.
DejaVu Sans is embedded, so Albanian, Serbian Latin and Cyrillic print as written.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from smartconf.core.collation import name_key
from smartconf.core.enums import ParticipantRole
from smartconf.core.errors import ValidationError
from smartconf.exports.agenda_pdf import LANGUAGES, range_label
from smartconf.exports.fonts import register_fonts
from smartconf.exports.textfit import ASCENT, ELLIPSIS, LEADING, FittedText, fit_text

DEFAULT_BLANK_ROWS = 8


@dataclass(frozen=True, slots=True)
class SignInRow:
    """One expected participant. Nothing else about the person goes on the sheet."""

    code: str  # the row code entered afterwards (services.paper)
    family_name: str  # as written, any script
    given_name: str
    family_name_latin: str  # "" when the written form is Latin already
    given_name_latin: str
    organisation: str
    role: ParticipantRole

    @property
    def written_name(self) -> str:
        """"Family, Given" as written."""
        return _family_given(self.family_name, self.given_name)

    @property
    def latin_name(self) -> str:
        """"Family, Given" in Latin letters, "" when it is the written name."""
        latin = _family_given(self.family_name_latin or self.family_name,
                              self.given_name_latin or self.given_name)
        return "" if latin == self.written_name else latin


def _family_given(family: str, given: str) -> str:
    return f"{family}, {given}" if given else family


@dataclass(frozen=True, slots=True)
class SignInDocument:
    """A conference's sign-in sheet; times are aware, in the conference's time zone."""

    code: str
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    organiser: str
    printed_at: datetime
    rows: tuple[SignInRow, ...]


# --- words -----------------------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {
    "sheet": {"sq": "Lista e nënshkrimeve", "sr": "Lista potpisa", "en": "Sign-in sheet"},
    "no": {"sq": "Nr.", "sr": "Br.", "en": "No."},
    "code": {"sq": "Kodi", "sr": "Kod", "en": "Code"},
    "name": {"sq": "Mbiemri, emri", "sr": "Prezime, ime", "en": "Family name, given name"},
    "organisation": {"sq": "Organizata", "sr": "Organizacija", "en": "Organisation"},
    "role": {"sq": "Roli", "sr": "Uloga", "en": "Role"},
    "signature": {"sq": "Nënshkrimi", "sr": "Potpis", "en": "Signature"},
    "instructions": {
        "sq": "Nënshkruani në rreshtin me emrin tuaj. Nuk jeni në listë? Shkruani emrin, "
              "organizatën dhe rolin në një rresht të zbrazët në fund.",
        "sr": "Potpišite se u redu sa svojim imenom. Niste na listi? Upišite ime, organizaciju "
              "i ulogu u prazan red na kraju.",
        "en": "Please sign in the row with your name. Not on the list? Write your name, "
              "organisation and role in an empty row at the end.",
    },
    "printed": {"sq": "Shtypur më", "sr": "Odštampano", "en": "Printed"},
    "internal": {"sq": "regjistër i brendshëm i pjesëmarrjes, jo për publikim",
                 "sr": "interna evidencija prisustva, nije za objavljivanje",
                 "en": "internal attendance record, not for publication"},
    "page": {"sq": "Faqja {page} nga {pages}", "sr": "Strana {page} od {pages}",
             "en": "Page {page} of {pages}"},
}
ROLE_WORDS: dict[ParticipantRole, dict[str, str]] = {
    ParticipantRole.PARTICIPANT: {"sq": "Pjesëmarrës", "sr": "Učesnik", "en": "Participant"},
    ParticipantRole.SPEAKER: {"sq": "Folës", "sr": "Govornik", "en": "Speaker"},
    ParticipantRole.MODERATOR: {"sq": "Moderator", "sr": "Moderator", "en": "Moderator"},
    ParticipantRole.ORGANISER: {"sq": "Organizator", "sr": "Organizator", "en": "Organiser"},
    ParticipantRole.PRESS: {"sq": "Media", "sr": "Mediji", "en": "Press"},
    ParticipantRole.VIP: {"sq": "VIP", "sr": "VIP", "en": "VIP"},
    ParticipantRole.STAFF: {"sq": "Staf", "sr": "Osoblje", "en": "Staff"},
}

# --- geometry (points) -----------------------------------------------------------------------

_PAGE_W, _PAGE_H = A4
MARGIN = 12 * mm
_WIDTH = _PAGE_W - 2 * MARGIN  # 186 mm
COLUMNS = (("no", 9 * mm), ("code", 15 * mm), ("name", 52 * mm), ("organisation", 48 * mm),
            ("role", 20 * mm), ("signature", 42 * mm))
ROW_HEIGHT = 12 * mm  # every row: room for a signature
_HEAD_ROW = 10 * mm
_FOOTER = 7 * mm
_PAD = 1.5 * mm  # left and right of a cell's text
_V_PAD = 0.8 * mm  # above and below it
_GAP = 1.5 * mm

_INK = HexColor("#111111")
_MUTED = HexColor("#5A6570")
_HEAD_FILL = HexColor("#1F3A5F")
_HEAD_OTHER = HexColor("#C9D4E2")
_ZEBRA = HexColor("#F3F5F7")
_RULE = HexColor("#8A949E")
_FAINT_RULE = HexColor("#C4CAD0")


_Sizes = tuple[float, float, float]  # font sizes: largest, readable, smallest


@dataclass(frozen=True, slots=True)
class _Cell:
    x: float
    y: float  # bottom
    w: float
    h: float

    @property
    def text_x(self) -> float:
        return self.x + _PAD

    @property
    def text_width(self) -> float:
        return self.w - 2 * _PAD

    @property
    def text_height(self) -> float:
        return self.h - 2 * _V_PAD


def render_signin_sheet(document: SignInDocument, *, language: str = "sq",
                        blank_rows: int = DEFAULT_BLANK_ROWS) -> bytes:
    """The sign-in sheet PDF: rows sorted by ``language``'s collation (sq, sr, en), which
    also leads the headings; ``blank_rows`` empty rows at least follow for walk-ins."""
    lang = _language(language)
    fonts = register_fonts()
    rows = sorted(document.rows, key=lambda r: (name_key(r.family_name, r.given_name, lang),
                                                r.code))
    header = _Header(document, lang, fonts)
    per_page = int((header.table_top - _HEAD_ROW - MARGIN - _FOOTER) / ROW_HEIGHT)
    pages = max(1, math.ceil((len(rows) + max(0, blank_rows)) / per_page))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=fonts[0])
    canvas.setTitle(f"{document.title} — {_WORDS['sheet'][lang]}")
    canvas.setAuthor(document.organiser)
    canvas.setSubject(document.code)
    canvas.setCreator("smartconf")
    for page in range(pages):
        header.draw(canvas)
        top = _draw_column_heads(canvas, header.table_top, lang, fonts)
        first = page * per_page
        for i in range(per_page):
            number = first + i
            row = rows[number] if number < len(rows) else None
            _draw_row(canvas, top - (i + 1) * ROW_HEIGHT, number + 1, row, lang, fonts,
                      walk_ins_start=number == len(rows) and number > first)
        _draw_footer(canvas, document, lang, fonts[0], page + 1, pages)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _language(language: str) -> str:
    lang = str(language).strip().lower()
    if lang not in LANGUAGES:
        raise ValidationError(f"choose from {', '.join(LANGUAGES)}, not '{language}'",
                              field="language")
    return lang


def _ordered_languages(lang: str) -> tuple[str, ...]:
    return (lang, *(other for other in LANGUAGES if other != lang))


# --- header and footer -----------------------------------------------------------------------


class _Header:
    """The block at the top of every page, fitted once; ``table_top`` is where it ends."""

    def __init__(self, document: SignInDocument, lang: str,
                 fonts: tuple[str, str]) -> None:
        regular, bold = fonts
        self.fonts = fonts
        first, last = document.starts_at.date(), document.ends_at.date()
        place = ", ".join(p for p in (document.venue, document.address) if p)
        where = " · ".join(p for p in (range_label(first, last, lang), place) if p)
        lead, *others = (_WORDS["sheet"][other] for other in _ordered_languages(lang))
        self.meta = fit_text(" · ".join(p for p in (document.organiser, document.code) if p),
                             regular, max_size=7.5, min_size=6, width=_WIDTH, height=9)
        self.title = fit_text(document.title, bold, max_size=15, min_size=9, width=_WIDTH,
                              height=2 * LEADING * 13)
        self.where = fit_text(where, regular, max_size=9.5, min_size=6.5, width=_WIDTH,
                              height=2 * LEADING * 8)
        self.heading = fit_text(lead, bold, max_size=13, min_size=9, width=_WIDTH * 0.55,
                                height=LEADING * 13)
        lead_width = stringWidth(self.heading.lines[0], bold, self.heading.size) + 4 * mm
        self.others = fit_text(" · ".join(others), regular, max_size=9, min_size=6,
                               width=_WIDTH - lead_width, height=LEADING * 9)
        self.others_x = MARGIN + lead_width
        self.instructions = fit_text(_WORDS["instructions"][lang], regular, max_size=8,
                                     min_size=6, width=_WIDTH, height=2 * LEADING * 7)
        blocks = (self.meta, self.title, self.where, self.heading, self.instructions)
        self.table_top = _PAGE_H - MARGIN - sum(b.height for b in blocks) - 6 * _GAP

    def draw(self, canvas: Canvas) -> None:
        regular, bold = self.fonts
        top = _PAGE_H - MARGIN
        canvas.setFillColor(_MUTED)
        top = _draw_text(canvas, self.meta, regular, MARGIN, _WIDTH, top) - _GAP
        canvas.setFillColor(_INK)
        top = _draw_text(canvas, self.title, bold, MARGIN, _WIDTH, top) - _GAP
        top = _draw_text(canvas, self.where, regular, MARGIN, _WIDTH, top)
        top -= 2 * _GAP
        baseline = top - ASCENT * self.heading.size
        _draw_text(canvas, self.heading, bold, MARGIN, _WIDTH, top)
        canvas.setFillColor(_MUTED)
        canvas.setFont(regular, self.others.size)
        if self.others.lines:
            canvas.drawString(self.others_x, baseline, self.others.lines[0])
        top -= self.heading.height + _GAP
        _draw_text(canvas, self.instructions, regular, MARGIN, _WIDTH, top)


def _draw_footer(canvas: Canvas, document: SignInDocument, lang: str, regular: str,
                 page: int, pages: int) -> None:
    printed = document.printed_at
    stamp = range_label(printed.date(), printed.date(), lang)
    left = (f"{document.code} · {_WORDS['printed'][lang]} {stamp}, {printed:%H:%M} · "
            f"{_WORDS['internal'][lang]}")
    right = _WORDS["page"][lang].format(page=page, pages=pages)
    canvas.setFillColor(_MUTED)
    right_text = fit_text(right, regular, max_size=7.5, min_size=6, width=30 * mm, height=9)
    left_text = fit_text(left, regular, max_size=7, min_size=5.5, width=_WIDTH - 34 * mm,
                         height=2 * LEADING * 5.5)
    top = MARGIN + _FOOTER - 2
    _draw_text(canvas, left_text, regular, MARGIN, _WIDTH - 34 * mm, top)
    _draw_text(canvas, right_text, regular, _PAGE_W - MARGIN - 30 * mm, 30 * mm, top,
               align="right")


# --- the table -------------------------------------------------------------------------------


def _cells(y: float, height: float) -> dict[str, _Cell]:
    cells, x = {}, MARGIN
    for key, width in COLUMNS:
        cells[key] = _Cell(x, y, width, height)
        x += width
    return cells


def _draw_column_heads(canvas: Canvas, top: float, lang: str,
                       fonts: tuple[str, str]) -> float:
    """The heads in the three languages (chosen one first, bold); returns the heads' bottom."""
    regular, bold = fonts
    bottom = top - _HEAD_ROW
    canvas.setFillColor(_HEAD_FILL)
    canvas.rect(MARGIN, bottom, _WIDTH, _HEAD_ROW, stroke=0, fill=1)
    for key, cell in _cells(bottom, _HEAD_ROW).items():
        width = cell.text_width
        lead, *others = (_WORDS[key][other] for other in _ordered_languages(lang))
        line_top = top - _V_PAD
        canvas.setFillColor(white)
        fitted = fit_text(lead, bold, max_size=7.5, min_size=5, width=width,
                          height=LEADING * 7.5)
        line_top = _draw_text(canvas, fitted, bold, cell.text_x, width, line_top)
        canvas.setFillColor(_HEAD_OTHER)
        for word in others:
            fitted = fit_text(word, regular, max_size=5.8, min_size=4.5, width=width,
                              height=LEADING * 5.8)
            line_top = _draw_text(canvas, fitted, regular, cell.text_x, width, line_top)
    return bottom


def _draw_row(canvas: Canvas, y: float, number: int, row: SignInRow | None, lang: str,
              fonts: tuple[str, str], *, walk_ins_start: bool) -> None:
    regular, bold = fonts
    cells = _cells(y, ROW_HEIGHT)
    signature = cells["signature"]
    if number % 2 == 0:
        canvas.setFillColor(_ZEBRA)
        canvas.rect(MARGIN, y, signature.x - MARGIN, ROW_HEIGHT, stroke=0, fill=1)
    _draw_grid(canvas, cells, heavy_top=walk_ins_start)
    canvas.setFillColor(_MUTED)
    _fit_in(canvas, str(number), regular, cells["no"], (8, 6, 5), align="right")
    if row is None:
        return
    canvas.setFillColor(_INK)
    _fit_in(canvas, row.code, bold, cells["code"], (9.5, 8, 6), align="centre")
    _draw_name(canvas, row, cells["name"], fonts)
    canvas.setFillColor(_INK)
    _fit_in(canvas, row.organisation, regular, cells["organisation"], (8.5, 7, 5.5))
    _fit_in(canvas, ROLE_WORDS[row.role][lang], regular, cells["role"], (8, 6.5, 5.5))


def _draw_grid(canvas: Canvas, cells: dict[str, _Cell], *, heavy_top: bool) -> None:
    signature = cells["signature"]
    y = signature.y
    canvas.setStrokeColor(_FAINT_RULE)
    canvas.setLineWidth(0.3)
    for cell in cells.values():
        canvas.line(cell.x, y, cell.x, y + ROW_HEIGHT)
    canvas.setStrokeColor(_RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y, MARGIN + _WIDTH, y)
    canvas.line(MARGIN + _WIDTH, y, MARGIN + _WIDTH, y + ROW_HEIGHT)
    canvas.setStrokeColor(_INK)
    canvas.setLineWidth(0.8)
    canvas.rect(signature.x, y, signature.w, ROW_HEIGHT, stroke=1, fill=0)
    if heavy_top:  # the walk-in rows begin here
        canvas.setLineWidth(1.4)
        canvas.line(MARGIN, y + ROW_HEIGHT, MARGIN + _WIDTH, y + ROW_HEIGHT)


def _draw_name(canvas: Canvas, row: SignInRow, cell: _Cell, fonts: tuple[str, str]) -> None:
    """Name as written (bold), its Latin form under it when there is one; centred as a block."""
    regular, bold = fonts
    width, height = cell.text_width, cell.text_height
    latin = (_fit(row.latin_name, regular, (7, 6, 5.5), width=width, height=LEADING * 7)
             if row.latin_name else None)
    name = _fit(row.written_name, bold, (10, 8, 6), width=width,
                height=height - (latin.height if latin else 0))
    total = name.height + (latin.height if latin else 0)
    top = cell.y + (cell.h + total) / 2
    canvas.setFillColor(_INK)
    top = _draw_text(canvas, name, bold, cell.text_x, width, top)
    if latin:
        canvas.setFillColor(_MUTED)
        _draw_text(canvas, latin, regular, cell.text_x, width, top)


def _fit_in(canvas: Canvas, text: str, font: str, cell: _Cell, sizes: _Sizes, *,
            align: str = "left") -> None:
    """``text`` fitted into ``cell`` (less padding), centred vertically."""
    fitted = _fit(text, font, sizes, width=cell.text_width, height=cell.text_height)
    _draw_text(canvas, fitted, font, cell.text_x, cell.text_width,
               cell.y + (cell.h + fitted.height) / 2, align=align)


def _fit(text: str, font: str, sizes: _Sizes, *, width: float, height: float) -> FittedText:
    """Fitted at ``sizes`` (largest, readable, smallest): on one line or wrapped, never below
    the readable size unless the text does not fit at it; only then smaller."""
    largest, readable, smallest = sizes
    fitted = fit_text(text, font, max_size=largest, min_size=readable, width=width,
                      height=height)
    if not fitted.lines or not fitted.lines[-1].endswith(ELLIPSIS) or text.endswith(ELLIPSIS):
        return fitted
    return fit_text(text, font, max_size=readable, min_size=smallest, width=width,
                    height=height)


def _draw_text(canvas: Canvas, text: FittedText, font: str, x: float, width: float,
               top: float, *, align: str = "left") -> float:
    """Draw ``text``'s lines from ``top`` down in the band ``x`` .. ``x + width``; returns the
    bottom of the last line."""
    canvas.setFont(font, text.size)
    for line in text.lines:
        baseline = top - ASCENT * text.size
        if align == "centre":
            canvas.drawCentredString(x + width / 2, baseline, line)
        elif align == "right":
            canvas.drawRightString(x + width, baseline, line)
        else:
            canvas.drawString(x, baseline, line)
        top -= text.leading
    return top


__all__ = ["COLUMNS", "DEFAULT_BLANK_ROWS", "MARGIN", "ROLE_WORDS", "ROW_HEIGHT",
           "SignInDocument", "SignInRow", "render_signin_sheet"]
