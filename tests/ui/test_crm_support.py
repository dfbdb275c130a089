"""Helpers of the CRM GUI tests (test_crm_*.py); no tests here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget
from sqlalchemy import select

from smartconf.models import Person
from smartconf.store.database import Database
from smartconf.store.session import read_session
from smartconf.ui.crm.person_list_model import PLACEHOLDER, PersonListModel
from smartconf.ui.pages.stakeholders import StakeholdersPage

ACTOR = "tester"
TIMEOUT_MS = 10_000
R = TypeVar("R")


def open_page(qtbot, database: Database) -> StakeholdersPage:
    """A shown Stakeholders page over ``database``, its list read."""
    page = StakeholdersPage(database, actor=ACTOR)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.ensure_loaded()
    wait_list(qtbot, page.persons)
    return page


def wait_list(qtbot, model: PersonListModel) -> None:
    """Until the list answers the last request and every row asked for is read."""
    qtbot.waitUntil(lambda: model.is_current() and not model.is_busy(), timeout=TIMEOUT_MS)


def column(qtbot, model: PersonListModel, col: int = PersonListModel.NAME) -> list[str]:
    """The texts of a column, every row read."""
    def texts() -> list[str]:
        return [model.index(row, col).data() for row in range(model.rowCount())]

    qtbot.waitUntil(lambda: PLACEHOLDER not in [model.index(r, 0).data()
                                                for r in range(model.rowCount())],
                    timeout=TIMEOUT_MS)
    return texts()


def search(qtbot, page: StakeholdersPage, text: str) -> None:
    """Type ``text`` into the search field, one key event per character (non-ASCII too),
    and wait for its results."""
    page.search.clear()
    page.search.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, page.search, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: page.persons.query().text == text, timeout=TIMEOUT_MS)
    wait_list(qtbot, page.persons)


def fresh(database: Database, query: Callable[..., R], *args) -> R:
    """Run ``query`` in a new session: what the database holds, not what a page cached."""
    with read_session(database.sessions) as session:
        return query(session, *args)


def person_id(database: Database, given: str, family: str) -> int | None:
    return fresh(database, lambda s: s.scalar(select(Person.id).where(
        Person.given_name == given, Person.family_name == family)))


def activate(qtbot, window: QWidget) -> None:
    """Make ``window`` active again after a dialog closed, as a window manager does."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def click_ok(dialog: QWidget) -> None:
    """Press the OK button of a FormDialog."""
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
