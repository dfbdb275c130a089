"""The person panel: details, affiliations, interactions (check-ins included), consents,
assessments and participations; adding each kind of record through its dialog."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from smartconf.core.enums import ConsentPurpose, InteractionKind, LawfulBasis, Stance
from smartconf.models import Affiliation, Assessment
from smartconf.services.engagement import active_consent, interactions_of
from smartconf.ui.crm.panel_models import ConsentTableModel
from smartconf.ui.pages.stakeholders import StakeholdersPage
from tests.ui.demo_data import Known
from tests.ui.test_crm_support import (
    TIMEOUT_MS,
    click_ok,
    fresh,
    open_page,
    person_id,
    wait_list,
)


@pytest.fixture
def page(qtbot, demo_database) -> StakeholdersPage:
    return open_page(qtbot, demo_database)


def show(qtbot, page: StakeholdersPage, given: str, family: str) -> int:
    """Select the person in the list and wait for the panel to show them."""
    pid = person_id(page.database, given, family)
    page.persons_view.selectRow(page.persons.row_of(pid))
    qtbot.waitUntil(lambda: page.panel.detail is not None and page.panel.detail.id == pid,
                    timeout=TIMEOUT_MS)
    return pid


def rows(model, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def wait_reloaded(qtbot, page: StakeholdersPage, condition) -> None:
    qtbot.waitUntil(lambda: not page.panel.is_loading() and condition(), timeout=TIMEOUT_MS)


def test_panel_shows_details_consents_assessments_and_interactions(qtbot, page):
    show(qtbot, page, "Lindita", "Ëmërllahu")
    panel = page.panel
    assert panel.name.text() == "Dr. Lindita Ëmërllahu"
    assert panel.details["position"].text() == "Deputy Minister of Internal Affairs"
    assert panel.details["emails"].text() == "lindita.emerllahu@mpb-rks.example"
    assert panel.details["phones"].text() == "+383 45 625 924"  # display format
    states = dict(zip(rows(panel.consents, ConsentTableModel.PURPOSE),
                      rows(panel.consents, ConsentTableModel.STATE), strict=True))
    assert states["Event invitations"] == "Given" and states["Photos"] == "Never asked"
    assert rows(panel.consents, ConsentTableModel.BASIS)[0] == "Legitimate interest"
    assert rows(panel.assessments, panel.assessments.INFLUENCE) == ["4", "4"]
    assert rows(panel.assessments, panel.assessments.INTEREST) == ["4", "3"]  # newest first
    assert "Influence 4 of 5, interest 4 of 5 · Supportive" in panel.current_assessment.text()
    assert "Confirmed the Deputy Minister's opening remarks at SB-CI." in rows(
        panel.interactions, panel.interactions.SUMMARY)
    assert Known.ministry in rows(panel.affiliations, panel.affiliations.ORGANISATION)
    assert any(text.startswith(Known.conference_code) for text in
               rows(panel.participations, panel.participations.CONFERENCE))


def test_check_in_shows_as_conference_attendance(qtbot, page):
    given, family = Known.checked_in.split()
    show(qtbot, page, given, family)
    kinds = rows(page.panel.interactions, page.panel.interactions.KIND)
    assert any(kind.startswith("Conference attendance · ") for kind in kinds)


def test_add_an_interaction(qtbot, page, demo_database):
    pid = show(qtbot, page, "Lindita", "Ëmërllahu")
    dialog = page.panel.add_interaction()
    dialog.kind.setCurrentIndex(dialog.kind.findData(InteractionKind.CALL))
    dialog.summary.setPlainText("Agreed on the agenda of the closing session.")
    dialog.follow_up.known.setChecked(True)
    click_ok(dialog)
    assert not dialog.isVisible()
    newest = fresh(demo_database, lambda s: [(i.kind, i.summary, i.created_by)
                                            for i in interactions_of(s, pid)])[0]
    assert newest == (InteractionKind.CALL, "Agreed on the agenda of the closing session.",
                      "tester")
    wait_reloaded(qtbot, page, lambda: "Agreed on the agenda of the closing session." in rows(
        page.panel.interactions, page.panel.interactions.SUMMARY))


def test_record_and_withdraw_a_consent(qtbot, page, demo_database):
    pid = show(qtbot, page, "Lindita", "Ëmërllahu")
    panel = page.panel
    photos = list(ConsentPurpose).index(ConsentPurpose.PHOTOS)
    panel.consents_view.view.selectRow(photos)
    dialog = panel.give_consent()
    assert dialog.purpose.currentData() == ConsentPurpose.PHOTOS
    dialog.basis.setCurrentIndex(dialog.basis.findData(LawfulBasis.CONSENT))
    dialog.source.setText("Signed photo release, SB-CI")
    click_ok(dialog)
    consent = fresh(demo_database, lambda s: active_consent(s, pid, ConsentPurpose.PHOTOS)
                    .source)
    assert consent == "Signed photo release, SB-CI"
    wait_reloaded(qtbot, page, lambda: rows(panel.consents, ConsentTableModel.STATE)[photos]
                  == "Given")

    panel.consents_view.view.selectRow(photos)
    question = panel.withdraw_consent()
    assert isinstance(question, QMessageBox) and "Photos" in question.text()
    withdraw = next(b for b in question.buttons() if b.text() == "Withdraw")
    QTest.mouseClick(withdraw, Qt.MouseButton.LeftButton)
    assert fresh(demo_database, active_consent, pid, ConsentPurpose.PHOTOS) is None
    wait_reloaded(qtbot, page, lambda: rows(panel.consents, ConsentTableModel.STATE)[photos]
                  == "Withdrawn")
    assert rows(panel.consent_history, panel.consent_history.SOURCE).count(
        "Signed photo release, SB-CI") == 1


def test_new_assessment_keeps_history_and_updates_the_list(qtbot, page, demo_database):
    pid = show(qtbot, page, "Lindita", "Ëmërllahu")
    dialog = page.panel.add_assessment()
    assert (dialog.influence.value(), dialog.interest.value()) == (4, 4)  # from the current
    dialog.influence.setValue(5)
    dialog.interest.setValue(2)
    dialog.stance.setCurrentIndex(dialog.stance.findData(Stance.SCEPTICAL))
    click_ok(dialog)
    history = fresh(demo_database, lambda s: s.execute(
        select(Assessment.influence, Assessment.interest).where(Assessment.person_id == pid)
        .order_by(Assessment.assessed_on, Assessment.id)).all())
    assert [tuple(r) for r in history][-1] == (5, 2) and len(history) == 3
    wait_reloaded(qtbot, page, lambda: page.panel.assessments.rowCount() == 3)
    model = page.persons
    qtbot.waitUntil(lambda: model.index(model.row_of(pid), model.INFLUENCE).data() == "5",
                    timeout=TIMEOUT_MS)
    assert model.index(model.row_of(pid), model.INTEREST).data() == "2"


def test_add_and_end_an_affiliation(qtbot, page, demo_database):
    pid = show(qtbot, page, "Lindita", "Ëmërllahu")
    dialog = page.panel.add_affiliation()
    dialog.organisation.setEditText(Known.division)
    dialog.role.setText("Acting head")
    click_ok(dialog)
    wait_reloaded(qtbot, page, lambda: page.panel.affiliations.rowCount() == 2)
    affiliations = page.panel.affiliations
    assert rows(affiliations, affiliations.ORGANISATION)[0] == Known.division  # primary now
    wait_list(qtbot, page.persons)
    qtbot.waitUntil(lambda: page.persons.index(page.persons.row_of(pid),
                                               page.persons.ORGANISATION).data()
                    == Known.division, timeout=TIMEOUT_MS)
    page.panel.affiliations_view.view.selectRow(0)
    end = page.panel.end_affiliation()
    click_ok(end)
    ended = fresh(demo_database, lambda s: s.scalar(select(Affiliation.ended_on).where(
        Affiliation.person_id == pid, Affiliation.role == "Acting head")))
    assert ended == date.today()
    wait_reloaded(qtbot, page, lambda: rows(affiliations, affiliations.TO)[-1] != "now")
