"""Duplicate persons: groups found in the background (likely first), the persons of a group
side by side, and merging the others into the one to keep."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smartconf.services.duplicates import LIKELY, DuplicateGroup
from smartconf.store.database import Database
from smartconf.ui.formatting import fill
from smartconf.ui.import_tools.jobs import FoundDuplicates, look_for_duplicates, merge
from smartconf.ui.stakeholder_tools.common import JobDialog

# Groups called "not a duplicate" stay hidden until smartconf is closed (never stored).
HIDDEN_THIS_SESSION: set[frozenset[int]] = set()


def group_key(group: DuplicateGroup) -> frozenset[int]:
    return frozenset(m.person_id for m in group.members)


class DuplicatesDialog(JobDialog):
    """The finder's groups; ``merged(keep_id)`` after a merge (refresh the lists then)."""

    merged = Signal(int)

    def __init__(self, database: Database, actor: str, parent: QWidget | None = None, *,
                 hidden: set[frozenset[int]] | None = None) -> None:
        super().__init__(parent)
        self.database, self.actor = database, actor
        self.hidden = HIDDEN_THIS_SESSION if hidden is None else hidden
        self.found = FoundDuplicates([], {})
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle(self.tr("Duplicate persons"))
        self.resize(1000, 560)
        self.groups = QListWidget()
        self.groups.currentRowChanged.connect(self._show_group)
        self.persons = QTableWidget(0, 0)
        self.persons.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.persons.setVerticalHeaderLabels([])
        self.persons.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.keep = QComboBox()
        self.merge_button = QPushButton(self.tr("&Merge into the kept person…"))
        self.merge_button.clicked.connect(self.ask_merge)
        self.dismiss_button = QPushButton(self.tr("&Not a duplicate"))
        self.dismiss_button.setToolTip(self.tr("Hide this group until smartconf is closed"))
        self.dismiss_button.clicked.connect(self.dismiss)
        self.refresh_button = QPushButton(self.tr("&Look again"))
        self.refresh_button.clicked.connect(self.refresh)
        self.job.succeeded.connect(self._on_done)
        self.job.failed.connect(lambda _exc: self._enable())
        self._lay_out()
        self._enable()

    def _lay_out(self) -> None:
        right = QWidget()
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Keep:")))
        actions.addWidget(self.keep, 1)
        actions.addWidget(self.merge_button)
        actions.addWidget(self.dismiss_button)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.persons, 1)
        column.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(self.groups)
        splitter.addWidget(right)
        splitter.setSizes([330, 670])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.job)
        layout.addWidget(close)

    def refresh(self) -> None:
        """Look for duplicates again, in the background."""
        if not self.job.is_running():
            self.job.start(partial(look_for_duplicates, self.database),
                           self.tr("Looking for duplicates…"))
            self._enable()

    def visible_groups(self) -> list[DuplicateGroup]:
        return [g for g in self.found.groups if group_key(g) not in self.hidden]

    def current_group(self) -> DuplicateGroup | None:
        row, groups = self.groups.currentRow(), self.visible_groups()
        return groups[row] if 0 <= row < len(groups) else None

    def set_keep(self, person_id: int) -> None:
        self.keep.setCurrentIndex(self.keep.findData(person_id))

    def ask_merge(self) -> QMessageBox | None:
        """Ask to confirm merging the group into the kept person (window-modal box)."""
        group = self.current_group()
        if group is None or self.job.is_running():
            return None
        keep = next(m for m in group.members if m.person_id == self.keep.currentData())
        others = ", ".join(m.name for m in group.members if m is not keep)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Merge persons"), fill(
            self.tr("Merge %1 into %2?"), others, keep.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(self.tr(
            "Everything moves to the kept person: e-mails, phones, organisations, "
            "assessments, consents, interactions, tags, conference participations and "
            "check-ins. The other record is then deleted. The audit trail records who "
            "merged what into whom."))
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Merge"))
        box.accepted.connect(partial(self._merge, keep.person_id,
                                     [m.person_id for m in group.members if m is not keep]))
        self.confirmation = box
        box.open()
        return box

    def dismiss(self) -> None:
        """Hide the current group for this session (nothing is stored)."""
        group = self.current_group()
        if group is not None:
            self.hidden.add(group_key(group))
            self._fill_groups()

    def _merge(self, keep_id: int, merge_ids: list[int]) -> None:
        self.job.start(partial(merge, self.database, self.actor, keep_id, merge_ids),
                       self.tr("Merging…"))
        self._enable()

    def _on_done(self, result: object) -> None:
        if isinstance(result, FoundDuplicates):
            self.found = result
            self._fill_groups()
            return
        keep_id = result[0].keep_id
        self.merged.emit(keep_id)
        self.job.set_status(fill(self.tr("Merged into #%1."), keep_id))
        self.refresh()

    def _fill_groups(self) -> None:
        groups = self.visible_groups()
        self.groups.clear()
        for group in groups:
            item = QListWidgetItem(self._group_title(group))
            item.setToolTip(", ".join(group.reasons))
            self.groups.addItem(item)
        if groups:
            self.groups.setCurrentRow(0)
        else:
            self._show_group(-1)
        if not self.job.is_running():
            self.job.set_status(self.tr("%n group(s) of possible duplicates.", "",
                                        len(groups)) if groups else
                                self.tr("No duplicates found."))
        self._enable()

    def _group_title(self, group: DuplicateGroup) -> str:
        confidence = self.tr("Likely") if group.confidence == LIKELY else self.tr("Possible")
        names = " / ".join(m.name for m in group.members)
        return fill(self.tr("%1: %2\n%3"), confidence, names, ", ".join(group.reasons))

    def _show_group(self, _row: int) -> None:
        group = self.current_group()
        members = group.members if group else ()
        labels = [self.tr("Name as written"), self.tr("Latin name"), self.tr("Organisation"),
                  self.tr("E-mails"), self.tr("Phones"), self.tr("Participations")]
        self.persons.clear()
        self.persons.setRowCount(len(labels) if members else 0)
        self.persons.setColumnCount(len(members))
        self.persons.setVerticalHeaderLabels(labels)
        self.persons.setHorizontalHeaderLabels([f"#{m.person_id}" for m in members])
        self.keep.clear()
        for column, member in enumerate(members):
            facts = self.found.facts.get(member.person_id)
            values = (member.name, facts.latin_name if facts else "",
                      "\n".join(member.organisations), "\n".join(member.emails),
                      "\n".join(member.phones), str(facts.participations if facts else ""))
            for row, text in enumerate(values):
                self.persons.setItem(row, column, QTableWidgetItem(text))
            self.keep.addItem(f"#{member.person_id} {member.name}", member.person_id)
        self.persons.resizeRowsToContents()
        self._enable()

    def _enable(self) -> None:
        ready = self.current_group() is not None and not self.job.is_running()
        for widget in (self.keep, self.merge_button, self.dismiss_button):
            widget.setEnabled(ready)
        self.refresh_button.setEnabled(not self.job.is_running())


def open_duplicates(parent: QWidget | None, database: Database,
                    actor: str) -> DuplicatesDialog:
    """Show the duplicates finder (window-modal) and start looking; connect ``merged``."""
    dialog = DuplicatesDialog(database, actor, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.refresh()
    return dialog
