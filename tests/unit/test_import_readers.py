"""Reading contact files: CSV in three encodings and three delimiters, XLSX, vCard; and every
kind of bad file getting one clear error instead of a crash or garbled names."""

from __future__ import annotations

import contextlib
import csv
import io
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from smartconf.core.errors import SmartconfError
from smartconf.services.import_readers import (
    MAX_BYTES,
    VCARD_HEADERS,
    UnreadableFile,
    detect_encoding,
    read_bytes,
    read_table,
    sheet_names,
)

# Letters written the same in Windows-1250 and Windows-1252 (and so in any of the three).
COMMON = "ëçËÇéÉüÜöÖäÄáÁíÍóÓúÚßšŠžŽ"
ONLY_1250 = "čćđČĆĐ"
# Windows-1252 letters whose bytes are not Albanian/Serbian letters in Windows-1250.
# (è and æ are left out on purpose: their bytes are č and ć there, and Windows-1250 wins.)
ONLY_1252 = "àñòùêûÀÑ"
CYRILLIC = "ЂорђеЧолићЉубовЏафер"
PUNCTUATION = "„“”‘’–—…"
ASCII = "".join(chr(c) for c in range(32, 127)) + "\t\r\n"
ALPHABETS = {
    "utf-8": ASCII + COMMON + ONLY_1250 + ONLY_1252 + CYRILLIC + PUNCTUATION,
    "utf-8-sig": ASCII + COMMON + ONLY_1250 + CYRILLIC + PUNCTUATION,
    "cp1250": ASCII + COMMON + ONLY_1250 + PUNCTUATION,
    "cp1252": ASCII + COMMON + ONLY_1252 + PUNCTUATION,
}
HEADER_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_ëçË"


def _csv_bytes(rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


@st.composite
def csv_files(draw):
    encoding = draw(st.sampled_from(sorted(ALPHABETS)))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    headers = draw(st.lists(st.text(HEADER_LETTERS, min_size=1, max_size=12), min_size=2,
                            max_size=6, unique_by=str.casefold))
    cell = st.text(ALPHABETS[encoding], max_size=25)
    rows = draw(st.lists(st.lists(cell, min_size=len(headers), max_size=len(headers)),
                         max_size=8))
    return encoding, delimiter, headers, rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_any_text_written_as_csv_reads_back_the_same(case) -> None:
    encoding, delimiter, headers, rows = case
    data = _csv_bytes([headers, *rows], delimiter, encoding)
    if encoding in ("cp1250", "cp1252"):
        # Bytes that are also valid UTF-8 are read as UTF-8 when that gives plausible letters
        # ("Đš" is "К" in UTF-8); test_ambiguous_bytes covers those choices.
        with contextlib.suppress(UnicodeDecodeError):
            assume(data.decode("utf-8") == data.decode(encoding))
    table = read_bytes(data, name="people.csv")
    assert table.headers == tuple(headers)
    assert table.delimiter == delimiter
    expected = [(number, tuple(row)) for number, row in enumerate(rows, start=2)
                if any(c.strip() for c in row)]
    assert [(r.number, r.cells) for r in table.rows] == expected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        table = read_bytes(data, name="junk.csv")
    except SmartconfError as exc:
        assert exc.message.strip()
    else:
        assert table.headers


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_random_vcard_text_never_crashes(text: str) -> None:
    try:
        read_bytes(f"BEGIN:VCARD\r\n{text}".encode(), name="junk.vcf")
    except SmartconfError as exc:
        assert exc.message.strip()


@pytest.mark.parametrize(("text", "encoding", "expected"), [
    ("Emri,Mbiemri\nĐorđe,Čolić\n", "cp1250", "cp1250"),
    ("Emri,Mbiemri\nArbër,Çeku\n", "cp1252", "cp1250"),  # the same bytes: either reads right
    ("Name,Surname\nFrançois,Dupré à Paris\n", "cp1252", "cp1252"),
    ("Name,Surname\nJoão,Müller-Señor\n", "cp1252", "cp1252"),
    ("Име,Презиме\nЂорђе,Чолић\n", "utf-8", "utf-8"),
    ("Name,Surname\nȘtefan,Łukasiewicz 王\n", "utf-8", "utf-8"),  # not regional, still UTF-8
])
def test_encoding_is_detected(text: str, encoding: str, expected: str) -> None:
    data = text.encode(encoding)
    assert detect_encoding(data) == expected
    assert read_bytes(data, name="x.csv").rows[0].cells == tuple(text.split("\n")[1].split(","))


def test_ambiguous_bytes() -> None:
    # Valid UTF-8 ("Ț") but two Serbian letters in Windows-1250: the plausible reading wins.
    assert detect_encoding("Name\nČš\n".encode("cp1250")) == "cp1250"
    # "è" alone is "č" in Windows-1250; the Balkan reading wins, an explicit encoding overrides.
    data = "Name\nCrème\n".encode("cp1252")
    assert read_bytes(data, name="x.csv").rows[0].cells == ("Crčme",)
    assert read_bytes(data, name="x.csv", encoding="cp1252").rows[0].cells == ("Crème",)


def test_utf8_bom_is_not_part_of_the_first_header() -> None:
    table = read_bytes("Email;Emri\nx@y.org;Arta\n".encode("utf-8-sig"), name="x.csv")
    assert table.headers == ("Email", "Emri")
    assert table.encoding == "utf-8"


def test_mixed_encodings_are_refused_naming_the_lines() -> None:
    data = "Emri,Mbiemri\r\nĐorđe,Čolić\r\n".encode("cp1250") + "Arbër,Çeku\r\n".encode()
    with pytest.raises(UnreadableFile, match=r"mixes encodings: line 3 is UTF-8.*line 2"):
        read_bytes(data, name="mixed.csv")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "is empty"),
    (b"  \r\n\r\n", "is empty"),
    (b"\xef\xbb\xbf", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    (b"Emri,Mbiemri\nArta,Gashi\x07\n", "control character U\\+0007"),
    ("Emri,Mbiemri\n".encode("utf-16"), "UTF-16"),
    ("Emri,Mbiemri\nArta,Gashi\n".encode("utf-16-le"), "UTF-16"),
    (b"Emri\n\x81\x90\n", "not UTF-8, Windows-1250 or Windows-1252"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel"),
    (b"PK\x03\x04" + b"junk" * 20, "not a readable XLSX"),
])
def test_bad_files_get_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_bytes(data, name="bad.csv")


