"""The invitation screens on the demo data: the participants panel (add, bulk status, consent
decisions, funnel), sending through a real SMTP server (aiosmtpd) with progress and cancel,
the SMTP settings (password in a keyring, never in the database), and replies dropped on the
panel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar, Event, vCalAddress
from keyring.backends.fail import Keyring as NoKeyring
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from smartconf.core.enums import (
    OutboxKind,
    OutboxState,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.models import OutboxMessage, Participant, Person, PersonEmail, Setting
from smartconf.services.conferences import get_conference
from smartconf.services.person_search import PersonFilter, save_filter
from smartconf.services.planning import ConferenceInput, create_conference
from smartconf.services.settings import ENV_SMTP_PASSWORD, KEYRING_SERVICE, set_setting
from smartconf.store.database import Database
from smartconf.store.session import unit_of_work
from smartconf.ui.invitations.consent_decision_dialog import ConsentDecisionDialog
from smartconf.ui.invitations.outbox_dialog import SendInvitationsDialog
from smartconf.ui.invitations.participants_panel import ParticipantsPanel
from smartconf.ui.invitations.rsvp_import import RsvpResultDialog
from smartconf.ui.invitations.smtp_settings import SmtpSettingsDialog
from smartconf.ui.pages.settings import SettingsPage
from tests.smtp_server import MemoryKeyring, free_port, smtp_server, tls_files, use_keyring
from tests.ui.demo_data import ACTOR, Known
from tests.ui.test_crm_support import TIMEOUT_MS, click_ok, fresh

PLANNED = "SB-PPP"  # the demo's planned conference: shortlisted, invited and accepted people
OPEN = "SB-CSA"  # registration open: invited people answer
SENDER = "smartbalkans@kcss.example"
ORGANISER = "smartbalkans@kcss.example"
SECRET = "Ëë-s3cret-passw0rd"


# --- helpers -------------------------------------------------------------------------------


def conference_id(database: Database, code: str) -> int:
    return fresh(database, lambda s: get_conference(s, code).id)


def show(qtbot, panel: ParticipantsPanel, database: Database, code: str) -> None:
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        panel.set_conference(conference_id(database, code))


def row_named(panel: ParticipantsPanel, name: str):
    return next(row for row in panel.roster.rows if row.name == name)


def statuses(database: Database, ids) -> dict[int, ParticipantStatus]:
    return fresh(database, lambda s: dict(s.execute(
        select(Participant.id, Participant.status).where(Participant.id.in_(list(ids))))
        .all()))


def outbox(database: Database, code: str) -> dict[OutboxState, int]:
    cid = conference_id(database, code)
    return fresh(database, lambda s: dict(s.execute(
        select(OutboxMessage.state, func.count()).where(OutboxMessage.conference_id == cid)
        .group_by(OutboxMessage.state)).all()))


def open_box(qtbot, parent, name: str) -> QMessageBox:
    """The message box ``name`` ("refusal", "failure") that ``parent`` opened."""
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, name) is not None, timeout=TIMEOUT_MS)
    return parent.findChild(QMessageBox, name)


def use_smtp(database: Database, server_port: int, **extra: str) -> None:
    values = {"smtp.host": "127.0.0.1", "smtp.port": str(server_port), "smtp.security": "none",
              "smtp.sender": SENDER, "smtp.rate_per_minute": "10000", "smtp.timeout": "10",
              **extra}
    with unit_of_work(database.sessions, ACTOR) as session:
        for key, value in values.items():
            set_setting(session, key, value, actor=ACTOR)


@pytest.fixture
def panel(qtbot, demo_database: Database) -> ParticipantsPanel:
    widget = ParticipantsPanel(demo_database, ACTOR)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.delenv(ENV_SMTP_PASSWORD, raising=False)
    with use_keyring(MemoryKeyring()) as backend:
        yield backend


# --- the list ------------------------------------------------------------------------------


def test_lists_participants_with_funnel_flags_and_filters(qtbot, panel, demo_database):
    assert panel.empty.is_empty()
    assert "Choose a conference" in panel.empty.message.text()
    show(qtbot, panel, demo_database, PLANNED)
    funnel = panel.roster.funnel
    assert panel.model.rowCount() == funnel.total == 84
    assert "Seats: 15 of 140" in panel.funnel.text()
    assert f"Accepted {funnel.accepted}" in panel.funnel.text()
    flagged = row_named(panel, "Faton Ahmeti")  # no consent, no decision
    consent = panel.model.index(panel.model.row_of(flagged.id), panel.model.CONSENT)
    assert consent.data() == "⚠ None — decide"
    assert "Decide consent" in consent.data(Qt.ItemDataRole.ToolTipRole)
    panel.flagged_only.setChecked(True)
    assert panel.model.rowCount() == sum(1 for r in panel.roster.rows if r.flagged) == 12
    panel.search.setText("ahmeti faton")
    assert [r.name for r in panel.model.rows()] == ["Faton Ahmeti"]
    panel.search.setText("nobody-has-this-name")
    assert panel.empty.is_empty() and panel.empty.button.text() == "Clear the filter"
    QTest.mouseClick(panel.empty.button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 84 and not panel.flagged_only.isChecked()


def test_an_empty_conference_says_how_to_fill_it(qtbot, panel, demo_database):
    with unit_of_work(demo_database.sessions, ACTOR) as session:
        empty_id = create_conference(session, ConferenceInput(
            code="SB-NEW", title="A conference nobody is invited to yet",
            starts_at=datetime(2031, 5, 12, 9), ends_at=datetime(2031, 5, 12, 17)),
            actor=ACTOR).id
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        panel.set_conference(empty_id)
    assert panel.empty.is_empty()
    assert "Nobody is on the list" in panel.empty.message.text()
    assert panel.empty.button.text() == "Add participants…"
    assert "Seats taken: 0 (no capacity set)" in panel.funnel.text()


# --- adding --------------------------------------------------------------------------------


def test_add_everyone_of_a_saved_filter_with_a_role(qtbot, panel, demo_database):
    with unit_of_work(demo_database.sessions, ACTOR) as session:
        save_filter(session, "Media", PersonFilter(organisation_kinds=("media",)), actor=ACTOR)
    show(qtbot, panel, demo_database, PLANNED)
    before = panel.roster.funnel.total
    dialog = panel.add_participants()
    qtbot.waitUntil(lambda: "are not on the list yet" in dialog.preview.text(),
                    timeout=TIMEOUT_MS)
    assert dialog.filters.currentData() == "Media"
    preview_new = int(dialog.preview.text().split(";")[1].split()[0])
    assert preview_new > 0
    dialog.role.setCurrentIndex(dialog.role.findData(ParticipantRole.PRESS))
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        click_ok(dialog)
    assert not dialog.isVisible()
    assert dialog.added == preview_new
    assert panel.roster.funnel.total == before + preview_new
    added = [r for r in panel.roster.rows if r.role is ParticipantRole.PRESS
             and r.status is ParticipantStatus.SHORTLISTED]
    assert len(added) >= preview_new
    assert f"{preview_new} added to the list" in panel.status.text()


def test_add_persons_picked_by_name(qtbot, panel, demo_database):
    show(qtbot, panel, demo_database, PLANNED)
    listed = {r.person_id for r in panel.roster.rows}
    family = fresh(demo_database, lambda s: s.scalar(
        select(Person.family_name).where(Person.id.not_in(listed)).order_by(Person.id)))
    dialog = panel.add_participants()
    dialog.tabs.setCurrentIndex(1)
    dialog.search.setText(family)
    qtbot.waitUntil(lambda: dialog.results.count() > 0, timeout=TIMEOUT_MS)
    items = [dialog.results.item(i) for i in range(dialog.results.count())]
    item = next(i for i in items if i.data(Qt.ItemDataRole.UserRole) not in listed)
    item.setCheckState(Qt.CheckState.Checked)
    assert "Picked (1)" in dialog.picked_label.text()
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        click_ok(dialog)
    assert item.data(Qt.ItemDataRole.UserRole) in {r.person_id for r in panel.roster.rows}


# --- statuses, roles, consent --------------------------------------------------------------


def test_bulk_status_change_is_all_or_nothing(qtbot, panel, demo_database):
    show(qtbot, panel, demo_database, PLANNED)
    shortlisted = row_named(panel, Known.participant)
    invited = next(r for r in panel.roster.rows if r.status is ParticipantStatus.INVITED)
    panel.select_participants([shortlisted.id, invited.id])
    assert {r.id for r in panel.selected_rows()} == {shortlisted.id, invited.id}
    panel.status_actions[ParticipantStatus.ATTENDED].trigger()
    box = open_box(qtbot, panel, "refusal")
    assert Known.participant in box.text() and "cannot go from shortlisted to attended" in \
        box.text()
    assert statuses(demo_database, [shortlisted.id, invited.id]) == {
        shortlisted.id: ParticipantStatus.SHORTLISTED, invited.id: ParticipantStatus.INVITED}
    assert panel.status.text() == "Nothing was changed."
    box.close()
    # the same two can both be cancelled: done together
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        panel.status_actions[ParticipantStatus.CANCELLED].trigger()
    assert set(statuses(demo_database, [shortlisted.id, invited.id]).values()) == {
        ParticipantStatus.CANCELLED}
    assert panel.status.text() == "2 participant(s) now Cancelled."
    assert {r.id for r in panel.selected_rows()} == {shortlisted.id, invited.id}


def test_set_role_and_promote_waitlist(qtbot, panel, demo_database):
    show(qtbot, panel, demo_database, OPEN)
    first = panel.roster.rows[0]
    panel.select_participants([first.id])
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        panel.role_actions[ParticipantRole.VIP].trigger()
    assert row_named(panel, first.name).role is ParticipantRole.VIP
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        panel.promote_waitlist()
    assert "Nobody moved up" in panel.status.text()  # nobody waits at SB-CSA


def test_consent_decision_is_recorded_with_its_reason(qtbot, panel, demo_database):
    show(qtbot, panel, demo_database, PLANNED)
    flagged = row_named(panel, "Faton Ahmeti")
    assert flagged.needs_decision
    panel.select_participants([flagged.id])
    assert panel.consent_action.isEnabled()
    dialog = panel.decide_consent()
    assert isinstance(dialog, ConsentDecisionDialog)
    assert "1 selected person(s) did not consent to receive event invitations" in \
        dialog.explanation.text()
    assert dialog.persons.count() == 1 and "Faton Ahmeti" in dialog.persons.item(0).text()
    click_ok(dialog)  # no reason: refused under the field, nothing written
    assert dialog.isVisible() and "say why" in dialog.error_text("reason")
    dialog.reason.setPlainText("Invited as head of the ministry's cyber unit (official "
                               "capacity).")
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        click_ok(dialog)
    decision = fresh(demo_database, lambda s: s.get(Participant, flagged.id).consent_override)
    assert decision.startswith("Invited as head of the ministry's cyber unit")
    assert f"decided by {ACTOR}" in decision
    decided = row_named(panel, "Faton Ahmeti")
    assert not decided.needs_decision
    index = panel.model.index(panel.model.row_of(decided.id), panel.model.CONSENT)
    assert index.data() == "None (decided)"
    assert index.data(Qt.ItemDataRole.ToolTipRole) == decision
    # now the invitation goes through
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        panel.status_actions[ParticipantStatus.INVITED].trigger()
    assert statuses(demo_database, [flagged.id])[flagged.id] is ParticipantStatus.INVITED


# --- sending -------------------------------------------------------------------------------


def open_outbox(qtbot, panel, database, code: str) -> SendInvitationsDialog:
    show(qtbot, panel, database, code)
    dialog = panel.send_invitations()
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.is_busy(),
                    timeout=TIMEOUT_MS)
    return dialog


def test_send_shows_progress_and_ends_with_the_right_count(qtbot, panel, demo_database):
    with smtp_server() as server:
        use_smtp(demo_database, server.port)
        dialog = open_outbox(qtbot, panel, demo_database, PLANNED)
        sync = dialog.preview.sync
        total = len(sync.queued)
        assert total > 0 and dialog.send_button.isEnabled()
        assert f"{sync.count(OutboxKind.INVITE)} new invitation(s)" in dialog.plan.text()
        assert "Vjosa Dema" in dialog.skipped.item(0).text() + dialog.skipped.item(1).text()
        labels: list[str] = []
        dialog._sender.progress.connect(lambda _p: labels.append(dialog.progress_label.text()))
        assert outbox(demo_database, PLANNED) == {}, "the preview queued nothing"
        with qtbot.waitSignal(dialog._sender.finished, timeout=30_000):
            QTest.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
            assert dialog.cancel_button.isVisible() and not dialog.close_button.isEnabled()
        assert labels == [f"{n} of {total} sent" for n in range(total + 1)]
        assert dialog.result.text().startswith(f"Done: {total} sent, 0 failed")
        assert len(server.messages) == total
    assert outbox(demo_database, PLANNED) == {OutboxState.SENT: total}
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TIMEOUT_MS)
    assert "Nothing to send" in dialog.plan.text()
    assert not dialog.send_button.isEnabled()
    invited = sync.queued[0].participant_id  # the list shows what went out
    qtbot.waitUntil(lambda: any(r.id == invited and r.message_state is OutboxState.SENT
                                for r in panel.roster.rows), timeout=TIMEOUT_MS)
    row = panel.model.row_of(invited)
    assert panel.model.index(row, panel.model.MESSAGE).data() == "Invitation: sent"


def test_cancel_mid_way_leaves_a_consistent_outbox(qtbot, panel, demo_database):
    with smtp_server() as server:
        use_smtp(demo_database, server.port)
        server.handler.hold_rcpt_at = 3  # the server waits at the third recipient
        dialog = open_outbox(qtbot, panel, demo_database, PLANNED)
        total = len(dialog.preview.sync.queued)
        with qtbot.waitSignal(dialog._sender.finished, timeout=30_000):
            QTest.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(server.handler.held.is_set, timeout=TIMEOUT_MS)
            dialog.close()  # closing while sending cancels, and waits
            assert dialog.isVisible() and not dialog.cancel_button.isEnabled()
            assert dialog.progress_label.text() == "Stopping after the current message…"
            server.handler.release.set()
        assert len(server.messages) == 3
    assert dialog.result.text() == (f"Stopped: 3 sent; {total - 3} still waiting in the "
                                    "outbox (they go out at the next send).")
    assert outbox(demo_database, PLANNED) == {OutboxState.SENT: 3,
                                              OutboxState.PENDING: total - 3}
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=TIMEOUT_MS)
    assert f"Already waiting in the outbox: {total - 3}." in dialog.plan.text()
    dialog.close()
    assert not dialog.isVisible()


def test_an_unreachable_server_says_what_to_do_and_loses_nothing(qtbot, panel, demo_database):
    use_smtp(demo_database, free_port())  # nobody listens there
    dialog = open_outbox(qtbot, panel, demo_database, PLANNED)
    total = len(dialog.preview.sync.queued)
    with qtbot.waitSignal(dialog._sender.failed, timeout=30_000):
        dialog.send()
    box = open_box(qtbot, dialog, "failure")
    assert "Cannot use the SMTP server 127.0.0.1" in box.text()
    assert "Check smtp.host" in box.informativeText()
    settings = next(b for b in box.buttons() if b.text() == "SMTP &settings…")
    QTest.mouseClick(settings, Qt.MouseButton.LeftButton)
    smtp_dialog = dialog.findChild(SmtpSettingsDialog)
    assert smtp_dialog.isVisible() and smtp_dialog.settings.host.text() == "127.0.0.1"
    assert outbox(demo_database, PLANNED) == {OutboxState.PENDING: total}


def test_uncertain_messages_are_explained_and_decided(qtbot, panel, demo_database):
    cid = conference_id(demo_database, PLANNED)
    with unit_of_work(demo_database.sessions, ACTOR) as session:
        session.add(OutboxMessage(key="crashed:1", kind=OutboxKind.INVITE, conference_id=cid,
                                  recipient="someone@example.org", subject="Ftesë",
                                  body_text="…", state=OutboxState.SENDING, attempts=1))
    dialog = open_outbox(qtbot, panel, demo_database, PLANNED)
    box = dialog.uncertain
    assert box.isVisible() and box.list.count() == 1
    assert "someone@example.org" in box.list.item(0).text()
    assert "never sent again on their own" in box.explanation.text()
    QTest.mouseClick(box.sent_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=TIMEOUT_MS)
    state = fresh(demo_database, lambda s: s.scalar(
        select(OutboxMessage.state).where(OutboxMessage.key == "crashed:1")))
    assert state is OutboxState.SENT


def test_write_files_for_outlook(qtbot, panel, demo_database, tmp_path: Path):
    dialog = open_outbox(qtbot, panel, demo_database, PLANNED)
    total = len(dialog.preview.sync.queued)
    labels: list[str] = []
    dialog._writer.progress.connect(lambda _p: labels.append(dialog.progress_label.text()))
    with qtbot.waitSignal(dialog._writer.finished, timeout=30_000):
        dialog.write_files(tmp_path / "invites")
    assert labels[0] == f"0 of {total} written" and labels[-1] == f"{total} of {total} written"
    assert len(list((tmp_path / "invites").glob("*.eml"))) == total
    assert len(list((tmp_path / "invites").glob("*.ics"))) == total
    assert dialog.result.text().startswith(f"Wrote {total} message(s) into")
    assert outbox(demo_database, PLANNED) == {OutboxState.SENT: total}


# --- SMTP settings -------------------------------------------------------------------------


@pytest.fixture
def settings_page(qtbot, demo_database, paths) -> SettingsPage:
    page = SettingsPage(demo_database, paths, actor=ACTOR)
    qtbot.addWidget(page)
    page.show()
    page.ensure_loaded()
    return page


def fill_smtp(widget, *, host="mail.kcss.example", sender=SENDER, user="smart") -> None:
    widget.host.setText(host)
    widget.security.setCurrentIndex(widget.security.findData("none"))
    widget.user.setText(user)
    widget.sender.setText(sender)
    widget.sender_name.setText("SMART Balkans — KCSS")
    widget.rate.setValue(20)


def test_smtp_settings_saved_and_the_password_only_in_the_keyring(
        qtbot, settings_page, demo_database, memory_keyring, paths):
    widget = settings_page.smtp
    fill_smtp(widget, sender="not an address")
    widget.port.setValue(2525)
    widget.password.setText(SECRET)
    widget.save()
    assert "not an address" in widget.error_text("smtp.sender")
    assert widget.status.text() == "Please correct the fields marked in red."
    assert fresh(demo_database, lambda s: s.get(Setting, "smtp.host")) is None
    widget.sender.setText(SENDER)
    with qtbot.waitSignal(widget.saved, timeout=TIMEOUT_MS):
        QTest.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert widget.password.text() == "" and widget.error_text("smtp.sender") == ""
    assert "in the OS keyring, not in the database" in widget.status.text()
    stored = fresh(demo_database, lambda s: dict(s.execute(select(Setting.key, Setting.value))
                                                 .all()))
    assert stored == {"smtp.host": "mail.kcss.example", "smtp.port": "2525",
                      "smtp.security": "none", "smtp.user": "smart", "smtp.sender": SENDER,
                      "smtp.sender_name": "SMART Balkans — KCSS",
                      "smtp.rate_per_minute": "20"}
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "smart"): SECRET}
    demo_database.dispose()  # everything written to the file: no trace of the password
    for file in paths.data_dir.glob("*.db*"):
        assert SECRET.encode() not in file.read_bytes()
    settings_page.reload()
    assert widget.host.text() == "mail.kcss.example" and widget.port.value() == 2525
    assert widget.password.text() == ""


def test_a_password_needs_a_user(qtbot, settings_page, memory_keyring):
    widget = settings_page.smtp
    fill_smtp(widget, user="")
    widget.password.setText(SECRET)
    widget.save()
    assert "enter the user first" in widget.error_text("password").lower()
    assert memory_keyring.passwords == {}


def test_without_a_keyring_nothing_is_saved_and_the_way_out_is_said(
        qtbot, settings_page, demo_database, monkeypatch):
    monkeypatch.delenv(ENV_SMTP_PASSWORD, raising=False)
    widget = settings_page.smtp
    fill_smtp(widget)
    widget.password.setText(SECRET)
    with use_keyring(NoKeyring()), qtbot.waitSignal(widget.worker.failed, timeout=TIMEOUT_MS):
        widget.save()
    assert widget.status.text().startswith("Not saved: Cannot store the SMTP password: no OS "
                                           "keyring")
    assert ENV_SMTP_PASSWORD in widget.status.text()
    assert fresh(demo_database, lambda s: s.get(Setting, "smtp.host")) is None


def test_test_connection_logs_in_and_reports(qtbot, settings_page, memory_keyring,
                                             monkeypatch, tmp_path):
    certificate, key = tls_files(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # as if IT had installed the CA
    widget = settings_page.smtp
    with smtp_server(tls=(certificate, key), login=("smart", SECRET)) as server:
        fill_smtp(widget, host=server.host)
        widget.security.setCurrentIndex(widget.security.findData("starttls"))
        widget.port.setValue(server.port)
        widget.password.setText("wrong")
        with qtbot.waitSignal(widget.worker.failed, timeout=TIMEOUT_MS):
            QTest.mouseClick(widget.test_button, Qt.MouseButton.LeftButton)
        assert widget.status.text().startswith("Connection failed:")
        assert "refused the login of smart" in widget.status.text()
        widget.password.setText(SECRET)
        with qtbot.waitSignal(widget.worker.finished, timeout=TIMEOUT_MS):
            widget.test_connection()
        assert widget.status.text() == (f"Connected to 127.0.0.1:{server.port} (starttls) and "
                                        "logged in. Nothing was sent.")
        assert server.handler.logins == ["smart"] and server.messages == []


# --- replies -------------------------------------------------------------------------------


def reply_file(folder: Path, uid: str, attendee: str, partstat: str) -> Path:
    calendar = Calendar()
    calendar.add("prodid", "-//Test client//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REPLY")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", 0)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", datetime.now(UTC) + timedelta(days=30))
    event["organizer"] = vCalAddress(f"mailto:{ORGANISER}")
    answer = vCalAddress(f"mailto:{attendee}")
    answer.params["PARTSTAT"] = partstat
    event["attendee"] = answer
    calendar.add_component(event)
    path = folder / f"reply-{partstat.lower()}.ics"
    path.write_bytes(calendar.to_ical())
    return path


def drop(panel: ParticipantsPanel, paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPoint(10, 10)
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    event = QDropEvent(where.toPointF(), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, event)
    return event


def test_dropping_a_reply_changes_the_status_and_lists_it(qtbot, panel, demo_database,
                                                           tmp_path: Path):
    show(qtbot, panel, demo_database, OPEN)
    invited = next(r for r in panel.roster.rows if r.status is ParticipantStatus.INVITED
                   and r.has_email)
    email = fresh(demo_database, lambda s: s.scalar(
        select(PersonEmail.address).where(PersonEmail.person_id == invited.person_id)))
    uid = fresh(demo_database, lambda s: get_conference(s, OPEN).calendar_uid)
    good = reply_file(tmp_path, uid, email, "ACCEPTED")
    garbage = tmp_path / "notes.eml"
    garbage.write_bytes(b"Subject: lunch?\r\n\r\nSee you at noon.\r\n")
    with qtbot.waitSignal(panel.loaded, timeout=TIMEOUT_MS):
        assert drop(panel, [good, garbage]).isAccepted()
    dialog = panel.dialog
    assert isinstance(dialog, RsvpResultDialog) and dialog.isVisible()
    (applied,) = dialog.applied_texts()
    person, rest = applied.split(" | ", 1)
    assert person.endswith(invited.name)  # with the honorific, as invitations address them
    assert rest.startswith(f"{OPEN} | Accepted | Invited → Accepted")
    (rejected,) = dialog.not_applied_texts()
    assert rejected.startswith("notes.eml | neither an iCalendar file nor an e-mail")
    assert dialog.summary.text() == "1 answer(s) applied, 1 status(es) changed, 1 not applied."
    assert statuses(demo_database, [invited.id])[invited.id] is ParticipantStatus.ACCEPTED
    assert row_named(panel, invited.name).status is ParticipantStatus.ACCEPTED


# --- what the panel reads, on both databases ---------------------------------------------------


def test_roster_agrees_with_the_services_on_sqlite_and_postgresql(database: Database):
    """``participant_roster`` (the panel's read) against the services' own answers."""
    from smartconf.services.calendar_invites import sync_invitations
    from smartconf.services.invitations import consent_flags
    from smartconf.services.roster import participant_roster
    from tests.ui.demo_data import fill_database

    fill_database(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = get_conference(session, OPEN)
        queued = {m.participant_id: m.kind for m in
                  sync_invitations(session, conference, actor=ACTOR).queued}
        flags = {f.participant_id: f for f in consent_flags(session, conference)}
        roster = participant_roster(session, conference.id)
    assert len(roster.rows) == roster.funnel.total == 103
    for row in roster.rows:
        flag = flags.get(row.id)
        assert row.flagged is (flag is not None)
        assert row.consent == (flag.consent if flag else "given")
        assert row.consent_decision == (flag.override if flag else row.consent_decision)
        assert row.message_kind is queued.get(row.id)
        assert row.message_state is (OutboxState.PENDING if row.id in queued else None)
