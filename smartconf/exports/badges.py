"""Badge PDFs: BadgeData in, PDF bytes out.

A layout (``LAYOUTS``) says how big a badge is and how badges sit on a sheet; every badge is
drawn by the same code, scaled to its width, so a new badge stock is one more table entry.
Text is DejaVu Sans (embedded), long texts shrink then wrap inside their box, and the QR is
drawn as merged rectangles with a quiet zone of four modules.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from smartconf.core.badge_code import short_form
from smartconf.core.dto import BadgeData
from smartconf.core.enums import ParticipantRole
from smartconf.core.errors import ValidationError
from smartconf.exports.fonts import register_fonts
from smartconf.exports.qr import QUIET_ZONE, dark_rectangles, qr_matrix
from smartconf.exports.textfit import ASCENT, LEADING, FittedText, fit_text

Box = tuple[float, float, float, float]  # x, y (bottom left), width, height in points


@dataclass(frozen=True, slots=True)
class Layout:
    """A sheet of badges: page and badge size (points), grid, and whether to mark the cuts."""

    name: str
    description: str
    page: tuple[float, float]
    badge: tuple[float, float]
    columns: int = 1
    rows: int = 1
    cut_marks: bool = False

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def cells(self) -> list[Box]:
        """Badge boxes of one page in reading order, the grid centred on the page."""
        (pw, ph), (bw, bh) = self.page, self.badge
        left = (pw - self.columns * bw) / 2
        top = (ph + self.rows * bh) / 2
        return [(left + col * bw, top - (row + 1) * bh, bw, bh)
                for row in range(self.rows) for col in range(self.columns)]


_ID1 = (53.98 * mm, 85.6 * mm)  # ISO/IEC 7810 ID-1, the size of a bank card, portrait
LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    Layout("a6-4up", "A6 badges, four on an A4 sheet, with cut marks", A4, A6, 2, 2, True),
    Layout("a6-single", "One A6 badge per A6 page", A6, A6),
    Layout("badge-54x90", "54 × 90 mm badge inserts, nine on an A4 sheet, with cut marks",
           A4, (54 * mm, 90 * mm), 3, 3, True),
    Layout("id1", "ID-1 cards (85.6 × 54 mm, portrait), one per page for a card printer",
           _ID1, _ID1),
)}

ROLE_COLOURS: dict[ParticipantRole, Color] = {
    ParticipantRole.PARTICIPANT: HexColor("#1F5FA8"),  # blue
    ParticipantRole.SPEAKER: HexColor("#B03A2E"),  # red
    ParticipantRole.MODERATOR: HexColor("#6C3483"),  # purple
    ParticipantRole.ORGANISER: HexColor("#1E7A46"),  # green
    ParticipantRole.PRESS: HexColor("#A04000"),  # dark orange
    ParticipantRole.VIP: HexColor("#1B2631"),  # near black
    ParticipantRole.STAFF: HexColor("#5D6D7E"),  # grey
}
_INK = HexColor("#111111")
_MUTED = HexColor("#3D4A57")
_CUT_INK = HexColor("#000000")

# Sizes in the drawing code are those of an A6-wide badge; other widths scale them (_Style).
_REFERENCE_WIDTH = A6[0]
_MIN_TEXT = 5.5  # no text is ever smaller than this, whatever the badge


@dataclass(frozen=True, slots=True)
class _Style:
    """Sizes for one badge width: everything scales with the width, minima are floored."""

    k: float

    def pt(self, value: float) -> float:
        return value * self.k

    def font(self, value: float) -> float:
        return max(_MIN_TEXT, value * self.k)


def render_badges(badges: Sequence[BadgeData], *, layout: str = "a6-4up",
                  logo: bytes | None = None) -> bytes:
    """A PDF of ``badges`` in the order given, placed by ``layout`` (a key of LAYOUTS).

    ``logo`` (PNG or JPEG bytes) is printed at the top of every badge.
    """
    sheet = _layout(layout)
    if not badges:
        raise ValidationError("there are no badges to print.", field="badges")
    fonts = register_fonts()
    image = _logo(logo)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sheet.page, pageCompression=1, initialFontName=fonts[0])
    canvas.setTitle("Badges")
    canvas.setCreator("smartconf")
    cells = sheet.cells()
    for start in range(0, len(badges), sheet.per_page):
        if sheet.cut_marks:
            _draw_cut_marks(canvas, sheet)
        for badge, cell in zip(badges[start:start + sheet.per_page], cells, strict=False):
            _draw_badge(canvas, badge, cell, fonts, image)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _layout(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValidationError(f"unknown badge layout '{name}'.", field="layout",
                              hint=f"Known layouts: {', '.join(LAYOUTS)}.") from None


def _logo(data: bytes | None) -> ImageReader | None:
    if data is None:
        return None
    try:
        image = ImageReader(io.BytesIO(data))
        image.getSize()
    except Exception as exc:  # ReportLab/Pillow raise many kinds for unreadable images
        raise ValidationError("the logo is not a readable PNG or JPEG image.",
                              field="logo") from exc
    return image


# ---------------------------------------------------------------------------- one badge


def _draw_badge(canvas: Canvas, badge: BadgeData, cell: Box,
                fonts: tuple[str, str], logo: ImageReader | None) -> None:
    x, y, w, h = cell
    style = _Style(w / _REFERENCE_WIDTH)
    margin = style.pt(7 * mm)
    inner = (x + margin, y + margin, w - 2 * margin, h - 2 * margin)
    band_top = _draw_role_band(canvas, badge, inner, style, fonts[1])
    qr_top = _draw_qr(canvas, badge.code, inner, band_top + style.pt(3 * mm), style, fonts[0])
    header_bottom = _draw_header(canvas, badge, inner, logo, style, fonts)
    gap = style.pt(3 * mm)
    middle = (inner[0], qr_top + gap, inner[2], header_bottom - qr_top - 2 * gap)
    _draw_names(canvas, badge, middle, style, fonts)


def _draw_role_band(canvas: Canvas, badge: BadgeData, inner: Box, style: _Style,
                    bold: str) -> float:
    """The role in a coloured band at the bottom; returns the band's top."""
    x, y, w, _ = inner
    height = style.pt(11 * mm)
    canvas.setFillColor(ROLE_COLOURS[badge.role])
    canvas.rect(x, y, w, height, stroke=0, fill=1)
    padding = style.pt(3 * mm)
    label = fit_text(badge.role_label, bold, max_size=style.font(17), min_size=style.font(8),
                     width=w - 2 * padding, height=height - style.pt(2 * mm))
    canvas.setFillColor(white)
    _draw_lines(canvas, label, bold, x + w / 2, y + (height + label.height) / 2)
    return y + height


