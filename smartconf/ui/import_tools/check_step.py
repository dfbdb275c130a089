"""Step 3 of the import: every row checked (in the background), its problems, its likely
duplicate and what to do with it; then a dry run or the import itself."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smartconf.services.contact_import import Decision, ImportPlan, ImportReport
from smartconf.services.import_mapping import ColumnMapping
from smartconf.services.import_readers import SourceTable
from smartconf.store.database import Database
from smartconf.ui.formatting import fill
from smartconf.ui.import_tools.job_bar import JobBar
from smartconf.ui.import_tools.jobs import check_rows, write_plan
from smartconf.ui.import_tools.plan_model import (
    DECISION,
    ERRORS,
    MATCH,
    DecisionDelegate,
    PlanModel,
)


class CheckStep(QWidget):
    """The plan in a table with bulk decisions; ``checked(plan)`` when the check is done,
    ``reported(report)`` after a dry run or an import."""

    checked = Signal(object)
    reported = Signal(object)

    def __init__(self, database: Database, actor: str, parent=None) -> None:
        super().__init__(parent)
        self.database, self.actor = database, actor
        self.model = PlanModel(self)
        self.model.decisions_changed.connect(self._show_counts)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(DECISION, DecisionDelegate(self.view))
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        for column in (ERRORS, MATCH):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.skip_duplicates = QPushButton(self.tr("Skip all duplicates"))
        self.skip_duplicates.clicked.connect(
            lambda: self.model.decide_all(Decision.SKIP, lambda r: r.match is not None))
        self.create_new = QPushButton(self.tr("Create all new"))
        self.create_new.clicked.connect(
            lambda: self.model.decide_all(Decision.CREATE, lambda r: r.match is None))
        self.counts = QLabel()
        self.dry_run_button = QPushButton(self.tr("&Dry run"))
        self.dry_run_button.setToolTip(self.tr("Try the import and report what it would do, "
                                               "without writing anything"))
        self.dry_run_button.clicked.connect(self.dry_run)
        self.import_button = QPushButton(self.tr("&Import"))
        self.import_button.clicked.connect(self.import_now)
        self.job = JobBar()
        self.job.succeeded.connect(self._on_done)
        self.job.running.connect(self._enable)
        self._lay_out()
        self._enable(False)

    def _lay_out(self) -> None:
        bulk = QHBoxLayout()
        bulk.addWidget(self.skip_duplicates)
        bulk.addWidget(self.create_new)
        bulk.addWidget(self.counts, 1)
        bulk.addWidget(self.dry_run_button)
        bulk.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bulk)
        layout.addWidget(self.job)

    @property
    def plan(self) -> ImportPlan | None:
        return self.model.plan

    def start_check(self, table: SourceTable, mapping: ColumnMapping,
                    conference_id: int | None) -> None:
        """Check every row in the background (the mapping is copied: later edits wait for
        the next check)."""
        self.model.set_plan(None)
        copy = ColumnMapping(dict(mapping.columns))
        self.job.start(partial(check_rows, self.database, table, copy, conference_id),
                       self.tr("Checking rows…"))

    def dry_run(self) -> None:
        """Run the import and roll it back: the report says what it would do."""
        self._write(dry_run=True)

    def import_now(self) -> None:
        """Carry out the decisions; all or nothing."""
        self._write(dry_run=False)

    def cancel(self) -> None:
        self.job.cancel()

    def _write(self, *, dry_run: bool) -> None:
        if self.plan is None or self.job.is_running():
            return
        message = self.tr("Trying the import…") if dry_run else self.tr("Importing…")
        self.job.start(partial(write_plan, self.database, self.plan, self.actor, dry_run),
                       message)

    def _on_done(self, result: object) -> None:
        if isinstance(result, ImportReport):
            self.job.status.setText(self.tr("Dry run done: nothing was written.")
                                    if result.dry_run else "")
            self.reported.emit(result)
            return
        self.model.set_plan(result)
        self.job.status.clear()
        self.view.resizeColumnToContents(1)
        self.checked.emit(result)

    def _enable(self, running: bool) -> None:
        ready = self.plan is not None and not running
        self.model.editable = ready
        for button in (self.skip_duplicates, self.create_new, self.dry_run_button):
            button.setEnabled(ready)
        self.import_button.setEnabled(ready and self._to_write() > 0)

    def _to_write(self) -> int:
        counts = self.plan.counts() if self.plan else {}
        return sum(n for d, n in counts.items() if d is not Decision.SKIP)

    def _show_counts(self) -> None:
        if self.plan is None:
            self.counts.clear()
        else:
            counts = self.plan.counts()
            self.counts.setText(fill(
                self.tr("%1 rows: %2 to create, %3 to update, %4 to link, %5 to skip; "
                        "%6 with problems, %7 possible duplicates"),
                len(self.plan.rows), counts[Decision.CREATE], counts[Decision.UPDATE],
                counts[Decision.LINK], counts[Decision.SKIP],
                sum(1 for r in self.plan.rows if r.errors), len(self.plan.duplicates)))
        self._enable(self.job.is_running())
