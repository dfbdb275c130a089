"""The sign-in sheet from its DTO alone, and the row code format (version 1, snapshot).

PDFs are read back with poppler: text with diacritics and Cyrillic, the collation order of
Albanian and Serbian, every long text inside its cell (pdftotext -bbox), pages and fonts."""

from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from smartconf.core.badge_code import ALPHABET
from smartconf.core.enums import ParticipantRole
from smartconf.core.errors import ValidationError
from smartconf.exports.signin_sheet import (
    COLUMNS,
    MARGIN,
    ROW_HEIGHT,
    SignInDocument,
    SignInRow,
    render_signin_sheet,
)
from smartconf.services.paper import ROW_CODE_VERSION, RowCodeError, parse_row_code, row_code
from tests.pdftools import pdf_pages, pdf_text, require_poppler

ZONE = ZoneInfo("Europe/Belgrade")
# Made once with format 1: these participants keep these codes in every later smartconf.
SNAPSHOT = {1: "001W", 31: "00X1", 32: "010X", 1000: "0X8H", 32_767: "XXX3", 32_768: "1000X",
            33_554_431: "XXXXX5"}
LONG_NAME = ("Ëmërllahu-Çeku-Hoxha-Krasniqi-Berisha-Gashi-Thaçi",
             "Arbëreshë Marigona Fatbardha")
LONG_ORGANISATION = ("Autoriteti Rregullativ i Komunikimeve Elektronike dhe Postare, "
                     "Departamenti për Sigurinë Kibernetike dhe Infrastrukturën Kritike")
ALBANIAN = ["Cana", "Çeku", "Dushi", "Dhimitri", "Elezi", "Ëmërllahu"]  # c ç d dh e ë
SERBIAN = ["Cvetković", "Čavić", "Ćosić", "Dimitrijević", "Džajić", "Đurić"]  # c č ć d dž đ


# --- row codes -------------------------------------------------------------------------------


def test_row_code_snapshot() -> None:
    assert ROW_CODE_VERSION == 1
    for participant_id, code in SNAPSHOT.items():
        assert row_code(participant_id) == code
        assert parse_row_code(code) == participant_id
    assert all(4 <= len(code) <= 6 and set(code) <= set(ALPHABET) for code in SNAPSHOT.values())


def test_row_codes_are_stable_and_unique() -> None:
    codes = [row_code(i) for i in range(1, 40_000)]
    assert len(set(codes)) == len(codes)
    assert codes == [row_code(i) for i in range(1, 40_000)]


def test_typed_variants_are_accepted() -> None:
    assert parse_row_code(" 0x8h ") == 1000
    assert parse_row_code("0X-8H") == 1000
    assert parse_row_code("OX8H") == 1000  # letter O read as zero
    assert parse_row_code("00X1") == parse_row_code("0OX1") == 31


def test_every_single_typo_is_rejected() -> None:
    for participant_id in (1, 77, 1000, 32_767, 32_768, 1_234_567):
        code = row_code(participant_id)
        for i, original in enumerate(code):
            for other in ALPHABET:
                if other != original:
                    with pytest.raises(RowCodeError, match="check character"):
                        parse_row_code(code[:i] + other + code[i + 1:])


def test_neighbour_swaps_are_rejected_except_zero_and_x() -> None:
    missed = set()
    for participant_id in range(1, 40_000, 7):
        code = row_code(participant_id)
        for i in range(len(code) - 1):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            try:
                parse_row_code(swapped)
            except RowCodeError:
                continue
            missed.add(frozenset(code[i:i + 2]))
    assert missed == {frozenset("0X")}  # the blind spot of every Luhn code, documented


@pytest.mark.parametrize(("typed", "message"), [
    ("", "empty"), ("01W", "4 to 8 characters"), ("001W001W0", "4 to 8 characters"),
    ("00Y1", "not used in row codes: Y"), ("00#1", "not used in row codes: #"),
])
def test_malformed_codes_say_why(typed: str, message: str) -> None:
    with pytest.raises(RowCodeError, match=message):
        parse_row_code(typed)


