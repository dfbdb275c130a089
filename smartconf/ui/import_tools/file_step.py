"""Step 1 of the import: the file, its sheet, and the encoding and delimiter it is read with
(what was detected is shown; either can be overridden)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.errors import SmartconfError
from smartconf.services.import_readers import SourceTable, read_table, sheet_names
from smartconf.ui.formatting import fill
from smartconf.ui.stakeholder_tools.common import last_folder

_ENCODINGS = (("utf-8", "UTF-8"), ("cp1250", "Windows-1250"), ("cp1252", "Windows-1252"))
_DELIMITERS = ((",", ","), (";", ";"), ("\t", "Tab"))


class FileStep(QWidget):
    """Choosing and reading the file; ``table_changed(table or None)`` after every read."""

    table_changed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: SourceTable | None = None
        self._path: Path | None = None
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("A CSV, XLSX or vCard file"))
        self.browse = QPushButton(self.tr("&Choose file…"))
        self.browse.clicked.connect(self.ask)
        self.sheet = QComboBox()
        self.encoding = QComboBox()
        self.delimiter = QComboBox()
        self.detected = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._fill_overrides()
        self._lay_out()
        for combo in (self.sheet, self.encoding, self.delimiter):
            combo.activated.connect(self.reload)
        self._enable_overrides()

    def _fill_overrides(self) -> None:
        self.encoding.addItem("", None)
        for value, label in _ENCODINGS:
            self.encoding.addItem(label, value)
        self.delimiter.addItem("", None)
        for value, label in _DELIMITERS:
            self.delimiter.addItem(self.tr("Tab") if value == "\t" else label, value)
        self._name_detected(None)

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.tr("File:"), row)
        form.addRow(self.tr("Sheet:"), self.sheet)
        form.addRow(self.tr("Encoding:"), self.encoding)
        form.addRow(self.tr("Delimiter:"), self.delimiter)
        form.addRow(self.tr("Read as:"), self.detected)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def ask(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import contacts"), str(last_folder()),
            self.tr("Contact files (*.csv *.txt *.xlsx *.vcf *.vcard);;All files (*)"))
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path | str) -> SourceTable | None:
        """Read a new file with what is detected (no overrides); None when it cannot be."""
        self._path = Path(path)
        self.path_edit.setText(str(self._path))
        self.encoding.setCurrentIndex(0)
        self.delimiter.setCurrentIndex(0)
        self.sheet.clear()
        self._name_detected(None)
        if self._path.suffix.lower() == ".xlsx":
            try:
                self.sheet.addItems(sheet_names(self._path))
            except SmartconfError as exc:
                return self._failed(exc)
        table = self.reload()
        if table is not None:
            self._name_detected(table)
        return table

    def set_overrides(self, *, encoding: str | None = None, delimiter: str | None = None,
                      sheet: str | None = None) -> SourceTable | None:
        """Read the file again with this encoding, delimiter or sheet (None: as detected)."""
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(encoding)))
        self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(delimiter)))
        if sheet is not None:
            self.sheet.setCurrentText(sheet)
        return self.reload()

    def reload(self) -> SourceTable | None:
        """Read the file with the current choices."""
        if self._path is None:
            return None
        try:
            table = read_table(self._path, sheet=self.sheet.currentText() or None,
                               encoding=self.encoding.currentData(),
                               delimiter=self.delimiter.currentData())
        except SmartconfError as exc:
            return self._failed(exc)
        self.error.clear()
        self.table = table
        self.detected.setText(fill(self.tr("%1: %2 rows, %3 columns"), table.description,
                                   len(table), len(table.headers)))
        self._enable_overrides()
        self.table_changed.emit(table)
        return table

    def _failed(self, exc: SmartconfError) -> None:
        self.table = None
        self.detected.clear()
        self.error.setText(" ".join(filter(None, (exc.message, exc.hint))))
        self._enable_overrides()
        self.table_changed.emit(None)
        return None

    def _name_detected(self, table: SourceTable | None) -> None:
        """The first item of each override says what was detected."""
        encoding = dict(_ENCODINGS).get(table.encoding, "") if table else ""
        delimiter = dict(_DELIMITERS).get(table.delimiter, "") if table else ""
        self.encoding.setItemText(0, fill(self.tr("As detected (%1)"), encoding)
                                  if encoding else self.tr("As detected"))
        self.delimiter.setItemText(0, fill(self.tr("As detected (%1)"), delimiter)
                                   if delimiter else self.tr("As detected"))

    def _enable_overrides(self) -> None:
        is_xlsx = self.sheet.count() > 0
        is_vcard = self.table is not None and self.table.format == "vcard"
        self.sheet.setEnabled(is_xlsx)
        self.encoding.setEnabled(self._path is not None and not is_xlsx)
        self.delimiter.setEnabled(self._path is not None and not is_xlsx and not is_vcard)
