"""Badge PDFs, checked on real output: QR codes decoded from rendered pages, text extracted
back with its diacritics and Cyrillic, fonts embedded, every word inside its badge.

Also the helpers other badge tests use (pdf_pages, decoded_codes, require_poppler).
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from smartconf.core.badge_code import new_badge_code, normalise_badge_code, short_form
from smartconf.core.dto import BadgeData
from smartconf.core.enums import ParticipantRole
from smartconf.core.errors import ValidationError
from smartconf.exports.badges import LAYOUTS, ROLE_COLOURS, render_badges
from smartconf.exports.fonts import BOLD, REGULAR, register_fonts
from smartconf.exports.qr import dark_rectangles, qr_matrix
from smartconf.exports.textfit import ELLIPSIS, LEADING, WORD_SHRINK, fit_text, wrap_text
from smartconf.services.badges import date_range_label
from tests.pdftools import decoded_codes, pdf_text, require_poppler

LONG_ORGANISATION = (
    "Autoriteti Rregullativ i Komunikimeve Elektronike dhe Postare, Departamenti për "
    "Sigurinë Kibernetike dhe Infrastrukturën")
LONG_GIVEN_NAME = "Maximilianus-Bartholomäus Konstantinopolitanischerwaldemar"
TITLE = "SMART Balkans Conference on Critical Infrastructure Protection in the Western Balkans"
PEOPLE = [  # given, family, organisation, role
    ("Ђорђе", "Чолић", "Министарство унутрашњих послова", ParticipantRole.SPEAKER),
    ("Đorđe", "Čolić", "Kosovar Centre for Security Studies", ParticipantRole.ORGANISER),
    ("Arbëreshë", "Ëmërllahu-Çeku", LONG_ORGANISATION, ParticipantRole.PARTICIPANT),
    (LONG_GIVEN_NAME, "Šćepanović-Žižić", "GIZ", ParticipantRole.VIP),
    ("Ana", "Li", "", ParticipantRole.PRESS),
]


def make_badges(people=PEOPLE) -> list[BadgeData]:
    return [BadgeData(i + 1, given, family, org, role, role.value.title(), TITLE,
                      "12–13 March 2027", new_badge_code())
            for i, (given, family, org, role) in enumerate(people)]


# ----------------------------------------------------------------- poppler helpers (shared)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------- fitting


@pytest.fixture(scope="module")
def fonts() -> tuple[str, str]:
    return register_fonts()


def _assert_inside(fitted, font: str, width: float, height: float) -> None:
    assert fitted.lines
    assert len(fitted.lines) * fitted.size * LEADING <= height + 1e-6
    for line in fitted.lines:
        assert stringWidth(line, font, fitted.size) <= width + 1e-6, line


def test_short_text_keeps_the_largest_size(fonts) -> None:
    fitted = fit_text("Ana", BOLD, max_size=40, min_size=16, width=250, height=100)
    assert fitted.lines == ("Ana",)
    assert fitted.size == 40


def test_text_a_little_too_wide_shrinks_on_one_line(fonts) -> None:
    text = "Arbëreshë Ëmërllahu-Çeku"
    width = stringWidth(text, BOLD, 30) - 1
    fitted = fit_text(text, BOLD, max_size=30, min_size=12, width=width, height=100)
    assert fitted.lines == (text,)
    assert 12 <= fitted.size < 30
    _assert_inside(fitted, BOLD, width, 100)


def test_long_organisation_wraps_completely_inside_its_box(fonts) -> None:
    assert len(LONG_ORGANISATION) == 120
    width, height = 250, 50
    fitted = fit_text(LONG_ORGANISATION, REGULAR, max_size=12, min_size=9, width=width,
                      height=height)
    assert len(fitted.lines) > 1
    assert 9 <= fitted.size <= 12
    assert " ".join(fitted.lines) == LONG_ORGANISATION  # wrapped at spaces, nothing lost
    _assert_inside(fitted, REGULAR, width, height)


def test_very_long_name_breaks_after_hyphen_before_breaking_a_word(fonts) -> None:
    width = 200
    fitted = fit_text(LONG_GIVEN_NAME, BOLD, max_size=40, min_size=16, width=width,
                      height=120)
    assert fitted.lines[0] == "Maximilianus-"
    assert _squeezed("".join(fitted.lines)) == _squeezed(LONG_GIVEN_NAME)
    _assert_inside(fitted, BOLD, width, 120)


def test_word_a_little_too_wide_at_the_smallest_size_shrinks_rather_than_breaks(fonts) -> None:
    word = "Konstantinopolitanischerwaldemar"
    width = stringWidth(word, BOLD, 16) * 0.8
    fitted = fit_text(f"Maximilian {word}", BOLD, max_size=40, min_size=16, width=width,
                      height=200)
    assert fitted.lines == ("Maximilian", word)
    assert 16 * WORD_SHRINK <= fitted.size < 16
    _assert_inside(fitted, BOLD, width, 200)


def test_word_wider_than_the_box_at_the_smallest_size_is_split(fonts) -> None:
    word = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"
    fitted = fit_text(word, BOLD, max_size=20, min_size=10, width=120, height=200)
    assert fitted.size == 10
    assert len(fitted.lines) > 1
    assert "".join(fitted.lines) == word
    _assert_inside(fitted, BOLD, 120, 200)


def test_text_that_cannot_fit_ends_with_an_ellipsis_inside_the_box(fonts) -> None:
    text = " ".join([LONG_ORGANISATION] * 4)
    fitted = fit_text(text, REGULAR, max_size=12, min_size=9, width=150, height=40)
    assert fitted.size == 9
    assert fitted.lines[-1].endswith(ELLIPSIS)
    _assert_inside(fitted, REGULAR, 150, 40)


def test_wrap_never_returns_a_line_wider_than_asked(fonts) -> None:
    for size in (6, 9, 14, 30):
        for line in wrap_text(LONG_ORGANISATION + " " + LONG_GIVEN_NAME, BOLD, size, 90):
            assert stringWidth(line, BOLD, size) <= 90


def test_empty_text_takes_no_room(fonts) -> None:
    assert fit_text("  ", REGULAR, max_size=12, min_size=9, width=100, height=30).height == 0


# -------------------------------------------------------------------------------- QR


def test_badge_code_is_a_version_1_qr_that_decodes() -> None:
    code = new_badge_code()
    matrix = qr_matrix(code)
    assert len(matrix) == 21 and all(len(row) == 21 for row in matrix)
    quiet, module = 4, 6
    side = (21 + 2 * quiet) * module
    image = Image.new("L", (side, side), 255)
    for col, row, width, height in dark_rectangles(matrix):
        x, y = (quiet + col) * module, (quiet + row) * module
        image.paste(0, (x, y, x + width * module, y + height * module))
    (barcode,) = zxingcpp.read_barcodes(image, is_pure=True)
    assert barcode.text == code
    assert barcode.ec_level == "M"


def test_dark_rectangles_cover_exactly_the_dark_modules() -> None:
    for _ in range(20):
        matrix = qr_matrix(new_badge_code())
        covered: list[tuple[int, int]] = []
        rectangles = dark_rectangles(matrix)
        for col, row, width, height in rectangles:
            covered += [(c, r) for r in range(row, row + height) for c in range(col, col + width)]
        dark = [(c, r) for r, modules in enumerate(matrix) for c, on in enumerate(modules) if on]
        assert sorted(covered) == sorted(dark)  # no gap, no overlap
        assert len(rectangles) < len(dark) / 2


# ------------------------------------------------------------------------- rendering


def test_every_role_has_a_colour() -> None:
    assert set(ROLE_COLOURS) == set(ParticipantRole)
    assert len({c.hexval() for c in ROLE_COLOURS.values()}) == len(ParticipantRole)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_qr_decodes_to_its_badge_code(layout: str) -> None:
    require_poppler()
    badges = make_badges()
    codes = decoded_codes(render_badges(badges, layout=layout))
    assert sorted(codes) == sorted(b.code for b in badges)
    assert all(normalise_badge_code(code) == code for code in codes)


def test_names_come_back_with_diacritics_and_cyrillic() -> None:
    require_poppler()
    badges = make_badges()
    pdf = render_badges(badges, layout="a6-4up")
    sheet = LAYOUTS["a6-4up"]
    for index, badge in enumerate(badges):
        page, slot = divmod(index, sheet.per_page)
        text = _squeezed(pdf_text(pdf, *_crop(sheet, slot, page)))
        for expected in (badge.given_name, badge.family_name, badge.organisation,
                         badge.role_label, short_form(badge.code)):
            assert _squeezed(expected) in text, (expected, text)


def _crop(sheet, slot: int, page: int) -> list[str]:
    """pdftotext options reading only one badge (top-left origin, points at -r 72)."""
    x, y, w, h = sheet.cells()[slot]
    top = sheet.page[1] - (y + h)
    return ["-f", str(page + 1), "-l", str(page + 1), "-r", "72", "-x", str(int(x)),
            "-y", str(int(top)), "-W", str(int(w)), "-H", str(int(h))]


def test_dejavu_is_embedded(tmp_path: Path) -> None:
    require_poppler()
    source = tmp_path / "badges.pdf"
    source.write_bytes(render_badges(make_badges()))
    listing = subprocess.run(["pdffonts", str(source)], check=True, capture_output=True,
                             text=True).stdout
    rows = listing.splitlines()[2:]
    assert any("DejaVuSans-Bold" in row for row in rows)
    assert any(re.search(r"DejaVuSans\s", row) for row in rows)
    for row in rows:
        assert "DejaVu" in row, f"a font that is not DejaVu: {row}"
        assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row), f"not embedded: {row}"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_word_stays_inside_its_badge(layout: str) -> None:
    require_poppler()
    sheet = LAYOUTS[layout]
    html = pdf_text(render_badges(make_badges(), layout=layout), "-bbox")
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                       r"([^<]*)<", html)
    assert len(words) > 20
    boxes = [(x, sheet.page[1] - y - h, x + w, sheet.page[1] - y) for x, y, w, h in sheet.cells()]
    margin = 3 * mm * sheet.badge[0] / LAYOUTS["a6-4up"].badge[0]  # well inside the cut line
    for *corners, word in words:
        x0, y0, x1, y1 = map(float, corners)
        assert any(left + margin <= x0 and x1 <= right - margin and top + margin <= y0
                   and y1 <= bottom - margin for left, top, right, bottom in boxes), word


def test_pages_hold_as_many_badges_as_the_layout_says() -> None:
    from pypdf import PdfReader

    badges = make_badges() * 2  # ten badges
    for name, sheet in LAYOUTS.items():
        reader = PdfReader(io.BytesIO(render_badges(badges, layout=name)))
        assert len(reader.pages) == -(-len(badges) // sheet.per_page), name
        assert [float(v) for v in reader.pages[0].mediabox[2:]] == pytest.approx(sheet.page)


def test_logo_is_printed_on_every_badge() -> None:
    from pypdf import PdfReader

    png = io.BytesIO()
    Image.new("RGB", (300, 100), (200, 30, 40)).save(png, format="PNG")
    pdf = render_badges(make_badges(), logo=png.getvalue())
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page["/Resources"]["/XObject"]) == 1  # one image, drawn four times
    assert page.get_contents().get_data().count(b" Do") == 4


def test_bad_input_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValidationError, match=r"unknown badge layout 'a5'.*Known layouts: a6-4up"):
        render_badges(make_badges(), layout="a5")
    with pytest.raises(ValidationError, match="no badges"):
        render_badges([])
    with pytest.raises(ValidationError, match="logo is not a readable"):
        render_badges(make_badges(), logo=b"<svg/>")


# ----------------------------------------------------------------------- dates label


@pytest.mark.parametrize(("start", "end", "label"), [
    ((2027, 3, 12), (2027, 3, 12), "12 March 2027"),
    ((2027, 3, 12), (2027, 3, 13), "12–13 March 2027"),
    ((2027, 3, 30), (2027, 4, 1), "30 March – 1 April 2027"),
    ((2026, 12, 30), (2027, 1, 2), "30 December 2026 – 2 January 2027"),
])
def test_date_range_label(start, end, label) -> None:
    assert date_range_label(datetime(*start, 9), datetime(*end, 17)) == label
