"""The import wizard and the duplicates dialog, driven through their buttons and public
methods over the demo database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from smartconf.models import Participant, Person, PersonEmail
from smartconf.services.conferences import get_conference
from smartconf.services.contact_import import Decision
from smartconf.services.persons import PersonInput, create_person
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from smartconf.ui.import_tools.duplicates_dialog import DuplicatesDialog, open_duplicates
from smartconf.ui.import_tools.import_wizard import (
    CHECK,
    COLUMNS,
    REPORT,
    ImportWizard,
    open_import_wizard,
)
from smartconf.ui.import_tools.plan_model import DECISION, ERRORS, MATCH
from tests.ui.demo_data import Known

WAIT_MS = 20_000
DEMO_EMAIL = "lindita.emerllahu@mpb-rks.example"  # a demo person's address
CSV_TEXT = (
    "First name,Last name,E-mail,Organisation\n"
    "Ђорђе,Петровић,djordje.petrovic@example.org,Kosovar Centre for Security Studies\n"
    f"Lindita,Ëmërllahu,{DEMO_EMAIL},\n"
    "Besa,Krasniqi,not-an-address,\n"
    "Arben,Hoxha,arben.hoxha@example.org,\n")


def _persons(database: Database) -> int:
    with read_session(database.sessions) as session:
        return session.scalar(select(func.count(Person.id)))


def _owner_of(database: Database, address: str) -> int | None:
    with read_session(database.sessions) as session:
        return session.scalar(select(PersonEmail.person_id)
                              .where(PersonEmail.address == address))


@pytest.fixture
def contacts_csv(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def wizard(qtbot, demo_database) -> ImportWizard:
    dialog = open_import_wizard(None, demo_database, "tester")
    qtbot.addWidget(dialog)
    return dialog


def _checked(qtbot, wizard: ImportWizard, path: Path) -> ImportWizard:
    """The wizard at the check step with ``path`` checked."""
    assert wizard.load_file(path) is not None
    wizard.next()
    with qtbot.waitSignal(wizard.check_step.checked, timeout=WAIT_MS):
        wizard.next()
    assert wizard.step() == CHECK
    return wizard


def _run(qtbot, wizard: ImportWizard, button):
    with qtbot.waitSignal(wizard.check_step.reported, timeout=WAIT_MS) as reported:
        button.click()
    return reported.args[0]


def _row(wizard: ImportWizard, number: int) -> int:
    model = wizard.check_step.model
    return next(i for i in range(model.rowCount()) if model.planned(i).row == number)


def test_the_file_step_says_what_was_detected_and_the_mapping_is_suggested(wizard,
                                                                           contacts_csv):
    table = wizard.load_file(contacts_csv)
    assert "contacts.csv (CSV, UTF-8, ',')" in wizard.file_step.detected.text()
    assert wizard.file_step.encoding.currentText() == "As detected (UTF-8)"
    assert len(table) == 4 and wizard.next_button.isEnabled()
    wizard.next()
    mapping = wizard.mapping_step
    assert wizard.step() == COLUMNS
    assert [mapping.field_of(h) for h in table.headers] == [
        "given_name", "family_name", "email", "organisation"]
    assert mapping.problems.text() == "" and wizard.next_button.isEnabled()
    assert mapping.preview.rowCount() == 4
    assert mapping.preview.item(0, 0).text() == "Ђорђе"
    assert mapping.columns.item(0, 2).text().startswith("Ђорђе · Lindita")
    assert mapping._combos["E-mail"].currentData() == "email"
    # role and status are for participants only
    assert mapping._combos["E-mail"].findData("role") == -1


def test_the_encoding_can_be_overridden_and_an_unreadable_file_is_said_plainly(
        wizard, tmp_path, contacts_csv):
    wizard.load_file(contacts_csv)
    table = wizard.file_step.set_overrides(encoding="cp1252", delimiter=";")
    assert table.encoding == "cp1252" and table.headers == (
        "First name,Last name,E-mail,Organisation",)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert wizard.load_file(empty) is None
    assert wizard.file_step.error.text() == "empty.csv is empty."
    assert not wizard.next_button.isEnabled()


def test_a_mapping_without_names_is_refused_and_a_changed_one_is_remembered(
        qtbot, demo_database, wizard, contacts_csv):
    wizard.load_file(contacts_csv)
    wizard.next()
    wizard.mapping_step.assign("Last name", None)
    assert "family name" in wizard.mapping_step.problems.text()
    assert not wizard.next_button.isEnabled()
    wizard.mapping_step.assign("Last name", "family_name")
    wizard.mapping_step.assign("Organisation", None)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_step.plan is not None, timeout=WAIT_MS)
    again = ImportWizard(demo_database, "tester")
    qtbot.addWidget(again)
    again.load_file(contacts_csv)
    again.next()
    assert again.mapping_step.field_of("Organisation") is None
    assert again.mapping_step.field_of("Last name") == "family_name"


def test_the_plan_shows_the_row_in_error_and_the_duplicate_of_a_demo_person(
        qtbot, wizard, contacts_csv, demo_database):
    check = _checked(qtbot, wizard, contacts_csv).check_step
    model = check.model
    assert model.rowCount() == 4
    error = _row(wizard, 4)
    assert model.planned(error).errors[0].field == "email"
    assert "not-an-address" in model.index(error, ERRORS).data()
    assert model.index(error, ERRORS).data(Qt.ItemDataRole.ForegroundRole).color().name() \
        == "#b00020"
    duplicate = _row(wizard, 3)
    match_text = model.index(duplicate, MATCH).data()
    assert match_text.startswith("certain (same e-mail") and "Lindita" in match_text
    assert model.planned(duplicate).match.person_id == _owner_of(demo_database, DEMO_EMAIL)
    assert model.index(duplicate, DECISION).data() == "Skip"
    assert model.index(_row(wizard, 2), 1).data() == "Ђорђе Петровић"
    assert check.counts.text().startswith("4 rows: 2 to create, 0 to update, 0 to link, "
                                          "2 to skip; 1 with problems, 1 possible")


def test_decisions_change_per_row_and_in_bulk(qtbot, wizard, contacts_csv):
    check = _checked(qtbot, wizard, contacts_csv).check_step
    model = check.model
    duplicate = model.index(_row(wizard, 3), DECISION)
    assert model.flags(duplicate) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(duplicate, "update")
    assert not model.setData(duplicate, "create")  # its e-mail is taken: no second person
    assert check.plan.row(3).decision is Decision.UPDATE
    assert not model.flags(model.index(_row(wizard, 4), DECISION)) & Qt.ItemFlag.ItemIsEditable
    check.skip_duplicates.click()
    assert check.plan.row(3).decision is Decision.SKIP
    model.decide(2, Decision.SKIP)
    check.create_new.click()
    assert check.plan.row(2).decision is Decision.CREATE
    assert "2 to create" in check.counts.text()


def test_the_import_writes_exactly_the_accepted_rows(qtbot, wizard, contacts_csv,
                                                     demo_database, tmp_path):
    before = _persons(demo_database)
    lindita = _owner_of(demo_database, DEMO_EMAIL)
    _checked(qtbot, wizard, contacts_csv)
    with qtbot.waitSignal(wizard.imported, timeout=WAIT_MS):
        report = _run(qtbot, wizard, wizard.check_step.import_button)
    assert (report.created, report.updated, report.skipped, report.invalid) == (2, 0, 2, 1)
    assert wizard.step() == REPORT and not wizard.back_button.isEnabled()
    assert wizard.report_step.summary.text().startswith("The import is done.")
    errors = wizard.report_step.errors
    assert (errors.item(0, 0).text(), errors.item(0, 1).text()) == ("4", "email")
    assert _persons(demo_database) == before + 2
    with read_session(demo_database.sessions) as session:
        names = set(session.execute(select(Person.given_name, Person.family_name)))
        assert ("Ђорђе", "Петровић") in names and ("Arben", "Hoxha") in names
        assert ("Besa", "Krasniqi") not in names
        assert session.scalar(select(func.count(PersonEmail.id))
                              .where(PersonEmail.address == DEMO_EMAIL)) == 1
    assert _owner_of(demo_database, DEMO_EMAIL) == lindita
    saved = wizard.report_step.save(tmp_path / "report.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["created"] == 2 and data["written"] is True
    assert data["errors"][0]["row"] == 4 and data["errors"][0]["field"] == "email"
    assert data["duplicates"][0]["person_id"] == lindita


def test_a_dry_run_reports_and_writes_nothing(qtbot, wizard, contacts_csv, demo_database):
    before = _persons(demo_database)
    _checked(qtbot, wizard, contacts_csv)
    report = _run(qtbot, wizard, wizard.check_step.dry_run_button)
    assert report.dry_run and not report.written and report.created == 2
    assert "Nothing was written" in wizard.report_step.summary.text()
    assert _persons(demo_database) == before
    wizard.back()
    assert wizard.step() == CHECK and wizard.check_step.import_button.isEnabled()


def test_a_cancelled_import_writes_nothing_and_says_so(qtbot, wizard, tmp_path,
                                                       demo_database):
    path = tmp_path / "many.csv"
    rows = "".join(f"Given{i},Family{i},person{i}@example.org\n" for i in range(1500))
    path.write_text("Given name,Family name,Email\n" + rows, encoding="utf-8")
    before = _persons(demo_database)
    check = _checked(qtbot, wizard, path).check_step
    with qtbot.waitSignal(check.job.cancelled, timeout=WAIT_MS):
        check.import_now()
        assert check.job.cancel_button.isVisible() and not wizard.close_button.isEnabled()
        check.job.cancel_button.click()
    assert check.job.status.text() == "Cancelled: nothing was written."
    assert _persons(demo_database) == before
    assert wizard.step() == CHECK and check.import_button.isEnabled()


def test_participants_are_imported_with_their_role_and_status(qtbot, demo_database,
                                                              tmp_path):
    with read_session(demo_database.sessions) as session:
        conference_id = get_conference(session, Known.conference_code).id
    path = tmp_path / "speakers.csv"
    path.write_text("Name,Email,Role,Status\nVesa Berisha,vesa@example.org,speaker,"
                    "accepted\n", encoding="utf-8")
    wizard = open_import_wizard(None, demo_database, "tester", conference_id=conference_id)
    qtbot.addWidget(wizard)
    assert wizard.windowTitle() == "Import participants"
    _checked(qtbot, wizard, path)
    assert wizard.mapping_step.field_of("Role") == "role"
    report = _run(qtbot, wizard, wizard.check_step.import_button)
    assert report.participants_added == 1
    with read_session(demo_database.sessions) as session:
        role, status = session.execute(
            select(Participant.role, Participant.status)
            .where(Participant.person_id == _owner_of(demo_database, "vesa@example.org"),
                   Participant.conference_id == conference_id)).one()
    assert (role.value, status.value) == ("speaker", "accepted")


# --- duplicates -----------------------------------------------------------------------------

@pytest.fixture
def twins(demo_database) -> tuple[int, int]:
    """Two records of one person, each with an e-mail of its own."""
    with unit_of_work(demo_database.sessions, "tester") as session:
        ids = tuple(create_person(session, PersonInput("Vjosa", "Rexhepi", emails=[e]),
                                  actor="tester").id
                    for e in ("vjosa@example.org", "v.rexhepi@example.net"))
    return ids


def _found(qtbot, dialog: DuplicatesDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.job.is_running(), timeout=WAIT_MS)


def test_the_finder_shows_the_pair_side_by_side(qtbot, demo_database, twins):
    dialog = open_duplicates(None, demo_database, "tester")
    qtbot.addWidget(dialog)
    _found(qtbot, dialog)
    group = dialog.current_group()
    assert {m.person_id for m in group.members} == set(twins)
    assert group.confidence == "likely"
    assert dialog.groups.item(0).text().startswith("Likely: Vjosa Rexhepi / Vjosa Rexhepi")
    table = dialog.persons
    assert table.columnCount() == 2
    assert {table.item(3, c).text() for c in range(2)} == {"vjosa@example.org",
                                                           "v.rexhepi@example.net"}
    assert table.item(1, 0).text() == "Vjosa Rexhepi" and table.item(5, 0).text() == "0"


def test_merging_leaves_one_person_with_both_addresses(qtbot, demo_database, twins):
    dialog = open_duplicates(None, demo_database, "tester")
    qtbot.addWidget(dialog)
    _found(qtbot, dialog)
    keep, other = twins
    dialog.set_keep(keep)
    box = dialog.ask_merge()
    assert "Everything moves to the kept person" in box.informativeText()
    assert "deleted" in box.informativeText() and "audit trail" in box.informativeText()
    with qtbot.waitSignal(dialog.merged, timeout=WAIT_MS) as merged:
        box.button(QMessageBox.StandardButton.Yes).click()
    assert merged.args == [keep]
    _found(qtbot, dialog)
    assert dialog.groups.count() == 0 and dialog.job.status.text() == "No duplicates found."
    with read_session(demo_database.sessions) as session:
        assert session.get(Person, other) is None
        assert set(session.scalars(select(PersonEmail.address)
                                   .where(PersonEmail.person_id == keep))) == {
            "vjosa@example.org", "v.rexhepi@example.net"}


def test_not_a_duplicate_hides_the_group_without_storing_anything(qtbot, demo_database,
                                                                   twins):
    hidden: set = set()
    dialog = DuplicatesDialog(demo_database, "tester", hidden=hidden)
    qtbot.addWidget(dialog)
    dialog.refresh()
    _found(qtbot, dialog)
    dialog.dismiss_button.click()
    assert dialog.groups.count() == 0 and hidden == {frozenset(twins)}
    assert not dialog.merge_button.isEnabled()
    dialog.refresh()
    _found(qtbot, dialog)
    assert dialog.groups.count() == 0
    assert _persons(demo_database) >= 2
