"""Item models of the Outcomes page: outcome lists (a session's, the follow-up tracker's, with
the status editable in place), the coverage matrix and the per-report shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from smartconf.core.enums import OutcomeStatus
from smartconf.services.outcomes import Coverage, CoverageCell, FollowUpRow, ReportShare
from smartconf.ui.formatting import fill, format_date
from smartconf.ui.labels import label
from smartconf.ui.models.base import Index, RowTableModel
from smartconf.ui.models.outcomes import OVERDUE_BACKGROUND, OVERDUE_FOREGROUND

PRESENTED_BACKGROUND = QColor(232, 234, 237)
DISCUSSED_BACKGROUND = QColor(210, 227, 252)
OUTCOME_BACKGROUND = QColor(206, 234, 214)


class FollowUpTableModel(RowTableModel[FollowUpRow]):
    """Outcomes with conference, session, who committed, owner, due date and status.

    With ``editable_status`` the status cell is edited in place: the model does not change
    the row itself, it emits ``status_requested(outcome id, status)`` and the page writes it
    and reloads.
    """

    CONFERENCE, SESSION, KIND, TEXT, COMMITTED_BY, OWNER, DUE, STATUS, FINDINGS = range(9)
    COLUMN_COUNT = 9
    status_requested = Signal(int, object)

    def __init__(self, parent=None, *, editable_status: bool = False) -> None:
        super().__init__(parent)
        self.editable_status = editable_status

    def headers(self) -> Sequence[str]:
        return [self.tr("Conference"), self.tr("Session"), self.tr("Kind"), self.tr("Text"),
                self.tr("Committed by"), self.tr("Owner"), self.tr("Due"), self.tr("Status"),
                self.tr("Findings")]

    def display(self, row: FollowUpRow, column: int) -> str:
        texts = {self.CONFERENCE: row.conference_code, self.SESSION: row.session_title,
                 self.KIND: label(row.kind), self.TEXT: row.text,
                 self.COMMITTED_BY: row.committed_by, self.OWNER: row.owner,
                 self.DUE: format_date(row.due_on), self.STATUS: label(row.status),
                 self.FINDINGS: ", ".join(row.findings)}
        return texts[column]

    def sort_value(self, row: FollowUpRow, column: int) -> Any:
        return row.due_on if column == self.DUE else self.display(row, column)

    def cell_data(self, row: FollowUpRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.EditRole and column == self.STATUS:
            return row.status
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.overdue:
                return fill(self.tr("Overdue since %1: %2"), format_date(row.due_on), row.text)
            return row.text if column in (self.TEXT, self.SESSION) else None
        if not row.overdue:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE_FOREGROUND)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable_status and index.isValid() and index.column() == self.STATUS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None or role != Qt.ItemDataRole.EditRole or index.column() != self.STATUS:
            return False
        status = OutcomeStatus(value)
        if status is not row.status:
            self.status_requested.emit(row.id, status)
        return True


class ReportShareModel(RowTableModel[ReportShare]):
    REPORT, TITLE, FINDINGS, ANSWERED, SHARE = range(5)
    COLUMN_COUNT = 5

    def headers(self) -> Sequence[str]:
        return [self.tr("Report"), self.tr("Title"), self.tr("Findings"),
                self.tr("With recommendation or commitment"), self.tr("Share")]

    def display(self, row: ReportShare, column: int) -> str:
        texts = {self.REPORT: f"R{row.report_number}", self.TITLE: row.title,
                 self.FINDINGS: str(row.findings), self.ANSWERED: str(row.answered),
                 self.SHARE: f"{row.share:.0%}"}
        return texts[column]

    def sort_value(self, row: ReportShare, column: int) -> Any:
        values = {self.REPORT: row.report_number, self.FINDINGS: row.findings,
                  self.ANSWERED: row.answered, self.SHARE: row.share}
        return values.get(column, self.display(row, column))


class CoverageMatrixModel(QAbstractTableModel):
    """Findings (rows) x sessions (columns); a cell says presented / discussed / outcomes."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.coverage = Coverage((), ())

    def set_coverage(self, coverage: Coverage) -> None:
        self.beginResetModel()
        self.coverage = coverage
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.coverage.findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.coverage.sessions)

    def cell(self, index: Index) -> CoverageCell:
        finding = self.coverage.findings[index.row()]
        return self.coverage.cell(finding.id, self.coverage.sessions[index.column()].id)

    def cell_text(self, cell: CoverageCell, *, short: bool = False) -> str:
        """"presented, discussed, 2 outcome(s)"; ``short`` leaves out "presented" when
        "discussed" (which implies it) is there."""
        parts = []
        if cell.presented and not (short and cell.discussed):
            parts.append(self.tr("presented"))
        if cell.discussed:
            parts.append(self.tr("discussed"))
        if cell.outcomes:
            parts.append(self.tr("%n outcome(s)", "", cell.outcomes))
        return ", ".join(parts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.cell(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(cell, short=True)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_text(cell)
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell.outcomes:
                return QBrush(OUTCOME_BACKGROUND)
            if cell.discussed:
                return QBrush(DISCUSSED_BACKGROUND)
            if cell.presented:
                return QBrush(PRESENTED_BACKGROUND)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.coverage.sessions):
                return None
            item = self.coverage.sessions[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{item.conference_code}: {item.title}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return item.title
            return None
        if not 0 <= section < len(self.coverage.findings):
            return None
        finding = self.coverage.findings[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return finding.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return finding.text
        return None
