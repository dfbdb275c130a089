"""Stakeholders: the persons (searched as you type, filtered, sorted by Albanian or Serbian
collation, 100,000 of them without a stall) with the person panel, and the organisation tree.

Writes go through ``CrmChanges`` and its ``undo_stack`` (the main window's Edit menu). Other
tools (import, duplicates, exports, data protection, the stakeholder map) plug in with
``add_tool_action`` and read ``selected_person_id`` / ``current_criteria``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.enums import Language
from smartconf.core.errors import SmartconfError
from smartconf.services.overview import organisation_choices, person_form, team_member_choices
from smartconf.services.person_search import PersonFilter
from smartconf.store.database import Database
from smartconf.ui.crm.columns import HeaderSettings
from smartconf.ui.crm.context import CrmContext, current_actor
from smartconf.ui.crm.empty_state import ActionEmptyState
from smartconf.ui.crm.filters_panel import FiltersPanel
from smartconf.ui.crm.form import ask
from smartconf.ui.crm.labels import crm_label
from smartconf.ui.crm.organisations_tab import OrganisationsTab
from smartconf.ui.crm.painting import PaintInOneGo
from smartconf.ui.crm.person_dialog import PersonDialog
from smartconf.ui.crm.person_list_model import PersonListModel
from smartconf.ui.crm.person_panel import PersonPanel
from smartconf.ui.crm.person_source import PersonSource
from smartconf.ui.crm.undo import ORGANISATION, PERSON, Change, CrmChanges, NewPerson
from smartconf.ui.errors import error_box
from smartconf.ui.formatting import fill, ui_language
from smartconf.ui.pages.base import Page
from smartconf.ui.stakeholder_tools.menu import install_tools
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import table_view

SEARCH_DELAY_MS = 150
ORGANISATIONS_TAB = 1
HEADER_KEY = "stakeholders/persons_header"
COLLATION_KEY = "stakeholders/collation"
FILTERS_KEY = "stakeholders/filters_shown"
PANEL_KEY = "stakeholders/panel_shown"
SPLITTER_KEY = "stakeholders/splitter"
M = PersonListModel
WIDTHS = {M.NAME: 190, M.LATIN_NAME: 170, M.ORGANISATION: 230, M.POSITION: 190, M.COUNTRY: 70,
          M.EMAIL: 220, M.PHONE: 140, M.LANGUAGE: 85, M.TAGS: 140, M.OWNER: 130,
          M.INFLUENCE: 75, M.INTEREST: 75}
HIDDEN_AT_FIRST = (M.LATIN_NAME, M.COUNTRY, M.PHONE, M.OWNER)


def default_collation() -> str:
    """Serbian for a Serbian desktop, else Albanian: most names in the CRM are Albanian, and
    English order (ç with c, ë with e) reads as wrong to the coordinators in Prishtina."""
    return "sr" if ui_language() == "sr" else "sq"


class StakeholdersPage(Page):
    """Persons (toolbar, search, filters, list, person panel) and organisations, in tabs.

    Keys: Ctrl+N new person, Ctrl+F search, Enter or F2 edit, Delete delete (asks); undo and
    redo through ``undo_stack``. ``actor`` defaults to the OS login.
    """

    def __init__(self, database: Database, parent=None, *, actor: str | None = None) -> None:
        super().__init__(database, parent)
        self.context = CrmContext(database, actor or current_actor())
        self.changes = CrmChanges(self.context, self)
        self.undo_stack = self.changes.stack
        self.changes.changed.connect(self._on_changed)
        self.changes.failed.connect(self.show_error)
        self.dialog: QWidget | None = None  # the last dialog or question opened
        self.error_dialog: QMessageBox | None = None
        self._select_after_load: int | None = None
        self._select_first = False  # after Enter in the search field
        layout = QVBoxLayout(self)
        layout.addLayout(self._title_row())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._persons_tab(), self.tr("Persons"))
        self.organisations_tab = OrganisationsTab(self.changes)
        self.organisations_tab.failed.connect(self.show_error)
        self.organisations = self.organisations_tab.model
        self.tabs.addTab(self.organisations_tab, self.tr("Organisations"))
        self.tabs.currentChanged.connect(self._on_tab)
        layout.addWidget(self.tabs, 1)
        self._add_shortcuts()
        self.tool_actions = install_tools(self)

    def title(self) -> str:
        return self.tr("Stakeholders")

    # --- building: title, tools ------------------------------------------------------------

    def _title_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(heading(self.tr("Stakeholders")), 1)
        self.tools_menu = QMenu(self.tr("Tools"), self)
        self.tools_button = QToolButton()
        self.tools_button.setText(self.tr("&Tools"))
        self.tools_button.setMenu(self.tools_menu)
        self.tools_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tools_button.hide()  # shown once a tool is plugged in
        row.addWidget(self.tools_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def add_tool_action(self, action: QAction) -> None:
        """Plug a tool (import, duplicates, export, data protection, map...) into the page's
        Tools menu. Tools read ``selected_person_id()`` and ``current_criteria()``, write
        through the services, then call ``reload()``."""
        self.tools_menu.addAction(action)
        self.tools_button.show()

    # --- building: persons -----------------------------------------------------------------

    def _persons_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self._persons_toolbar())
        layout.addLayout(self._search_row())
        self.filters = FiltersPanel(self.context, self.current_criteria)
        self.filters.changed.connect(self._on_filters_changed)
        self.filters.group_chosen.connect(self._on_group_chosen)
        self.filters.failed.connect(self.show_error)
        self.persons = PersonListModel(PersonSource(self.context, {
            lang: crm_label(lang) for lang in Language}), self)
        self.persons.set_language(self.collation.currentData())
        self.persons.loaded.connect(self._on_persons_loaded)
        self.persons.failed.connect(self.show_error)
        self.persons.busy_changed.connect(self._on_busy)
        self.persons_view = table_view(self.persons, widths=WIDTHS)
        self.persons_view.setObjectName("persons_view")
        PaintInOneGo(self.persons_view)
        self.persons_view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.persons_view.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.columns = HeaderSettings(self.persons_view, HEADER_KEY,
                                      hidden_by_default=HIDDEN_AT_FIRST)
        self.persons_empty = ActionEmptyState(self.persons_view, self.tr("Loading…"))
        self.persons_empty.button.clicked.connect(self.clear_filters)
        self.panel = PersonPanel(self.context)
        self.panel.changed.connect(self._on_panel_changed)
        self.panel.edit_requested.connect(self.edit_person)
        self.panel.failed.connect(self.show_error)
        self.splitter = QSplitter()
        for widget in (self.filters, self.persons_empty, self.panel):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self._restore_layout()
        layout.addWidget(self.splitter, 1)
        return tab

    def _persons_toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_person_action = self._action(self.tr("New person…"), self.new_person,
                                              [QKeySequence(QKeySequence.StandardKey.New)])
        self.edit_person_action = self._action(self.tr("Edit…"), self.edit_selected)
        self.delete_person_action = self._action(self.tr("Delete"), self.delete_selected)
        bar.addActions([self.new_person_action, self.edit_person_action,
                        self.delete_person_action])
        bar.addSeparator()
        self.filters_action = self._action(self.tr("Filters"), self._toggle_panes)
        self.filters_action.setCheckable(True)
        self.panel_action = self._action(self.tr("Details"), self._toggle_panes)
        self.panel_action.setCheckable(True)
        self.panel_action.setToolTip(self.tr("Show the selected person's details, history and "
                                             "consents beside the list"))
        bar.addActions([self.filters_action, self.panel_action])
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                             spacer.sizePolicy().Policy.Preferred)
        bar.addWidget(spacer)
        order = QLabel(self.tr("Alphabetical &order: "))
        bar.addWidget(order)
        self.collation = QComboBox()
        self.collation.setObjectName("collation")
        for code, text in (("sq", self.tr("Albanian")), ("sr", self.tr("Serbian")),
                           ("en", self.tr("English"))):
            self.collation.addItem(text, code)
        order.setBuddy(self.collation)
        self.collation.setToolTip(self.tr("Albanian: c, ç, d, dh, e, ë… · Serbian: c, č, ć, "
                                          "d, dž, đ…"))
        chosen = QSettings().value(COLLATION_KEY) or default_collation()
        self.collation.setCurrentIndex(max(self.collation.findData(chosen), 0))
        self.collation.currentIndexChanged.connect(self._on_collation)
        bar.addWidget(self.collation)
        return bar

    def _search_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("person_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr(
            "Search by name, organisation, position or e-mail, in any script (Ctrl+F)"))
        row.addWidget(self.search, 1)
        self.person_count = QLabel()
        self.person_count.setObjectName("person_count")
        row.addWidget(self.person_count)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._on_typed)
        self.search.returnPressed.connect(self.go_to_list)
        return row

    def go_to_list(self) -> None:
        """Enter in the search field: search now and move to the first person found."""
        self._select_first = True
        self.apply_search()
        if self.persons.is_current():
            self._on_persons_loaded()

    def _on_typed(self) -> None:
        self._search_timer.start()
        if not self.persons.rowCount():
            self._update_empty_message()

    def _action(self, text: str, slot, shortcuts: list[QKeySequence] | None = None,
                widget: QWidget | None = None) -> QAction:
        """An action on ``widget`` (else the page and its children)."""
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcuts:
            action.setShortcuts(shortcuts)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            (widget or self).addAction(action)
        return action

    def _add_shortcuts(self) -> None:
        self.find_action = self._action(self.tr("Find"), self.focus_search,
                                        [QKeySequence(QKeySequence.StandardKey.Find)])
        self._action(self.tr("Edit"), self.edit_selected,
                     [QKeySequence(Qt.Key.Key_F2), QKeySequence(Qt.Key.Key_Return),
                      QKeySequence(Qt.Key.Key_Enter)], self.persons_view)
        self._action(self.tr("Delete"), self.delete_selected,
                     [QKeySequence(QKeySequence.StandardKey.Delete)], self.persons_view)

    def _restore_layout(self) -> None:
        settings = QSettings()
        self.filters_action.setChecked(settings.value(FILTERS_KEY, False, type=bool))
        self.panel_action.setChecked(settings.value(PANEL_KEY, True, type=bool))
        self._show_panes()
        state = settings.value(SPLITTER_KEY)
        if state is None or not self.splitter.restoreState(state):
            self.splitter.setSizes([250, 640, 400])
        self.splitter.splitterMoved.connect(self._save_layout)

    def _save_layout(self) -> None:
        settings = QSettings()
        settings.setValue(FILTERS_KEY, self.filters_action.isChecked())
        settings.setValue(PANEL_KEY, self.panel_action.isChecked())
        settings.setValue(SPLITTER_KEY, self.splitter.saveState())

    def _show_panes(self) -> None:
        self.filters.setVisible(self.filters_action.isChecked())
        self.panel.setVisible(self.panel_action.isChecked())

    def _toggle_panes(self) -> None:
        self._show_panes()
        self._save_layout()

    # --- the list --------------------------------------------------------------------------

    def current_criteria(self) -> PersonFilter:
        """The whole filter of the list: the panel's and the typed text."""
        return replace(self.filters.criteria(), text=self.search.text())

    def apply_search(self) -> None:
        """Show the persons matching the search field and filters now (typing waits)."""
        self._search_timer.stop()
        self.persons.set_filter(self.current_criteria())
        self._update_empty_message()

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def clear_filters(self) -> None:
        """Empty the search field and every filter."""
        self.filters.blockSignals(True)
        self.filters.clear()
        self.filters.blockSignals(False)
        self.search.clear()
        self.apply_search()

    def _on_filters_changed(self) -> None:
        count = self.filters.active_count()
        self.filters_action.setText(fill(self.tr("Filters (%1)"), count) if count
                                    else self.tr("Filters"))
        self._search_timer.start()

    def _on_group_chosen(self, criteria: PersonFilter) -> None:
        self.search.setText(criteria.text)
        self.apply_search()

    def _on_collation(self) -> None:
        language = self.collation.currentData()
        QSettings().setValue(COLLATION_KEY, language)
        self.persons.set_language(language)

    def _on_busy(self, busy: bool) -> None:
        self.person_count.setToolTip(self.tr("Searching…") if busy else "")
        if not self.persons.rowCount():
            self._update_empty_message()

    def _on_persons_loaded(self) -> None:
        total = self.persons.total()
        self.person_count.setText(self.tr("1 person") if total == 1 else
                                  self.tr("%Ln persons", "", total))
        self._update_empty_message()
        wanted = self._select_after_load or self.panel.person_id()
        self._select_after_load = None
        row = self.persons.row_of(wanted) if wanted is not None else -1
        if self._select_first and self.persons.rowCount():
            row = 0
            self.persons_view.setFocus(Qt.FocusReason.OtherFocusReason)
        self._select_first = False
        if row >= 0:
            self.persons_view.selectRow(row)
            self.persons_view.scrollTo(self.persons.index(row, 0))

    def _update_empty_message(self) -> None:
        criteria = self.persons.request().criteria
        text = criteria.text.strip()
        filtered = replace(criteria, text="") != PersonFilter()
        typing = self._search_timer.isActive()
        if typing or (self.persons.is_busy() and not self.persons.rowCount()):
            typed = self.search.text().strip()
            message = fill(self.tr("Searching for “%1”…"), typed) if typed else \
                self.tr("Searching…")
        elif text:
            message = fill(self.tr("No persons match “%1”."), text)
        elif filtered:
            message = self.tr("No persons match these filters.")
        else:
            message = self.tr("No persons yet. Add the first one with New person (Ctrl+N).")
        self.persons_empty.set_message(message)
        self.persons_empty.set_action(self.tr("Clear the filters") if text or filtered
                                      else None)

    def selected_person_id(self) -> int | None:
        """The person selected in the list, if any."""
        index = self.persons_view.currentIndex()
        return self.persons.person_id(index.row()) if index.isValid() else None

    def _on_current_row(self) -> None:
        person_id = self.selected_person_id()
        if person_id is not None and person_id != self.panel.person_id():
            self.panel.show_person(person_id)
        enabled = person_id is not None
        self.edit_person_action.setEnabled(enabled)
        self.delete_person_action.setEnabled(enabled)

    # --- writing ---------------------------------------------------------------------------

    def _open(self, dialog: QWidget) -> QWidget:
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_person(self) -> PersonDialog:
        """Open the dialog of a new person."""
        def submit(new: NewPerson) -> None:
            self._select_after_load = self.changes.create_person(new)

        self.tabs.setCurrentIndex(0)
        return self._open(PersonDialog(
            submit, owners=self.context.read(team_member_choices),
            organisations=self.context.read(organisation_choices), parent=self))

    def edit_person(self, person_id: int) -> PersonDialog:
        """Open the dialog editing ``person_id``."""
        def submit(new: NewPerson) -> None:
            self.changes.update_person(person_id, new.details)

        return self._open(PersonDialog(
            submit, owners=self.context.read(team_member_choices),
            details=self.context.read(person_form, person_id), parent=self))

    def edit_selected(self) -> PersonDialog | None:
        person_id = self.selected_person_id()
        return None if person_id is None else self.edit_person(person_id)

    def delete_selected(self) -> QMessageBox | None:
        """Ask, then delete the selected person (undoable)."""
        person_id = self.selected_person_id()
        row = self.persons.row_data(self.persons_view.currentIndex().row())
        if person_id is None:
            return None
        name = row.name if row else str(person_id)
        self.dialog = ask(self, self.tr("Delete person"),
                          fill(self.tr("Delete %1 with their affiliations, assessments and "
                                       "consents? You can undo this (Ctrl+Z)."), name),
                          self.tr("Delete"), partial(self.delete_person, person_id))
        return self.dialog

    def delete_person(self, person_id: int) -> None:
        try:
            self.changes.delete_person(person_id)
        except SmartconfError as exc:
            self.show_error(exc)

    def _on_changed(self, change: Change) -> None:
        if change.kind == PERSON:
            self.persons.refresh(list(change.ids))
        elif change.kind == ORGANISATION:
            self.persons.refresh()  # organisation names and countries show in the list
            if self.organisations_tab.loaded:
                self.organisations_tab.load()
        if self.panel.person_id() is not None:
            self.panel.reload()
        self.filters.load()

    def _on_panel_changed(self, person_id: int) -> None:
        self.persons.refresh([person_id])
        self.filters.load()

    def show_error(self, exc: object) -> QMessageBox:
        """Say what went wrong in a dialog (not blocking the page)."""
        if not isinstance(exc, BaseException):
            exc = RuntimeError(str(exc))
        self.error_dialog = error_box(exc, self)
        self.error_dialog.open()
        return self.error_dialog

    # --- loading ---------------------------------------------------------------------------

    def _on_tab(self, index: int) -> None:
        if index == ORGANISATIONS_TAB and not self.organisations_tab.loaded:
            self.organisations_tab.load()

    def reload(self) -> None:
        self.persons.refresh()
        self._update_empty_message()
        self.filters.load()
        self.panel.reload()
        if self.organisations_tab.loaded or self.tabs.currentIndex() == ORGANISATIONS_TAB:
            self.organisations_tab.load()
