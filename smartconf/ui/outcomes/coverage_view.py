"""Coverage: which findings each session presented, discussed and answered with outcomes,
and per report the share of findings that led to a recommendation or a commitment."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smartconf.services.conferences import list_conferences
from smartconf.services.outcomes import coverage
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.outcomes.models import CoverageMatrixModel, ReportShareModel
from smartconf.ui.widgets.views import EmptyState, table_view

CELL_WIDTH = 165


class CoveragePanel(QWidget):
    """A conference chooser (or all of them), the matrix and the shares per report."""

    def __init__(self, context: CrmContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.conference = QComboBox()
        self.conference.setObjectName("coverage_conference")
        self.matrix = CoverageMatrixModel(self)
        self.matrix_view = QTableView()
        self.matrix_view.setModel(self.matrix)
        self.matrix_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix_view.setWordWrap(False)
        self.matrix_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.matrix_view.horizontalHeader().setDefaultSectionSize(CELL_WIDTH)
        self.matrix_view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matrix_empty = EmptyState(self.matrix_view,
                                       self.tr("No findings are linked to these sessions."))
        self.shares = ReportShareModel(self)
        self.shares_view = table_view(self.shares, widths={ReportShareModel.REPORT: 70,
                                                           ReportShareModel.FINDINGS: 80,
                                                           ReportShareModel.ANSWERED: 230,
                                                           ReportShareModel.SHARE: 70},
                                      stretch=ReportShareModel.TITLE)
        legend = QLabel(self.tr("Presented: the session presented the finding. Discussed: "
                                "presented in a session that produced outcomes. Outcomes: the "
                                "session's outcomes that answer it (a finding can be answered "
                                "where it was not presented)."))
        legend.setWordWrap(True)
        top = QHBoxLayout()
        caption = QLabel(self.tr("Con&ference"))
        caption.setBuddy(self.conference)
        top.addWidget(caption)
        top.addWidget(self.conference)
        top.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.matrix_empty)
        splitter.addWidget(self.shares_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(legend)
        layout.addWidget(splitter, 1)
        self.conference.currentIndexChanged.connect(lambda _i: self.reload_matrix())

    def reload(self) -> None:
        keep = self.conference.currentData()
        self.conference.blockSignals(True)
        self.conference.clear()
        self.conference.addItem(self.tr("All conferences"), None)
        for row in self.context.read(list_conferences):
            self.conference.addItem(f"{row.code}: {row.title}", row.id)
        self.conference.setCurrentIndex(max(0, self.conference.findData(keep)))
        self.conference.blockSignals(False)
        self.reload_matrix()

    def reload_matrix(self) -> None:
        result = self.context.read(coverage, self.conference.currentData())
        self.matrix.set_coverage(result)
        self.shares.set_rows(result.reports)