def _draw_qr(canvas: Canvas, code: str, inner: Box, bottom: float, style: _Style,
             regular: str) -> float:
    """The QR (quiet zone included) centred above ``bottom``, the short code under it;
    returns the top of the quiet zone."""
    caption = fit_text(short_form(code), regular, max_size=style.font(9),
                       min_size=style.font(6), width=inner[2], height=style.pt(5 * mm))
    canvas.setFillColor(_INK)
    _draw_lines(canvas, caption, regular, inner[0] + inner[2] / 2, bottom + caption.height)
    matrix = qr_matrix(code)
    side = style.pt(34 * mm)
    module = side / (len(matrix) + 2 * QUIET_ZONE)
    left = inner[0] + (inner[2] - side) / 2
    base = bottom + caption.height
    canvas.setFillColor(white)
    canvas.rect(left, base, side, side, stroke=0, fill=1)
    path = canvas.beginPath()
    top = base + side - QUIET_ZONE * module
    for col, row, cols, rows in dark_rectangles(matrix):
        path.rect(left + (QUIET_ZONE + col) * module, top - (row + rows) * module,
                  cols * module, rows * module)
    canvas.setFillColor(_INK)
    canvas.drawPath(path, stroke=0, fill=1)
    return base + side


def _draw_header(canvas: Canvas, badge: BadgeData, inner: Box, logo: ImageReader | None,
                 style: _Style, fonts: tuple[str, str]) -> float:
    """Logo, conference title and dates at the top; returns the header's bottom."""
    regular, bold = fonts
    x, y, w, h = inner
    top = y + h
    if logo is not None:
        logo_height = style.pt(11 * mm)
        canvas.drawImage(logo, x, top - logo_height, w, logo_height, mask="auto",
                         preserveAspectRatio=True, anchor="c")
        top -= logo_height + style.pt(2 * mm)
    canvas.setFillColor(_MUTED)
    title_height = max(style.pt(27), 3 * LEADING * style.font(7))  # 2 lines large, 3 small
    title = fit_text(badge.conference_title, bold, max_size=style.font(11),
                     min_size=style.font(7), width=w, height=title_height)
    top = _draw_lines(canvas, title, bold, x + w / 2, top)
    dates = fit_text(badge.conference_dates, regular, max_size=style.font(9),
                     min_size=style.font(6), width=w, height=style.pt(12))
    return _draw_lines(canvas, dates, regular, x + w / 2, top)