def test_opendocument_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "people.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(UnreadableFile, match="OpenDocument") as info:
        read_table(path)
    assert "XLSX" in info.value.hint


def test_a_50_mb_file_is_refused_fast_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written or read
    started = time.perf_counter()
    with pytest.raises(UnreadableFile, match=r"huge.csv is 50 MB; files over 20 MB"):
        read_table(path)
    assert time.perf_counter() - started < 0.5
    with pytest.raises(UnreadableFile, match="over 20 MB"):
        read_bytes(b"a" * (MAX_BYTES + 1), name="big.csv")


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match=r"Cannot read .*nothere\.csv"):
        read_table(tmp_path / "nothere.csv")


def test_ragged_rows() -> None:
    text = "Emri,Mbiemri,Email\nArta,Gashi\nBesa,Krasniqi,b@x.org,,\nDrita,Hoxha,d@x.org,extra\n"
    with pytest.raises(UnreadableFile, match="row 4 has 4 cells, the header has 3") as info:
        read_bytes(text.encode(), name="ragged.csv")
    assert info.value.row == 4
    table = read_bytes(text.rsplit("Drita", 1)[0].encode(), name="short.csv")
    assert [r.cells for r in table.rows] == [("Arta", "Gashi", ""),
                                            ("Besa", "Krasniqi", "b@x.org")]


def test_an_unclosed_quote_names_its_row() -> None:
    text = 'Emri,Mbiemri\nArta,Gashi\n"Besa,Krasniqi\nDrita,Hoxha\n'
    with pytest.raises(UnreadableFile, match='row 3 opens a quoted cell that is never closed'):
        read_bytes(text.encode(), name="quote.csv")


def test_row_numbers_are_the_spreadsheet_rows() -> None:
    text = 'Emri;Shënime\r\nArta;"two\r\nlines"\r\n\r\nBesa;x\r\n;\r\nDrita;y\r\n'
    table = read_bytes(text.encode(), name="x.csv")
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("Arta", "two\r\nlines")), (4, ("Besa", "x")), (6, ("Drita", "y"))]


def test_excel_sep_line_and_header_cleaning() -> None:
    text = "sep=;\r\nEmail; Emri ;;Email\r\na,b@x.org;Arta;z;c@x.org\r\n"
    table = read_bytes(text.encode(), name="x.csv")
    assert table.delimiter == ";"
    assert table.headers == ("Email", "Emri", "Column 3", "Email (2)")
    assert table.rows[0].cells == ("a,b@x.org", "Arta", "z", "c@x.org")


def test_tab_separated_with_commas_in_cells() -> None:
    text = "Name, given\tName, family\nArta\tGashi, Dr.\n"
    table = read_bytes(text.encode(), name="x.txt")
    assert table.delimiter == "\t"
    assert table.rows[0].cells == ("Arta", "Gashi, Dr.")


def test_formulas_and_long_cells_are_plain_text() -> None:
    long_name = "A" * 1000
    text = f'Emri,Mbiemri\n"=HYPERLINK(""http://x"",""y"")",{long_name}\n'
    table = read_bytes(text.encode(), name="x.csv")
    assert table.rows[0].cells == ('=HYPERLINK("http://x","y")', long_name)


# -- XLSX ---------------------------------------------------------------------------------------

