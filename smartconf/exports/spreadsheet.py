"""Spreadsheets from a ``Table``: CSV (UTF-8 with BOM) and XLSX. Table in, bytes out.

No value ever becomes a live formula (DESIGN.md §4), and no character of a value is lost:

* CSV: a text that starts with ``= + - @``, a tab or a carriage return (or their full-width
  forms ``＝ ＋ － ＠``) gets one apostrophe in front, unless it is a plain number (``-5``,
  ``-0.5``), which a spreadsheet reads as that number. Everything after the apostrophe is the
  value unchanged: ``+383 44 123 456`` is written ``'+383 44 123 456``, which Excel and
  LibreOffice show as text. Integers are written as numbers, dates as ISO ``2027-03-16``,
  datetimes as ``2027-03-16 09:14:00``. Rows end with CRLF; quoting is the csv module's
  minimal quoting.
* XLSX: every text is a string cell (never a formula, never an error value), so no prefix is
  needed and the cell holds exactly the value. Characters XML cannot carry (CR, the control
  characters) and a literal ``_xHHHH_`` are written with the OOXML ``_xHHHH_`` escape that
  Excel and LibreOffice decode (ECMA-376 ST_Xstring). Numbers and dates are native cells.
  The header row is bold and frozen, columns are sized to their content and the header has an
  autofilter.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from itertools import islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from smartconf.core.errors import ValidationError
from smartconf.core.tabular import Cell, Table

FORMATS = ("csv", "xlsx")
DELIMITERS = (",", ";")
BOM = "\ufeff"
FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
_SHEET_TITLE_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE = 500
_MIN_WIDTH, _MAX_WIDTH = 6, 60
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def neutralise_formula(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs as a formula (see the module doc)."""
    if text and text[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _csv_value(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_csv(table: Table, *, delimiter: str = ",") -> bytes:
    """The table as CSV: UTF-8 with BOM (Excel then reads the encoding), CRLF rows."""
    if delimiter not in DELIMITERS:
        raise ValidationError(f"the CSV delimiter is ',' or ';', not {delimiter!r}",
                              field="delimiter")
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([neutralise_formula(header) for header in table.columns])
    writer.writerows([_csv_value(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8")


def ooxml_escape(text: str) -> str:
    """``text`` with the characters XML cannot hold written as ``_xHHHH_`` (ST_Xstring)."""
    if not _XML_UNSAFE.search(text):
        return text
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def string_cell(sheet, text: str, font: Font | None = None) -> WriteOnlyCell:
    """A string cell holding ``text`` (already escaped) exactly."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # never "f" (formula) or "e" (error), whatever the text looks like
    if font is not None:
        cell.font = font
    return cell


def _xlsx_value(sheet, value: Cell):
    """A value for ``sheet.append``: texts openpyxl would take for a formula or an error value
    go in explicit string cells; other texts are typed as strings by openpyxl itself (that
    saves building a cell object per text, a third of the time)."""
    if not isinstance(value, str):
        return value
    text = ooxml_escape(value)
    if text.startswith("=") or text in ERROR_CODES:
        return string_cell(sheet, text)
    return text


def _display_width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(table: Table) -> list[float]:
    """Widths (in characters) that fit the header and the first rows, within 6..60."""
    widths = [len(header) + 3 for header in table.columns]  # room for the filter button
    for row in islice(table.rows, _WIDTH_SAMPLE):
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_width(value) + 1)
    return [float(min(_MAX_WIDTH, max(_MIN_WIDTH, w))) for w in widths]


def _sheet_title(title: str) -> str:
    clean = _SHEET_TITLE_UNSAFE.sub(" ", title).strip().strip("'")[:31].strip()
    return clean or "Sheet1"


def write_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook of one sheet (write-only mode: fast, little memory)."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = table.title
    workbook.properties.creator = "smartconf"
    workbook.properties.identifier = table.version or None
    sheet = workbook.create_sheet(title=_sheet_title(table.title))
    for index, width in enumerate(column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([string_cell(sheet, ooxml_escape(header), bold) for header in table.columns])
    for row in table.rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    if table.columns:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check_format(fmt: str) -> str:
    """``fmt`` if it is a spreadsheet format written here, else ValidationError."""
    if fmt not in FORMATS:
        raise ValidationError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})",
                              field="format")
    return fmt


def write_table(table: Table, fmt: str, *, delimiter: str = ",") -> bytes:
    """The table as ``fmt`` ("csv" or "xlsx")."""
    if check_format(fmt) == "csv":
        return write_csv(table, delimiter=delimiter)
    return write_xlsx(table)
