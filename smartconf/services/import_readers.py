"""Reading contact files into a table of text cells: CSV, XLSX and vCard.

Every reader gives a :class:`SourceTable`: the header names and the non-blank rows, each with
its 1-based row number as a spreadsheet program shows it (the header is row 1; for vCards a
row is a card and its number is the line of its ``BEGIN:VCARD``). Cells are text exactly as
written: nothing is trimmed, converted or evaluated here (``=HYPERLINK(...)`` is a string).

Whole-file problems raise :class:`UnreadableFile` (a SmartconfError) with one sentence that
names the file and, where it helps, the row or line: too big, empty, binary, not UTF-8,
Windows-1250 or Windows-1252 text, mixed encodings, ragged rows, broken vCard folding.

CSV encoding: a UTF-8 BOM or valid UTF-8 wins; otherwise Windows-1250 and Windows-1252 are
told apart by which one reads as the letters of Albanian, Serbian and Western names (a file
whose only accented letters are è/æ is read as č/ć, Windows-1250; pass ``encoding`` to
override). The delimiter (comma, semicolon or tab) is the one that splits the header into the
most columns consistently with the rows below it; an Excel ``sep=;`` first line is honoured.
"""

from __future__ import annotations

import csv
import io
import quopri
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from smartconf.core.errors import SmartconfError

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: ~100,000 contacts; bigger files are refused unread
MAX_ROWS = 200_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000
ENCODINGS = ("utf-8", "cp1250", "cp1252")
DELIMITERS = (",", ";", "\t")
VCARD_HEADERS = ("full_name", "given_name", "family_name", "honorific", "email", "phone",
                 "organisation", "position", "language", "notes", "tags")
_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1250": "Windows-1250",
                   "cp1252": "Windows-1252"}
_SNIFF_CHARS = 64 * 1024
_SNIFF_ROWS = 50

# Letters that names in Albanian, Serbian and Western European languages are written with.
_EXPECTED = frozenset("ëçčćđšžËÇČĆĐŠŽ"
                      "áàâäåãéèêíìîïñóòôöõúùûüýÿßæœøÁÀÂÄÅÉÈÊÍÌÎÏÑÓÒÔÖÚÙÛÜÝŸÆŒØ")
