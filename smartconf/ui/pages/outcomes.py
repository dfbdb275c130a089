"""Outcomes, in four tabs: every outcome (the selected one in full below the table); the
rapporteur's keyboard-first form (Ctrl+Enter saves); the follow-up tracker of open
commitments (status changed in place, audited); the findings x sessions coverage."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from smartconf.services.overview import OPEN_OUTCOMES, OutcomeRow, outcome_rows
from smartconf.store.database import Database
from smartconf.ui.crm.context import CrmContext, current_actor
from smartconf.ui.formatting import fill, format_date
from smartconf.ui.labels import label
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.models.outcomes import OutcomeTableModel
from smartconf.ui.outcomes.coverage_view import CoveragePanel
from smartconf.ui.outcomes.follow_up import FollowUpPanel
from smartconf.ui.outcomes.recorder import OutcomeRecorder
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import EmptyState, table_view


class OutcomesPage(Page):
    """``actor`` (named in the audit trail) defaults to the OS login."""

    ALL, RECORD, FOLLOW_UP, COVERAGE = range(4)

    def __init__(self, database: Database, parent=None, *, actor: str | None = None) -> None:
        super().__init__(database, parent)
        self.context = CrmContext(database, actor or current_actor())
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Outcomes")))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("outcome_tabs")
        self.recorder = OutcomeRecorder(self.context)
        self.follow_up = FollowUpPanel(self.context)
        self.coverage = CoveragePanel(self.context)
        self.tabs.addTab(self._all_outcomes(), self.tr("&All outcomes"))
        self.tabs.addTab(self.recorder, self.tr("&Record"))
        self.tabs.addTab(self.follow_up, self.tr("Follow-&up"))
        self.tabs.addTab(self.coverage, self.tr("Co&verage"))
        layout.addWidget(self.tabs, 1)
        self.recorder.saved.connect(lambda _id: self._reload_others(self.recorder))
        self.follow_up.status_changed.connect(lambda _id: self._reload_others(self.follow_up))

    def _all_outcomes(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.outcomes = OutcomeTableModel(self)
        self.outcomes_view = table_view(
            self.outcomes, widths={OutcomeTableModel.CONFERENCE: 95,
                                   OutcomeTableModel.SESSION: 170,
                                   OutcomeTableModel.KIND: 115,
                                   OutcomeTableModel.COMMITTED_BY: 170,
                                   OutcomeTableModel.OWNER: 110,
                                   OutcomeTableModel.DUE: 90,
                                   OutcomeTableModel.STATUS: 90},
            stretch=OutcomeTableModel.TEXT, sort_column=None)
        self.outcomes_empty = EmptyState(self.outcomes_view, self.tr("No outcomes recorded yet."))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMargin(6)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.outcomes_empty)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.outcomes_view.selectionModel().currentRowChanged.connect(self._on_current)
        self._show_detail(None)
        return box

    def title(self) -> str:
        return self.tr("Outcomes")

    def reload(self) -> None:
        self._reload_all_outcomes()
        self.recorder.reload()
        self.follow_up.load_owners()
        self.follow_up.reload()
        self.coverage.reload()

    def _reload_others(self, source: QWidget) -> None:
        """After a write in one tab, the other tabs show it too."""
        self._reload_all_outcomes()
        if source is not self.follow_up:
            self.follow_up.reload()
        self.coverage.reload_matrix()

    def _reload_all_outcomes(self) -> None:
        rows = self.read(outcome_rows)
        self.outcomes.set_rows(rows)
        self._show_detail(None)
        still_open = sum(1 for row in rows if row.status in OPEN_OUTCOMES)
        overdue = sum(1 for row in rows if row.overdue)
        self.summary.setText(fill(self.tr("%1 outcomes, %2 open, %3 overdue"), len(rows),
                                  still_open, overdue) if rows else "")

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_detail(current.data(ROW_ROLE) if current.isValid() else None)

    def _show_detail(self, row: OutcomeRow | None) -> None:
        """The whole outcome: kind, status, due date, text, who committed, who follows up."""
        if row is None:
            self.detail.setText(self.tr("Select an outcome to read it in full."))
            self.detail.setEnabled(False)
            return
        self.detail.setEnabled(True)
        state = [label(row.kind), label(row.status)]
        if row.due_on is not None:
            state.append(fill(self.tr("due %1"), format_date(row.due_on)))
        if row.overdue:
            state.append(self.tr("overdue"))
        people = []
        if row.committed_by:
            people.append(fill(self.tr("Committed by %1"), row.committed_by))
        if row.owner:
            people.append(fill(self.tr("followed up by %1"), row.owner))
        lines = [" · ".join(state), row.text, " · ".join(people),
                 f"{row.conference_code} · {row.session_title}"]
        self.detail.setText("\n\n".join(line for line in lines if line))
