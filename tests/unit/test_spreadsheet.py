"""CSV and XLSX from a Table: no live formula, no character lost, spreadsheet niceties."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from smartconf.core.errors import ValidationError
from smartconf.core.tabular import Table
from smartconf.exports.spreadsheet import (
    BOM,
    neutralise_formula,
    write_csv,
    write_table,
    write_xlsx,
)

DANGEROUS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+383 44 123 456",
    "-5",
    "\t=1+1",
    "\r=1+1",
    "-1+1",
    "＝1+1",
    "#N/A",
    "=",
    "line one\r\nline two",
    "_x0041_ stays _x0041_",
    "bell\x07 and nul\x00 inside",
]
PLAIN_NUMBERS = {"-5"}


def _table(values: list[str]) -> Table:
    return Table("Formula test", ("Value", "Number", "Day"),
                 [(v, i, date(2027, 3, 16)) for i, v in enumerate(values)])


def _csv_rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    assert data.startswith(BOM.encode("utf-8"))
    text = data.decode("utf-8")[1:]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_neutralises_formulas_without_losing_a_character(delimiter) -> None:
    rows = _csv_rows(write_csv(_table(DANGEROUS), delimiter=delimiter), delimiter)
    assert rows[0] == ["Value", "Number", "Day"]
    for original, (cell, number, day) in zip(DANGEROUS, rows[1:], strict=True):
        if original in PLAIN_NUMBERS or original[0] not in "=+-@\t\r＝＋－＠":
            assert cell == original
        else:
            assert cell == "'" + original  # one apostrophe, then the value unchanged
        assert not cell.startswith(("=", "+", "@", "\t", "\r"))
        assert number.isdigit() and day == "2027-03-16"


def test_csv_encoding_line_ends_and_quoting() -> None:
    table = Table("People", ("Name", "Note"), [("Çeku; Ђорђе", 'said "yes", then left'),
                                              ("Gashi", None)])
    data = write_csv(table, delimiter=";")
    assert data.startswith(b"\xef\xbb\xbfName;Note\r\n")
    assert data.count(b"\r\n") == 3
    assert _csv_rows(data, ";")[1:] == [["Çeku; Ђорђе", 'said "yes", then left'], ["Gashi", ""]]


def test_neutralise_formula_keeps_plain_numbers_and_ordinary_text() -> None:
    assert neutralise_formula("-0.5") == "-0.5"
    assert neutralise_formula("+5") == "'+5"  # "+" numbers are phone-like: kept as text
    assert neutralise_formula("Arta Gashi") == "Arta Gashi"
    assert neutralise_formula("") == ""


def test_xlsx_text_cells_are_strings_with_identical_values() -> None:
    workbook = load_workbook(io.BytesIO(write_xlsx(_table(DANGEROUS))))
    sheet = workbook.active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    values = [unescape(c.value) for c in sheet["A"][1:]]  # OOXML _xHHHH_ escapes decoded
    assert values == DANGEROUS
    assert all(c.data_type == "s" for c in sheet["A"])
    assert [c.value for c in sheet["B"][1:]] == list(range(len(DANGEROUS)))
    assert sheet["C2"].value == datetime(2027, 3, 16) and sheet["C2"].is_date


def test_xlsx_header_freeze_filter_widths_and_properties() -> None:
    table = Table("Contacts: [export]", ("Given name", "Family name", "Position"),
                  [("Ђорђе", "Чолић", "Помоћник министра за информациону безбедност")] * 3,
                  version="contacts/1")
    workbook = load_workbook(io.BytesIO(write_xlsx(table)))
    sheet = workbook.active
    assert sheet.title == "Contacts   export"
    assert [c.value for c in sheet[1]] == list(table.columns)
    assert all(c.font.bold for c in sheet[1]) and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    widths = [sheet.column_dimensions[col].width for col in "ABC"]
    assert widths[0] < widths[2] <= 60 and widths[0] >= len("Given name")
    assert workbook.properties.identifier == "contacts/1"
    assert sheet["C2"].value == table.rows[0][2]


def test_table_checks_its_rows() -> None:
    with pytest.raises(ValueError, match="row 2 has 1 values"):
        Table("t", ("a", "b"), [("x", "y"), ("x",)])
    with pytest.raises(TypeError, match="list"):
        Table("t", ("a",), [([],)])
    with pytest.raises(ValueError, match="naive"):
        Table("t", ("a",), [(datetime(2027, 1, 1).astimezone(),)])


def test_write_table_dispatches_and_refuses_unknown_formats() -> None:
    table = Table("t", ("a",), [("=1",)])
    assert write_table(table, "csv", delimiter=";") == write_csv(table, delimiter=";")
    assert write_table(table, "xlsx")[:2] == b"PK"
    with pytest.raises(ValidationError, match="format"):
        write_table(table, "ods")
    with pytest.raises(ValidationError, match="delimiter"):
        write_csv(table, delimiter="|")
