"""The import wizard: file -> columns -> check and decide -> report, for contacts or for the
participants of one conference."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from smartconf.services.contact_import import ImportReport
from smartconf.services.import_readers import SourceTable
from smartconf.store.database import Database
from smartconf.ui.import_tools.check_step import CheckStep
from smartconf.ui.import_tools.file_step import FileStep
from smartconf.ui.import_tools.mapping_step import MappingStep
from smartconf.ui.import_tools.report_step import ReportStep

FILE, COLUMNS, CHECK, REPORT = range(4)


class ImportWizard(QDialog):
    """Four steps in a stack, with Back / Next / Close; ``imported(report)`` after an import
    that wrote (refresh the lists then)."""

    imported = Signal(object)

    def __init__(self, database: Database, actor: str, *, conference_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conference_id = conference_id
        self.setWindowTitle(self.tr("Import participants") if conference_id is not None
                            else self.tr("Import contacts"))
        self.resize(1100, 700)
        self.file_step = FileStep()
        self.mapping_step = MappingStep()
        self.check_step = CheckStep(database, actor)
        self.report_step = ReportStep()
        self.stack = QStackedWidget()
        for widget in (self.file_step, self.mapping_step, self.check_step, self.report_step):
            self.stack.addWidget(widget)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.back_button = QPushButton(self.tr("< &Back"))
        self.next_button = QPushButton(self.tr("&Next >"))
        self.close_button = QPushButton(self.tr("&Close"))
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.close_button.clicked.connect(self.reject)
        self.file_step.table_changed.connect(self._update_buttons)
        self.mapping_step.changed.connect(self._update_buttons)
        self.check_step.job.running.connect(self._update_buttons)
        self.check_step.reported.connect(self._show_report)
        self._written = False
        self._lay_out()
        self._show(FILE)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

    def step(self) -> int:
        return self.stack.currentIndex()

    def load_file(self, path: Path | str) -> SourceTable | None:
        """Read ``path`` in the first step (what "Choose file…" does)."""
        return self.file_step.load(path)

    def next(self) -> None:
        """On to the next step when this one is complete."""
        if not self.next_button.isEnabled():
            return
        if self.step() == FILE:
            self.mapping_step.set_table(self.file_step.table,
                                        participants=self.conference_id is not None)
            self._show(COLUMNS)
        elif self.step() == COLUMNS:
            self.mapping_step.remember()
            self._show(CHECK)
            self.check_step.start_check(self.mapping_step.table, self.mapping_step.mapping,
                                        self.conference_id)

    def back(self) -> None:
        if self.back_button.isEnabled():
            self._show(self.step() - 1)

    def _show_report(self, report: ImportReport) -> None:
        self.report_step.set_report(report)
        self._written = report.written
        self._show(REPORT)
        if report.written:
            self.imported.emit(report)

    def _show(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        titles = (self.tr("1. Choose the file"), self.tr("2. Say which column holds what"),
                  self.tr("3. Check the rows and decide"), self.tr("4. Report"))
        self.heading.setText("   ›   ".join(
            f"<u>{t}</u>" if i == step else t for i, t in enumerate(titles)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        step, running = self.step(), self.check_step.job.is_running()
        complete = {FILE: self.file_step.table is not None,
                    COLUMNS: self.mapping_step.is_complete()}.get(step, False)
        self.next_button.setEnabled(complete and not running)
        self.next_button.setVisible(step < CHECK)
        self.back_button.setEnabled(step > FILE and not running and not self._written)
        self.close_button.setEnabled(not running)

    def reject(self) -> None:
        if not self.check_step.job.is_running():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.check_step.job.is_running():
            event.ignore()
            return
        super().closeEvent(event)


def open_import_wizard(parent: QWidget | None, database: Database, actor: str, *,
                       conference_id: int | None = None) -> ImportWizard:
    """Show the import wizard (window-modal): contacts, or with ``conference_id`` the
    participants of that conference (role and status columns too). Connect ``imported``."""
    wizard = ImportWizard(database, actor, conference_id=conference_id, parent=parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