# --- the sheet -------------------------------------------------------------------------------


def _row(number: int, family: str, given: str, *, organisation: str = "KCSS",
         role: ParticipantRole = ParticipantRole.PARTICIPANT, latin: tuple[str, str] = ("", ""),
         ) -> SignInRow:
    return SignInRow(code=row_code(number), family_name=family, given_name=given,
                     family_name_latin=latin[0], given_name_latin=latin[1],
                     organisation=organisation, role=role)


def _document(rows: list[SignInRow]) -> SignInDocument:
    return SignInDocument(
        code="SB-CI", title="Mbrojtja e infrastrukturës kritike në Kosovë dhe rajon",
        starts_at=datetime(2027, 3, 16, 8, tzinfo=ZONE),
        ends_at=datetime(2027, 3, 17, 13, tzinfo=ZONE), venue="Swiss Diamond Hotel",
        address="Sheshi Nënë Tereza, Prishtinë", organiser="KCSS",
        printed_at=datetime(2027, 3, 15, 17, 42, tzinfo=ZONE), rows=tuple(rows))


def _people() -> list[SignInRow]:
    rows = [_row(10 + i, family, "Arta") for i, family in enumerate(reversed(ALBANIAN))]
    rows += [_row(20 + i, family, "Ana") for i, family in enumerate(reversed(SERBIAN))]
    rows += [
        _row(30, "Чолић", "Ђорђе", latin=("Čolić", "Đorđe"), role=ParticipantRole.SPEAKER),
        _row(31, *LONG_NAME, organisation=LONG_ORGANISATION, role=ParticipantRole.MODERATOR),
    ]
    return rows


def _flat(pdf: bytes, *options: str) -> str:
    return " ".join(pdf_text(pdf, *options).split())


def _order(text: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: text.index(f"{name},"))


def test_text_comes_back_with_diacritics_and_cyrillic() -> None:
    require_poppler()
    rows = _people()
    text = _flat(render_signin_sheet(_document(rows), language="sq"))
    for expected in ("KCSS · SB-CI", "Mbrojtja e infrastrukturës kritike", "16–17 mars 2027",
                     "Swiss Diamond Hotel, Sheshi Nënë Tereza, Prishtinë",
                     "Lista e nënshkrimeve", "Lista potpisa · Sign-in sheet",
                     "Nënshkrimi", "Potpis", "Signature", "Чолић, Ђорђе", "Čolić, Đorđe",
                     "Folës", "Moderator", "Pjesëmarrës", "Shtypur më 15 mars 2027, 17:42",
                     "jo për publikim", "Faqja 1 nga 2", "Faqja 2 nga 2"):
        assert expected in text, expected
    for row in rows:
        assert row.code in text.split(), row.code


def test_headings_follow_the_language() -> None:
    require_poppler()
    serbian = _flat(render_signin_sheet(_document(_people()), language="sr"))
    assert "Lista potpisa Lista e nënshkrimeve · Sign-in sheet" in serbian
    assert "Strana 1 od 2" in serbian and "Odštampano 15. mart 2027., 17:42" in serbian
    assert "Govornik" in serbian
    english = _flat(render_signin_sheet(_document(_people()), language="en"))
    assert "Sign-in sheet Lista e nënshkrimeve · Lista potpisa" in english
    assert "Page 2 of 2" in english and "Printed 15 March 2027, 17:42" in english
    with pytest.raises(ValidationError, match="language"):
        render_signin_sheet(_document(_people()), language="de")


def test_rows_follow_the_albanian_collation() -> None:
    require_poppler()
    text = _flat(render_signin_sheet(_document(_people()), language="sq"), "-raw")
    assert _order(text, ALBANIAN) == ALBANIAN  # c < ç < d < dh < e < ë


