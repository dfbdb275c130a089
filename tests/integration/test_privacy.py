"""Data protection: subject access (JSON and PDF), erasure that leaves nothing behind, and
the audit trail. Runs on SQLite and PostgreSQL over the demo data plus one person with a
record in every corner of the schema."""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, func, select
from sqlalchemy.orm import Session

from smartconf.__main__ import main
from smartconf.core.enums import (
    AgendaRole,
    AuditAction,
    ConsentPurpose,
    InteractionKind,
    OutboxKind,
    OutcomeKind,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import NotFoundError, SmartconfError, ValidationError
from smartconf.core.text import fold
from smartconf.models import (
    Affiliation,
    AgendaSession,
    AgendaSessionPerson,
    Assessment,
    Base,
    CheckIn,
    Conference,
    Consent,
    Interaction,
    Organisation,
    OutboxMessage,
    Outcome,
    Participant,
    Person,
)
from smartconf.services import engagement, persons
from smartconf.services.badges import issue_badge
from smartconf.services.checkin import check_in
from smartconf.services.demo import load_demo
from smartconf.services.person_search import PersonFilter, search_person_ids
from smartconf.services.persons import PersonInput
from smartconf.services.privacy import (
    ERASED,
    NOT_PERSONAL,
    NOT_SCANNED,
    audit_trail,
    checkpoint_after_erasure,
    erase_person,
    subject_access_export,
    subject_access_pdf,
)
from smartconf.store.audit import record_event
from smartconf.store.database import Database, open_database
from smartconf.store.session import unit_of_work
from tests.pdftools import pdf_text, require_poppler

ACTOR = "arta"
GIVEN, FAMILY, FORMER_FAMILY = "Љиљана", "Штрбац", "Ђурђевац"
NOTES = "Prefers calls after 16:00; her daughter studies in Graz."
OLD_EMAIL, EMAIL = "l.strbac@old-ministry.example", "ljiljana.strbac@example.org"
PHONE = "+381 64 1234567"
# Every way the person's identifiers can be written, and the notes.
SECRETS = ["Љиљана", "Штрбац", "Ljiljana", "Štrbac", "Strbac", FORMER_FAMILY, "Đurđevac",
           "Djurdjevac", OLD_EMAIL, EMAIL,
           "+381641234567", "+381 64 1234567", "064 1234567", "381641234567", NOTES]


@dataclass
class World:
    """The demo data and the ids of the person to erase and of a bystander."""

    person_id: int
    bystander_id: int
    conference_code: str


def _all_texts(session: Session) -> Iterator[tuple[str, str, str]]:
    """(table, column, text) for every string and JSON value in every table."""
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | JSON)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    yield table.name, column.name, str(value)


def _leaks(session: Session) -> list[tuple[str, str, str]]:
    found = []
    for table, column, text in _all_texts(session):
        folded = fold(text)
        hits = [s for s in SECRETS if s.casefold() in text.casefold() or fold(s) in folded]
        found += [(table, column, hit) for hit in hits]
    return found


