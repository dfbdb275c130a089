"""The Exports page writes the chosen export with the options shown, in the background."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from smartconf.ui.pages.exports import ExportsPage


def _page(window) -> ExportsPage:
    window.show_page(5)
    return window.page(ExportsPage)


def _select(page: ExportsPage, key: str, fmt: str | None = None) -> None:
    keys = [row.key for row in page.exports.rows()]
    page.exports_view.selectRow(keys.index(key))
    if fmt is not None:
        page.format.setCurrentIndex(page.format.findData(fmt))
        assert page.format.currentData() == fmt


def test_attendee_list_as_xlsx(window, qtbot, tmp_path: Path) -> None:
    page = _page(window)
    _select(page, "attendee_list", "xlsx")
    target = tmp_path / "attendees.xlsx"
    with qtbot.waitSignal(page.export_finished, timeout=20_000) as finished:
        page.export_to(target)
    assert finished.args == [str(target)]
    sheet = load_workbook(target).active
    assert sheet.max_row > 1
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_outcome_report_as_docx(window, qtbot, tmp_path: Path) -> None:
    page = _page(window)
    _select(page, "outcome_report", "docx")
    target = tmp_path / "outcomes.docx"
    with qtbot.waitSignal(page.export_finished, timeout=20_000):
        page.export_to(target)
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert text.startswith("OUTCOME REPORT")
    assert "Commitments" in text
