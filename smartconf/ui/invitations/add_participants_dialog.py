"""Adding persons to a conference's list: everyone of a saved CRM filter (with a preview of how
many that is), or persons picked by name; all with one role, shortlisted."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import ParticipantRole
from smartconf.core.errors import SmartconfError
from smartconf.services.invitations import add_participants
from smartconf.services.overview import PersonRow, search_persons, smart_groups
from smartconf.services.planning import get_conference_by_id
from smartconf.services.roster import FilterPreview, filter_preview
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.form import FormDialog
from smartconf.ui.crm.jobs import LatestJob
from smartconf.ui.formatting import fill
from smartconf.ui.labels import label

FILTER_TAB, PICK_TAB = range(2)
SEARCH_LIMIT = 50
PERSON_ROLE = Qt.ItemDataRole.UserRole


class AddParticipantsDialog(FormDialog):
    """Shortlist persons for the conference; ``added`` and ``already_listed`` after OK."""

    def __init__(self, context: CrmContext, conference_id: int, parent=None) -> None:
        super().__init__(self.tr("Add participants"), parent)
        self.context, self.conference_id = context, conference_id
        self.added = self.already_listed = 0
        self.picked: dict[int, str] = {}  # person id -> text, across searches
        self.tabs = QTabWidget()
        self.tabs.addTab(self._filter_tab(), self.tr("From a saved &filter"))
        self.tabs.addTab(self._pick_tab(), self.tr("&Pick persons"))
        self.layout().insertWidget(1, self.tabs, 1)
        self.role = self.add_field(self.tr("&Role:"), QComboBox(), "role")
        for role in ParticipantRole:
            self.role.addItem(label(role), role)
        # one job line per list: a search never drops the saved filters' answer
        self._filter_jobs, self._search_jobs = LatestJob(self), LatestJob(self)
        for jobs in (self._filter_jobs, self._search_jobs):
            jobs.finished.connect(lambda show: show())
            jobs.failed.connect(self.show_error_text)
        self.resize(560, 480)
        self._filter_jobs.submit(self._read_groups)

    # --- building --------------------------------------------------------------------------

    def _filter_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(QLabel(self.tr("Everyone a saved filter (smart group) of the "
                                        "Stakeholders page finds now:")))
        self.filters = QComboBox()
        self.filters.setObjectName("saved_filters")
        self.filters.currentIndexChanged.connect(self._preview)
        column.addWidget(self.filters)
        self.preview = QLabel()
        self.preview.setObjectName("filter_preview")
        self.preview.setWordWrap(True)
        column.addWidget(self.preview)
        column.addStretch(1)
        return tab

    def _pick_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.search = QLineEdit()
        self.search.setObjectName("person_search")
        self.search.setPlaceholderText(self.tr("Type a name or an organisation (any script, "
                                               "with or without diacritics)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search)
        self.results = QListWidget()
        self.results.setObjectName("search_results")
        self.results.setUniformItemSizes(True)
        self.results.itemChanged.connect(self._on_checked)
        self.picked_label = QLabel()
        self.picked_label.setWordWrap(True)
        column.addWidget(self.search)
        column.addWidget(self.results, 1)
        column.addWidget(self.picked_label)
        self._show_picked()
        return tab

    # --- saved filters ---------------------------------------------------------------------

    def _read_groups(self):
        groups = self.context.read(smart_groups)
        return partial(self._show_groups, [(g.name, g.count) for g in groups])

    def _show_groups(self, groups: list[tuple[str, int]]) -> None:
        self.filters.blockSignals(True)
        self.filters.clear()
        for name, count in groups:
            self.filters.addItem(fill(self.tr("%1 (%2 persons)"), name, count), name)
        self.filters.blockSignals(False)
        if not groups:
            self.preview.setText(self.tr("There are no saved filters yet. Build one on the "
                                         "Stakeholders page (Save current…), or pick persons "
                                         "by name."))
            self.tabs.setCurrentIndex(PICK_TAB)
            return
        self._preview()

    def _preview(self) -> None:
        name = self.filters.currentData()
        if name is None:
            return
        self.preview.setText(self.tr("Counting…"))
        self._filter_jobs.submit(lambda: partial(self._show_preview, self.context.read(
            filter_preview, self.conference_id, name)))

    def _show_preview(self, preview: FilterPreview) -> None:
        if preview.name != self.filters.currentData():
            return
        self.preview.setText(fill(self.tr(
            "%1 persons match; %2 of them are not on the list yet and will be shortlisted. "
            "Those already listed keep their role and status."), preview.matching, preview.new))

    # --- picking ---------------------------------------------------------------------------

    def _search(self, text: str) -> None:
        if not text.strip():
            self._show_results([])
            return
        self._search_jobs.submit(lambda: partial(self._show_results, self.context.read(
            search_persons, text, limit=SEARCH_LIMIT).rows))

    def _show_results(self, rows: Sequence[PersonRow]) -> None:
        self.results.blockSignals(True)
        self.results.clear()
        for row in rows:
            person_id = row.id
            text = fill(self.tr("%1 — %2"), row.name, row.organisation) if row.organisation \
                else row.name
            item = QListWidgetItem(text, self.results)
            item.setData(PERSON_ROLE, person_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person_id in self.picked
                               else Qt.CheckState.Unchecked)
        self.results.blockSignals(False)

    def _on_checked(self, item: QListWidgetItem) -> None:
        person_id = item.data(PERSON_ROLE)
        if item.checkState() == Qt.CheckState.Checked:
            self.picked[person_id] = item.text()
        else:
            self.picked.pop(person_id, None)
        self._show_picked()

    def _show_picked(self) -> None:
        if not self.picked:
            self.picked_label.setText(self.tr("Tick the persons to add; ticks are kept while "
                                              "you search for others."))
            return
        names = "; ".join(self.picked.values())
        self.picked_label.setText(fill(self.tr("Picked (%1): %2"), len(self.picked), names))

    def pick(self, person_id: int, text: str = "") -> None:
        """Tick a person as if found and ticked in the list."""
        self.picked[person_id] = text or str(person_id)
        self._show_picked()

    # --- submitting ------------------------------------------------------------------------

    def show_error_text(self, exc: object) -> None:
        self.general_error.setText(str(exc))
        self.general_error.show()

    def submit(self) -> None:
        role = self.role.currentData()
        if self.tabs.currentIndex() == FILTER_TAB:
            name = self.filters.currentData()
            if name is None:
                raise SmartconfError(self.tr("Choose a saved filter, or pick persons by name."))
            kwargs = {"filter_name": name}
        else:
            if not self.picked:
                raise SmartconfError(self.tr("Tick at least one person to add."))
            kwargs = {"person_ids": list(self.picked)}
        self.added, self.already_listed = self.context.write(
            lambda s, *, actor: _counts(add_participants(
                s, get_conference_by_id(s, self.conference_id), actor=actor, role=role,
                **kwargs)))


def _counts(result) -> tuple[int, int]:
    return len(result.added), len(result.already_listed)
