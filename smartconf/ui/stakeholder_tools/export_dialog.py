"""The contacts export: the persons of the current filter as CSV or XLSX, sorted by the
collation of a language. The service audits the export; the file is written off the GUI
thread. ``open_contacts_export`` is the entry point for the Stakeholders page."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import Language
from smartconf.services.contact_export import export_contacts
from smartconf.services.person_search import PersonFilter, count_persons
from smartconf.store.database import Database, translate_errors
from smartconf.store.session import read_session
from smartconf.ui.formatting import fill, ui_language
from smartconf.ui.labels import label
from smartconf.ui.stakeholder_tools.common import (
    LAST_FOLDER_KEY,
    JobDialog,
    SaveTarget,
    last_folder,
)

CSV, XLSX = "csv", "xlsx"
DELIMITERS = (",", ";")


def default_file_name(fmt: str, today: date | None = None) -> str:
    """"contacts-2026-11-27.xlsx"."""
    return f"contacts-{(today or date.today()).isoformat()}.{fmt}"


class ContactsExportDialog(JobDialog):
    """Choose format, delimiter, collation and file; the count of persons is shown first."""

    exported = Signal(str)  # the file written

    def __init__(self, database: Database, criteria: PersonFilter, actor: str,
                 parent=None) -> None:
        super().__init__(parent)
        self.database = database
        self.criteria = criteria
        self.actor = actor
        self.setWindowTitle(self.tr("Export contacts"))
        layout = QVBoxLayout(self)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        layout.addWidget(self.count_label)
        layout.addLayout(self._form())
        notice = QLabel(self.tr("The file holds e-mail addresses and phone numbers. Keep it "
                                "safe; the export is recorded in the audit trail."))
        notice.setWordWrap(True)
        layout.addWidget(notice)
        self.job.succeeded.connect(self._on_saved)
        self.job.failed.connect(self._update_buttons)
        layout.addWidget(self.job)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.count = self._count()
        self._show_count()
        self._on_format()
        self.target.set_path(last_folder() / default_file_name(self.fmt()))

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        self.format_box = QComboBox()
        self.format_box.addItem(self.tr("Excel workbook (.xlsx)"), XLSX)
        self.format_box.addItem(self.tr("CSV text (.csv)"), CSV)
        self.format_box.currentIndexChanged.connect(self._on_format)
        form.addRow(self.tr("&Format:"), self.format_box)
        self.delimiter_box = QComboBox()
        self.delimiter_box.addItem(self.tr("Comma ( , )"), ",")
        self.delimiter_box.addItem(self.tr("Semicolon ( ; ) — for Excel with European "
                                           "settings"), ";")
        form.addRow(self.tr("&Delimiter:"), self.delimiter_box)
        self.language_box = QComboBox()
        for language in Language:
            self.language_box.addItem(label(language), language.value)
        self.language_box.setCurrentIndex(self.language_box.findData(ui_language()))
        self.language_box.setToolTip(self.tr("Names sort by this language's alphabet: in "
                                             "Albanian ç follows c and dh follows d; in "
                                             "Serbian č and ć follow c."))
        form.addRow(self.tr("&Sort names as:"), self.language_box)
        self.target = SaveTarget(self.tr("Save contacts"), "")
        self.target.changed.connect(self._update_buttons)
        form.addRow(self.tr("Save &to:"), self.target)
        return form

    # --- state ---------------------------------------------------------------------------

    def fmt(self) -> str:
        return self.format_box.currentData()

    def set_format(self, fmt: str) -> None:
        self.format_box.setCurrentIndex(self.format_box.findData(fmt))

    def set_delimiter(self, delimiter: str) -> None:
        self.delimiter_box.setCurrentIndex(self.delimiter_box.findData(delimiter))

    def set_language(self, language: str) -> None:
        self.language_box.setCurrentIndex(self.language_box.findData(language))

    def _count(self) -> int:
        with translate_errors(self.database.engine), \
                read_session(self.database.sessions) as session:
            return count_persons(session, self.criteria)

    def _show_count(self) -> None:
        if self.count == 0:
            text = self.tr("No persons match the current filter: there is nothing to export.")
        elif self.count == 1:
            text = self.tr("1 person matches the current filter and will be exported.")
        else:
            text = self.tr("%n persons match the current filter and will be exported.", "",
                           self.count)
        self.count_label.setText(text)

    def _on_format(self, *_args) -> None:
        fmt = self.fmt()
        self.delimiter_box.setEnabled(fmt == CSV)
        self.target.set_file_filter(self.tr("Excel workbooks (*.xlsx)") if fmt == XLSX
                                    else self.tr("CSV files (*.csv)"))
        self.target.set_suffix(f".{fmt}")
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        self.export_button.setEnabled(self.count > 0 and self.target.path() is not None
                                      and not self.job.is_running())
        for widget in (self.format_box, self.language_box, self.target):
            widget.setEnabled(not self.job.is_running())
        self.delimiter_box.setEnabled(self.fmt() == CSV and not self.job.is_running())

    # --- export --------------------------------------------------------------------------

    def start_export(self) -> None:
        """Export to the chosen file in the background."""
        path = self.target.path()
        if path is None or self.job.is_running() or self.count == 0:
            return
        if path.suffix.lower() != f".{self.fmt()}":
            path = path.with_name(path.name + f".{self.fmt()}")
            self.target.set_path(path)
        produce = partial(export_contacts, criteria=self.criteria, fmt=self.fmt(),
                          actor=self.actor, language=self.language_box.currentData(),
                          delimiter=self.delimiter_box.currentData())
        self.job.start_saving(self.database, self.actor, path, produce,
                              self.tr("Exporting contacts…"))
        self._update_buttons()

    def _on_saved(self, path: Path) -> None:
        QSettings().setValue(LAST_FOLDER_KEY, str(path.parent))
        self.job.set_status(fill(self.tr("Saved to %1."), path))
        self._update_buttons()
        self.exported.emit(str(path))


def open_contacts_export(parent: QWidget | None, database: Database, criteria: PersonFilter,
                         actor: str) -> ContactsExportDialog:
    """Show the export dialog for the persons matching ``criteria`` (window-modal)."""
    dialog = ContactsExportDialog(database, criteria, actor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
