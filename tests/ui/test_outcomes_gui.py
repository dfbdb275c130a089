"""The Outcomes page: recording from the keyboard, the follow-up tracker, coverage."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from sqlalchemy import select

from smartconf.core.enums import AuditAction, OutcomeKind, OutcomeStatus
from smartconf.models import AuditEvent, Outcome
from smartconf.store.session import read_session
from smartconf.ui.models.outcomes import OVERDUE_BACKGROUND
from smartconf.ui.outcomes.models import FollowUpTableModel
from smartconf.ui.pages.outcomes import OutcomesPage
from tests.ui.demo_data import Known

ACTOR = "rapporteur-test"
# A completer's popup on the offscreen platform; pytest-qt uses the closest mark, so the
# size-hint noise of tests/ui/conftest.py is repeated.
popup_noise = pytest.mark.qt_log_ignore(r"This plugin does not support (raise\(\)|grabbing "
                                        r"the keyboard|propagateSizeHints)")


@pytest.fixture
def page(qtbot, demo_database) -> OutcomesPage:
    page = OutcomesPage(demo_database, actor=ACTOR)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    page.ensure_loaded()
    return page


def _choose_session(page: OutcomesPage, title: str) -> None:
    recorder = page.recorder
    picker = recorder.conference
    picker.setCurrentIndex(next(i for i in range(picker.count())
                                if picker.conferences.rows()[i].code == Known.conference_code))
    recorder.session.setCurrentIndex(recorder.session.findText(title))


@popup_noise
def test_record_an_outcome_with_the_keyboard(page, qtbot, demo_database) -> None:
    page.tabs.setCurrentWidget(page.recorder)
    recorder = page.recorder
    _choose_session(page, Known.agenda_title)
    before = recorder.outcomes.rowCount()
    recorder.kind.setFocus()
    qtbot.keyClick(recorder.kind, Qt.Key.Key_2)
    assert recorder.kind.currentData() == OutcomeKind.COMMITMENT
    qtbot.keyClick(recorder.kind, Qt.Key.Key_Tab)
    assert recorder.text.hasFocus()
    qtbot.keyClicks(recorder.text, "Map dependencies between water and power by June.")
    qtbot.keyClick(recorder.text, Qt.Key.Key_Tab)
    assert recorder.person.hasFocus()
    with qtbot.waitSignal(recorder.person.results_shown, timeout=5000):
        qtbot.keyClicks(recorder.person, "colic")
    popup = recorder.person.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert recorder.person.value() is not None
    first = recorder.findings.item(0)
    assert first.text().startswith("R1-F1") and first.font().bold()  # presented there
    recorder.findings.setFocus()
    recorder.findings.setCurrentRow(0)
    qtbot.keyClick(recorder.findings, Qt.Key.Key_Space)
    assert recorder.checked_findings() == [first.data(Qt.ItemDataRole.UserRole)]
    with qtbot.waitSignal(recorder.saved) as saved:
        qtbot.keyClick(recorder.findings, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
    assert recorder.text.toPlainText() == "" and recorder.checked_findings() == []
    assert recorder.person.value() is None and recorder.text.hasFocus()
    assert recorder.outcomes.rowCount() == before + 1
    with read_session(demo_database.sessions) as session:
        outcome = session.get(Outcome, saved.args[0])
        assert outcome.text == "Map dependencies between water and power by June."
        assert outcome.kind is OutcomeKind.COMMITMENT
        assert outcome.agenda_session.title == Known.agenda_title
        assert outcome.committed_person.family_name == "Чолић"
        assert [f.label for f in outcome.findings] == ["R1-F1"]
        assert outcome.text in [r.text for r in page.outcomes.rows()]


def test_saving_without_text_shows_the_error_and_writes_nothing(page, qtbot) -> None:
    page.tabs.setCurrentWidget(page.recorder)
    recorder = page.recorder
    _choose_session(page, Known.agenda_title)
    before = recorder.outcomes.rowCount()
    recorder.text.setFocus()
    qtbot.keyClick(recorder.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert recorder.error.isVisibleTo(page) and "required" in recorder.error.text()
    assert recorder.outcomes.rowCount() == before


def _status_editor(view) -> QComboBox:
    return next(w for w in view.viewport().findChildren(QComboBox) if w.isVisible())


def test_status_change_in_the_follow_up_tab_is_audited(page, qtbot, demo_database) -> None:
    page.tabs.setCurrentWidget(page.follow_up)
    panel = page.follow_up
    rows = panel.model.rows()
    position = next(i for i, r in enumerate(rows) if r.text.startswith("KRU Prishtina"))
    row = rows[position]
    assert row.overdue and row.status is OutcomeStatus.OPEN
    index = panel.model.index(position, FollowUpTableModel.STATUS)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    panel.view.setCurrentIndex(index)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    editor = _status_editor(panel.view)
    editor.setCurrentIndex(editor.findData(OutcomeStatus.DONE))
    with qtbot.waitSignal(panel.status_changed) as changed:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert changed.args == [row.id]
    assert row.id not in {r.id for r in panel.model.rows()}
    with read_session(demo_database.sessions) as session:
        assert session.get(Outcome, row.id).status is OutcomeStatus.DONE
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "outcome", AuditEvent.entity_id == str(row.id),
            AuditEvent.action == AuditAction.UPDATE)).all()
        assert [(e.actor, e.changes) for e in events] == [
            (ACTOR, {"status": ["open", "done"]})]
    done = next(r for r in page.outcomes.rows() if r.id == row.id)
    assert done.status is OutcomeStatus.DONE


def test_follow_up_filters_by_owner_and_overdue(page, qtbot) -> None:
    panel = page.follow_up
    everyone = panel.model.rowCount()
    panel.owner.setCurrentIndex(panel.owner.findText("Luan Morina"))
    owners = {r.owner for r in panel.model.rows()}
    assert owners == {"Luan Morina"} and panel.model.rowCount() < everyone
    panel.owner.setCurrentIndex(0)
    panel.overdue_only.setChecked(True)
    assert panel.model.rowCount() and all(r.overdue for r in panel.model.rows())


def test_coverage_shows_a_known_finding_as_presented(page) -> None:
    page.tabs.setCurrentWidget(page.coverage)
    panel = page.coverage
    panel.conference.setCurrentIndex(next(
        i for i in range(panel.conference.count())
        if panel.conference.itemText(i).startswith(Known.conference_code + ":")))
    matrix = panel.matrix
    rows = [matrix.headerData(r, Qt.Orientation.Vertical) for r in range(matrix.rowCount())]
    columns = [matrix.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
               for c in range(matrix.columnCount())]
    cell = matrix.index(rows.index("R1-F2"), columns.index(Known.agenda_title))
    assert cell.data(Qt.ItemDataRole.ToolTipRole).split(", ") == ["presented", "discussed"]
    assert cell.data() == "discussed"  # implies presented
    answered = matrix.index(rows.index("R1-F1"), columns.index(Known.agenda_title))
    assert "1 outcome(s)" in answered.data()
    reports = {r.report_number: r for r in panel.shares.rows()}
    assert reports[1].findings == 7 and 0 < reports[1].answered < 7