def _with_person_everywhere(session: Session) -> World:
    """A person with a record in every table that can hold one, and mentions elsewhere."""
    load_demo(session, actor=ACTOR)
    assert not _leaks(session), "the demo data must not know the test person"
    person = persons.create_person(session, PersonInput(
        GIVEN, FORMER_FAMILY, honorific="Dr.", position="Senior adviser for cyber resilience",
        notes=NOTES, emails=[OLD_EMAIL], phones=[PHONE], tags=["speaker-pool"],
        preferred_language="sr", gender="female"), actor=ACTOR)
    data = persons.person_input(person)
    data.family_name, data.family_name_latin = FAMILY, None  # a new name and address: the
    data.emails = [EMAIL]  # old ones survive only in the audit trail
    persons.update_person(session, person.id, data, actor=ACTOR)
    organisation = session.scalars(select(Organisation).order_by(Organisation.id)).first()
    persons.add_affiliation(session, person.id, organisation.id, actor=ACTOR,
                            role="Head of unit, deputy to Ljiljana's predecessor")
    engagement.assess_person(session, person.id, actor=ACTOR, influence=4, interest=5,
                             note="Štrbac is sceptical of the draft law")
    engagement.give_consent(session, person.id, ConsentPurpose.PHOTOS, actor=ACTOR,
                            source=f"form signed by {GIVEN} {FAMILY}")
    bystander = session.scalars(select(Person).where(Person.id != person.id)
                                .order_by(Person.id)).first()
    engagement.log_interaction(session, actor=ACTOR, kind=InteractionKind.CALL,
                               summary="Call: she will send comments on the draft.",
                               person_ids=[person.id])
    engagement.log_interaction(session, actor=ACTOR, kind=InteractionKind.MEETING,
                               summary="Meeting with Ljiljana and the CERT team.",
                               person_ids=[person.id, bystander.id])
    engagement.log_interaction(session, actor=ACTOR, kind=InteractionKind.NOTE,
                               summary=f"Recommended {GIVEN} {FAMILY} ({EMAIL}), née "
                                       "Đurđevac, as a speaker.",
                               person_ids=[bystander.id])
    organisation.notes = f"{organisation.notes or ''} Contact through Štrbac, tel. {PHONE}."
    conference = session.scalars(select(Conference).order_by(Conference.starts_at)).first()
    participant = Participant(conference=conference, person=person,
                              status=ParticipantStatus.ACCEPTED,
                              desk_note="Ljiljana needs step-free access",
                              consent_override="Invited by Štrbac's minister")
    session.add(participant)
    session.flush()
    code = issue_badge(session, participant, actor=ACTOR, reason="first issue")
    assert check_in(session, conference, code, desk="Desk 1", actor=ACTOR).verdict \
        is Verdict.ADMITTED
    agenda_session = session.scalars(select(AgendaSession).where(
        AgendaSession.conference_id == conference.id).order_by(AgendaSession.id)).first()
    session.add(AgendaSessionPerson(agenda_session=agenda_session, person=person,
                                    role=AgendaRole.SPEAKER, position=9))
    agenda_session.description = f"{agenda_session.description or ''} With Dr. Štrbac."
    session.add(Outcome(agenda_session=agenda_session, kind=OutcomeKind.COMMITMENT,
                        text="Štrbac will circulate the draft by May.",
                        committed_person_id=person.id))
    session.add(OutboxMessage(key=f"invite:test:{participant.id}", kind=OutboxKind.INVITE,
                              conference_id=conference.id, participant_id=participant.id,
                              recipient=EMAIL, subject=f"Invitation for {GIVEN} {FAMILY}",
                              body_text=f"Dear Dr. {FAMILY}, ..."))
    session.flush()
    record_event(session, AuditAction.UPDATE, "person", None,
                 f"merged a duplicate of Ljiljana Štrbac ({OLD_EMAIL})")
    session.flush()
    assert {t for t, _, _ in _leaks(session)} >= {
        "person", "person_email", "person_phone", "affiliation", "assessment", "consent",
        "interaction", "organisation", "participant", "agenda_session", "outcome",
        "outbox_message", "audit_event"}
    return World(person.id, bystander.id, conference.code)


@pytest.fixture
def world(database: Database) -> World:
    with unit_of_work(database.sessions, ACTOR) as session:
        return _with_person_everywhere(session)


def _counts(session: Session, person_id: int) -> dict[str, int]:
    def count(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where))

    participations = select(Participant.id).where(Participant.person_id == person_id)
    return {
        "participants": count(Participant, Participant.person_id == person_id),
        "check_ins": count(CheckIn, CheckIn.participant_id.in_(participations)),
        "affiliations": count(Affiliation, Affiliation.person_id == person_id),
        "assessments": count(Assessment, Assessment.person_id == person_id),
        "consents": count(Consent, Consent.person_id == person_id),
        "interactions": count(Interaction,
                              Interaction.persons.any(Person.id == person_id)),
        "agenda_roles": count(AgendaSessionPerson, AgendaSessionPerson.person_id == person_id),
        "outcomes": count(Outcome, Outcome.committed_person_id == person_id),
        "persons": count(Person),
    }


def test_erasure_leaves_no_trace_and_keeps_the_counts(database: Database, world: World) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        before = _counts(session, world.person_id)
        bystander = session.get(Person, world.bystander_id).full_name
        erase_person(session, world.person_id, actor=ACTOR,
                     reason=f"Request by {GIVEN} {FAMILY} on 2027-01-03")
    with unit_of_work(database.sessions, ACTOR) as session:
        assert _leaks(session) == []
        assert _counts(session, world.person_id) == before
        person = session.get(Person, world.person_id)
        assert person.full_name == f"Erased person #{world.person_id}"
        assert (person.gender.value, person.preferred_language.value) == ("female", "sr")
        assert person.erased_at is not None and person.search_text == ""
        assert person.emails == [] and person.phones == [] and person.tags == []
        assert person.affiliations[0].organisation is not None
        assert person.affiliations[0].role is None
        participant = session.scalars(select(Participant).where(
            Participant.person_id == world.person_id)).one()
        assert participant.status is ParticipantStatus.ATTENDED
        assert participant.desk_note is None
        assert session.get(Person, world.bystander_id).full_name == bystander
        summaries = set(session.scalars(select(Interaction.summary).where(
            Interaction.persons.any(Person.id == world.person_id))))
        assert summaries >= {ERASED, f"Meeting with {ERASED} and the CERT team."}
        assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == EMAIL)) == 0
        erasure = audit_trail(session, entity="person", entity_id=world.person_id)[0]
        assert (erasure.action, erasure.actor) == ("erase", ACTOR)
        assert erasure.summary == \
            f"Erased person #{world.person_id}. Reason: Request by {ERASED} on 2027-01-03"
        with pytest.raises(NotFoundError):
            persons.get_person(session, world.person_id)
        assert world.person_id not in search_person_ids(session, PersonFilter())