def _workbook(path: Path) -> Path:
    book = Workbook()
    first = book.active
    first.title = "Kontaktet"
    first.append(["Emri", "Mbiemri", "Telefoni", "Data", "Formula", None, None])
    first.append(["Arbër", "Çeku", 38344123456, datetime(2026, 3, 1), "=HYPERLINK(\"x\",\"y\")"])
    first.append([None, None, None])
    first.append(["Ђорђе", "Чолић", 44.0, datetime(2026, 3, 1, 9, 30), None])
    first.cell(row=40, column=1, value="  ")  # a stray blank far below
    second = book.create_sheet("Pjesëmarrësit")
    second.append(["Email"])
    second.append(["a@x.org"])
    book.save(path)
    return path


def test_xlsx_first_sheet_as_text(tmp_path: Path) -> None:
    table = read_table(_workbook(tmp_path / "people.xlsx"))
    assert (table.format, table.sheet) == ("xlsx", "Kontaktet")
    assert table.headers == ("Emri", "Mbiemri", "Telefoni", "Data", "Formula")
    assert [(r.number, r.cells) for r in table.rows] == [
        (2, ("Arbër", "Çeku", "38344123456", "2026-03-01", '=HYPERLINK("x","y")')),
        (4, ("Ђорђе", "Чолић", "44", "2026-03-01 09:30:00", ""))]


def test_xlsx_named_sheet_and_unknown_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "people.xlsx")
    assert sheet_names(path) == ["Kontaktet", "Pjesëmarrësit"]
    assert read_table(path, sheet="Pjesëmarrësit").rows[0].cells == ("a@x.org",)
    with pytest.raises(UnreadableFile, match="no sheet 'Other'") as info:
        read_table(path, sheet="Other")
    assert "Kontaktet, Pjesëmarrësit" in info.value.hint


def test_xlsx_ragged_row(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Emri", "Mbiemri"])
    book.active.append(["Arta", "Gashi", "extra"])
    book.save(tmp_path / "r.xlsx")
    with pytest.raises(UnreadableFile, match="row 2 has 3 cells, the header has 2"):
        read_table(tmp_path / "r.xlsx")


def test_xlsx_detected_by_content_not_name(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "people.xlsx")
    renamed = tmp_path / "people.csv"
    renamed.write_bytes(path.read_bytes())
    assert read_table(renamed).format == "xlsx"


# -- vCard --------------------------------------------------------------------------------------

VCARDS = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Çeku;Arbër;;Dr.;\r\n"
    "FN:Dr. Arbër Çeku\r\n"
    "EMAIL;TYPE=work:arber.ceku@example.org\r\n"
    "item1.EMAIL;TYPE=\"home,pref\":arber@example.net\r\n"
    "TEL;TYPE=cell:+383 44 123 456\r\n"
    "ORG:Ministria e Punëve të Brendshme;Departamenti për\r\n"
    "  Sigurinë Kibernetike\r\n"
    "TITLE:Këshilltar\\, i lartë\r\n"
    "NOTE:Line one\\nline two\r\n"
    "CATEGORIES:speaker-pool,cyber\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Ђорђе Чолић\r\n"
    "TEL;VALUE=uri;TYPE=work:tel:+381-64-123-4567\r\n"
    "LANG;PREF=1:sr-Cyrl\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=8Bm=C3=ABrllahu;Vjosa=\r\n"
    ";;;\r\n"
    "END:VCARD\r\n"
)


def test_vcards_3_and_4_unfolded() -> None:
    table = read_bytes(VCARDS.encode(), name="contacts.vcf")
    assert (table.format, table.headers) == ("vcard", VCARD_HEADERS)
    rows = [dict(zip(VCARD_HEADERS, r.cells, strict=True)) for r in table.rows]
    assert [r.number for r in table.rows] == [1, 14, 20]
    assert rows[0] == {
        "full_name": "Dr. Arbër Çeku", "given_name": "Arbër", "family_name": "Çeku",
        "honorific": "Dr.", "email": "arber.ceku@example.org; arber@example.net",
        "phone": "+383 44 123 456", "organisation": "Ministria e Punëve të Brendshme",
        "position": "Këshilltar, i lartë", "language": "", "notes": "Line one\nline two",
        "tags": "speaker-pool; cyber"}
    assert (rows[1]["full_name"], rows[1]["phone"], rows[1]["language"]) == (
        "Ђорђе Чолић", "+381-64-123-4567", "sr-Cyrl")
    assert (rows[2]["given_name"], rows[2]["family_name"]) == ("Vjosa", "Ëmërllahu")


@pytest.mark.parametrize(("text", "message"), [
    (" BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n", "line 1 starts with a space"),
    ("BEGIN:VCARD\r\nFN:Arta\r\nGashi\r\nEND:VCARD\r\n",
     "card 1, line 3 is not a vCard property"),
    ("BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:B\r\n",
     r"card 2 \(from line 4\) has no END:VCARD"),
    ("BEGIN:VCARD\r\nFN:A\r\nBEGIN:VCARD\r\nFN:B\r\nEND:VCARD\r\n",
     r"card 1 \(from line 1\) has no END:VCARD"),
    ("BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nFN:B\r\n", "line 4 is outside any card"),
])
def test_broken_vcards_name_the_card_and_line(text: str, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_bytes(text.encode(), name="broken.vcf")