def test_rows_follow_the_serbian_collation() -> None:
    require_poppler()
    text = _flat(render_signin_sheet(_document(_people()), language="sr"), "-raw")
    assert _order(text, SERBIAN) == SERBIAN  # c < č < ć < d < dž < đ
    assert text.index("Đurić,") < text.index("Чолић,")  # Latin, then Cyrillic


def _words(pdf: bytes) -> list[tuple[str, float, float, float, float, int]]:
    """(word, xMin, yMin, xMax, yMax, page) from pdftotext -bbox (points, y downwards)."""
    page_words, page = [], 0
    root = ElementTree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", pdf_text(pdf, "-bbox")))
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "page":
            page += 1
        elif tag == "word":
            box = [float(element.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            page_words.append((element.text or "", *box, page))
    return page_words


def _column(key: str) -> tuple[float, float]:
    left = MARGIN
    for name, width in COLUMNS:
        if name == key:
            return left, left + width
        left += width
    raise KeyError(key)


def test_long_texts_stay_inside_their_cells() -> None:
    require_poppler()
    rows = [*_people(), *(_row(100 + i, "Krasniqi", f"Ilir {i}", organisation=LONG_ORGANISATION)
                          for i in range(40))]
    words = _words(render_signin_sheet(_document(rows), language="sq"))
    code = row_code(31)
    (_, _, code_top, _, code_bottom, page), = [w for w in words if w[0] == code]
    centre = (code_top + code_bottom) / 2
    row_top, row_bottom = centre - ROW_HEIGHT / 2, centre + ROW_HEIGHT / 2
    pieces = {"name": ", ".join(LONG_NAME).replace("-", " ").split(),
              "organisation": LONG_ORGANISATION.split()}
    for key, expected in pieces.items():
        left, right = _column(key)
        found = [w for w in words if w[5] == page and row_top <= w[2] and w[4] <= row_bottom
                 and left <= w[1] and w[3] <= right]
        text = " ".join(w[0] for w in found).replace("-", " ")
        assert text.split() == expected, key  # every word, in order, inside the cell
    left, right = _column("organisation")
    for distinctive in ("Rregullativ", "Departamenti", "Kibernetike", "Kritike"):
        found = [w for w in words if w[0] == distinctive]
        assert len(found) == 41 and all(left <= w[1] and w[3] <= right for w in found)


def test_pages_blank_rows_and_embedded_fonts() -> None:
    require_poppler()
    rows = [_row(200 + i, f"Gashi {i:02d}", "Besa") for i in range(30)]
    pdf = render_signin_sheet(_document(rows), language="en", blank_rows=8)
    left, right = _column("no")
    numbers: dict[int, list[int]] = {}
    for word, x_min, _, x_max, _, page in _words(pdf):
        if left <= x_min and x_max <= right and word.isdigit():
            numbers.setdefault(page, []).append(int(word))
    pages = len(pdf_pages(pdf, dpi=30))
    assert sorted(numbers) == list(range(1, pages + 1)) and pages >= 2
    per_page = len(numbers[1])
    every = [n for page in sorted(numbers) for n in numbers[page]]
    assert every == list(range(1, pages * per_page + 1))  # each page full, numbered on
    assert pages * per_page >= len(rows) + 8 > (pages - 1) * per_page  # no page too many
    text = _flat(pdf)
    assert all(f"Page {n} of {pages}" in text for n in range(1, pages + 1))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "sheet.pdf")
        path.write_bytes(pdf)
        listing = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                                 text=True).stdout.splitlines()[2:]
    assert len(listing) == 2
    assert all("DejaVuSans" in line and " yes yes yes " in line for line in listing)


def test_an_empty_list_still_prints_walk_in_rows() -> None:
    require_poppler()
    text = _flat(render_signin_sheet(_document([]), language="sq", blank_rows=3))
    assert "Faqja 1 nga 1" in text and "Nënshkrimi" in text
