"""The Stakeholders page's Tools menu opens each tool on the current filter or person."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from smartconf.ui.stakeholder_tools.audit_view import AuditDialog
from smartconf.ui.stakeholder_tools.export_dialog import ContactsExportDialog
from smartconf.ui.stakeholder_tools.map_view import StakeholderMapDialog
from tests.ui.test_crm_support import open_page


def _action(page, text_start: str):
    return next(a for a in page.tool_actions if a.text().replace("&", "").startswith(text_start))


def _opened(kind):
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_tools_are_in_the_menu_with_shortcuts(qtbot, demo_database) -> None:
    page = open_page(qtbot, demo_database)
    assert page.tools_button.isVisible()
    texts = [a.text().replace("&", "") for a in page.tools_menu.actions()]
    assert texts[:4] == ["Import contacts…", "Find duplicates…", "Stakeholder map…",
                         "Export contacts…"]
    assert _action(page, "Stakeholder map").shortcut().toString() == "Ctrl+M"


def test_map_export_and_audit_open(qtbot, demo_database) -> None:
    page = open_page(qtbot, demo_database)
    for text, kind in (("Stakeholder map", StakeholderMapDialog),
                       ("Export contacts", ContactsExportDialog), ("Audit trail", AuditDialog)):
        _action(page, text).trigger()
        qtbot.waitUntil(lambda kind=kind: bool(_opened(kind)), timeout=5_000)
        for dialog in _opened(kind):
            dialog.close()


def test_person_tools_need_a_selected_person(qtbot, demo_database, monkeypatch) -> None:
    page = open_page(qtbot, demo_database)
    monkeypatch.setattr(page, "selected_person_id", lambda: None)
    told = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda parent, title, text: told.append(text))
    _action(page, "History of this person").trigger()
    assert told == ["Select a person in the list first."]
