"""Step 4 of the import: what it did (or would do), the rows in error with their fields, and
the report saved as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.errors import SmartconfError
from smartconf.services.contact_import import ImportReport
from smartconf.ui.errors import show_error
from smartconf.ui.formatting import fill
from smartconf.ui.stakeholder_tools.common import last_folder, write_file


class ReportStep(QWidget):
    """The report of the last dry run or import."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.report: ImportReport | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.errors = QTableWidget(0, 3)
        self.errors.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Field"),
                                               self.tr("Problem")])
        self.errors.verticalHeader().hide()
        self.errors.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.errors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.save_button = QPushButton(self.tr("&Save report (JSON)…"))
        self.save_button.clicked.connect(self.ask_save)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors, 1)
        layout.addLayout(buttons)

    def set_report(self, report: ImportReport) -> None:
        self.report = report
        self.summary.setText(self._summary(report))
        self.errors.setRowCount(len(report.errors))
        for i, error in enumerate(report.errors):
            for j, text in enumerate((str(error.row), error.field, error.message)):
                self.errors.setItem(i, j, QTableWidgetItem(text))

    def _summary(self, report: ImportReport) -> str:
        if report.written:
            head = self.tr("The import is done.")
        elif report.not_written_because == "dry_run":
            head = self.tr("Dry run: this is what the import would do. Nothing was written.")
        else:
            head = self.tr("Nothing was written: a row was refused by the database (see "
                           "below). Change its decision or fix the file and try again.")
        counts = fill(self.tr("%1 created, %2 updated, %3 linked, %4 skipped (%5 with "
                              "problems), %6 new organisations."), report.created,
                      report.updated, report.linked, report.skipped, report.invalid,
                      len(report.organisations_created))
        parts = [head, counts]
        if report.conference is not None:
            parts.append(fill(self.tr("Conference %1: %2 participants added, %3 updated, "
                                      "%4 badges issued."), report.conference,
                              report.participants_added, report.participants_updated,
                              report.badges_issued))
        return "\n".join(parts)

    def ask_save(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save import report"), str(last_folder() / "import-report.json"),
            self.tr("JSON (*.json)"))
        if chosen:
            try:
                self.save(Path(chosen))
            except SmartconfError as exc:
                show_error(exc, self)

    def save(self, path: Path) -> Path:
        """Write the report as JSON (the CLI's --json) to ``path``."""
        data = json.dumps(self.report.as_json(), ensure_ascii=False, indent=2)
        write_file(path, data.encode("utf-8"))
        return path