# Punctuation that real text has next to letters; other symbols right after an accented
# letter are the trace of UTF-8 read as a one-byte code page ("Ä™", "Đ°").
_QUOTES_DASHES = frozenset("«»“”„‘’‚…–—\u00a0")
_LETTERS_OK = re.compile(f"[{''.join(sorted(_EXPECTED))}\u0400-\u04ff]+")
_IMPLAUSIBLE = re.compile(
    f"[^\x00-\x7f{''.join(sorted(_EXPECTED | _QUOTES_DASHES))}\u0400-\u04ff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UTF8_PAIR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SEP_LINE = re.compile(r"\A\ufeff?sep=(.)\r?\n", re.IGNORECASE)


class UnreadableFile(SmartconfError):
    """The file as a whole cannot be read as a table; ``row`` names the row when one is to
    blame."""

    def __init__(self, message: str, *, row: int | None = None, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.row = row


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One row of the file: its number as a spreadsheet shows it, and its cells."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class SourceTable:
    """What a reader found in a file: header names (unique, non-empty) and rows."""

    name: str  # file name, for messages
    format: str  # "csv", "xlsx" or "vcard"
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    encoding: str | None = None  # CSV and vCard: utf-8, cp1250 or cp1252
    delimiter: str | None = None  # CSV
    sheet: str | None = None  # XLSX

    def __len__(self) -> int:
        return len(self.rows)

    def preview(self, count: int = 20) -> tuple[SourceRow, ...]:
        """The first ``count`` rows, for a preview table."""
        return self.rows[:count]

    def samples(self, header: str, count: int = 3) -> list[str]:
        """The first ``count`` non-empty values of a column (shown next to the mapping)."""
        index = self.headers.index(header)
        values = (row.cells[index].strip() for row in self.rows if index < len(row.cells))
        return [v for v in values if v][:count]

    @property
    def description(self) -> str:
        """"people.csv (CSV, Windows-1250, ';')" and the like."""
        details = [self.format.upper()]
        if self.encoding:
            details.append(_ENCODING_NAMES.get(self.encoding, self.encoding))
        if self.delimiter:
            details.append("tab" if self.delimiter == "\t" else f"'{self.delimiter}'")
        if self.sheet:
            details.append(f"sheet '{self.sheet}'")
        return f"{self.name} ({', '.join(details)})"


# -- entry points -----------------------------------------------------------------------------

def read_table(path: Path | str, *, sheet: str | None = None, encoding: str | None = None,
               delimiter: str | None = None) -> SourceTable:
    """Read a CSV, XLSX or vCard file, told apart by content (not by the file name)."""
    path = Path(path)
    data = read_limited(path)
    return read_bytes(data, name=path.name, sheet=sheet, encoding=encoding,
                      delimiter=delimiter)


def read_bytes(data: bytes, *, name: str, sheet: str | None = None,
               encoding: str | None = None, delimiter: str | None = None) -> SourceTable:
    """Like read_table, for a file already in memory."""
    if len(data) > MAX_BYTES:
        raise _too_big(name, len(data))
    if _is_workbook(data, name):
        return read_xlsx_bytes(data, name=name, sheet=sheet)
    text, used = decode_text(data, name=name, encoding=encoding)
    if text.lstrip("\ufeff \t\r\n")[:11].upper() == "BEGIN:VCARD":
        return read_vcard_text(text, name=name, encoding=used)
    return read_csv_text(text, name=name, encoding=used, delimiter=delimiter)


def read_limited(path: Path) -> bytes:
    """The bytes of ``path``; a file over MAX_BYTES is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(path.name, size)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UnreadableFile(f"Cannot read {path} ({exc.strerror or exc}).") from exc
    if len(data) > MAX_BYTES:  # grew while we looked, or a device that lies about its size
        raise _too_big(path.name, len(data))
    return data


def sheet_names(path: Path | str) -> list[str]:
    """The worksheet names of an XLSX file, in workbook order (for a sheet chooser)."""
    path = Path(path)
    with _workbook(read_limited(path), path.name) as book:
        return list(book.sheetnames)


def _too_big(name: str, size: int) -> UnreadableFile:
    return UnreadableFile(
        f"{name} is {size / 2**20:.0f} MB; files over {MAX_BYTES // 2**20} MB are not "
        "imported.", hint="Split it into smaller files.")


def _is_workbook(data: bytes, name: str) -> bool:
    """True for an XLSX (zip) file; empty files and other spreadsheet formats are refused."""
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise UnreadableFile(f"{name} is empty.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(f"{name} is an old Excel (.xls) workbook.",
                             hint="Save it as XLSX or CSV UTF-8 and import that.")
    if not data.startswith(b"PK\x03\x04"):
        return False
    if b"mimetypeapplication/vnd.oasis.opendocument" in data[:100]:
        raise UnreadableFile(f"{name} is an OpenDocument spreadsheet.",
                             hint="Save it as XLSX or CSV and import that.")
    return True


# -- text decoding ----------------------------------------------------------------------------

def decode_text(data: bytes, *, name: str = "the file",
                encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with (see the module docstring)."""
    _refuse_binary(data, name)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = encoding or "utf-8"
        data = data[3:]
    if encoding is not None:
        return _decode_as(data, encoding, name), encoding
    chosen = detect_encoding(data, name=name)
    return data.decode(chosen), chosen


def _decode_as(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        label = _ENCODING_NAMES.get(encoding, encoding)
        raise UnreadableFile(f"{name} is not {label} text.") from exc
    _refuse_controls(text, name)
    return text


def detect_encoding(data: bytes, *, name: str = "the file") -> str:
    """utf-8, cp1250 or cp1252 for ``data`` (without BOM); UnreadableFile when none fits."""
    texts = {}
    for candidate in ENCODINGS:
        try:
            texts[candidate] = data.decode(candidate)
        except UnicodeDecodeError:
            continue
    utf8 = texts.pop("utf-8", None)
    if utf8 is not None:
        _refuse_controls(utf8, name)
        if _bad_chars(utf8) == 0:
            return "utf-8"
        clean = [e for e, t in texts.items() if _bad_chars(t) == 0]
        return max(clean, key=lambda e: _good_chars(texts[e])) if clean else "utf-8"
    if not texts:
        raise UnreadableFile(f"{name} is not UTF-8, Windows-1250 or Windows-1252 text.",
                             hint="Save it as 'CSV UTF-8' and import that.")
    _refuse_mixed(data, name)
    for text in texts.values():
        _refuse_controls(text, name)
    # Fewest implausible characters, then most letters of the languages; ties: Windows-1250.
    return max(texts, key=lambda e: (-_bad_chars(texts[e]), _good_chars(texts[e])))


def _refuse_binary(data: bytes, name: str) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
            b"\x00" in data[:4096] and _looks_utf16(data[:4096])):
        raise UnreadableFile(f"{name} is UTF-16 text ('Unicode text').",
                             hint="Save it as 'CSV UTF-8' and import that.")
    if b"\x00" in data:
        raise UnreadableFile(f"{name} is not a text file (it contains binary data).",
                             hint="Import a CSV, XLSX or vCard file.")


def _looks_utf16(head: bytes) -> bool:
    """Latin text in UTF-16 without BOM: every other byte is NUL."""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    return half >= 4 and max(even, odd) > 0.4 * half and min(even, odd) < 0.1 * half


def _refuse_controls(text: str, name: str) -> None:
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise UnreadableFile(
            f"{name} is not a text file (line {line} has the control character "
            f"U+{ord(found.group()):04X}).", hint="Import a CSV, XLSX or vCard file.")


def _is_letter_ok(ch: str) -> bool:
    return ch in _EXPECTED or "\u0400" <= ch <= "\u04ff"


def _bad_chars(text: str) -> int:
    """Non-ASCII characters that do not belong in names and contact lists: letters of other
    alphabets, and symbols right after an accented letter ("Ä™", "Đ°": UTF-8 misread)."""
    bad = 0
    for found in _IMPLAUSIBLE.finditer(text):
        before = text[found.start() - 1] if found.start() else ""
        if found.group().isalpha() or (before >= "\x80" and before.isalpha()):
            bad += 1
    return bad


def _good_chars(text: str) -> int:
    """How many letters of the languages (accented Latin, Cyrillic) the text has."""
    return sum(len(run) for run in _LETTERS_OK.findall(text))


def _refuse_mixed(data: bytes, name: str) -> None:
    """UTF-8 letters inside a file that is not UTF-8 as a whole: someone pasted text in."""
    for pair in _UTF8_PAIR.finditer(data):
        letter = pair.group().decode("utf-8")
        if not _is_letter_ok(letter) or _pair_reads_clean(pair.group()):
            continue
        lines = data.split(b"\n")
        utf8_line = data.count(b"\n", 0, pair.start()) + 1
        other = next(i for i, line in enumerate(lines, 1) if not _valid_utf8(line))
        raise UnreadableFile(
            f"{name} mixes encodings: line {utf8_line} is UTF-8 ('{letter}') but line "
            f"{other} is not.", row=other,
            hint="Open it in a spreadsheet program, fix the garbled names and save it as "
                 "'CSV UTF-8'.")


def _pair_reads_clean(pair: bytes) -> bool:
    """True when the two bytes are plausible text in a one-byte code page too ("Đ“")."""
    for encoding in ("cp1250", "cp1252"):
        try:
            if _bad_chars(pair.decode(encoding)) == 0:
                return True
        except UnicodeDecodeError:
            continue
    return False


def _valid_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# -- CSV --------------------------------------------------------------------------------------

def read_csv_text(text: str, *, name: str, encoding: str | None = None,
                  delimiter: str | None = None) -> SourceTable:
    """A CSV table from decoded text; the delimiter is sniffed unless given."""
    sep = _SEP_LINE.match(text)
    if sep:
        delimiter, text = delimiter or sep.group(1), text[sep.end():]
    text = text.removeprefix("\ufeff")
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    records = _csv_records(text, delimiter, name)
    _, header = next(records, (1, []))
    headers = _clean_headers(header, name)
    rows = _rows(records, len(headers), name)
    return SourceTable(name, "csv", headers, rows, encoding=encoding, delimiter=delimiter)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into columns that the next rows agree with."""
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)

    def score(delimiter: str) -> tuple:
        records, clean = _sample_records(sample, delimiter, truncated)
        if not records:
            return (False, False, False, 0, 0.0)
        width = len(records[0])
        body = [r for r in records[1:] if any(c.strip() for c in r)]
        agree = sum(1 for r in body if len(r) == width) / len(body) if body else 1.0
        return (clean, width > 1, agree >= 0.8, width, agree)

    return max(DELIMITERS, key=lambda d: (score(d), -DELIMITERS.index(d)))


def _sample_records(sample: str, delimiter: str, truncated: bool) -> tuple[list, bool]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) >= _SNIFF_ROWS:
                break
    except csv.Error:
        return records, truncated and len(records) > 1  # a cut quoted cell is not an error
    return records, True


def _csv_records(text: str, delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of every record, blank ones included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableFile(_csv_problem(name, number, reader.line_num, str(exc)),
                                 row=number) from exc
        yield number, record


def _csv_problem(name: str, row: int, line: int, detail: str) -> str:
    if "unexpected end of data" in detail:
        return (f"{name}: row {row} opens a quoted cell that is never closed "
                "(a missing \" somewhere from there on).")
    if "field larger than field limit" in detail:
        return f"{name}: row {row} (line {line}) has a cell longer than the limit."
    return f"{name}: row {row} (line {line}) is not valid CSV ({detail})."


def _clean_headers(cells: Iterable[str], name: str) -> tuple[str, ...]:
    headers = [" ".join(str(c).split()) for c in cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise UnreadableFile(f"{name} has no header row (the first row is empty).",
                             hint="Put column names such as 'First name', 'E-mail' in row 1.")
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile(f"{name} has {len(headers)} columns; at most {MAX_COLUMNS} are "
                             "read.")
    seen: dict[str, int] = {}
    unique = []
    for index, header in enumerate(headers, start=1):
        label = header or f"Column {index}"
        seen[label.casefold()] = seen.get(label.casefold(), 0) + 1
        if seen[label.casefold()] > 1:
            label = f"{label} ({seen[label.casefold()]})"
        unique.append(label)
    return tuple(unique)


def _rows(records: Iterable[tuple[int, list]], width: int, name: str) -> tuple[SourceRow, ...]:
    """Non-blank rows padded to the header's width; longer rows are refused."""
    rows = []
    for number, cells in records:
        if not any(str(c).strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(f"{name} has more than {MAX_ROWS:,} rows.",
                                 hint="Split it into smaller files.")
        if len(cells) > width:
            extra = cells[width:]
            if any(str(c).strip() for c in extra):
                raise UnreadableFile(
                    f"{name}: row {number} has {_last_filled(cells)} cells, the header has "
                    f"{width}.", row=number,
                    hint="A delimiter inside a cell needs quotes around the cell.")
            cells = cells[:width]
        if any(len(c) > MAX_CELL_CHARS for c in cells):
            raise UnreadableFile(f"{name}: row {number} has a cell longer than "
                                 f"{MAX_CELL_CHARS:,} characters.", row=number)
        rows.append(SourceRow(number, (*cells, *[""] * (width - len(cells)))))
    return tuple(rows)


def _last_filled(cells: list) -> int:
    return max(i for i, c in enumerate(cells, start=1) if str(c).strip())


# -- XLSX -------------------------------------------------------------------------------------

@contextmanager
def _workbook(data: bytes, name: str) -> Iterator:
    """An openpyxl read-only workbook that is always closed, with openpyxl's chatter muted."""
    from openpyxl import load_workbook  # imported when a workbook is actually read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "no default style" and similar UserWarnings
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as exc:  # zipfile, XML and openpyxl's own errors alike
            raise UnreadableFile(f"{name} is not a readable XLSX workbook "
                                 f"({type(exc).__name__}).",
                                 hint="Open it in Excel and save it again as .xlsx.") from exc
    try:
        yield book
    finally:
        book.close()


def read_xlsx_bytes(data: bytes, *, name: str, sheet: str | None = None) -> SourceTable:
    """The first worksheet (or the one named ``sheet``) of an XLSX workbook.

    A formula cell gives its formula text ("=HYPERLINK(...)"), never a computed value.
    """
    with _workbook(data, name) as book:
        if sheet is None:
            worksheet = book.worksheets[0] if book.worksheets else None
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise UnreadableFile(f"{name} has no sheet '{sheet}'.",
                                 hint=f"Its sheets: {', '.join(book.sheetnames)}.")
        if worksheet is None:
            raise UnreadableFile(f"{name} has no worksheet.")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                records = list(_sheet_records(worksheet, name))
            except UnreadableFile:
                raise
            except Exception as exc:
                raise UnreadableFile(f"{name} is not a readable XLSX workbook "
                                     f"({type(exc).__name__}).") from exc
        title = worksheet.title
    if not records:
        raise UnreadableFile(f"{name}: the sheet '{title}' is empty.")
    headers = _clean_headers(records[0][1], name)
    return SourceTable(name, "xlsx", headers, _rows(records[1:], len(headers), name),
                       sheet=title)


def _sheet_records(worksheet, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of the rows that have a value; blank rows are left out
    (their numbers stay), so formatting down to row 1,048,576 costs no memory."""
    filled = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in values[:MAX_COLUMNS + 1]]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            continue
        filled += 1
        if filled > MAX_ROWS + 1:
            raise UnreadableFile(f"{name} has more than {MAX_ROWS:,} rows.",
                                 hint="Split it into smaller files.")
        yield number, cells


def cell_text(value) -> str:
    """A spreadsheet value as the text a person sees: 44.0 -> "44", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else \
            value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# -- vCard ------------------------------------------------------------------------------------

@dataclass
class _Card:
    line: int  # of BEGIN:VCARD
    values: dict[str, list[str]]


def read_vcard_text(text: str, *, name: str, encoding: str | None = None) -> SourceTable:
    """Contacts from vCard 3.0/4.0 text (2.1 quoted-printable values are decoded too).

    One row per card, numbered by the line of its BEGIN:VCARD, under the canonical field
    names (``VCARD_HEADERS``); several e-mails or phones are joined with "; ".
    """
    cards = list(_cards(_logical_lines(text.removeprefix("\ufeff"), name), name))
    if not cards:
        raise UnreadableFile(f"{name} has no vCard in it.")
    if len(cards) > MAX_ROWS:
        raise UnreadableFile(f"{name} has more than {MAX_ROWS:,} cards.")
    rows = tuple(SourceRow(card.line, tuple("; ".join(card.values.get(h, []))
                                            for h in VCARD_HEADERS)) for card in cards)
    return SourceTable(name, "vcard", VCARD_HEADERS, rows, encoding=encoding)


def _logical_lines(text: str, name: str) -> Iterator[tuple[int, str]]:
    """(first line number, unfolded content line); RFC 6350 folding and 2.1 soft breaks."""
    current: str | None = None
    start = 0
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if line[:1] in (" ", "\t"):
            if current is None:
                raise UnreadableFile(
                    f"{name}: line {number} starts with a space but continues no line "
                    "(broken folding).", row=number)
            current += line[1:]
            continue
        if current is not None and _qp_soft_break(current):
            current = current[:-1] + line
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _qp_soft_break(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head and line.endswith("=")


def _cards(lines: Iterable[tuple[int, str]], name: str) -> Iterator[_Card]:
    card: _Card | None = None
    count = 0
    for number, line in lines:
        if not line.strip():
            continue
        key = line.strip().upper()
        if key == "BEGIN:VCARD":
            if card is not None:
                raise _no_end(name, count, card.line)
            count += 1
            card = _Card(number, {})
        elif key == "END:VCARD":
            if card is None:
                raise UnreadableFile(f"{name}: line {number} ends a card that never began.",
                                     row=number)
            yield card
            card = None
        elif card is None:
            raise UnreadableFile(f"{name}: line {number} is outside any card.", row=number)
        else:
            _property(card, line, number, name, count)
    if card is not None:
        raise _no_end(name, count, card.line)


def _no_end(name: str, count: int, line: int) -> UnreadableFile:
    return UnreadableFile(f"{name}: card {count} (from line {line}) has no END:VCARD.",
                          row=line)


def _split_content_line(line: str) -> tuple[str, str, str] | None:
    """(name, parameters, value) of "item1.EMAIL;TYPE=work:a@b"; quotes may hide colons."""
    quoted = False
    for index, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:index], line[index + 1:]
            prop, _, params = head.partition(";")
            prop = prop.rsplit(".", 1)[-1].strip().upper()
            if not prop or not re.fullmatch(r"[A-Z0-9-]+", prop):
                return None
            return prop, params.upper(), value
    return None


def _property(card: _Card, line: str, number: int, name: str, count: int) -> None:
    parts = _split_content_line(line)
    if parts is None:
        raise UnreadableFile(
            f"{name}: card {count}, line {number} is not a vCard property ('{line[:40]}'); "
            "a folded line may have lost its leading space.", row=number)
    prop, params, value = parts
    if "QUOTED-PRINTABLE" in params:
        charset = re.search(r"CHARSET=([\w-]+)", params)
        try:
            value = quopri.decodestring(value.encode("latin-1", "replace")).decode(
                charset.group(1) if charset else "utf-8", "replace")
        except LookupError:
            value = quopri.decodestring(value.encode("latin-1", "replace")).decode(
                "utf-8", "replace")
    _store(card.values, prop, value)


def _store(values: dict[str, list[str]], prop: str, value: str) -> None:
    def add(field: str, text: str) -> None:
        text = text.strip()
        if text:
            values.setdefault(field, []).append(text)

    if prop == "FN":
        add("full_name", _unescape(value))
    elif prop == "N":
        family, given, extra, prefix, _suffix = (_structured(value) + [""] * 5)[:5]
        add("family_name", family)
        add("given_name", " ".join(p for p in (given, extra) if p))
        add("honorific", prefix)
    elif prop == "EMAIL":
        add("email", _unescape(value).removeprefix("mailto:"))
    elif prop == "TEL":
        add("phone", _unescape(value).removeprefix("tel:"))
    elif prop == "ORG":
        add("organisation", (_structured(value) or [""])[0])
    elif prop == "TITLE":
        add("position", _unescape(value))
    elif prop == "LANG":
        add("language", _unescape(value))
    elif prop == "NOTE":
        add("notes", _unescape(value))
    elif prop == "CATEGORIES":
        for tag in _split_unescaped(value, ","):
            add("tags", _unescape(tag))


def _split_unescaped(value: str, separator: str) -> list[str]:
    return re.split(rf"(?<!\\){re.escape(separator)}", value)


def _structured(value: str) -> list[str]:
    return [_unescape(part) for part in _split_unescaped(value, ";")]


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)
