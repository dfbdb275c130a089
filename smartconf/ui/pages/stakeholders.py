"""Stakeholders: persons (searched as you type, paged from the database) and organisations
(as a tree)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTabWidget, QVBoxLayout, QWidget

from smartconf.services.organisations import organisation_tree
from smartconf.services.overview import PersonPage, search_persons
from smartconf.services.person_search import PersonFilter, count_persons
from smartconf.ui.formatting import fill
from smartconf.ui.models.organisations import OrganisationTreeModel
from smartconf.ui.models.persons import PersonQuery, PersonTableModel
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import EmptyState, table_view, tree_view

SEARCH_DELAY_MS = 150
ORGANISATIONS_TAB = 1


class StakeholdersPage(Page):
    def __init__(self, database, parent=None) -> None:
        super().__init__(database, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Stakeholders")))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._persons_tab(), self.tr("Persons"))
        self.tabs.addTab(self._organisations_tab(), self.tr("Organisations"))
        self._organisations_loaded = False
        self.tabs.currentChanged.connect(self._on_tab)
        layout.addWidget(self.tabs, 1)

    def title(self) -> str:
        return self.tr("Stakeholders")

    # --- persons -----------------------------------------------------------------------

    def _persons_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Search by name, organisation, position or e-mail, in any script"))
        bar.addWidget(self.search, 1)
        self.person_count = QLabel()
        bar.addWidget(self.person_count)
        layout.addLayout(bar)
        self.persons = PersonTableModel(self._fetch_persons, self)
        self.persons_view = table_view(
            self.persons, widths={PersonTableModel.NAME: 190, PersonTableModel.LATIN_NAME: 170,
                                  PersonTableModel.ORGANISATION: 250,
                                  PersonTableModel.POSITION: 200,
                                  PersonTableModel.LANGUAGE: 90})
        self.persons_empty = EmptyState(self.persons_view, self.tr("No persons yet."))
        layout.addWidget(self.persons_empty, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        return tab

    def _fetch_persons(self, query: PersonQuery, after: tuple | None, limit: int) -> PersonPage:
        return self.read(search_persons, query.text, after=after, limit=limit,
                         order=query.order, descending=query.descending)

    def apply_search(self) -> None:
        """Show the persons matching the search field now (typing waits a moment first)."""
        self._search_timer.stop()
        text = self.search.text()
        self.persons.set_search_text(text)
        self._update_person_count(text)

    def _update_person_count(self, text: str) -> None:
        count = self.read(count_persons, PersonFilter(text=text))
        if count == 1:
            self.person_count.setText(self.tr("1 person"))
        else:
            self.person_count.setText(self.tr("%n persons", "", count))
        if text.strip():
            self.persons_empty.set_message(fill(self.tr("No persons match “%1”."), text.strip()))
        else:
            self.persons_empty.set_message(self.tr("No persons yet."))

    # --- organisations ---------------------------------------------------------------------

    def _organisations_tab(self) -> QWidget:
        self.organisations = OrganisationTreeModel(self)
        self.organisations_view = tree_view(
            self.organisations, widths={OrganisationTreeModel.NAME: 480,
                                        OrganisationTreeModel.ACRONYM: 100,
                                        OrganisationTreeModel.KIND: 210,
                                        OrganisationTreeModel.COUNTRY: 70})
        return EmptyState(self.organisations_view, self.tr("No organisations yet."))

    # --- loading ---------------------------------------------------------------------------

    def _on_tab(self, index: int) -> None:
        if index == ORGANISATIONS_TAB and not self._organisations_loaded:
            self.load_organisations()

    def load_organisations(self) -> None:
        """Read the organisation tree (when its tab is shown: thousands of rows)."""
        self._organisations_loaded = True
        self.organisations.set_rows(self.read(organisation_tree))
        self.organisations_view.expandAll()

    def reload(self) -> None:
        self.apply_search()
        self._organisations_loaded = False
        self._on_tab(self.tabs.currentIndex())
