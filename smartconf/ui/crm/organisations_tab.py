"""Organisations as a tree (a division inside its ministry), created, edited and deleted
through ``CrmChanges`` (undoable)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QToolBar, QVBoxLayout, QWidget

from smartconf.core.errors import SmartconfError
from smartconf.services.organisations import OrganisationInput, organisation_tree
from smartconf.services.overview import Choice, organisation_choices, organisation_form
from smartconf.ui.crm.form import ask
from smartconf.ui.crm.organisation_dialog import OrganisationDialog
from smartconf.ui.crm.undo import CrmChanges
from smartconf.ui.formatting import fill
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.models.organisations import OrganisationTreeModel
from smartconf.ui.widgets.views import EmptyState, tree_view


class OrganisationsTab(QWidget):
    """The organisation tree with New / New division / Edit / Delete."""

    failed = Signal(object)

    def __init__(self, changes: CrmChanges, parent=None) -> None:
        super().__init__(parent)
        self.changes = changes
        self.context = changes.context
        self.dialog: QDialog | QMessageBox | None = None
        self.loaded = False
        layout = QVBoxLayout(self)
        layout.addWidget(self._toolbar())
        self.model = OrganisationTreeModel(self)
        self.view = tree_view(self.model, widths={OrganisationTreeModel.NAME: 480,
                                                  OrganisationTreeModel.ACRONYM: 100,
                                                  OrganisationTreeModel.KIND: 210,
                                                  OrganisationTreeModel.COUNTRY: 70})
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        self.view.selectionModel().currentChanged.connect(self._update_actions)
        self.empty = EmptyState(self.view, self.tr("No organisations yet."))
        layout.addWidget(self.empty, 1)
        self._update_actions()

    def _action(self, text: str, slot, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _toolbar(self) -> QToolBar:
        bar = QToolBar()
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = self._action(self.tr("New organisation…"), self.new_organisation)
        self.new_division_action = self._action(self.tr("New division…"), self.new_division)
        self.edit_action = self._action(self.tr("Edit…"), self.edit_selected,
                                        QKeySequence(Qt.Key.Key_F2))
        self.delete_action = self._action(self.tr("Delete"), self.delete_selected,
                                          QKeySequence(QKeySequence.StandardKey.Delete))
        for action in (self.new_action, self.new_division_action, self.edit_action,
                       self.delete_action):
            bar.addAction(action)
        return bar

    # --- reading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Read the tree again (a few thousand rows at most), keeping the selection."""
        selected = self.selected_id()
        self.loaded = True
        self.model.set_rows(self.context.read(organisation_tree))
        self.view.expandAll()
        if selected is not None:
            self.select(selected)
        self._update_actions()

    def selected_id(self) -> int | None:
        row = self.view.currentIndex().data(ROW_ROLE)
        return row.id if row is not None else None

    def select(self, org_id: int) -> None:
        index = self.model.index_of_id(org_id)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def _update_actions(self) -> None:
        chosen = self.selected_id() is not None
        for action in (self.new_division_action, self.edit_action, self.delete_action):
            action.setEnabled(chosen)

    # --- writing ---------------------------------------------------------------------------

    def _parents(self, excluded: int | None = None) -> list[Choice]:
        return [c for c in self.context.read(organisation_choices) if c.value != excluded]

    def _open(self, dialog: OrganisationDialog) -> OrganisationDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    def new_organisation(self, parent_id: int | None = None) -> OrganisationDialog:
        """Open the dialog of a new organisation (inside ``parent_id``, if given)."""
        def submit(data: OrganisationInput) -> None:
            created = self.changes.create_organisation(data)
            self.load()
            self.select(created)

        dialog = OrganisationDialog(submit, parents=self._parents(), parent=self)
        if parent_id is not None:
            parent = self.context.read(organisation_form, parent_id)
            dialog.set_details(OrganisationInput("", parent.kind, country=parent.country,
                                                 parent_id=parent_id))
        return self._open(dialog)

    def new_division(self) -> OrganisationDialog | None:
        selected = self.selected_id()
        return None if selected is None else self.new_organisation(selected)

    def edit_selected(self) -> OrganisationDialog | None:
        org_id = self.selected_id()
        if org_id is None:
            return None

        def submit(data: OrganisationInput) -> None:
            self.changes.update_organisation(org_id, data)
            self.load()

        return self._open(OrganisationDialog(
            submit, parents=self._parents(org_id),
            details=self.context.read(organisation_form, org_id), parent=self))

    def delete_selected(self) -> QMessageBox | None:
        """Ask, then delete the selected organisation (its divisions move up a level)."""
        row = self.view.currentIndex().data(ROW_ROLE)
        if row is None:
            return None
        self.dialog = ask(self, self.tr("Delete organisation"),
                          fill(self.tr("Delete “%1”? Its divisions move up a level. You can "
                                       "undo this."), row.name),
                          self.tr("Delete"), partial(self.delete, row.id))
        return self.dialog

    def delete(self, org_id: int) -> None:
        """Delete an organisation, or say why it cannot be (people work there)."""
        try:
            self.changes.delete_organisation(org_id)
        except SmartconfError as exc:
            self.failed.emit(exc)
            return
        self.load()
