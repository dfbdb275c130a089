"""The check-in desk online, on SQLite and PostgreSQL: verdicts, undo, counts, search by name,
walk-ins, room attendance, the coordinator PIN and the snapshot kept for offline work.

``seed`` and ``database_url`` are shared with the offline and concurrency tests.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartconf.__main__ import main
from smartconf.core.badge_code import new_badge_code
from smartconf.core.enums import (
    AgendaSessionKind,
    CheckInMethod,
    InteractionKind,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.models import (
    Affiliation,
    AgendaSession,
    CheckIn,
    Conference,
    Interaction,
    Organisation,
    Participant,
    Person,
    PersonEmail,
    PersonPhone,
    Setting,
)
from smartconf.services.badges import issue_badge
from smartconf.services.desk import Desk, check_desk_pin, set_desk_pin
from smartconf.services.desk_journal import DeskBusy
from smartconf.services.desk_pin import PIN_SETTING
from smartconf.services.desk_snapshot import DeskSnapshot
from smartconf.services.invitations import set_status
from smartconf.services.search_text import refresh_search_text
from smartconf.store.database import Database
from smartconf.store.session import unit_of_work
from tests.pdftools import decoded_codes, require_poppler

ACTOR = "coordinator"
CODE = "SB-DESK"
OTHER = "SB-OTHER"
T0 = datetime(2027, 3, 12, 8, 0, tzinfo=UTC)  # 09:00 in Prishtina
ORG = "Autoriteti Rregullativ i Komunikimeve Elektronike dhe Postare"
EMAIL = "dorde.colic@example.org"
PHONE = "+38344123456"
# key: given, family, status, role, desk note
PEOPLE = {
    "colic": ("Ђорђе", "Чолић", ParticipantStatus.ACCEPTED, ParticipantRole.SPEAKER, None),
    "ceku": ("Arbëreshë", "Ëmërllahu-Çeku", ParticipantStatus.INVITED,
             ParticipantRole.PARTICIPANT, None),
    "berisha": ("Vjosa", "Berisha", ParticipantStatus.TENTATIVE, ParticipantRole.VIP, None),
    "krasniqi": ("Driton", "Krasniqi", ParticipantStatus.ACCEPTED, ParticipantRole.PARTICIPANT,
                 "Wheelchair user: seat by the aisle"),
    "andjelkovic": ("Marko", "Anđelković", ParticipantStatus.DECLINED, ParticipantRole.PRESS,
                    None),
    "rexhepi": ("Teuta", "Rexhepi", ParticipantStatus.ACCEPTED, ParticipantRole.PARTICIPANT,
                None),
}


@dataclass
class Seeded:
    """What ``seed`` made: badge codes by key, the extra participants' codes, and more."""

    codes: dict[str, str]
    extra: list[str] = field(default_factory=list)
    participant_ids: dict[str, int] = field(default_factory=dict)
    revoked: str = ""  # Rexhepi's first code, revoked when her badge was reissued
    other_conference: str = ""  # a badge of SB-OTHER


def database_url(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False)


def _conference(code: str, days: int = 0) -> Conference:
    return Conference(code=code, title=f"SMART Balkans {code}", starts_at=T0 + timedelta(days),
                      ends_at=T0 + timedelta(days=days, hours=9), timezone="Europe/Belgrade",
                      calendar_uid=f"{code.lower()}@test")