def _draw_names(canvas: Canvas, badge: BadgeData, box: Box, style: _Style,
                fonts: tuple[str, str]) -> None:
    """Given name, family name and organisation, centred in ``box`` as a block."""
    regular, bold = fonts
    x, y, w, h = box
    gap = style.pt(2 * mm)
    blocks = [
        (fit_text(badge.given_name, bold, max_size=style.font(40), min_size=style.font(16),
                  width=w, height=h * 0.40), bold, _INK),
        (fit_text(badge.family_name, bold, max_size=style.font(28), min_size=style.font(12),
                  width=w, height=h * 0.30), bold, _INK),
        (fit_text(badge.organisation, regular, max_size=style.font(12),
                  min_size=style.font(9), width=w, height=h * 0.30 - 2 * gap), regular, _MUTED),
    ]
    blocks = [b for b in blocks if b[0].lines]
    total = sum(b[0].height for b in blocks) + gap * (len(blocks) - 1)
    top = y + (h + total) / 2
    for fitted, font, colour in blocks:
        canvas.setFillColor(colour)
        top = _draw_lines(canvas, fitted, font, x + w / 2, top) - gap


def _draw_lines(canvas: Canvas, text: FittedText, font: str, centre: float,
                top: float) -> float:
    """Draw the lines centred on ``centre`` from ``top`` down; returns their bottom."""
    canvas.setFont(font, text.size)
    for line in text.lines:
        canvas.drawCentredString(centre, top - ASCENT * text.size, line)
        top -= text.leading
    return top


# ---------------------------------------------------------------------------- cut marks

_MARK_GAP = 2 * mm  # between the grid and a mark in the margin
_MARK_LENGTH = 6 * mm
_EDGE_MARK_LENGTH = 10 * mm  # from the sheet's edge: printers leave its first ~5 mm blank
_MIN_MARGIN = _MARK_GAP + 4 * mm


def _draw_cut_marks(canvas: Canvas, sheet: Layout) -> None:
    """Short lines on the cut lines: in the page margin, or, where the badges reach the edge
    of the sheet, from the edge inwards on the cuts between badges (cut away with them)."""
    (pw, ph), (bw, bh) = sheet.page, sheet.badge
    x0, y0, _, _ = sheet.cells()[-sheet.columns]  # bottom-left cell
    xs = [x0 + i * bw for i in range(sheet.columns + 1)]
    ys = [y0 + j * bh for j in range(sheet.rows + 1)]
    canvas.setStrokeColor(_CUT_INK)
    canvas.setLineWidth(0.3)
    for i, x in enumerate(xs):
        for a, b in _mark_spans(ys[0], ys[-1], ph, inner=0 < i < sheet.columns,
                                needed=0.5 < x < pw - 0.5):
            canvas.line(x, a, x, b)
    for j, y in enumerate(ys):
        for a, b in _mark_spans(xs[0], xs[-1], pw, inner=0 < j < sheet.rows,
                                needed=0.5 < y < ph - 0.5):
            canvas.line(a, y, b, y)


def _mark_spans(low: float, high: float, page: float, *, inner: bool,
                needed: bool) -> list[tuple[float, float]]:
    """Where to draw the two marks of one cut line running from ``low`` to ``high``."""
    if not needed:
        return []
    if low >= _MIN_MARGIN and page - high >= _MIN_MARGIN:
        return [(low - _MARK_GAP - _MARK_LENGTH, low - _MARK_GAP),
                (high + _MARK_GAP, high + _MARK_GAP + _MARK_LENGTH)]
    if inner:
        return [(low, low + _EDGE_MARK_LENGTH), (high - _EDGE_MARK_LENGTH, high)]
    return []