def test_erasure_of_someone_sharing_a_family_name_spares_the_namesake(
        database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        erased = persons.create_person(session, PersonInput("Arbër", "Gashi"), actor=ACTOR)
        namesake = persons.create_person(session, PersonInput("Vjosa", "Gashi"), actor=ACTOR)
        engagement.log_interaction(session, actor=ACTOR, kind=InteractionKind.NOTE,
                                   summary="Vjosa Gashi chairs; Arbër Gashi presents.",
                                   person_ids=[namesake.id])
        erased_id, namesake_id = erased.id, namesake.id
        erase_person(session, erased_id, actor=ACTOR, reason="asked to be forgotten")
    with unit_of_work(database.sessions, ACTOR) as session:
        assert session.get(Person, namesake_id).full_name == "Vjosa Gashi"
        assert "gashi" in session.get(Person, namesake_id).search_text
        assert session.scalar(select(Interaction.summary)) == \
            f"Vjosa Gashi chairs; {ERASED} presents."
        assert search_person_ids(session, PersonFilter(text="gashi")) == [namesake_id]


def test_erasure_needs_a_reason_and_happens_once(database: Database, world: World) -> None:
    with pytest.raises(ValidationError, match="reason"), \
            unit_of_work(database.sessions, ACTOR) as session:
        erase_person(session, world.person_id, actor=ACTOR, reason="  ")
    with pytest.raises(NotFoundError), unit_of_work(database.sessions, ACTOR) as session:
        erase_person(session, 10**6, actor=ACTOR, reason="request")
    with unit_of_work(database.sessions, ACTOR) as session:
        erase_person(session, world.person_id, actor=ACTOR, reason="request")
    with pytest.raises(SmartconfError, match="already erased"), \
            unit_of_work(database.sessions, ACTOR) as session:
        erase_person(session, world.person_id, actor=ACTOR, reason="request")


def test_subject_access_export_holds_everything_and_is_audited(database: Database,
                                                                world: World) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        data = subject_access_export(session, world.person_id, actor="dpo")
        codes = list(session.scalars(select(Participant.badge_code).where(
            Participant.person_id == world.person_id)))
    json.dumps(data)  # JSON-ready
    assert (data["person"]["given_name"], data["person"]["family_name"]) == (GIVEN, FAMILY)
    assert data["person"]["family_name_latin"] == "Štrbac" and data["person"]["notes"] == NOTES
    assert [e["address"] for e in data["emails"]] == [EMAIL]
    assert data["phones"][0]["display"] == "+381 64 1234567"
    sizes = {k: len(v) for k, v in data.items() if isinstance(v, list)}
    assert sizes == {"emails": 1, "phones": 1, "affiliations": 1, "assessments": 1,
                     "consents": 1, "interactions": 3, "participations": 1, "check_ins": 1,
                     "agenda_roles": 1, "outcomes_committed": 1, "messages": 1,
                     "audit_events": sizes["audit_events"]}
    assert data["participations"][0]["status"] == "attended"
    assert codes[0] and codes[0] not in json.dumps(data)  # withheld: it admits at the desk
    assert data["check_ins"][0]["desk"] == "Desk 1"
    history = json.dumps(data["audit_events"], ensure_ascii=False)
    assert OLD_EMAIL in history  # the address the person had before is part of their data
    with unit_of_work(database.sessions, ACTOR) as session:
        export = audit_trail(session, entity="person", entity_id=world.person_id, actor="dpo")
    assert [(r.action, r.summary) for r in export] == \
        [("export", "subject access export (JSON)")]


def test_subject_access_pdf_renders_every_script(database: Database, world: World) -> None:
    require_poppler()
    with unit_of_work(database.sessions, ACTOR) as session:
        pdf = subject_access_pdf(session, world.person_id, actor=ACTOR)
    text = pdf_text(pdf)
    assert f"Personal data held about {GIVEN} {FAMILY}" in text
    for expected in ("Štrbac", EMAIL, "+381 64 1234567", "Outcomes committed (1)",
                     "Štrbac will circulate the draft by May."):
        assert expected in text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "report.pdf")
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts
    with unit_of_work(database.sessions, ACTOR) as session:
        assert audit_trail(session, entity="person", entity_id=world.person_id)[0].summary \
            == "subject access export (PDF)"