def seed(database: Database, *, extra: int = 0) -> Seeded:
    """Conference SB-DESK with PEOPLE (badges for all, Rexhepi's reissued), ``extra`` accepted
    participants with badges, and SB-OTHER with one badge."""
    with unit_of_work(database.sessions, ACTOR) as session:
        conference, other = _conference(CODE), _conference(OTHER, days=30)
        org = Organisation(name=ORG, kind=OrganisationKind.REGULATOR)
        refresh_search_text(org)
        session.add_all([conference, other, org])
        seeded = Seeded(codes={})
        participants = {}
        for key, (given, family, status, role, note) in PEOPLE.items():
            person = Person(given_name=given, family_name=family)
            person.affiliations.append(Affiliation(organisation=org, is_primary=True))
            if key == "colic":
                person.emails.append(PersonEmail(address=EMAIL, is_primary=True))
                person.phones.append(PersonPhone(number=PHONE, is_primary=True))
            refresh_search_text(person)
            participants[key] = Participant(conference=conference, person=person,
                                            status=status, role=role, desk_note=note)
            session.add(participants[key])
            seeded.codes[key] = issue_badge(session, participants[key], actor=ACTOR,
                                            reason="first issue")
        seeded.revoked = seeded.codes["rexhepi"]
        seeded.codes["rexhepi"] = issue_badge(session, participants["rexhepi"], actor=ACTOR,
                                              reason="name corrected")
        for index in range(extra):
            person = Person(given_name="Guest", family_name=f"Number {index:04d}")
            refresh_search_text(person)
            participant = Participant(conference=conference, person=person,
                                      status=ParticipantStatus.ACCEPTED)
            session.add(participant)
            seeded.extra.append(issue_badge(session, participant, actor=ACTOR,
                                            reason="first issue"))
        stranger = Participant(conference=other, status=ParticipantStatus.ACCEPTED,
                               person=Person(given_name="Ana", family_name="Other"))
        refresh_search_text(stranger.person)
        session.add(stranger)
        seeded.other_conference = issue_badge(session, stranger, actor=ACTOR,
                                              reason="first issue")
        session.flush()
        seeded.participant_ids = {k: p.id for k, p in participants.items()}
    return seeded


def valid_admissions(database: Database) -> list[CheckIn]:
    with unit_of_work(database.sessions, ACTOR) as session:
        return list(session.scalars(select(CheckIn).where(CheckIn.voided_at.is_(None))
                                    .order_by(CheckIn.id)))


@pytest.fixture
def open_desk(database: Database, tmp_path: Path):
    """Open desks on the test database; each gets its own journal folder; closed after."""
    desks = []

    def make(name: str = "Desk 1", operator: str = "arta", **options) -> Desk:
        desk = Desk(database_url(database), CODE, name, operator,
                    journal_dir=tmp_path / f"journal-{len(desks)}", **options)
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        desk.close()


def test_verdicts_green_amber_and_red(database, open_desk) -> None:
    seeded = seed(database)
    desk, other_desk = open_desk("Desk 1"), open_desk("Desk 2", "besnik")
    assert desk.online and desk.last_error is None and desk.conference_title.endswith(CODE)

    first = desk.scan(seeded.codes["colic"])
    assert (first.verdict, first.tone, first.offline) == (Verdict.ADMITTED, "green", False)
    assert (first.name, first.organisation, first.role) == ("Ђорђе Чолић", ORG, "Speaker")
    assert first.check_in_id is not None
    again = other_desk.scan(seeded.codes["colic"].lower())
    assert (again.verdict, again.tone, again.attention) == (
        Verdict.ALREADY_CHECKED_IN, "amber", True)
    assert again.previous.desk == "Desk 1" and again.check_in_id is None
    (row,) = valid_admissions(database)
    assert again.previous.checked_in_at == row.checked_in_at
    assert (row.id, row.desk, row.operator, row.method) == (
        first.check_in_id, "Desk 1", "arta", CheckInMethod.SCAN)

    vip = desk.scan(seeded.codes["berisha"])
    noted = desk.scan(seeded.codes["krasniqi"])
    assert vip.verdict is noted.verdict is Verdict.ADMITTED
    assert vip.tone == noted.tone == "amber"
    assert noted.note == "Wheelchair user: seat by the aisle"

    red = {key: desk.scan(code) for key, code in [
        ("declined", seeded.codes["andjelkovic"]), ("revoked", seeded.revoked),
        ("other", seeded.other_conference), ("unknown", new_badge_code()),
        ("typo", seeded.codes["ceku"][:-1] + ("2" if seeded.codes["ceku"][-1] != "2" else "3"))]}
    assert {v.tone for v in red.values()} == {"red"}
    assert red["declined"].reason == "participation declined"
    assert red["revoked"].reason == "badge revoked (name corrected)"
    assert red["revoked"].name == "Teuta Rexhepi"
    assert red["other"].reason == f"badge for another conference ({OTHER})"
    assert red["unknown"].reason == "unknown badge"
    assert red["typo"].reason.startswith("not a valid badge code")
    assert len(valid_admissions(database)) == 3


