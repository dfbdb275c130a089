"""The follow-up tracker: open commitments and actions of every conference, filtered by owner,
organisation and due date; overdue ones in red; the status is changed in place (F2 or a
double click opens a combo box) and each change is written to the audit trail."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import OutcomeStatus
from smartconf.core.errors import SmartconfError
from smartconf.services.outcomes import (
    find_organisations,
    follow_up,
    owner_options,
    set_outcome_status,
)
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.form import error_label
from smartconf.ui.formatting import fill
from smartconf.ui.labels import label
from smartconf.ui.outcomes.models import FollowUpTableModel
from smartconf.ui.outcomes.recorder import date_of, due_date_edit
from smartconf.ui.outcomes.search_picker import SearchPicker
from smartconf.ui.widgets.views import EmptyState, table_view


class StatusDelegate(QStyledItemDelegate):
    """Edits an outcome status with a combo box."""

    def createEditor(self, parent: QWidget, _option: QStyleOptionViewItem,
                     _index: QModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for status in OutcomeStatus:
            combo.addItem(label(status), status)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class FollowUpPanel(QWidget):
    """Filters above, the tracker below."""

    status_changed = Signal(int)  # outcome id

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.owner = QComboBox()
        self.owner.setObjectName("follow_up_owner")
        self.organisation = SearchPicker(partial(context.read, find_organisations))
        self.organisation.setObjectName("follow_up_organisation")
        self.organisation.setPlaceholderText(self.tr("Any organisation"))
        self.due_by = due_date_edit(self.tr("any date"))
        self.due_by.setObjectName("follow_up_due_by")
        self.overdue_only = QCheckBox(self.tr("O&verdue only"))
        self.summary = QLabel()
        self.error = error_label()
        self.model = FollowUpTableModel(self, editable_status=True)
        self.view = table_view(
            self.model, widths={FollowUpTableModel.CONFERENCE: 70,
                                FollowUpTableModel.SESSION: 150, FollowUpTableModel.KIND: 100,
                                FollowUpTableModel.COMMITTED_BY: 180,
                                FollowUpTableModel.OWNER: 100, FollowUpTableModel.DUE: 85,
                                FollowUpTableModel.STATUS: 100},
            stretch=FollowUpTableModel.TEXT, sort_column=None)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setItemDelegateForColumn(FollowUpTableModel.STATUS, StatusDelegate(self.view))
        self.empty = EmptyState(self.view, self.tr("No open commitments or actions."))
        self._build()
        # Queued: the model is reset only after the editor has finished committing.
        self.model.status_requested.connect(self.change_status,
                                            Qt.ConnectionType.QueuedConnection)
        self.owner.currentIndexChanged.connect(lambda _i: self.reload())
        self.organisation.chosen.connect(lambda _value: self.reload())
        self.due_by.dateChanged.connect(lambda _d: self.reload())
        self.overdue_only.toggled.connect(lambda _on: self.reload())

    def _build(self) -> None:
        filters = QGridLayout()
        for position, (text, widget) in enumerate((
                (self.tr("O&wner"), self.owner), (self.tr("Or&ganisation"), self.organisation),
                (self.tr("Due &by"), self.due_by))):
            caption = QLabel(text)
            caption.setBuddy(widget)
            filters.addWidget(caption, position // 2, (position % 2) * 2)
            filters.addWidget(widget, position // 2, (position % 2) * 2 + 1)
        filters.addWidget(self.overdue_only, 1, 3)
        filters.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.empty, 1)

    def load_owners(self) -> None:
        keep = self.owner.currentData()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(self.tr("Everyone"), None)
        for option in self.context.read(owner_options):
            self.owner.addItem(option.text, option.value)
        self.owner.setCurrentIndex(max(0, self.owner.findData(keep)))
        self.owner.blockSignals(False)

    def reload(self) -> None:
        rows = self.context.read(follow_up, owner=self.owner.currentData(),
                                 organisation_id=self.organisation.value(),
                                 overdue_only=self.overdue_only.isChecked(),
                                 due_by=date_of(self.due_by))
        self.model.set_rows(rows)
        overdue = sum(1 for row in rows if row.overdue)
        self.summary.setText(fill(self.tr("%1 open, %2 overdue"), len(rows), overdue))

    def change_status(self, outcome_id: int, status: OutcomeStatus) -> None:
        """Write the new status (audited) and read the tracker again."""
        self.error.hide()
        try:
            self.context.write(set_outcome_status, outcome_id, status)
        except SmartconfError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.reload()
        self.status_changed.emit(outcome_id)