def test_audit_trail_filters_by_record_and_user(database: Database) -> None:
    with unit_of_work(database.sessions, "arta") as session:
        first = persons.create_person(session, PersonInput("Arta", "Gashi"), actor="arta")
        persons.create_person(session, PersonInput("Besa", "Krasniqi"), actor="besnik")
    with unit_of_work(database.sessions, "arta") as session:
        data = persons.person_input(first)
        data.position = "Adviser"
        persons.update_person(session, first.id, data, actor="driton")
        every = audit_trail(session)
        mine = audit_trail(session, entity="person", entity_id=first.id)
        by_driton = audit_trail(session, actor="driton")
        newest = audit_trail(session, limit=1)
    assert len(every) > 2 and newest == every[:1]
    assert [(r.action, r.actor) for r in mine] == [("update", "driton"), ("create", "arta")]
    assert mine[0].changes == {"position": [None, "Adviser"]}
    assert {(r.entity, r.entity_id) for r in by_driton} == {("person", str(first.id))}
    assert json.loads(json.dumps(mine[0].as_json()))["actor"] == "driton"


def test_sqlite_file_keeps_no_bytes_of_the_erased_person(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'smartconf.db'}")
    try:
        with unit_of_work(database.sessions, ACTOR) as session:
            person_id = _with_person_everywhere(session).person_id
        with unit_of_work(database.sessions, ACTOR) as session:
            erase_person(session, person_id, actor=ACTOR, reason="request")
        checkpoint_after_erasure(database.engine)
    finally:
        database.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("smartconf.db*"))
    for secret in (EMAIL, OLD_EMAIL, NOTES, GIVEN, FAMILY, "Štrbac", "+381641234567"):
        assert secret.encode("utf-8") not in raw, secret


def test_column_lists_name_real_columns() -> None:
    """A renamed column must not silently fall out of the erasure's lists."""
    for listing in (NOT_PERSONAL, NOT_SCANNED):
        for table, columns in listing.items():
            assert columns <= set(Base.metadata.tables[table].c.keys()), table


# -- command line ----------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["privacy", "export"], ["privacy", "erase"], ["audit"]])
def test_privacy_commands_have_help(capsys, command: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0 and "usage: smartconf" in capsys.readouterr().out


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_world(tmp_path: Path) -> tuple[str, World]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = open_database(url)
    with unit_of_work(database.sessions, ACTOR) as session:
        world = _with_person_everywhere(session)
    database.dispose()
    return url, world


def test_cli_privacy_export_erase_and_audit(capsys, monkeypatch, tmp_path: Path,
                                            cli_world) -> None:
    url, world = cli_world
    pid = str(world.person_id)
    code, out, _ = _run(capsys, "--db", url, "--user", "dpo", "privacy", "export", pid,
                        "-o", str(tmp_path / "sar.json"))
    assert code == 0 and "sar.json" in out
    assert json.loads((tmp_path / "sar.json").read_text("utf-8"))["person"]["notes"] == NOTES
    code, _, _ = _run(capsys, "--db", url, "privacy", "export", pid, "-o",
                      str(tmp_path / "sar.pdf"))
    assert code == 0 and (tmp_path / "sar.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = _run(capsys, "--db", url, "privacy", "export", pid, "-o",
                        str(tmp_path / "sar.txt"))
    assert code == 2 and ".json or .pdf" in err

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = _run(capsys, "--db", url, "privacy", "erase", pid, "--reason", "request")
    assert code == 1 and "--yes" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    code, out, _ = _run(capsys, "--db", url, "privacy", "erase", pid, "--reason", "request")
    assert code == 1 and "Nothing erased" in out
    monkeypatch.setattr("builtins.input", lambda prompt: "erase")
    code, out, _ = _run(capsys, "--db", url, "--user", "dpo", "privacy", "erase", pid,
                        "--reason", "request by e-mail")
    assert code == 0 and f"Person #{pid} erased" in out

    code, out, _ = _run(capsys, "--db", url, "audit", "--entity", "person", "--id", pid,
                        "--user", "dpo", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["action"] for r in rows] == ["erase", "export"]  # PDF: other user
    code, out, _ = _run(capsys, "--db", url, "audit", "--entity", "person", "--id", pid)
    assert code == 0 and "dpo" in out and "erase" in out and "Štrbac" not in out
