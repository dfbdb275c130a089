"""The import plan as a table: one line per row of the file, its problems, its likely
duplicate and the decision, which is edited in place with a combo of the allowed ones."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from smartconf.core.errors import ValidationError
from smartconf.services.contact_import import Decision, ImportPlan, PlannedRow
from smartconf.ui.formatting import fill
from smartconf.ui.import_tools.labels import decision_label

ROW, NAME, ORGANISATION, ERRORS, MATCH, DECISION = range(6)
ERROR_COLOUR = QColor("#b00020")
LIKELY_COLOUR = QColor("#fff4d6")
CERTAIN_COLOUR = QColor("#fde2e2")
Index = QModelIndex | QPersistentModelIndex


class PlanModel(QAbstractTableModel):
    """Rows of an ``ImportPlan``; ``decisions_changed`` after any decision changes."""

    decisions_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plan: ImportPlan | None = None
        self.editable = True

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.plan = plan
        self.endResetModel()
        self.decisions_changed.emit()

    def planned(self, row: int) -> PlannedRow:
        return self.plan.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.plan is None else len(self.plan.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Row"), self.tr("Name"), self.tr("Organisation"), self.tr("Problems"),
                self.tr("Possible duplicate"), self.tr("Decision"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        planned = self.planned(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(planned, column)
        if role == Qt.ItemDataRole.EditRole and column == DECISION:
            return planned.decision.value
        if role == Qt.ItemDataRole.ForegroundRole and column == ERRORS and planned.errors:
            return QBrush(ERROR_COLOUR)
        if role == Qt.ItemDataRole.BackgroundRole and column == MATCH and planned.match:
            return QBrush(CERTAIN_COLOUR if planned.match.confidence == "certain"
                          else LIKELY_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column in (ERRORS, MATCH):
            return self._text(planned, column)
        return None

    def _text(self, planned: PlannedRow, column: int) -> str:
        if column == ROW:
            return str(planned.row)
        if column == NAME:
            return planned.name
        if column == ORGANISATION:
            return planned.organisation or ""
        if column == ERRORS:
            return "; ".join(f"{e.field}: {e.message}" if e.field else e.message
                             for e in planned.errors)
        if column == MATCH:
            return self._match_text(planned)
        return decision_label(planned.decision)

    def _match_text(self, planned: PlannedRow) -> str:
        match = planned.match
        if match is None:
            return ""
        confidence = self.tr("certain") if match.confidence == "certain" else self.tr("likely")
        target = fill(self.tr("#%1 %2"), match.person_id, match.person_name) \
            if match.person_id is not None else fill(self.tr("row %1 of the file"), match.row)
        return fill(self.tr("%1 (%2): %3"), confidence, match.reason, target)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == DECISION and self.editable and \
                len(self.planned(index.row()).allowed) > 1:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != DECISION:
            return False
        try:
            self.plan.decide(self.planned(index.row()).row, value)
        except (ValidationError, ValueError):
            return False
        self.dataChanged.emit(index, index)
        self.decisions_changed.emit()
        return True

    def decide(self, number: int, decision: Decision) -> None:
        """Set the decision of the file's row ``number`` (ValidationError if not allowed)."""
        self.plan.decide(number, decision)
        self._decisions_reset()

    def decide_all(self, decision: Decision, which) -> int:
        """``decision`` for every row for which ``which(row)`` holds and allows it."""
        changed = 0
        for planned in self.plan.rows if self.plan else ():
            if which(planned) and decision in planned.allowed and planned.decision != decision:
                planned.decision = decision
                changed += 1
        self._decisions_reset()
        return changed

    def _decisions_reset(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, DECISION),
                                  self.index(self.rowCount() - 1, DECISION))
        self.decisions_changed.emit()


class DecisionDelegate(QStyledItemDelegate):
    """A combo of the decisions the row allows."""

    def createEditor(self, parent, option, index: Index):
        combo = QComboBox(parent)
        for decision in index.model().planned(index.row()).allowed:
            combo.addItem(decision_label(decision), decision.value)
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QComboBox, index: Index) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QComboBox, model, index: Index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