def test_each_admission_logs_attendance_on_the_person(database, open_desk) -> None:
    seeded = seed(database)
    open_desk().scan(seeded.codes["ceku"])
    with unit_of_work(database.sessions, ACTOR) as session:
        interaction = session.scalar(select(Interaction))
        participant = session.get(Participant, seeded.participant_ids["ceku"])
        assert interaction.kind is InteractionKind.CONFERENCE_ATTENDANCE
        assert [p.id for p in interaction.persons] == [participant.person_id]
        assert participant.status is ParticipantStatus.ATTENDED


def test_undo_last_voids_with_a_reason_and_counts_follow(database, open_desk) -> None:
    seeded = seed(database, extra=3)
    desk = open_desk()
    before = desk.counts()
    assert (before.checked_in, before.expected) == (0, 3 + 4)  # accepted and tentative ones
    admitted = desk.scan(seeded.codes["colic"])
    assert desk.counts().checked_in == 1
    with pytest.raises(ValidationError):
        desk.undo_last("  ")
    assert desk.undo_last("scanned the wrong badge") is True
    assert desk.undo_last("twice") is False
    assert desk.counts().checked_in == 0
    with unit_of_work(database.sessions, ACTOR) as session:
        row = session.get(CheckIn, admitted.check_in_id)
        assert (row.void_reason, row.voided_by) == ("scanned the wrong badge", "arta")
    assert desk.scan(seeded.codes["colic"]).verdict is Verdict.ADMITTED
    assert desk.counts().checked_in == 1


def test_search_by_name_ignores_script_and_diacritics(database, open_desk) -> None:
    seeded = seed(database)
    desk = open_desk()
    (found,) = desk.search("colic")
    assert (found.id, found.name, found.organisation, found.role) == (
        seeded.participant_ids["colic"], "Ђорђе Чолић", ORG, "Speaker")
    assert found.checked_in_at is None
    assert EMAIL not in repr(found) and PHONE not in repr(found)
    assert [p.name for p in desk.search("emerllahu ceku")] == ["Arbëreshë Ëmërllahu-Çeku"]
    assert desk.search("andjelkovic") == []  # declined: not admissible
    assert desk.search("other") == []  # another conference

    verdict = desk.admit_participant(found.id)
    assert verdict.verdict is Verdict.ADMITTED
    (row,) = valid_admissions(database)
    assert row.method is CheckInMethod.SEARCH
    assert desk.search("Чолић")[0].checked_in_at == row.checked_in_at
    assert desk.admit_participant(found.id).verdict is Verdict.ALREADY_CHECKED_IN
    with pytest.raises(NotFoundError):
        desk.admit_participant(999_999)


def test_walk_in_is_registered_admitted_and_printed(database, open_desk) -> None:
    seed(database)
    desk = open_desk()
    verdict, pdf = desk.walk_in("Ilir", "Zeka", "autoriteti rregullativ i komunikimeve "
                                "elektronike dhe postare", ParticipantRole.PRESS)
    assert verdict.verdict is Verdict.ADMITTED and verdict.role == "Press"
    assert verdict.organisation == ORG  # the known organisation, found by its folded name
    assert pdf.startswith(b"%PDF")
    with unit_of_work(database.sessions, ACTOR) as session:
        participant = session.get(Participant, verdict.participant_id)
        assert participant.status is ParticipantStatus.ATTENDED
        assert session.scalar(select(func.count(Organisation.id))) == 1
        code = participant.badge_code
    (row,) = valid_admissions(database)
    assert row.method is CheckInMethod.WALK_IN
    require_poppler()
    assert decoded_codes(pdf) == [code]
    assert desk.scan(code).verdict is Verdict.ALREADY_CHECKED_IN


