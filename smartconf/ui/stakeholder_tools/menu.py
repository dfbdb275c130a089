"""The Stakeholders page's Tools menu: map, exports, data protection, audit, import and
duplicates, each opened on the page's current filter or selected person."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

from smartconf.ui.import_tools.duplicates_dialog import open_duplicates
from smartconf.ui.import_tools.import_wizard import open_import_wizard
from smartconf.ui.stakeholder_tools.audit_view import open_audit_view
from smartconf.ui.stakeholder_tools.export_dialog import open_contacts_export
from smartconf.ui.stakeholder_tools.map_view import open_stakeholder_map
from smartconf.ui.stakeholder_tools.privacy_dialogs import open_erasure, open_subject_access


def _tr(text: str) -> str:
    return QCoreApplication.translate("StakeholderTools", text)


def install_tools(page) -> list[QAction]:
    """Add the tools to ``page`` (a StakeholdersPage) and return their actions."""
    database, actor = page.context.database, page.context.actor
    tools = [
        (_tr("&Import contacts…"), "Ctrl+I", lambda: _open_import(page)),
        (_tr("Find &duplicates…"), None, lambda: _open_duplicates(page)),
        (_tr("Stakeholder &map…"), "Ctrl+M",
         lambda: _open_map(page)),
        (_tr("&Export contacts…"), "Ctrl+E",
         lambda: open_contacts_export(page, database, page.current_criteria(), actor)),
        (_tr("Export everything held on this &person…"), None,
         lambda: _with_person(page, lambda pid: open_subject_access(page, database, pid,
                                                                    actor))),
        (_tr("E&rase this person…"), None,
         lambda: _with_person(page, lambda pid: _open_erasure(page, pid))),
        (_tr("&History of this person…"), None,
         lambda: _with_person(page, lambda pid: open_audit_view(page, database,
                                                                entity="person",
                                                                entity_id=pid))),
        (_tr("&Audit trail…"), None, lambda: open_audit_view(page, database)),
    ]
    actions = []
    for text, shortcut, slot in tools:
        action = QAction(text, page)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        page.add_tool_action(action)
        page.addAction(action)
        actions.append(action)
    return actions


def _with_person(page, open_for):
    person_id = page.selected_person_id()
    if person_id is None:
        return QMessageBox.information(page, _tr("No person selected"),
                                       _tr("Select a person in the list first."))
    return open_for(person_id)


def _open_import(page):
    dialog = open_import_wizard(page, page.context.database, page.context.actor)
    dialog.imported.connect(lambda _report: page.reload())
    return dialog


def _open_duplicates(page):
    dialog = open_duplicates(page, page.context.database, page.context.actor)
    dialog.merged.connect(lambda _keep_id: page.reload())
    return dialog


def _open_map(page):
    dialog = open_stakeholder_map(page, page.context.database, page.current_criteria())
    dialog.person_activated.connect(page.edit_person)
    return dialog


def _open_erasure(page, person_id: int):
    dialog = open_erasure(page, page.context.database, person_id, page.context.actor)
    if dialog is not None:
        dialog.erased.connect(lambda _id: page.reload())
    return dialog
