"""Step 2 of the import: which column holds which field (suggested, remembered per set of
headers), sample values of each column, and the first rows of the file."""

from __future__ import annotations

import hashlib
import json

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.errors import ValidationError
from smartconf.services.import_mapping import ColumnMapping, suggest_mapping
from smartconf.services.import_readers import SourceTable
from smartconf.ui.import_tools.labels import field_choices, field_label

SETTINGS_GROUP = "import/mappings"
PREVIEW_ROWS = 20


def _settings_key(headers) -> str:
    digest = hashlib.sha1(json.dumps(sorted(headers), ensure_ascii=False).encode()).hexdigest()
    return f"{SETTINGS_GROUP}/{digest}"


def remembered_mapping(headers) -> ColumnMapping:
    """The mapping saved for this set of headers, else the suggested one."""
    saved = QSettings().value(_settings_key(headers))
    if saved:
        try:
            return ColumnMapping.from_json(str(saved)).for_headers(headers)
        except ValidationError:
            pass
    return suggest_mapping(headers)


def remember_mapping(headers, mapping: ColumnMapping) -> None:
    QSettings().setValue(_settings_key(headers), mapping.to_json())


class MappingStep(QWidget):
    """One row per column: its header, the field combo, sample values; ``changed`` after
    every edit."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: SourceTable | None = None
        self.mapping = ColumnMapping()
        self._combos: dict[str, QComboBox] = {}
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(
            [self.tr("Column in the file"), self.tr("Field"), self.tr("Sample values")])
        self.columns.verticalHeader().hide()
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.columns)
        splitter.addWidget(self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problems)

    def set_table(self, table: SourceTable, *, participants: bool) -> None:
        """Show ``table``'s columns with the remembered or suggested mapping."""
        self.table = table
        self.mapping = remembered_mapping(table.headers)
        choices = field_choices(participants)
        for header, name in self.mapping.columns.items():
            if name is not None and name not in choices:
                self.mapping.assign(header, None)
        self.columns.setRowCount(len(table.headers))
        self._combos = {}
        for row, header in enumerate(table.headers):
            self.columns.setItem(row, 0, QTableWidgetItem(header))
            self.columns.setCellWidget(row, 1, self._combo(header, choices))
            self.columns.setItem(row, 2, QTableWidgetItem(" · ".join(table.samples(header))))
        self.columns.resizeColumnToContents(0)
        self.columns.setColumnWidth(1, 240)
        self._fill_preview(table)
        self._refresh()

    def _combo(self, header: str, choices: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(self.tr("(not imported)"), None)
        for name in choices:
            combo.addItem(field_label(name), name)
        combo.activated.connect(lambda _i, h=header, c=combo: self.assign(h, c.currentData()))
        self._combos[header] = combo
        return combo

    def _fill_preview(self, table: SourceTable) -> None:
        rows = table.preview(PREVIEW_ROWS)
        self.preview.clear()
        self.preview.setRowCount(len(rows))
        self.preview.setColumnCount(len(table.headers))
        self.preview.setHorizontalHeaderLabels(list(table.headers))
        self.preview.setVerticalHeaderLabels([str(r.number) for r in rows])
        for i, source in enumerate(rows):
            for j, cell in enumerate(source.cells):
                self.preview.setItem(i, j, QTableWidgetItem(cell))

    def assign(self, header: str, field_name: str | None) -> None:
        """Map ``header`` to ``field_name`` (None: the column is not imported)."""
        self.mapping.assign(header, field_name)
        self._refresh()
        self.changed.emit()

    def field_of(self, header: str) -> str | None:
        return self.mapping.columns.get(header)

    def is_complete(self) -> bool:
        return self.table is not None and not self.mapping.problems()

    def remember(self) -> None:
        """Save the mapping for the next file with the same headers."""
        if self.table is not None:
            remember_mapping(self.table.headers, self.mapping)

    def _refresh(self) -> None:
        for header, combo in self._combos.items():
            combo.setCurrentIndex(max(0, combo.findData(self.mapping.columns.get(header))))
        self.problems.setText("\n".join(self.mapping.problems()))