def test_walk_in_from_an_unknown_organisation_creates_it_for_review(database,
                                                                     open_desk) -> None:
    seed(database)
    verdict, _pdf = open_desk("Desk 3").walk_in("Era", "Hoxha", "Kosovo Cyber Lab", "vip")
    assert verdict.tone == "amber"  # VIP
    with unit_of_work(database.sessions, ACTOR) as session:
        org = session.scalar(select(Organisation).where(Organisation.name == "Kosovo Cyber Lab"))
        assert org.kind is OrganisationKind.CIVIL_SOCIETY and "Desk 3" in org.notes


def test_room_attendance_is_its_own_admission(database, open_desk) -> None:
    seeded = seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = session.scalar(select(Conference).where(Conference.code == CODE))
        panel = AgendaSession(conference=conference, kind=AgendaSessionKind.PANEL,
                              title="Panel", starts_at=T0 + timedelta(hours=2),
                              ends_at=T0 + timedelta(hours=3), calendar_uid="panel@test")
        session.add(panel)
        session.flush()
        panel_id = panel.id
    entrance, door = open_desk("Entrance"), open_desk("Room A", agenda_session_id=panel_id)
    assert entrance.scan(seeded.codes["colic"]).verdict is Verdict.ADMITTED
    assert door.scan(seeded.codes["colic"]).verdict is Verdict.ADMITTED
    assert door.scan(seeded.codes["colic"]).previous.desk == "Room A"
    assert door.counts().checked_in == entrance.counts().checked_in == 1
    with pytest.raises(NotFoundError):
        open_desk("Room B", agenda_session_id=panel_id + 1000)


def test_coordinator_pin_is_hashed_and_works_from_the_snapshot(database, open_desk) -> None:
    seed(database)
    desk = open_desk()
    assert not desk.pin_is_set and not desk.check_pin("2468")
    with unit_of_work(database.sessions, ACTOR) as session:
        with pytest.raises(ValidationError):
            set_desk_pin(session, "12a4", actor=ACTOR)
        set_desk_pin(session, "2468", actor=ACTOR)
    with unit_of_work(database.sessions, ACTOR) as session:
        stored = session.get(Setting, PIN_SETTING).value
        assert "2468" not in stored and stored.startswith("scrypt$")
        assert check_desk_pin(session, "2468") and not check_desk_pin(session, "2469")
    assert desk.pin_is_set and desk.check_pin("2468") and not desk.check_pin("8642")
    desk.refresh_snapshot()
    snapshot = DeskSnapshot(desk.snapshot_path)
    try:
        assert check_desk_pin(snapshot, "2468")
        assert not check_desk_pin(snapshot, "0000")
    finally:
        snapshot.close()


def test_snapshot_has_what_a_desk_needs_and_no_contact_details(database, open_desk) -> None:
    seeded = seed(database)
    desk = open_desk()
    desk.scan(seeded.codes["colic"])
    path = desk.snapshot_path
    desk.close()
    snapshot = DeskSnapshot(path)
    try:
        colic = snapshot.lookup(seeded.codes["colic"]).participant
        assert (colic.name, colic.organisation, colic.role) == (
            "Ђорђе Чолић", ORG, ParticipantRole.SPEAKER)
        assert snapshot.admission(colic.id).desk == "Desk 1"
        assert snapshot.lookup(seeded.codes["krasniqi"]).participant.desk_note
        assert snapshot.lookup(seeded.revoked).revoked_reason == "name corrected"
        assert snapshot.lookup(seeded.other_conference).other_conference == OTHER
        assert snapshot.conference_code == CODE
    finally:
        snapshot.close()
    if os.name == "posix":  # only the desk's user can read the names
        assert all(p.stat().st_mode & 0o077 == 0 for p in path.parent.iterdir())
    stored = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert "Чолић".encode() in stored
    assert EMAIL.encode() not in stored and PHONE.encode() not in stored
    assert b"example.org" not in stored


