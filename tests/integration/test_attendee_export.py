"""Attendee exports on SQLite and PostgreSQL: formula injection through CSV and XLSX, the BOM,
Albanian and Serbian collation, consent by purpose, presets, the PDF list, audit and CLI."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from smartconf.__main__ import main
from smartconf.core.enums import (
    AuditAction,
    ConsentPurpose,
    LawfulBasis,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.models import AuditEvent, Conference, Participant
from smartconf.services import organisations, persons
from smartconf.services.attendee_export import (
    COLUMNS,
    attendee_list,
    attendee_options,
    export_attendees,
)
from smartconf.services.engagement import give_consent, withdraw_consent
from smartconf.services.organisations import OrganisationInput
from smartconf.services.persons import PersonInput
from smartconf.store.database import Database, open_database
from smartconf.store.session import unit_of_work
from tests.pdftools import pdf_text, require_poppler

ACTOR = "arta"
INJECTIONS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "@SUM(1+1)",
              "+383 44 123 456", "-5", "\t=1+1"]
ALL = list(COLUMNS)


def _conference(session) -> Conference:
    conference = Conference(code="SB-T", title="Test conference", venue="Prishtina",
                            starts_at=datetime(2027, 3, 16, 8, tzinfo=UTC),
                            ends_at=datetime(2027, 3, 16, 16, tzinfo=UTC),
                            calendar_uid="sb-t@test")
    session.add(conference)
    session.flush()
    return conference


def _person(session, conference, given, family, *, org=None, position=None,
            role=ParticipantRole.PARTICIPANT, status=ParticipantStatus.ACCEPTED,
            consents=(ConsentPurpose.PARTICIPANT_LISTS,)) -> int:
    person = persons.create_person(session, PersonInput(given, family), actor=ACTOR)
    person.position = position  # stored exactly (the form would strip the leading tab)
    if org is not None:
        persons.add_affiliation(session, person.id, org.id, actor=ACTOR)
    for purpose in consents:
        give_consent(session, person.id, purpose, actor=ACTOR, basis=LawfulBasis.CONSENT)
    session.add(Participant(conference_id=conference.id, person_id=person.id, role=role,
                            status=status))
    session.flush()
    return person.id


def _injections(session) -> Conference:
    """One person per hostile value, in both the position and the organisation name."""
    conference = _conference(session)
    for number, value in enumerate(INJECTIONS):
        org = organisations.create_organisation(session, OrganisationInput(
            f"Org {number}", OrganisationKind.CIVIL_SOCIETY), actor=ACTOR)
        org.name = f"{value} #{number}"  # as an import could have stored it
        _person(session, conference, "Arta", f"Gashi{chr(ord('a') + number)}", org=org,
                position=value)
    return conference


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV opens as UTF-8 with BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formula_injection_through_csv(session) -> None:
    conference = _injections(session)
    options = attendee_options(columns=["name", "organisation", "position"])
    rows = _csv(export_attendees(session, conference, options, fmt="csv", actor=ACTOR).data)
    assert rows[0] == ["Name", "Organisation", "Position"]
    positions = [row[2] for row in rows[1:]]
    for written, value in zip(positions, INJECTIONS, strict=True):
        if value == "-5":
            assert written == "-5"  # a plain number stays a number
        else:
            assert written == "'" + value  # one apostrophe, nothing lost
    organisations_written = [row[1] for row in rows[1:]]
    assert organisations_written == [f"'{value} #{n}" for n, value in enumerate(INJECTIONS)]


def test_formula_injection_through_xlsx(session) -> None:
    conference = _injections(session)
    options = attendee_options(columns=["name", "organisation", "position"])
    data = export_attendees(session, conference, options, fmt="xlsx", actor=ACTOR).data
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"], "no live formula cell"
    positions = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert positions == INJECTIONS  # every character kept, no prefix needed
    assert all(row[2].data_type == "s" for row in sheet.iter_rows(min_row=2))


@pytest.mark.parametrize(("language", "expected"), [
    ("sq", ["Cana", "Çeku", "Dobri", "Dushi", "Dhimitri", "Elezi", "Ëmërllahu", "Lika",
            "Llapi"]),
    ("sr", ["Cvetković", "Čolić", "Ćosić", "Dobri", "Džaferi", "Đurić", "Lukić", "Ljubica",
            "Zorić", "Živković"]),
])
def test_albanian_and_serbian_collation(session, language: str, expected: list[str]) -> None:
    conference = _conference(session)
    for family in sorted(expected, reverse=True):
        _person(session, conference, "Ana", family)
    options = attendee_options(columns=["name"], language=language)
    rows = attendee_list(session, conference, options).table.rows
    assert [row[0].removesuffix(", Ana") for row in rows] == expected


def test_consent_decides_who_is_listed(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = _conference(session)
        listed = _person(session, conference, "Besa", "Listed")
        _person(session, conference, "Noor", "Unlisted", consents=())
        donor = _person(session, conference, "Dren", "Donor",
                        consents=(ConsentPurpose.DONOR_SHARING,))
        withdrawn = _person(session, conference, "Vesa", "Withdrawn")
        withdraw_consent(session, withdrawn, ConsentPurpose.PARTICIPANT_LISTS, actor=ACTOR)
        code = conference.code
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = session.scalars(select(Conference).where(Conference.code == code)).one()

        def names(purpose: str) -> tuple[list[str], int]:
            listing = attendee_list(session, conference,
                                    attendee_options(columns=["name"], purpose=purpose))
            return [row[0] for row in listing.table.rows], listing.left_out

        assert names("participant_list") == (["Listed, Besa"], 3)
        assert names("donor") == (["Donor, Dren"], 3)
        assert names("internal") == (["Donor, Dren", "Listed, Besa", "Unlisted, Noor",
                                      "Withdrawn, Vesa"], 0)
        result = export_attendees(session, conference, attendee_options(), fmt="csv",
                                  actor="besnik")
        assert (result.rows, result.left_out) == (1, 3)
        assert result.summary() == "Written 1 row; 3 left out for lack of consent"
    assert listed and donor
    with unit_of_work(database.sessions, ACTOR) as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditAction.EXPORT)).one()
        assert event.actor == "besnik" and event.entity == "conference"
        assert event.changes["purpose"] == "participant_list"
        assert (event.changes["format"], event.changes["rows"],
                event.changes["left_out"]) == ("csv", 1, 3)
        assert "3 left out for lack of consent" in event.summary


def test_statuses_roles_presets_and_checked_in(session) -> None:
    conference = _conference(session)
    press = _person(session, conference, "Agron", "Press", role=ParticipantRole.PRESS,
                    consents=())
    _person(session, conference, "Arben", "Declined", status=ParticipantStatus.DECLINED)
    _person(session, conference, "Ilir", "Invited", status=ParticipantStatus.INVITED)
    persons.update_person(session, press, PersonInput(
        "Agron", "Press", emails=["agron@rtk.example"], phones=["044 123 456"]), actor=ACTOR)
    press_list = attendee_list(session, conference, attendee_options(preset="press")).table
    assert press_list.columns == ("Name", "Name (Latin)", "Organisation", "Position",
                                  "Country", "E-mail", "Phone")
    assert [r[0] for r in press_list.rows] == ["Press, Agron"]
    assert press_list.rows[0][5:] == ("agron@rtk.example", "+383 44 123 456")
    security = attendee_list(session, conference, attendee_options(preset="security")).table
    assert [r[0] for r in security.rows] == ["Invited, Ilir", "Press, Agron"]
    assert "E-mail" not in security.columns and "Phone" not in security.columns
    declined = attendee_list(session, conference, attendee_options(
        statuses=["declined"], purpose="internal", columns=["name", "status"])).table
    assert declined.rows == [("Declined, Arben", "declined")]
    with pytest.raises(ValidationError, match="column"):
        attendee_options(columns=["name", "passport"])
    with pytest.raises(ValidationError, match="purpose"):
        attendee_options(purpose="marketing")


def test_pdf_list_prints_names_in_any_script(session) -> None:
    require_poppler()
    conference = _conference(session)
    _person(session, conference, "Ђорђе", "Чолић")
    _person(session, conference, "Arbër", "Çeku", position="=HYPERLINK(\"http://x\",\"y\")")
    result = export_attendees(session, conference,
                              attendee_options(columns=ALL, language="sr"), fmt="pdf",
                              actor=ACTOR)
    text = " ".join(pdf_text(result.data).split())
    assert "Чолић, Ђорђе" in text and "Čolić, Đorđe" in text and "Çeku, Arbër" in text
    assert "Participant list" in text and "2 persons" in text
    assert text.index("Çeku") < text.index("Чолић")  # Serbian: Latin, then Cyrillic


def test_cli_export_attendees(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = open_database(url)
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = _conference(session)
        _person(session, conference, "Besa", "Listed")
        _person(session, conference, "Noor", "Unlisted", consents=())
    database.dispose()
    target = tmp_path / "attendees.csv"
    assert main(["--db", url, "export", "attendees", "--conference", "SB-T", "--status",
                 "accepted", "-o", str(target)]) == 0
    assert "Written 1 row; 1 left out for lack of consent" in capsys.readouterr().out
    assert [r[0] for r in _csv(target.read_bytes())] == ["Name", "Listed, Besa"]
    assert main(["--db", url, "export", "attendees", "--conference", "SB-T", "--purpose",
                 "internal", "--format", "xlsx", "-o", str(tmp_path / "all.bin")]) == 0
    sheet = load_workbook(io.BytesIO((tmp_path / "all.bin").read_bytes())).active
    assert sheet.max_row == 3
    assert main(["--db", url, "export", "attendees", "--conference", "SB-T",
                 "-o", str(tmp_path / "x.ods")]) == 2
