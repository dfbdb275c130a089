"""The audit view: who did what to which record, newest first, filtered by record and user,
with the recorded changes of the chosen event below. ``open_audit_view`` is the entry point."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smartconf.services.privacy import AuditRow, audit_trail
from smartconf.store.database import Database, translate_errors
from smartconf.store.session import read_session
from smartconf.ui.formatting import fill
from smartconf.ui.stakeholder_tools.audit_model import (
    AuditTableModel,
    action_label,
    change_details,
    format_moment,
    record_label,
)
from smartconf.ui.widgets.views import EmptyState, table_view

LIMIT = 500
FILTER_DELAY_MS = 300
COMMON_ENTITIES = ("person", "organisation")  # offered before the trail names others


class AuditView(QWidget):
    """The newest ``LIMIT`` events matching the filters; filtering asks the database, so
    older events of one record or one user are found too."""

    def __init__(self, database: Database, *, entity: str | None = None,
                 entity_id: int | str | None = None, user: str | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.database = database
        self.known_entities: set[str] = set(COMMON_ENTITIES)
        self.known_users: set[str] = set()
        layout = QVBoxLayout(self)
        layout.addLayout(self._filter_row())
        self.model = AuditTableModel(self)
        self.view = table_view(self.model, sort_column=AuditTableModel.TIME,
                               sort_order=Qt.SortOrder.DescendingOrder,
                               widths={AuditTableModel.TIME: 150, AuditTableModel.USER: 110,
                                       AuditTableModel.ACTION: 90,
                                       AuditTableModel.RECORD: 150})
        self.view.selectionModel().selectionChanged.connect(self._show_selected)
        self.empty = EmptyState(self.view, "")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.empty)
        splitter.addWidget(self._detail_pane())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        layout.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.reload)
        self.set_filter(entity=entity, entity_id=entity_id, user=user)
        for signal in (self.entity_box.editTextChanged, self.id_edit.textChanged,
                       self.user_box.editTextChanged):
            signal.connect(self._timer.start)

    def _filter_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.entity_box = self._editable_combo(self.tr("any kind"))
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(self.tr("any id"))
        self.id_edit.setMaximumWidth(90)
        self.user_box = self._editable_combo(self.tr("anyone"))
        record = QLabel(self.tr("&Record:"))
        record.setBuddy(self.entity_box)
        user = QLabel(self.tr("&User:"))
        user.setBuddy(self.user_box)
        clear = QPushButton(self.tr("&Clear filters"))
        clear.clicked.connect(lambda: self.set_filter())
        for widget in (record, self.entity_box, QLabel("#"), self.id_edit, user,
                       self.user_box, clear):
            row.addWidget(widget)
        row.addStretch(1)
        for edit in (self.entity_box.lineEdit(), self.id_edit, self.user_box.lineEdit()):
            edit.returnPressed.connect(self.reload)
        return row

    @staticmethod
    def _editable_combo(placeholder: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.setMinimumWidth(150)
        box.lineEdit().setPlaceholderText(placeholder)
        box.lineEdit().setClearButtonEnabled(True)
        return box

    def _detail_pane(self) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlaceholderText(self.tr("Choose an event to see what it changed."))
        layout.addWidget(self.detail_title)
        layout.addWidget(self.details, 1)
        return pane

    # --- filters -------------------------------------------------------------------------

    def set_filter(self, *, entity: str | None = None, entity_id: int | str | None = None,
                   user: str | None = None) -> None:
        """Show the events of one record (kind and id) and/or one user; None: any."""
        for edit, value in ((self.entity_box.lineEdit(), entity),
                            (self.id_edit, entity_id), (self.user_box.lineEdit(), user)):
            edit.blockSignals(True)
            edit.setText("" if value is None else str(value))
            edit.blockSignals(False)
        self.reload()

    def filters(self) -> dict[str, str | None]:
        """The filters as ``audit_trail`` takes them."""
        return {"entity": self.entity_box.currentText().strip() or None,
                "entity_id": self.id_edit.text().strip() or None,
                "actor": self.user_box.currentText().strip() or None}

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the newest events matching the filters."""
        self._timer.stop()
        filters = self.filters()
        with translate_errors(self.database.engine), \
                read_session(self.database.sessions) as session:
            rows = audit_trail(session, **filters, limit=LIMIT)
        self.model.set_rows(rows)
        self._remember(rows)
        self._show_status(len(rows), any(filters.values()))
        if rows:
            self.view.selectRow(0)
        else:
            self._show_row(None)

    def _remember(self, rows: list[AuditRow]) -> None:
        """Offer the kinds of record and the users seen so far in the filter boxes."""
        for box, known, new in ((self.entity_box, self.known_entities,
                                 {r.entity for r in rows}),
                                (self.user_box, self.known_users, {r.actor for r in rows})):
            if new <= known and box.count():
                continue
            known |= new
            text = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems(sorted(known))
            box.setEditText(text)
            box.blockSignals(False)

    def _show_status(self, count: int, filtered: bool) -> None:
        if count >= LIMIT:
            self.status.setText(fill(self.tr("Showing the newest %1 events; filter by record "
                                             "or user to find older ones."), LIMIT))
        elif count == 1:
            self.status.setText(self.tr("1 event"))
        else:
            self.status.setText(self.tr("%n events", "", count))
        self.empty.set_message(self.tr("No events match these filters.") if filtered
                               else self.tr("Nothing has been recorded yet."))

    # --- details -------------------------------------------------------------------------

    def current_row(self) -> AuditRow | None:
        return self.model.row_at(self.view.currentIndex())

    def _show_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        self._show_row(self.model.row_at(indexes[0]) if indexes else None)

    def _show_row(self, row: AuditRow | None) -> None:
        if row is None:
            self.detail_title.clear()
            self.details.clear()
            return
        title = fill(self.tr("%1 %2 by %3, %4"), action_label(row.action), record_label(row),
                     row.actor, format_moment(row.occurred_at))
        if row.summary:
            title += "\n" + row.summary
        self.detail_title.setText(title)
        self.details.setPlainText(change_details(row))


class AuditDialog(QDialog):
    """The audit view in a window of its own (not modal)."""

    def __init__(self, database: Database, *, entity: str | None = None,
                 entity_id: int | str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit trail"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint)
        self.audit = AuditView(database, entity=entity, entity_id=entity_id)
        layout = QVBoxLayout(self)
        layout.addWidget(self.audit)
        self.resize(1000, 680)


def open_audit_view(parent: QWidget | None, database: Database, *, entity: str | None = None,
                    entity_id: int | str | None = None) -> AuditDialog:
    """Show the audit trail, of one record when ``entity`` and ``entity_id`` are given (the
    history of a person: ``entity="person", entity_id=12``)."""
    dialog = AuditDialog(database, entity=entity, entity_id=entity_id, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