def test_refresh_picks_up_what_changed_on_the_server(database, open_desk) -> None:
    seeded = seed(database)
    desk, elsewhere = open_desk("Desk 1"), open_desk("Desk 2")
    elsewhere.scan(seeded.codes["ceku"])
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = session.scalar(select(Conference).where(Conference.code == CODE))
        set_status(session, conference, [seeded.participant_ids["colic"]],
                   ParticipantStatus.CANCELLED, actor=ACTOR)
        session.get(Participant, seeded.participant_ids["berisha"]).desk_note = "Minister"
    stats = desk.refresh_snapshot()
    assert stats is not None and not stats.full and stats.participants >= 2
    snapshot = DeskSnapshot(desk.snapshot_path)
    try:
        assert snapshot.admission(seeded.participant_ids["ceku"]).desk == "Desk 2"
        assert snapshot.lookup(seeded.codes["colic"]).revoked_reason is not None
        assert snapshot.participant(seeded.participant_ids["colic"]).status is \
            ParticipantStatus.CANCELLED
        assert snapshot.participant(seeded.participant_ids["berisha"]).desk_note == "Minister"
    finally:
        snapshot.close()
    assert desk.refresh_snapshot(full=True).full


def test_desk_names_are_required(database, tmp_path) -> None:
    seed(database)
    with pytest.raises(ValidationError):
        Desk(database_url(database), CODE, " ", "arta", journal_dir=tmp_path)
    with pytest.raises(NotFoundError):
        Desk(database_url(database), "SB-NONE", "Desk 1", "arta", journal_dir=tmp_path)


def test_a_desk_is_open_once_per_computer(database, open_desk, tmp_path) -> None:
    seed(database)
    first = open_desk("Desk 1")
    with pytest.raises(DeskBusy):
        Desk(database_url(database), CODE, "Desk 1", "besnik",
             journal_dir=first.journal_path.parent)
    with Desk(database_url(database), CODE, "Desk 2", "besnik",
              journal_dir=first.journal_path.parent) as second:
        assert second.journal_path != first.journal_path
    first.close()
    with Desk(database_url(database), CODE, "Desk 1", "besnik",
              journal_dir=first.journal_path.parent) as again:
        assert again.online


def test_cli_sets_the_pin_from_stdin(database, capsys, monkeypatch, tmp_path) -> None:
    seed(database)
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    argv = ["--db", database_url(database), "--data-dir", str(tmp_path), "--user", ACTOR]
    assert main([*argv, "desk", "pin"]) == 0
    assert "PIN set" in capsys.readouterr().out
    with unit_of_work(database.sessions, ACTOR) as session:
        assert check_desk_pin(session, "97531")
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert main([*argv, "desk", "pin"]) == 1
    assert "4 to 12 digits" in capsys.readouterr().err


def test_a_damaged_snapshot_is_taken_again(database, open_desk) -> None:
    seeded = seed(database)
    desk = open_desk("Desk 1")
    path = desk.snapshot_path
    desk.close()
    path.write_bytes(b"not a database" * 100)  # a power cut while it was written
    with Desk(database_url(database), CODE, "Desk 1", "arta",
              journal_dir=path.parent) as desk:
        assert desk.snapshot_path == path
        assert desk.online and desk.scan(seeded.codes["colic"]).verdict is Verdict.ADMITTED
    snapshot = DeskSnapshot(path)
    try:
        assert snapshot.lookup(seeded.codes["colic"]).participant.name == "Ђорђе Чолић"
    finally:
        snapshot.close()
